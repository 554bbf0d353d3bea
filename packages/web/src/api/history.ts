// GET /points (picker), GET /points/:id (factors) and GET /points/:id/series (history page).
import { historyGets, SERIES_MAX_MS, seriesQuery } from '../early';
import { api } from './client';

export type SeriesPeriod = 'realtime' | 'minute' | 'hour' | 'day';

/** GET /points row (services/registry/point-list.ts PointRow). */
export interface PointRow {
  readonly id: number;
  readonly mn: string;
  readonly name: string;
  readonly status: string;
  readonly outletId: number;
  readonly outletCode: string;
  readonly outletName: string;
  readonly outletKind: string;
  readonly enterpriseId: number;
  readonly enterpriseName: string;
  readonly regionCode: string;
}

/** A registered factor of a point (GET /points/:id `factors`). */
export interface PointFactor {
  readonly factorCode: string;
  readonly unit: string;
  readonly hourLimit: number | null;
  readonly dayLimit: number | null;
  readonly assessed: boolean;
  readonly alarmLow: number | null;
  readonly alarmHigh: number | null;
}

/** GET /points/:id (the parts read here). */
export interface PointDetail {
  readonly id: number;
  readonly name: string;
  readonly mn: string;
  readonly status: string;
  readonly outlet: { readonly id: number; readonly code: string; readonly name: string };
  readonly enterprise: { readonly id: number; readonly name: string };
  readonly factors: readonly PointFactor[];
}

/** One sample of a factor: a row of the history table (the answer's columns read at one index). */
export interface SeriesSample {
  readonly t: number;
  readonly value: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly cou: number | null;
  readonly corrected: number | null;
  readonly flag: string | null;
  readonly exceeding: boolean | null;
  readonly validity: string | null;
  readonly reason: string | null;
}

export interface SeriesLimit {
  readonly upper: number | null;
  readonly lower: number | null;
  readonly onCorrected: boolean;
}

/**
 * One factor's samples as columns, oldest first: entry `i` of every array belongs to the period starting
 * at `t[i]`. `validity` and `reason` only for hour and day (the periods the platform judges).
 */
export interface FactorSeries {
  readonly factorCode: string;
  readonly unit: string;
  readonly limit: SeriesLimit | null;
  readonly total: number;
  readonly downsampled: boolean;
  readonly t: readonly number[];
  readonly value: readonly (number | null)[];
  readonly min: readonly (number | null)[];
  readonly max: readonly (number | null)[];
  readonly cou: readonly (number | null)[];
  readonly corrected: readonly (number | null)[];
  readonly flag: readonly (string | null)[];
  readonly exceeding: readonly (boolean | null)[];
  readonly validity?: readonly (string | null)[];
  readonly reason?: readonly (string | null)[];
}

/** Sample `i` of a factor's columns. */
export function sampleAt(f: FactorSeries, i: number): SeriesSample {
  return {
    t: f.t[i] as number,
    value: f.value[i] ?? null,
    min: f.min[i] ?? null,
    max: f.max[i] ?? null,
    cou: f.cou[i] ?? null,
    corrected: f.corrected[i] ?? null,
    flag: f.flag[i] ?? null,
    exceeding: f.exceeding[i] ?? null,
    validity: f.validity?.[i] ?? null,
    reason: f.reason?.[i] ?? null,
  };
}

export interface SeriesMark {
  readonly id: number;
  readonly factorCode: string;
  readonly from: number;
  readonly to: number;
  readonly kind: string;
  readonly origin: string;
  readonly reason: string;
}

export interface SeriesAlarm {
  readonly id: number;
  readonly factorCode: string | null;
  readonly type: string;
  readonly openedAt: number;
  readonly closedAt: number | null;
  readonly peakValue: number | null;
  readonly limitValue: number | null;
}

/** GET /points/:id/series. */
export interface SeriesResult {
  readonly pointId: number;
  readonly period: SeriesPeriod;
  readonly from: number;
  readonly to: number;
  readonly maxPoints: number;
  readonly factors: readonly FactorSeries[];
  readonly marks: readonly SeriesMark[];
  readonly alarms: readonly SeriesAlarm[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The longest range of each period (services/monitoring/series.ts SERIES_RANGE) and the default one. */
export const SERIES_RANGE: Readonly<Record<SeriesPeriod, { max: number; fallback: number }>> = {
  realtime: { max: SERIES_MAX_MS.realtime as number, fallback: 6 * HOUR },
  minute: { max: SERIES_MAX_MS.minute as number, fallback: DAY },
  hour: { max: SERIES_MAX_MS.hour as number, fallback: 7 * DAY },
  day: { max: SERIES_MAX_MS.day as number, fallback: 92 * DAY },
};

export interface SeriesQuery {
  readonly period: SeriesPeriod;
  readonly from: number;
  readonly to: number;
  readonly factors: readonly string[];
}

const seriesParams: (q: SeriesQuery) => Record<string, string | number> = seriesQuery;

/** The query string of a series request (also the Excel export's, with format=xlsx). */
export function seriesUrl(pointId: number, q: SeriesQuery, format?: 'xlsx' | 'csv'): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(seriesParams(q))) params.set(k, String(v));
  if (format !== undefined) params.set('format', format);
  return `/api/v1/points/${pointId}/series?${params.toString()}`;
}

export { seriesParams };

/** Answers asked for ahead of the page's effects, each taken once, by its exact request, while recent. */
const early = new Map<
  string,
  { readonly at: number; readonly answer: Promise<unknown>; settled?: { readonly value: unknown } }
>();
const EARLY_MAX_AGE_MS = 10_000;
type Params = Record<string, string | number>;
const requestKey = (path: string, params: Params = {}) =>
  `${path}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`;

function prefetch(path: string, params?: Params): void {
  const key = requestKey(path, params);
  const held = early.get(key);
  // Asked already (at boot, then again by the page's first render): one request serves both.
  if (held !== undefined && performance.now() - held.at < EARLY_MAX_AGE_MS) return;
  const answer = api.get<unknown>(path, params);
  const entry: { at: number; answer: Promise<unknown>; settled?: { readonly value: unknown } } = {
    at: performance.now(),
    answer,
  };
  // A failure is left to the page: `take` asks again.
  answer.then(
    (value) => {
      entry.settled = { value };
    },
    () => undefined,
  );
  early.set(key, entry);
}

/**
 * The answer prefetched for this exact request if it has already come (and is recent), without taking
 * it: a page's first render can show it at once instead of a render later. `take` still returns it.
 */
export function peek<T>(path: string, params?: Params): T | undefined {
  const held = early.get(requestKey(path, params));
  if (held?.settled === undefined || performance.now() - held.at >= EARLY_MAX_AGE_MS) return undefined;
  return held.settled.value as T;
}

/** GET `path`: the answer prefetched for this exact request if recent (asked again if it failed), else anew. */
export function take<T>(path: string, params?: Params): Promise<T> {
  const key = requestKey(path, params);
  const held = early.get(key);
  early.delete(key);
  if (held !== undefined && performance.now() - held.at < EARLY_MAX_AGE_MS)
    return (held.answer as Promise<T>).catch(() => api.get<T>(path, params));
  return api.get<T>(path, params);
}

/**
 * Starts the history page's first requests from its query string — the point's detail and, when the
 * range and factors are named (links and bookmarks of a chart), its series (early.ts `historyGets`) —
 * before the page has rendered, so that they do not wait for its first render (or, called at boot, for its
 * code).
 */
export function prefetchHistory(search: string): void {
  for (const get of historyGets(search)) prefetch(get.path, get.query as Params | undefined);
}
