// GET /points (picker), GET /points/:id (factors) and GET /points/:id/series (history page).

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

export interface SeriesSample {
  readonly t: number;
  readonly value: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly cou: number | null;
  readonly corrected: number | null;
  readonly flag: string | null;
  readonly exceeding: boolean | null;
  readonly validity?: string;
  readonly reason?: string;
}

export interface SeriesLimit {
  readonly upper: number | null;
  readonly lower: number | null;
  readonly onCorrected: boolean;
}

export interface FactorSeries {
  readonly factorCode: string;
  readonly unit: string;
  readonly limit: SeriesLimit | null;
  readonly total: number;
  readonly downsampled: boolean;
  readonly samples: readonly SeriesSample[];
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
  realtime: { max: 2 * DAY, fallback: 6 * HOUR },
  minute: { max: 31 * DAY, fallback: DAY },
  hour: { max: 731 * DAY, fallback: 7 * DAY },
  day: { max: 3660 * DAY, fallback: 92 * DAY },
};

export interface SeriesQuery {
  readonly period: SeriesPeriod;
  readonly from: number;
  readonly to: number;
  readonly factors: readonly string[];
}

function seriesParams(q: SeriesQuery): Record<string, string | number> {
  return {
    period: q.period,
    from: q.from,
    to: q.to,
    ...(q.factors.length > 0 ? { factors: q.factors.join(',') } : {}),
  };
}

/** The query string of a series request (also the Excel export's, with format=xlsx). */
export function seriesUrl(pointId: number, q: SeriesQuery, format?: 'xlsx' | 'csv'): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(seriesParams(q))) params.set(k, String(v));
  if (format !== undefined) params.set('format', format);
  return `/api/v1/points/${pointId}/series?${params.toString()}`;
}

export { seriesParams };
