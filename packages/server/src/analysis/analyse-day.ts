import {
  type AnomalyConfig,
  anomalyConfigReach,
  correctToReferenceO2,
  DAY_MS,
  DEFAULT_ANOMALY_CONFIG,
  DEFAULT_EXCEEDANCE,
  dayStart,
  EXCEEDANCE_ALARMS,
  type Interval,
  judgeExceedance,
  pointCounts,
  type Reading,
  type RuleConfig,
  TRANSMISSION_VIEWS,
  type TransmissionView,
  validityOf,
} from '@qingyuan/domain';
import {
  EmissionRepository,
  JudgementRepository,
  type PeriodJudgement,
  type Store,
  type TransmissionDay,
} from '@qingyuan/store';
import { asDetail, saveEpisodes } from './alarm-episodes.js';
import { DAY_ANOMALIES, dayAnomalies } from './day-anomalies.js';
import { dayEmissions } from './day-emissions.js';
import { manualRecordsOf } from './manual-records.js';
import { approvedMarks } from './marks.js';
import type { PointContext } from './point-context.js';
import { hourReadings, minuteReadings } from './readings.js';
import { substituteDay } from './substitution.js';
import { loadInstrumentFacts, validityWithStates } from './working-states.js';

const OXYGEN = 'a19001';

export interface DayAnalysis {
  readonly judgements: number;
  readonly transmissionRows: number;
  readonly alarmsOpen: number;
  readonly alarmsSaved: number;
  /** The episodes open at the day's end changed: the next day must be re-judged. */
  readonly carriesChange: boolean;
}

/** The Beijing calendar day (YYYY-MM-DD) that begins at `dayFrom`. */
export const beijingDate = (dayFrom: number): string =>
  new Date(dayFrom + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Judges one point's Beijing day from stored facts — hourly records (every revision), approved marks and
 * approved manual-monitoring records — and writes what follows: per-hour judgements and daily transmission
 * counts in both views, and exceedance alarm episodes. Re-running a day gives the same rows (they are replaced, matched by key).
 * The anomaly detectors run with `anomalies` (the province's thresholds, rule service).
 */
export async function analyseDay(
  store: Store,
  context: PointContext,
  day: Interval,
  rules: RuleConfig,
  now: number,
  anomalies: AnomalyConfig = DEFAULT_ANOMALY_CONFIG,
): Promise<DayAnalysis> {
  // The anomaly detectors see beyond the day (history, runs across midnight); everything else the day.
  const reach = anomalyConfigReach(anomalies);
  const window = { from: day.from - reach.before, to: day.to + reach.after };
  const around = await hourReadings(store, context, window);
  const readings = around.filter((r) => r.start >= day.from && r.start < day.to);
  const marks = await approvedMarks(store, context.pointId, window.from, window.to);
  // Approved manual-monitoring records back S hours in the amended view, as approved marks apply there.
  const manualRecords = await manualRecordsOf(store, context.pointId, window.from, window.to);
  const { states, ranges } = await loadInstrumentFacts(store, context.pointId, window.to);
  const firstValidity = validityWithStates(rules, states);
  const validity = validityWithStates(rules, states, manualRecords);

  const judgements: PeriodJudgement[] = [];
  const transmission: TransmissionDay[] = [];
  for (const view of TRANSMISSION_VIEWS) {
    const viewMarks = view === 'first' ? [] : marks;
    for (const reading of pick(readings, view)) {
      const judged = validityOf(reading, {
        marks: viewMarks,
        config: rules,
        period: 'hour',
        workingStates: states.get(reading.factor) ?? [],
        ...(view === 'first' ? {} : { manualRecords }),
      });
      judgements.push({
        point_id: context.pointId,
        factor_code: reading.factor,
        period: 'hour',
        period_start: reading.start,
        view,
        validity: judged.validity,
        reason: judged.reason,
        value: reading.value,
        corrected_value: reading.corrected ?? null,
        rule_version: rules.version,
        judged_at: now,
      });
    }
    const rows = pointCounts({
      point: String(context.pointId),
      interval: day,
      assessedFactors: context.assessedFactors,
      hourly: readings,
      marks,
      inService: context.inService,
      view,
      validity: view === 'first' ? firstValidity : validity,
    });
    for (const row of rows)
      transmission.push({
        point_id: context.pointId,
        factor_code: row.factor,
        day: beijingDate(day.from),
        view,
        expected: row.counts.expectedCount,
        received: row.counts.receivedCount,
        valid: row.counts.validCount,
        excluded: row.counts.excludedCount,
        rule_version: rules.version,
        computed_at: now,
      });
  }
  const results = new JudgementRepository(store);
  await results.saveJudgements(judgements);
  await results.saveTransmissionDays(transmission);
  const amended = pick(readings, 'amended');
  const emissions = dayEmissions(context, amended, (reading) => validity(reading, marks), rules, now);
  // HJ 75 §11: invalid hours of SO₂/NOx/PM get substituted amounts (gas only).
  const withSubstitutes =
    context.medium === 'gas'
      ? await substituteDay(
          store,
          context.pointId,
          emissions,
          new Map(amended.map((r) => [`${r.factor}|${r.start}`, r.flag])),
          rules,
        )
      : emissions;
  await new EmissionRepository(store).replaceDay(context.pointId, day.from, day.to, withSubstitutes);

  // Minute data for the dynamic early warning (小时超标分钟动态预警): coverage counted in minutes, so
  // N-minute records need ⌈15 / N⌉ of them (as the roll-up counts its 45 minutes).
  const minutes = await minuteReadings(store, context, day);
  const exceedance = judgeExceedance({
    minutes,
    config: {
      ...DEFAULT_EXCEEDANCE,
      warningMinMinutes: Math.max(
        1,
        Math.ceil(DEFAULT_EXCEEDANCE.warningMinMinutes / context.minuteInterval),
      ),
    },
    medium: context.medium,
    limits: context.limits,
    hours: amended,
    marks,
    manualRecords,
    rules,
    workingStates: Object.fromEntries(states),
    limitsOnCorrected: context.medium === 'gas' && context.referenceO2 !== null,
    ...(context.referenceO2 === null
      ? {}
      : { correctedOf: correctedFrom(amended, context.referenceO2, rules) }),
  });
  const aroundAmended = pick(around, 'amended');
  const saved = await saveEpisodes(
    store,
    context.pointId,
    day,
    [
      ...exceedance.evaluations.map(asDetail),
      ...dayAnomalies(
        context,
        aroundAmended,
        marks,
        rules,
        ranges,
        states,
        day,
        {
          onCorrected: context.medium === 'gas' && context.referenceO2 !== null,
          ...(context.referenceO2 === null
            ? {}
            : { correctedOf: correctedFrom(aroundAmended, context.referenceO2, rules) }),
        },
        anomalies,
      ),
    ],
    [...EXCEEDANCE_ALARMS, ...DAY_ANOMALIES],
    rules,
    now,
  );
  return {
    judgements: judgements.length,
    transmissionRows: transmission.length,
    alarmsOpen: saved.open,
    alarmsSaved: saved.saved,
    carriesChange: saved.carriesChange,
  };
}

/** One record per factor-hour: the first receipt, or the latest revision. */
function pick(readings: readonly Reading[], view: TransmissionView): Reading[] {
  const chosen = new Map<string, Reading>();
  for (const r of readings) {
    const key = `${r.factor}@${r.start}`;
    const held = chosen.get(key);
    const rev = r.revision ?? 0;
    if (held === undefined || (view === 'first' ? rev < (held.revision ?? 0) : rev > (held.revision ?? 0)))
      chosen.set(key, r);
  }
  return [...chosen.values()];
}

/** 折算 of a record that carries no ZsAvg, from the same hour's O₂ (HJ 75-2017 附录 A, A9). */
function correctedFrom(hours: readonly Reading[], referenceO2: number, rules: RuleConfig) {
  const oxygen = new Map(hours.filter((r) => r.factor === OXYGEN).map((r) => [r.start, r.value]));
  return (reading: Reading): number | null => {
    const o2 = oxygen.get(reading.start);
    if (reading.value === null || o2 === undefined || o2 === null) return null;
    return correctToReferenceO2(reading.value, o2, referenceO2, rules).value ?? null;
  };
}

/** The Beijing days [from, to) touches. */
export function daysOf(from: number, to: number): Interval[] {
  const days: Interval[] = [];
  for (let d = dayStart(from); d < to; d += DAY_MS) days.push({ from: d, to: d + DAY_MS });
  return days;
}
