import {
  type AnomalyConfig,
  type AnomalyContext,
  type AnomalyFinding,
  type AnomalyType,
  anomalyEvaluations,
  DEFAULT_ANOMALY_CONFIG,
  type DeviceParameter,
  detectConstantValue,
  detectCorrectedMismatch,
  detectDilution,
  detectFalseShutdown,
  detectFlowMismatch,
  detectOverRange,
  detectStateFlagMismatch,
  detectSuddenChange,
  detectZeroAndNegative,
  type Interval,
  type KeyedEvaluation,
  type Mark,
  nearLimitEvaluations,
  type Reading,
  type RuleConfig,
} from '@qingyuan/domain';
import { asDetail, type Detail } from './alarm-episodes.js';
import type { PointContext } from './point-context.js';
import type { WorkingStates } from './working-states.js';

/** The anomaly alarms judged per point-day from hourly data as findings per hour or run. */
const FINDING_ANOMALIES: readonly AnomalyType[] = [
  'zero-value',
  'negative-value',
  'constant-value',
  'flow-mismatch',
  'false-shutdown',
  'dilution',
  'sudden-change',
  'corrected-mismatch',
  'over-range',
  'state-flag-mismatch',
];

/** Every anomaly alarm judged per point-day (near-limit: a trailing window at each hour). */
export const DAY_ANOMALIES: readonly AnomalyType[] = [...FINDING_ANOMALIES, 'near-limit'];

/** What the near-limit alarm needs beyond the hours: the limits, and how 折算 is had. */
export interface NearLimitFacts {
  /** Compare 折算 (gas with a reference O₂) rather than the measured value. */
  readonly onCorrected: boolean;
  /** 折算 of an hour that carries no ZsAvg (HJ 75-2017 附录 A, A9), else null. */
  readonly correctedOf?: (reading: Reading) => number | null;
}

const FLOW = { water: 'w00000', gas: 'a00000' } as const;
const OXYGEN = 'a19001';
/** Flue-gas state parameters (O₂, velocity, temperature, pressure, humidity): not pollutants. */
const GAS_STATE = new Set(['a19001', 'a01011', 'a01012', 'a01013', 'a01014']);
/** Water pH and temperature. */
const WATER_STATE = new Set(['w01001', 'w01010']);

/**
 * The hourly anomaly detectors of @qingyuan/domain over one point-day (amended view), as evaluations per
 * alarm type × factor for the episode fold. `hours` cover the day's context window (domain
 * anomalyContextWindow: history before, a run's length after), so runs that cross midnight are found and
 * windows reach back; only the hours of `day` are evaluated, so no hour is judged by two days' passes.
 */
export function dayAnomalies(
  context: PointContext,
  hours: readonly Reading[],
  marks: readonly Mark[],
  rules: RuleConfig,
  /** Instrument parameters reported by 3020 up to the day's end (i13001 range for over-range). */
  parameters: readonly DeviceParameter[] = [],
  states: WorkingStates = new Map(),
  /** The hours judged (default: every hour given). */
  day: Interval = { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY },
  nearLimit: NearLimitFacts = { onCorrected: false },
  /** The thresholds, overrides and switches (the province's, rule service). */
  config: AnomalyConfig = DEFAULT_ANOMALY_CONFIG,
): KeyedEvaluation<Detail>[] {
  const ctx: AnomalyContext = { marks, rules, workingStates: Object.fromEntries(states), config };
  const byFactor = new Map<string, Reading[]>();
  for (const r of hours) byFactor.set(r.factor, [...(byFactor.get(r.factor) ?? []), r]);
  const flow = FLOW[context.medium];
  const pollutants = [...byFactor.keys()].filter((f) => f !== flow && !GAS_STATE.has(f));
  const findings: AnomalyFinding[] = [];
  for (const [factor, readings] of byFactor) {
    // Zero and negative are anomalies for pollutants and flow, not for state parameters (flue pressure is
    // often negative, temperatures can be below zero).
    if (!GAS_STATE.has(factor) && !WATER_STATE.has(factor))
      findings.push(...detectZeroAndNegative(readings, 'hour', ctx));
    findings.push(
      ...detectConstantValue(readings, 'hour', ctx),
      ...detectSuddenChange(readings, ctx),
      ...detectOverRange(readings, 'hour', parameters, ctx),
    );
    // 工作状态与数据标记不符: i12001 of the factor's analyser vs the hour's flag.
    const factorStates = states.get(factor);
    if (factorStates !== undefined && factorStates.length > 0)
      findings.push(...detectStateFlagMismatch(readings, factorStates, 'hour', ctx));
  }
  if (byFactor.has(flow)) {
    findings.push(
      ...detectFlowMismatch(hours, flow, pollutants, ctx),
      ...detectFalseShutdown(hours, flow, pollutants, ctx),
    );
  }
  const oxygen = byFactor.get(OXYGEN);
  if (context.medium === 'gas' && oxygen !== undefined) {
    findings.push(...detectDilution(oxygen, byFactor.get(flow), ctx));
    // The device's 折算 against ours from measured value and O₂ (HJ 75-2017 附录 A, A9).
    if (context.referenceO2 !== null)
      for (const factor of pollutants) {
        const readings = byFactor.get(factor) ?? [];
        if (readings.some((r) => r.corrected !== undefined && r.corrected !== null))
          findings.push(...detectCorrectedMismatch(readings, oxygen, context.referenceO2, ctx));
      }
  }
  const inDay = (at: number) => at >= day.from && at < day.to;
  const evaluations: KeyedEvaluation<Detail>[] = [];
  for (const [factor, readings] of byFactor) {
    const judged = readings.map((r) => r.start).filter(inDay);
    for (const type of FINDING_ANOMALIES)
      evaluations.push(...anomalyEvaluations(type, factor, judged, findings));
    evaluations.push(...nearLimitOf(context, factor, readings, judged, ctx, nearLimit));
  }
  // Findings about the point as a whole (factor '*') or a factor without readings of its own.
  for (const f of findings)
    if (!byFactor.has(f.factor) && inDay(f.start))
      evaluations.push(...anomalyEvaluations(f.type, f.factor, [f.start], findings));
  return evaluations;
}

/** 长期接近限值 against the factor's hourly limit (water: the daily one when no hourly); not pH. */
function nearLimitOf(
  context: PointContext,
  factor: string,
  readings: readonly Reading[],
  judged: readonly number[],
  ctx: AnomalyContext,
  facts: NearLimitFacts,
): KeyedEvaluation<Detail>[] {
  const limit = context.limits.find((l) => l.factor === factor);
  const value = limit?.hourly ?? (context.medium === 'water' ? limit?.daily : undefined);
  if (limit === undefined || limit.lower !== undefined || value === undefined || !(value > 0)) return [];
  const gasCorrected = facts.onCorrected && !GAS_STATE.has(factor);
  const hours = gasCorrected
    ? readings.map((r) =>
        r.corrected === null || r.corrected === undefined
          ? { ...r, corrected: facts.correctedOf?.(r) ?? null }
          : r,
      )
    : readings;
  return nearLimitEvaluations(hours, value, judged, ctx, gasCorrected).map(asDetail);
}
