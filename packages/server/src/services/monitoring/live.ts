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

export interface LivePoint extends PointMeta {
  readonly online: boolean;
  /** Since when online (or offline), where known. */
  readonly since: number | null;
  readonly lastSeenAt: number | null;
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
  const latest = new Map<string, Awaited<ReturnType<typeof ctx.repos.observations.latest>>[number]>();
  const presence = new Map<number, { online: boolean; since: number | null; lastSeenAt: number | null }>();
  for (const chunk of chunks(ids)) {
    for (const row of await ctx.repos.observations.latest('realtime', chunk))
      latest.set(`${row.point_id}|${row.factor_code}`, row);
    const rows = await db.selectFrom('device_presence').selectAll().where('point_id', 'in', chunk).execute();
    for (const row of rows) {
      const held = presence.get(Number(row.point_id));
      // A point whose MN changed has several rows: the most recently updated one tells.
      if (held?.online && row.online !== 1) continue;
      presence.set(Number(row.point_id), {
        online: row.online === 1,
        since: Number(row.since),
        lastSeenAt: row.last_seen_at === null ? null : Number(row.last_seen_at),
      });
    }
  }
  // The gateway of this process knows better than the table (written periodically).
  const links =
    ctx.gateway === undefined ? undefined : new Map(ctx.gateway.online().map((l) => [l.pointId, l]));
  return {
    at: now,
    points: points.map((point) => {
      const link = links?.get(point.pointId);
      const stored = presence.get(point.pointId);
      const state =
        link !== undefined
          ? { online: true, since: link.since, lastSeenAt: link.lastSeenAt }
          : links !== undefined
            ? {
                online: false,
                since: stored?.online === false ? stored.since : null,
                lastSeenAt: stored?.lastSeenAt ?? null,
              }
            : (stored ?? { online: false, since: null, lastSeenAt: null });
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
