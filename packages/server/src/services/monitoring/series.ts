import { DAY_MS, downsampleMinMax, HOUR_MS } from '@qingyuan/domain';
import type { ObservationPeriod } from '@qingyuan/store';
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

export interface SeriesSample {
  /** Period start (minute/hour/day) or sampling instant (real-time). */
  readonly t: number;
  /** Rtd (real-time) or Avg. */
  readonly value: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly cou: number | null;
  /** ZsRtd / ZsAvg (折算). */
  readonly corrected: number | null;
  readonly flag: string | null;
  readonly exceeding: boolean | null;
  /** Hour and day: the platform's judgement of the period (amended view), where judged. */
  readonly validity?: string;
  readonly reason?: string;
}

export interface FactorSeries {
  readonly factorCode: string;
  readonly unit: string;
  readonly limit: LimitView | null;
  /** Samples in the range before downsampling. */
  readonly total: number;
  readonly downsampled: boolean;
  readonly samples: SeriesSample[];
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
  const rows = await ctx.repos.observations.samples(
    period,
    pointId,
    from,
    to,
    wanted === undefined ? undefined : [...wanted],
  );
  const judged = new Map<string, { validity: string; reason: string }>();
  if (period === 'hour' || period === 'day')
    for (const j of await ctx.repos.judgements.judgements(pointId, period, from, to, 'amended'))
      judged.set(`${j.factor_code}|${j.period_start}`, { validity: j.validity, reason: j.reason });

  const byFactor = new Map<string, SeriesSample[]>();
  for (const row of rows) {
    const meta = registered.find((f) => f.factorCode === row.factor_code);
    const value = period === 'realtime' ? row.rtd : row.avg;
    const corrected = period === 'realtime' ? row.zs_rtd : row.zs_avg;
    const judgement = judged.get(`${row.factor_code}|${row.period_start}`);
    const sample: SeriesSample = {
      t: Number(row.period_start),
      value,
      min: row.min,
      max: row.max,
      cou: row.cou,
      corrected,
      flag: row.data_flag,
      exceeding: meta === undefined ? null : exceeding(meta.limit, value, corrected),
      ...(judgement === undefined ? {} : judgement),
    };
    const list = byFactor.get(row.factor_code) ?? [];
    list.push(sample);
    byFactor.set(row.factor_code, list);
  }

  const factors: FactorSeries[] = [...byFactor].map(([factorCode, samples]) => {
    const meta = registered.find((f) => f.factorCode === factorCode);
    const limit = meta?.limit ?? null;
    // Downsample on the value the limit is compared with, so exceedances survive (downsample.ts).
    const judgedValue = (s: SeriesSample) =>
      limit?.onCorrected === true ? (s.corrected ?? s.value) : s.value;
    const thin = query.downsample !== false && samples.length > maxPoints;
    return {
      factorCode,
      unit: meta?.unit ?? '',
      limit,
      total: samples.length,
      downsampled: thin,
      samples: thin ? downsampleMinMax(samples, maxPoints, judgedValue) : samples,
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
