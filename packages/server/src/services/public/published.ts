import { EXCEEDANCE_ALARMS } from '@qingyuan/domain';
import type { Kysely } from 'kysely';
import { type Principal, publicPrincipal } from '../../access/principal.js';
import { Scope } from '../../access/scope.js';
import type { ServiceContext } from '../context.js';
import { chunks } from '../monitoring/points.js';

/** What the public portal shows of an enterprise (办法 第四条: 信息公开) — no contact person or phone. */
export interface PublicEnterprise {
  readonly id: number;
  readonly name: string;
  readonly regionCode: string;
  readonly longitude: number | null;
  readonly latitude: number | null;
  readonly industryCode: string | null;
  /** Published (running) monitoring points. */
  readonly points: number;
  /** 'exceeding': an open exceedance alarm; 'offline': no running point online; else 'normal'. */
  readonly state: 'exceeding' | 'offline' | 'normal';
}

/**
 * The public portal's scope is the same for every caller, logged in or not: the published records
 * (active enterprises, running points; access/scope.ts for the role 'public'). The caller must still hold
 * 'public.read'.
 */
export function publishedScope(ctx: ServiceContext, principal: Principal): Scope {
  ctx.access.require(principal, 'public.read');
  return new Scope(ctx.store.db, publicPrincipal(principal.peer), ctx.now());
}

/** The published enterprises (all, or one) with their state. */
export async function publicEnterprises(
  ctx: ServiceContext,
  scope: Scope,
  enterpriseId?: number,
): Promise<PublicEnterprise[]> {
  const db = ctx.store.db;
  let query = db
    .selectFrom('enterprise')
    .select(['id', 'name', 'region_code', 'longitude', 'latitude', 'industry_code'])
    .where('id', 'in', scope.enterpriseIds());
  if (enterpriseId !== undefined) query = query.where('id', '=', enterpriseId);
  const enterprises = await query.orderBy('id').execute();
  let pointsQuery = db
    .selectFrom('monitoring_point as p')
    .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
    .select(['p.id', 'o.enterprise_id'])
    .where('p.id', 'in', scope.pointIds());
  if (enterpriseId !== undefined) pointsQuery = pointsQuery.where('o.enterprise_id', '=', enterpriseId);
  const points = await pointsQuery.execute();
  const online = await onlinePoints(
    ctx,
    db,
    points.map((p) => Number(p.id)),
  );
  const exceeding = new Set((await openExceedances(ctx, scope, enterpriseId)).map((a) => a.enterpriseId));
  const count = new Map<number, { points: number; online: number }>();
  for (const p of points) {
    const held = count.get(Number(p.enterprise_id)) ?? { points: 0, online: 0 };
    count.set(Number(p.enterprise_id), {
      points: held.points + 1,
      online: held.online + (online.has(Number(p.id)) ? 1 : 0),
    });
  }
  return enterprises.map((e) => {
    const id = Number(e.id);
    const c = count.get(id) ?? { points: 0, online: 0 };
    return {
      id,
      name: e.name,
      regionCode: e.region_code,
      longitude: e.longitude === null ? null : Number(e.longitude),
      latitude: e.latitude === null ? null : Number(e.latitude),
      industryCode: e.industry_code,
      points: c.points,
      state: exceeding.has(id) ? 'exceeding' : c.online === 0 ? 'offline' : 'normal',
    };
  });
}

export interface PublicExceedance {
  readonly enterpriseId: number;
  readonly pointId: number;
  readonly factorCode: string | null;
  readonly type: string;
  readonly openedAt: number;
  readonly peakValue: number | null;
  readonly limitValue: number | null;
}

/** The open exceedance alarms (exceedance.ts EXCEEDANCE_ALARMS) of the published points. */
export async function openExceedances(
  ctx: ServiceContext,
  scope: Scope,
  enterpriseId?: number,
): Promise<PublicExceedance[]> {
  let query = ctx.store.db
    .selectFrom('alarm as a')
    .innerJoin('monitoring_point as p', 'p.id', 'a.point_id')
    .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
    .select([
      'o.enterprise_id',
      'a.point_id',
      'a.factor_code',
      'a.type',
      'a.opened_at',
      'a.peak_value',
      'a.limit_value',
    ])
    .where('a.closed_at', 'is', null)
    .where('a.type', 'in', [...EXCEEDANCE_ALARMS])
    .where('p.id', 'in', scope.pointIds());
  if (enterpriseId !== undefined) query = query.where('o.enterprise_id', '=', enterpriseId);
  return (await query.orderBy('a.opened_at').execute()).map((r) => ({
    enterpriseId: Number(r.enterprise_id),
    pointId: Number(r.point_id),
    factorCode: r.factor_code,
    type: r.type,
    openedAt: Number(r.opened_at),
    peakValue: r.peak_value === null ? null : Number(r.peak_value),
    limitValue: r.limit_value === null ? null : Number(r.limit_value),
  }));
}

/** Which of the points are online: the gateway of this process knows best, else the presence table. */
async function onlinePoints(
  ctx: ServiceContext,
  db: Kysely<import('@qingyuan/store').Database>,
  pointIds: readonly number[],
): Promise<Set<number>> {
  if (ctx.gateway !== undefined) return new Set(ctx.gateway.online().map((l) => l.pointId));
  const out = new Set<number>();
  for (const chunk of chunks(pointIds)) {
    const rows = await db
      .selectFrom('device_presence')
      .select('point_id')
      .where('point_id', 'in', chunk)
      .where('online', '=', 1)
      .execute();
    for (const r of rows) out.add(Number(r.point_id));
  }
  return out;
}
