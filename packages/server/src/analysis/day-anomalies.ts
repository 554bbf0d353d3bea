import {
  type AnomalyContext,
  type AnomalyFinding,
  type AnomalyType,
  anomalyEvaluations,
  type DeviceParameter,
  detectConstantValue,
  detectCorrectedMismatch,
  detectDilution,
  detectFalseShutdown,
  detectFlowMismatch,
  detectOverRange,
  detectSuddenChange,
  detectZeroAndNegative,
  type KeyedEvaluation,
  type Mark,
  type Reading,
  type RuleConfig,
} from '@qingyuan/domain';
import type { Detail } from './alarm-episodes.js';
import type { PointContext } from './point-context.js';
import type { WorkingStates } from './working-states.js';

/** The anomaly alarms judged per point-day from hourly data. */
export const DAY_ANOMALIES: readonly AnomalyType[] = [
  'zero-value',
  'negative-value',
  'constant-value',
  'flow-mismatch',
  'false-shutdown',
  'dilution',
  'sudden-change',
  'corrected-mismatch',
  'over-range',
];

const FLOW = { water: 'w00000', gas: 'a00000' } as const;
const OXYGEN = 'a19001';
/** Flue-gas state parameters (O₂, velocity, temperature, pressure, humidity): not pollutants. */
const GAS_STATE = new Set(['a19001', 'a01011', 'a01012', 'a01013', 'a01014']);
/** Water pH and temperature. */
const WATER_STATE = new Set(['w01001', 'w01010']);

/**
 * The hourly anomaly detectors of @qingyuan/domain over one point-day (amended view), as evaluations per
 * alarm type × factor for the episode fold. Runs (constant value) are judged within the day.
 */
export function dayAnomalies(
  context: PointContext,
  hours: readonly Reading[],
  marks: readonly Mark[],
  rules: RuleConfig,
  /** Instrument parameters reported by 3020 up to the day's end (i13001 range for over-range). */
  parameters: readonly DeviceParameter[] = [],
  states: WorkingStates = new Map(),
): KeyedEvaluation<Detail>[] {
  const ctx: AnomalyContext = { marks, rules, workingStates: Object.fromEntries(states) };
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
  const evaluations: KeyedEvaluation<Detail>[] = [];
  for (const type of DAY_ANOMALIES)
    for (const [factor, readings] of byFactor)
      evaluations.push(
        ...anomalyEvaluations(
          type,
          factor,
          readings.map((r) => r.start),
          findings,
        ),
      );
  // Findings about the point as a whole (factor '*') or a factor without readings of its own.
  for (const f of findings)
    if (!byFactor.has(f.factor))
      evaluations.push(...anomalyEvaluations(f.type, f.factor, [f.start], findings));
  return evaluations;
}
