/**
 * 长期接近限值 / 临限排放 (near-limit discharge) as an alarm: at each judged hour H, the trailing window of
 * nearLimitWindowHours (72) hours ending with H is judged as {@link detectNearLimit} judges a window — the
 * share of counted hourly values (折算 for gas when `useCorrected`) in [nearLimitLow, nearLimitHigh] × the
 * hourly limit (90–100 %) reaches nearLimitShare (50 %). The pattern is named in the literature (S27 [V]
 * abstract) and its statistic in regulatory-rules.md §5 ("share of hours in 90–100 % of the limit"); the
 * window and thresholds are [Proposal]. A window with fewer than nearLimitMinHours counted hours gives no
 * evaluation (it neither opens nor closes an episode), so one episode lasts while the condition holds.
 */
import {
  type AnomalyContext,
  anomalyConfigOf,
  anomalyEnabled,
  checkAnomalyFactor,
  detectorValidity,
  isCountedValidity,
  oneReadingPerStart,
  thresholdsFor,
} from './anomalies.js';
import type { KeyedEvaluation } from './episodes.js';
import { DomainError } from './errors.js';
import type { Reading } from './records.js';
import { HOUR_MS } from './time.js';

export interface NearLimitDetail {
  readonly share: number;
  readonly nearHours: number;
  readonly countedHours: number;
  /** The hourly limit the band is taken of (not `limit`: the episode's peak is a share, not a value). */
  readonly hourlyLimit: number;
  readonly windowHours: number;
}

/**
 * Evaluations of 'near-limit' for one factor at each of `judgedHours` (hour starts), from `hours` that
 * cover the trailing window (load nearLimitWindowHours − 1 hours before the first judged hour). Value and
 * severity are the share in the band.
 */
export function nearLimitEvaluations(
  hours: readonly Reading[],
  limit: number,
  judgedHours: readonly number[],
  ctx: AnomalyContext,
  useCorrected = false,
): KeyedEvaluation<NearLimitDetail>[] {
  const factor = checkAnomalyFactor(hours);
  const config = anomalyConfigOf(ctx);
  if (factor === undefined || !anomalyEnabled(config, 'near-limit', factor)) return [];
  if (!(limit > 0)) throw new DomainError('DOMAIN_E_INPUT', { field: 'limit', value: limit });
  const t = thresholdsFor(config, factor);
  // Each hour classified once: counted (valid or suspect, with a value) and in the band.
  const starts: number[] = [];
  const counted: number[] = [0];
  const near: number[] = [0];
  for (const r of oneReadingPerStart(hours)) {
    const v = useCorrected ? r.corrected : r.value;
    if (!isCountedValidity(detectorValidity(r, ctx, 'hour')) || v === null || v === undefined) continue;
    if (!Number.isFinite(v)) continue;
    starts.push(r.start);
    counted.push((counted[counted.length - 1] as number) + 1);
    near.push(
      (near[near.length - 1] as number) +
        (v >= t.nearLimitLow * limit && v <= t.nearLimitHigh * limit ? 1 : 0),
    );
  }
  const windowMs = t.nearLimitWindowHours * HOUR_MS;
  const out: KeyedEvaluation<NearLimitDetail>[] = [];
  for (const at of [...new Set(judgedHours)].sort((a, b) => a - b)) {
    // Hours starting in [at + 1 h − window, at + 1 h): the window ends with hour `at`.
    const lo = lowerBound(starts, at + HOUR_MS - windowMs);
    const hi = lowerBound(starts, at + HOUR_MS);
    const countedHours = (counted[hi] as number) - (counted[lo] as number);
    if (countedHours < t.nearLimitMinHours || countedHours === 0) continue;
    const nearHours = (near[hi] as number) - (near[lo] as number);
    const share = nearHours / countedHours;
    out.push({
      type: 'near-limit',
      factor,
      at,
      active: share >= t.nearLimitShare,
      value: share,
      severity: share,
      detail: { share, nearHours, countedHours, hourlyLimit: limit, windowHours: t.nearLimitWindowHours },
    });
  }
  return out;
}

/** The first index whose value is ≥ x (values sorted ascending). */
function lowerBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
