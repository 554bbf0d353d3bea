import { type AnomalyConfig, DAY_MS, DEFAULT_ANOMALY_CONFIG, type RuleConfig } from '@qingyuan/domain';
import type { Store } from '@qingyuan/store';
import { analyseDay, daysOf } from './analyse-day.js';
import { loadPointContext } from './point-context.js';

/**
 * Re-judges the Beijing days of one point that [from, to) touches, up to `now` (a mark approved or
 * withdrawn changes them), with `analyseDay` as the worker does; when the last day's open episodes changed,
 * the following days are re-judged too until they stop changing, with the province's anomaly
 * configuration. Returns the number of days analysed. `pause`, when given, is awaited before each day
 * (a background run yields to other work between days).
 */
export async function rejudgeDays(
  store: Store,
  pointId: number,
  interval: { from: number; to: number },
  rules: RuleConfig,
  now: number,
  anomalies: AnomalyConfig = DEFAULT_ANOMALY_CONFIG,
  pause?: () => Promise<void>,
): Promise<number> {
  const context = await loadPointContext(store, pointId);
  if (context === undefined) return 0;
  let analysed = 0;
  let carries = false;
  let next = Number.NEGATIVE_INFINITY;
  for (const day of daysOf(interval.from, Math.min(interval.to, now))) {
    await pause?.();
    carries = (await analyseDay(store, context, day, rules, now, anomalies)).carriesChange;
    next = day.to;
    analysed += 1;
  }
  // An episode now ends (or begins) differently at midnight: the next day follows on from it.
  while (carries && next <= now) {
    const nextDay = { from: next, to: next + DAY_MS };
    await pause?.();
    carries = (await analyseDay(store, context, nextDay, rules, now, anomalies)).carriesChange;
    next += DAY_MS;
    analysed += 1;
  }
  return analysed;
}
