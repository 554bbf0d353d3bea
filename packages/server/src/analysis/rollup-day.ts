import {
  compareRollup,
  HOUR_MS,
  hourFromMinutes,
  hourStart,
  type Interval,
  type JudgedReading,
  type KeyedEvaluation,
  type RuleConfig,
  validityOf,
} from '@qingyuan/domain';
import {
  OBSERVATION_TABLES,
  type ObservationInput,
  ObservationRepository,
  type Store,
} from '@qingyuan/store';
import { type Detail, saveEpisodes } from './alarm-episodes.js';
import { approvedMarks } from './marks.js';
import type { PointContext } from './point-context.js';

const TYPE = 'rollup-mismatch';
/** An hour is rolled up by the platform only this long after it ended: the device's own 2061 comes first. */
export const ROLLUP_GRACE_MS = 2 * HOUR_MS;

export interface DayRollup {
  /** Hours the device did not send, stored from its minute data (source `computed`). */
  readonly computed: number;
  /** Hours where the device's hourly value disagrees with its minutes. */
  readonly mismatches: number;
}

/**
 * Roll-ups of one point-day from its minute data (HJ 75/76: a valid hour needs ≥ 45 valid minutes): where
 * the device sent the hour, ours is compared with it (a mismatch beyond `recomputeTolerance` is a
 * `rollup-mismatch` alarm); where it did not, a valid roll-up is stored as the hour with source
 * `computed` once the hour is `graceMs` (ROLLUP_GRACE_MS) old; the worker's time-based trigger
 * re-runs a day when its last hour becomes due, so it does not wait for more minutes to arrive. Re-running a day gives the same result.
 */
export async function rollupDay(
  store: Store,
  context: PointContext,
  day: Interval,
  rules: RuleConfig,
  now: number,
  graceMs = ROLLUP_GRACE_MS,
): Promise<DayRollup> {
  const current = (table: 'minute' | 'hour') =>
    store.db
      .selectFrom(OBSERVATION_TABLES[table])
      .select(['factor_code', 'period_start', 'avg', 'min', 'max', 'data_flag', 'source'])
      .where('point_id', '=', context.pointId)
      .where('period_start', '>=', day.from)
      .where('period_start', '<', day.to)
      .where('superseded_at', 'is', null)
      .execute();
  const minutes = await current('minute');
  if (minutes.length === 0) return { computed: 0, mismatches: 0 };
  const hours = new Map((await current('hour')).map((h) => [`${h.factor_code}|${h.period_start}`, h]));
  const marks = await approvedMarks(store, context.pointId, day.from, day.to);
  const groups = new Map<string, JudgedReading[]>();
  for (const m of minutes) {
    const reading = {
      factor: m.factor_code,
      start: Number(m.period_start),
      value: m.avg,
      min: m.min,
      max: m.max,
      flag: m.data_flag,
      protocol: context.protocol,
    };
    const judged = {
      ...reading,
      validity: validityOf(reading, { marks, config: rules, period: 'minute' }).validity,
    };
    const key = `${m.factor_code}|${hourStart(reading.start)}`;
    groups.set(key, [...(groups.get(key) ?? []), judged]);
  }
  const evaluations: KeyedEvaluation<Detail>[] = [];
  const computed: ObservationInput[] = [];
  for (const [key, group] of groups) {
    const [factor, hourText] = key.split('|') as [string, string];
    const hour = Number(hourText);
    const ours = hourFromMinutes(group, rules, context.minuteInterval);
    const device = hours.get(key);
    if (device !== undefined && device.source !== 'computed') {
      // Only a roll-up with enough coverage says what the hour should be.
      const check = compareRollup(ours, device.avg, rules.recomputeTolerance);
      if (ours.valid && check.comparable)
        evaluations.push({
          type: TYPE,
          factor,
          at: hour,
          active: check.mismatch,
          value: check.difference,
          detail: {
            ours: check.ours,
            device: check.device,
            difference: check.difference,
            minutes: ours.validCount,
          },
        });
    } else if (device === undefined && ours.valid && hour + HOUR_MS + graceMs <= now) {
      computed.push({
        pointId: context.pointId,
        factorCode: factor,
        periodStart: hour,
        values: { avg: ours.value ?? undefined, min: ours.min ?? undefined, max: ours.max ?? undefined },
        dataFlag: 'N',
        source: 'computed',
        receivedAt: now,
      });
    }
  }
  if (computed.length > 0) await new ObservationRepository(store).write('hour', computed);
  await saveEpisodes(store, context.pointId, day, evaluations, [TYPE], rules, now);
  return { computed: computed.length, mismatches: evaluations.filter((e) => e.active).length };
}
