import { regionSubtree } from '@qingyuan/store';
import type { Scope } from '../../access/scope.js';
import type { ServiceContext } from '../context.js';
import {
  chunks,
  exceeding,
  type LimitView,
  type PointMeta,
  pointFactors,
  pointMeta,
  pointMetaQuery,
} from './points.js';

export interface LiveFilter {
  readonly regionCode?: string;
  readonly enterpriseId?: number;
  readonly pointId?: number;
}

export interface LiveFactor {
  readonly factorCode: string;
  readonly unit: string;
  /** The latest real-time value (Rtd) and its 折算 value (ZsRtd). */
  readonly value: number | null;
  readonly corrected: number | null;
  readonly flag: string | null;
  readonly dataTime: number | null;
  /** now − dataTime, ms. */
  readonly ageMs: number | null;
  readonly limit: LimitView;
  readonly exceeding: boolean | null;
}

/** Whether a point is online, since when, and when it was last heard from. */
export interface Presence {
  readonly online: boolean;
  /** Since when online (or offline), where known. */
  readonly since: number | null;
  readonly lastSeenAt: number | null;
}

export interface LivePoint extends PointMeta, Presence {
  readonly factors: LiveFactor[];
}

export interface LiveStatus {
  readonly at: number;
  readonly points: LivePoint[];
}

/**
 * The latest real-time value of every registered factor of every point in scope, with presence and
 * limits. A fixed number of queries whatever the number of points: the points, their factors, their
 * latest values (one index seek per point × factor, ObservationRepository.latest), their presence.
 */
export async function liveStatus(ctx: ServiceContext, scope: Scope, filter: LiveFilter): Promise<LiveStatus> {
  const db = ctx.store.db;
  const now = ctx.now();
  let query = pointMetaQuery(db).where('p.id', 'in', scope.pointIds());
  if (filter.regionCode !== undefined)
    query = query.where('e.region_code', 'in', regionSubtree(db, filter.regionCode));
  if (filter.enterpriseId !== undefined) query = query.where('e.id', '=', filter.enterpriseId);
  if (filter.pointId !== undefined) query = query.where('p.id', '=', filter.pointId);
  const points = (await query.orderBy('p.id').execute()).map(pointMeta);
  const ids = points.map((p) => p.pointId);
  const factors = await pointFactors(db, points);
  const latest = await latestRealtime(ctx, ids);
  const presence = await pointPresence(ctx, ids);
  return {
    at: now,
    points: points.map((point) => {
      const state = presence.get(point.pointId) as Presence;
      return {
        ...point,
        ...state,
        factors: (factors.get(point.pointId) ?? []).map((f): LiveFactor => {
          const row = latest.get(`${point.pointId}|${f.factorCode}`);
          const value = row?.rtd ?? null;
          const corrected = row?.zs_rtd ?? null;
          const dataTime = row === undefined ? null : Number(row.period_start);
          return {
            factorCode: f.factorCode,
            unit: f.unit,
            value,
            corrected,
            flag: row?.data_flag ?? null,
            dataTime,
            ageMs: dataTime === null ? null : now - dataTime,
            limit: f.limit,
            exceeding: exceeding(f.limit, value, corrected),
          };
        }),
      };
    }),
  };
}

type LatestRow = Awaited<ReturnType<ServiceContext['repos']['observations']['latest']>>[number];

/** The latest real-time record of every registered factor of the points, by `${pointId}|${factorCode}`. */
export async function latestRealtime(
  ctx: ServiceContext,
  pointIds: readonly number[],
): Promise<Map<string, LatestRow>> {
  const latest = new Map<string, LatestRow>();
  for (const chunk of chunks(pointIds))
    for (const row of await ctx.repos.observations.latest('realtime', chunk))
      latest.set(`${row.point_id}|${row.factor_code}`, row);
  return latest;
}

/**
 * Presence of every one of the points: the gateway of this process where there is one (it knows better
 * than the table, which it writes periodically), else the device_presence table.
 */
export async function pointPresence(
  ctx: ServiceContext,
  pointIds: readonly number[],
): Promise<Map<number, Presence>> {
  const stored = new Map<number, Presence>();
  for (const chunk of chunks(pointIds)) {
    const rows = await ctx.store.db
      .selectFrom('device_presence')
      .selectAll()
      .where('point_id', 'in', chunk)
      .execute();
    for (const row of rows) {
      const held = stored.get(Number(row.point_id));
      // A point whose MN changed has several rows: the most recently updated one tells.
      if (held?.online && row.online !== 1) continue;
      stored.set(Number(row.point_id), {
        online: row.online === 1,
        since: Number(row.since),
        lastSeenAt: row.last_seen_at === null ? null : Number(row.last_seen_at),
      });
    }
  }
  const links =
    ctx.gateway === undefined ? undefined : new Map(ctx.gateway.online().map((l) => [l.pointId, l]));
  const out = new Map<number, Presence>();
  for (const id of pointIds) {
    const link = links?.get(id);
    const held = stored.get(id);
    out.set(
      id,
      link !== undefined
        ? { online: true, since: link.since, lastSeenAt: link.lastSeenAt }
        : links !== undefined
          ? {
              online: false,
              since: held?.online === false ? held.since : null,
              lastSeenAt: held?.lastSeenAt ?? null,
            }
          : (held ?? { online: false, since: null, lastSeenAt: null }),
    );
  }
  return out;
}
