// GET /overview (packages/server/src/services/monitoring/overview.ts): one state per enterprise for the map
// and the page's figures, in the caller's scope or one region of it (the drill-down); GET /overview/trends
// (overview-trends.ts): per Beijing day, 有效传输率 and the episodes opened. The first overview answer is
// asked for while the application boots (main.tsx → preload.ts), in parallel with GET /auth/me, and is then
// taken by the page.

import { FIRST_TREND_DAYS } from '../early';
import type { EnterpriseState } from '../state';
import { api } from './client';

export interface OverviewEnterprise {
  readonly id: number;
  readonly name: string;
  readonly regionCode: string;
  readonly longitude: number | null;
  readonly latitude: number | null;
  readonly state: EnterpriseState;
}

export interface OverviewFigures {
  readonly enterprises: number;
  readonly points: number;
  /** Points whose status is running: the base of the online rate. */
  readonly running: number;
  readonly online: number;
  readonly openAlarms: number;
  readonly openByType: readonly { readonly type: string; readonly open: number }[];
  /** Hourly and daily exceedance episodes opened today (Beijing day). */
  readonly exceedancesToday: number;
}

/** A GB/T 2260 administrative division. */
export interface OverviewRegion {
  readonly code: string;
  readonly name: string;
  readonly level: 'province' | 'city' | 'county';
  readonly parentCode: string | null;
}

export interface OverviewAnswer {
  readonly at: number;
  /** The region answered for (its subtree within the scope). */
  readonly region: string | null;
  /** Where the caller's drill-down starts. */
  readonly root: string | null;
  /** `root` and every region below it. */
  readonly regions: readonly OverviewRegion[];
  readonly figures: OverviewFigures;
  readonly enterprises: readonly OverviewEnterprise[];
}

export interface TrendDay {
  readonly day: string;
  readonly expected: number;
  readonly valid: number;
  readonly effectiveTransmissionRate: number | null;
  readonly exceedances: number;
  readonly anomalies: number;
}

export interface OverviewTrends {
  readonly at: number;
  readonly region: string | null;
  readonly days: number;
  readonly from: number;
  readonly to: number;
  readonly target: number;
  readonly series: readonly TrendDay[];
  /** This month's 有效传输率 through yesterday (on the 1st, the month before). */
  readonly month: {
    readonly month: string;
    readonly from: number;
    readonly countedTo: number;
    readonly complete: boolean;
    readonly expected: number;
    readonly valid: number;
    readonly effectiveTransmissionRate: number | null;
  };
}

/** An answer asked for before the page mounted, taken by its first load if still recent. */
let early:
  | { readonly at: number; readonly region: string | undefined; readonly answer: Promise<OverviewAnswer> }
  | undefined;
const EARLY_MAX_AGE_MS = 10_000;

const get = (region: string | undefined) =>
  api.get<OverviewAnswer>('/overview', region === undefined ? undefined : { region });

/**
 * Asks for the overview of the region the page opens on (the URL's `?region=`, else where the caller starts)
 * now, at boot, before the session is known; a failure is left to the page.
 */
export function prefetchOverview(region?: string): void {
  const answer = get(region);
  answer.catch(() => undefined);
  early = { at: performance.now(), region, answer };
}

/**
 * The overview of a region (default: where the caller starts): the prefetched answer the first time
 * (asked again if it failed), else a new one.
 */
export function loadOverview(region?: string): Promise<OverviewAnswer> {
  const held = early;
  early = undefined;
  if (held !== undefined && held.region === region && performance.now() - held.at < EARLY_MAX_AGE_MS)
    return held.answer.catch(() => get(region));
  return get(region);
}

/** The trends the page first shows (7 days, where the caller starts), asked for at boot too. */
let earlyTrends:
  | { readonly at: number; readonly region: string | undefined; readonly answer: Promise<OverviewTrends> }
  | undefined;

const getTrends = (days: number, region: string | undefined) =>
  api.get<OverviewTrends>('/overview/trends', region === undefined ? { days } : { days, region });

/** Asks for the first trends of the region the page opens on now (at boot); a failure is left to the page. */
export function prefetchTrends(region?: string): void {
  const answer = getTrends(FIRST_TREND_DAYS, region);
  answer.catch(() => undefined);
  earlyTrends = { at: performance.now(), region, answer };
}

/** Daily figures of the last `days` (7 or 30 on the page) of a region (default: where the caller starts). */
export function loadTrends(days: number, region?: string): Promise<OverviewTrends> {
  const held = earlyTrends;
  earlyTrends = undefined;
  if (
    days === FIRST_TREND_DAYS &&
    held !== undefined &&
    held.region === region &&
    performance.now() - held.at < EARLY_MAX_AGE_MS
  )
    return held.answer.catch(() => getTrends(days, region));
  return getTrends(days, region);
}
