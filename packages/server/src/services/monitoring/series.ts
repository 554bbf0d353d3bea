import { DAY_MS, downsampleMinMax, HOUR_MS } from '@qingyuan/domain';
import type { JudgementColumns, ObservationPeriod } from '@qingyuan/store';
import { QyError } from '../../errors.js';
import type { ServiceContext } from '../context.js';
import { exceeding, type LimitView, pointFactors, pointMeta, pointMetaQuery } from './points.js';

export interface SeriesQuery {
  readonly period?: ObservationPeriod;
  readonly from?: number;
  readonly to?: number;
  readonly factors?: readonly string[];
  /** Downsample a factor's samples beyond this many (default 2000); ignored with `downsample: false`. */
  readonly maxPoints?: number;
  readonly downsample?: boolean;
}

/**
 * One factor's samples as columns, oldest first: entry `i` of every array belongs to the period starting
 * at `t[i]` (one array per field instead of one object per sample: a third of the bytes, and what charts
 * take). `validity` and `reason` are present for hour and day — the periods the platform judges — with
 * null where a period has no judgement; real-time and minute answers have neither.
 */
export interface FactorSeries {
  readonly factorCode: string;
  readonly unit: string;
  readonly limit: LimitView | null;
  /** Samples in the range before downsampling. */
  readonly total: number;
  readonly downsampled: boolean;
  /** Period start (minute/hour/day) or sampling instant (real-time), epoch ms. */
  readonly t: number[];
  /** Rtd (real-time) or Avg. */
  readonly value: (number | null)[];
  readonly min: (number | null)[];
  readonly max: (number | null)[];
  readonly cou: (number | null)[];
  /** ZsRtd / ZsAvg (折算). */
  readonly corrected: (number | null)[];
  readonly flag: (string | null)[];
  /** Against the factor's limit (null: no limit, or no value to compare). */
  readonly exceeding: (boolean | null)[];
  /** Hour and day: the platform's judgement of the period (amended view). */
  readonly validity?: (string | null)[];
  readonly reason?: (string | null)[];
}

export interface SeriesAnnotations {
  readonly marks: {
    id: number;
    factorCode: string;
    from: number;
    to: number;
    kind: string;
    origin: string;
    reason: string;
  }[];
  readonly alarms: {
    id: number;
    factorCode: string | null;
    type: string;
    openedAt: number;
    closedAt: number | null;
    peakValue: number | null;
    limitValue: number | null;
  }[];
}

export interface SeriesResult extends SeriesAnnotations {
  readonly pointId: number;
  readonly period: ObservationPeriod;
  readonly from: number;
  readonly to: number;
  readonly maxPoints: number;
  readonly factors: FactorSeries[];
}

/** Longest range per query, and the default one (ending now) when `from` is not given. */
export const SERIES_RANGE: Readonly<Record<ObservationPeriod, { max: number; fallback: number }>> = {
  realtime: { max: 2 * DAY_MS, fallback: 6 * HOUR_MS },
  minute: { max: 31 * DAY_MS, fallback: DAY_MS },
  hour: { max: 731 * DAY_MS, fallback: 7 * DAY_MS },
  day: { max: 3660 * DAY_MS, fallback: 92 * DAY_MS },
};

export const DEFAULT_MAX_POINTS = 2000;

/** The range asked for, checked: `to` after `from`, no longer than the period allows. */
export function seriesRange(period: ObservationPeriod, now: number, from?: number, to?: number) {
  const end = to ?? now;
  const start = from ?? end - SERIES_RANGE[period].fallback;
  if (!(end > start)) throw new QyError('QY_E_VALIDATION', { field: 'to', reason: 'must be after from' });
  const max = SERIES_RANGE[period].max;
  if (end - start > max)
    throw new QyError('QY_E_VALIDATION', {
      field: 'from',
      reason: `the range of ${period} data is at most ${max / DAY_MS} days`,
    });
  return { from: start, to: end };
}

/** One point's observations of a period kind in a range, with validity, marks and alarms. */
export async function pointSeries(
  ctx: ServiceContext,
  pointId: number,
  query: SeriesQuery,
): Promise<SeriesResult> {
  const period = query.period ?? 'hour';
  const { from, to } = seriesRange(period, ctx.now(), query.from, query.to);
  const wanted = query.factors !== undefined && query.factors.length > 0 ? new Set(query.factors) : undefined;
  const maxPoints = query.maxPoints ?? DEFAULT_MAX_POINTS;
  const point = pointMeta(
    await pointMetaQuery(ctx.store.db).where('p.id', '=', pointId).executeTakeFirstOrThrow(),
  );
  const registered = (await pointFactors(ctx.store.db, [point])).get(pointId) ?? [];
  const columns = await ctx.repos.observations.samples(
    period,
    pointId,
    from,
    to,
    wanted === undefined ? undefined : [...wanted],
  );
  const judgedPeriod = period === 'hour' || period === 'day';
  const judged = new Map<string, JudgementColumns>();
  if (judgedPeriod)
    for (const j of await ctx.repos.judgements.validityColumns(pointId, period, from, to, 'amended'))
      judged.set(j.factorCode, j);

  const factors = columns.map((c): FactorSeries => {
    const meta = registered.find((f) => f.factorCode === c.factorCode);
    const limit = meta?.limit ?? null;
    const n = c.periodStart.length;
    const exceedingColumn = new Array<boolean | null>(n);
    for (let i = 0; i < n; i++)
      exceedingColumn[i] =
        limit === null ? null : exceeding(limit, c.value[i] ?? null, c.corrected[i] ?? null);
    let validity: (string | null)[] | undefined;
    let reason: (string | null)[] | undefined;
    if (judgedPeriod) {
      validity = new Array<string | null>(n).fill(null);
      reason = new Array<string | null>(n).fill(null);
      // Both in time order: one merge.
      const j = judged.get(c.factorCode);
      if (j !== undefined)
        for (let i = 0, k = 0; i < n && k < j.periodStart.length; ) {
          const t = c.periodStart[i] as number;
          const jt = j.periodStart[k] as number;
          if (jt < t) k++;
          else if (jt > t) i++;
          else {
            validity[i] = j.validity[k] as string;
            reason[i] = j.reason[k] as string;
            i++;
            k++;
          }
        }
    }
    // Downsample on the value the limit is compared with, so exceedances survive (downsample.ts).
    const thin = query.downsample !== false && n > maxPoints;
    const kept = thin
      ? downsampleMinMax(
          Array.from({ length: n }, (_, i) => i),
          maxPoints,
          limit?.onCorrected === true ? (i) => c.corrected[i] ?? c.value[i] : (i) => c.value[i],
        )
      : undefined;
    const pick = <T>(column: T[]): T[] => (kept === undefined ? column : kept.map((i) => column[i] as T));
    return {
      factorCode: c.factorCode,
      unit: meta?.unit ?? '',
      limit,
      total: n,
      downsampled: thin,
      t: pick(c.periodStart),
      value: pick(c.value),
      min: pick(c.min),
      max: pick(c.max),
      cou: pick(c.cou),
      corrected: pick(c.corrected),
      flag: pick(c.flag),
      exceeding: pick(exceedingColumn),
      ...(validity === undefined || reason === undefined
        ? {}
        : { validity: pick(validity), reason: pick(reason) }),
    };
  });
  return {
    pointId,
    period,
    from,
    to,
    maxPoints,
    factors,
    ...(await annotations(ctx, pointId, from, to, wanted)),
  };
}

/** Approved marks and alarm episodes overlapping the range, of the factors shown (or the whole point). */
async function annotations(
  ctx: ServiceContext,
  pointId: number,
  from: number,
  to: number,
  wanted: ReadonlySet<string> | undefined,
): Promise<SeriesAnnotations> {
  const shown = (factor: string | null) =>
    wanted === undefined || factor === null || factor === '*' || wanted.has(factor.split('#')[0] as string);
  const marks = (await ctx.repos.marks.overlapping(pointId, from, to)).filter((m) => shown(m.factor_code));
  const alarms = (await ctx.repos.alarms.list({ pointId, from, to })).filter((a) => shown(a.factor_code));
  return {
    marks: marks.map((m) => ({
      id: Number(m.id),
      factorCode: m.factor_code,
      from: Number(m.from_at),
      to: Number(m.to_at),
      kind: m.kind,
      origin: m.origin,
      reason: m.reason,
    })),
    alarms: alarms.map((a) => ({
      id: Number(a.id),
      factorCode: a.factor_code,
      type: a.type,
      openedAt: Number(a.opened_at),
      closedAt: a.closed_at === null ? null : Number(a.closed_at),
      peakValue: a.peak_value,
      limitValue: a.limit_value,
    })),
  };
}
