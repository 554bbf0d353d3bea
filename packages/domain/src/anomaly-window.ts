/**
 * How far beyond a judged interval (a Beijing day) the hourly anomaly detectors must see so that what they
 * find does not depend on where the day boundary falls: a run (恒值, 报停未停) that crosses midnight is one
 * run, a sudden change at 00:00 has its 24 h of history, a near-limit window at 01:00 reaches back 72 h.
 * The caller loads hours over {@link anomalyContextWindow} and keeps only the evaluations inside the judged
 * interval, so each hour is judged by exactly one day's pass and episodes are not duplicated: a run that
 * crosses midnight opens in the evening (the earlier day sees the morning's hours) and the later day
 * continues the episode the earlier one left open.
 */
import type { AnomalyThresholds } from './anomalies.js';
import type { Interval } from './time.js';
import { HOUR_MS } from './time.js';

export interface AnomalyReachMs {
  /** History needed before the interval (ms). */
  readonly before: number;
  /** Hours needed after the interval (ms): a run starting late in the interval may be completed after it. */
  readonly after: number;
}

/**
 * The reach of the hourly detectors: a run of N hours (恒值 constantHours, 报停未停 stoppedMinHours) needs
 * N − 1 hours each side of an hour; 突变 the suddenWindowHours before it; 临限排放 its window's
 * nearLimitWindowHours − 1 before it. (Runs skip invalid hours, so a run broken by them may reach further:
 * then its earlier part is judged by the earlier day.)
 */
export function hourlyAnomalyReach(t: AnomalyThresholds): AnomalyReachMs {
  const run = Math.max(t.constantHours, t.stoppedMinHours) - 1;
  const before = Math.max(run, t.suddenWindowHours, t.nearLimitWindowHours - 1);
  return { before: before * HOUR_MS, after: Math.max(0, run) * HOUR_MS };
}

/** The hours to load to judge `interval`'s hours. */
export function anomalyContextWindow(interval: Interval, thresholds: AnomalyThresholds): Interval {
  const reach = hourlyAnomalyReach(thresholds);
  return { from: interval.from - reach.before, to: interval.to + reach.after };
}
