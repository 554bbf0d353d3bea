import { regionSubtree } from '@qingyuan/store';
import type { Principal } from '../access/principal.js';
import type { Scope } from '../access/scope.js';
import { QyError } from '../errors.js';
import type { ServiceContext } from './context.js';

const HOUR_MS = 3_600_000;
/** The detail chart shows at most this much around an episode (a long open one is cut at its start + this). */
const MAX_WINDOW_MS = 31 * 24 * HOUR_MS;

export interface AlarmFilter {
  readonly type?: string;
  readonly state?: 'open' | 'closed';
  readonly regionCode?: string;
  readonly enterpriseId?: number;
  readonly pointId?: number;
  readonly factor?: string;
  /** Episodes overlapping [from, to) (open ones reach to now). */
  readonly from?: number;
  readonly to?: number;
  readonly limit?: number;
  readonly offset?: number;
}

export interface AlarmView {
  readonly id: number;
  readonly type: string;
  readonly pointId: number;
  readonly mn: string;
  readonly pointName: string;
  readonly enterpriseId: number;
  readonly enterpriseName: string;
  readonly regionCode: string;
  readonly factorCode: string | null;
  readonly openedAt: number;
  readonly closedAt: number | null;
  readonly open: boolean;
  readonly peakValue: number | null;
  readonly limitValue: number | null;
  readonly detail: Record<string, unknown>;
  readonly ruleVersion: string;
}

/** One hourly record of the factor around an episode (the latest revision). */
export interface AlarmSeriesPoint {
  readonly factorCode: string;
  readonly periodStart: number;
  readonly avg: number | null;
  readonly zsAvg: number | null;
  readonly flag: string | null;
}

export interface AlarmDetail {
  readonly alarm: AlarmView;
  readonly window: { readonly from: number; readonly to: number };
  readonly series: readonly AlarmSeriesPoint[];
}

export interface AlarmSummary {
  readonly total: { readonly open: number; readonly closed: number };
  readonly byType: readonly { readonly type: string; readonly open: number; readonly closed: number }[];
}

/** Alarm episodes in the caller's scope. */
/** What an alarm row is shown with: its point and enterprise. */
const ALARM_CONTEXT = [
  'p.mn',
  'p.name as pointName',
  'e.id as enterpriseId',
  'e.name as enterpriseName',
  'e.region_code',
] as const;

export class AlarmService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  get context(): ServiceContext {
    return this.#ctx;
  }

  /** Episodes of the points in scope, newest first. */
  async list(principal: Principal, filter: AlarmFilter = {}): Promise<AlarmView[]> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    const rows = await this.#filtered(scope.pointIds(), filter)
      .selectAll('a')
      .select(ALARM_CONTEXT)
      .orderBy('a.opened_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(Math.min(filter.limit ?? 500, 5000))
      .offset(filter.offset ?? 0)
      .execute();
    return rows.map(alarmView);
  }

  /** One episode with the hourly records of its factor (all factors for point-level ones) ± `hours`. */
  async get(principal: Principal, id: number, hours = 24): Promise<AlarmDetail> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    const row = await this.#filtered(scope.pointIds(), {})
      .selectAll('a')
      .select(ALARM_CONTEXT)
      .where('a.id', '=', id)
      .executeTakeFirst();
    if (row === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'alarm', id });
    const alarm = alarmView(row);
    const from = alarm.openedAt - hours * HOUR_MS;
    const to = Math.min((alarm.closedAt ?? this.#ctx.now()) + hours * HOUR_MS, from + MAX_WINDOW_MS);
    const columns = await this.#ctx.repos.observations.samples(
      'hour',
      alarm.pointId,
      from,
      to,
      alarm.factorCode === null ? undefined : [alarm.factorCode],
    );
    return {
      alarm,
      window: { from, to },
      series: columns.flatMap((c) =>
        c.periodStart.map((periodStart, i) => ({
          factorCode: c.factorCode,
          periodStart,
          avg: c.value[i] ?? null,
          zsAvg: c.corrected[i] ?? null,
          flag: c.flag[i] ?? null,
        })),
      ),
    };
  }

  /** Counts of episodes in scope by type, open and closed (the overview page). */
  async summary(principal: Principal, filter: AlarmFilter = {}): Promise<AlarmSummary> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    const { state: _state, ...rest } = filter;
    const rows = await this.#filtered(scope.pointIds(), rest)
      .select((eb) => [
        'a.type',
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.count<number | string>('a.closed_at').as('closed'),
      ])
      .groupBy('a.type')
      .orderBy('a.type')
      .execute();
    const byType = rows.map((r) => ({
      type: r.type,
      open: Number(r.n) - Number(r.closed),
      closed: Number(r.closed),
    }));
    return {
      total: {
        open: byType.reduce((s, t) => s + t.open, 0),
        closed: byType.reduce((s, t) => s + t.closed, 0),
      },
      byType,
    };
  }

  /** alarm ⋈ point ⋈ outlet ⋈ enterprise, within the scope's points and the filter. */
  #filtered(pointIds: ReturnType<Scope['pointIds']>, f: AlarmFilter) {
    const db = this.#ctx.store.db;
    return db
      .selectFrom('alarm as a')
      .innerJoin('monitoring_point as p', 'p.id', 'a.point_id')
      .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
      .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
      .where('a.point_id', 'in', pointIds)
      .$if(f.type !== undefined, (q) => q.where('a.type', '=', f.type as string))
      .$if(f.state === 'open', (q) => q.where('a.closed_at', 'is', null))
      .$if(f.state === 'closed', (q) => q.where('a.closed_at', 'is not', null))
      .$if(f.regionCode !== undefined, (q) =>
        q.where('e.region_code', 'in', regionSubtree(db, f.regionCode as string)),
      )
      .$if(f.enterpriseId !== undefined, (q) => q.where('e.id', '=', f.enterpriseId as number))
      .$if(f.pointId !== undefined, (q) => q.where('p.id', '=', f.pointId as number))
      .$if(f.factor !== undefined, (q) => q.where('a.factor_code', '=', f.factor as string))
      .$if(f.to !== undefined, (q) => q.where('a.opened_at', '<', f.to as number))
      .$if(f.from !== undefined, (q) =>
        q.where((eb) => eb.or([eb('a.closed_at', 'is', null), eb('a.closed_at', '>', f.from as number)])),
      );
  }
}

interface AlarmRow {
  id: number;
  type: string;
  point_id: number;
  factor_code: string | null;
  opened_at: number;
  closed_at: number | null;
  peak_value: number | null;
  limit_value: number | null;
  detail: string;
  rule_version: string;
  mn: string;
  pointName: string;
  enterpriseId: number;
  enterpriseName: string;
  region_code: string;
}

function alarmView(r: AlarmRow): AlarmView {
  return {
    id: Number(r.id),
    type: r.type,
    pointId: Number(r.point_id),
    mn: r.mn,
    pointName: r.pointName,
    enterpriseId: Number(r.enterpriseId),
    enterpriseName: r.enterpriseName,
    regionCode: r.region_code,
    factorCode: r.factor_code,
    openedAt: Number(r.opened_at),
    closedAt: r.closed_at === null ? null : Number(r.closed_at),
    open: r.closed_at === null,
    peakValue: r.peak_value === null ? null : Number(r.peak_value),
    limitValue: r.limit_value === null ? null : Number(r.limit_value),
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    ruleVersion: r.rule_version,
  };
}
