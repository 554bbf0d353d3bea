/**
 * Anomaly detectors (异常): each a pure function over a window of facts, with thresholds per factor and
 * outlet. No published threshold was found for any of them (regulatory-rules.md §4: "no primary or
 * provincial source fixes them"), so every default below is a [Proposal] unless tagged otherwise, and a
 * deployment overrides them per outlet ({@link AnomalyConfig}) and per factor.
 *
 * Each detector returns {@link AnomalyFinding}s. {@link anomalyEvaluations} turns findings over judged
 * periods into evaluations for episodes.ts; missing data and offline are judged at `now` (wall clock),
 * so their evaluation is `{ at: now, active }` ({@link missingEvaluation}, {@link offlineEvaluation}).
 */
import type { RuleConfig } from './config.js';
import { recomputeCorrected } from './conversion.js';
import type { Evaluation, KeyedEvaluation } from './episodes.js';
import { DomainError } from './errors.js';
import type { Mark, Reading, Validity, WorkingState } from './records.js';
import type { RollupComparison } from './rollup.js';
import type { Interval } from './time.js';
import { HOUR_MS, MINUTE_MS } from './time.js';
import { CONTRADICTING_WORKING_STATES, decidingMark, validityOf } from './validity.js';

export const ANOMALY_TYPES = [
  'constant-value',
  'zero-value',
  'negative-value',
  'over-range',
  'sudden-change',
  'flow-mismatch',
  'corrected-mismatch',
  'dilution',
  'near-limit',
  'false-shutdown',
  'parameter-change',
  'state-flag-mismatch',
  'clock-skew',
  'rollup-mismatch',
  'missing',
  'offline',
] as const;
export type AnomalyType = (typeof ANOMALY_TYPES)[number];

export interface AnomalyFinding {
  readonly type: AnomalyType;
  /** The factor, or '*' for the whole point (offline, clock skew). */
  readonly factor: string;
  readonly start: number;
  /** Exclusive end, when the anomaly spans a period or a run. */
  readonly end?: number;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface AnomalyThresholds {
  /** 恒值: identical consecutive counted hourly values (default 6 [Proposal]; §4 suggests ≥ 4). */
  readonly constantHours: number;
  /** 恒值: identical consecutive counted minute values (default 60, i.e. ≥ 60 min [Proposal, §4]). */
  readonly constantMinutes: number;
  /** Values within this absolute difference are "identical" (default 0: exactly equal). */
  readonly constantTolerance: number;
  /** 突变: hours of history before a value for the rolling median/MAD (default 24 [Proposal, §4: 24–168 h]). */
  readonly suddenWindowHours: number;
  /** 突变: counted values in the window needed to judge (default 6). */
  readonly suddenMinHistory: number;
  /** 突变: deviations of k robust sigmas (1.4826 × MAD) from the median AND from the previous value (default 5). */
  readonly suddenK: number;
  /** 突变: the sigma is at least this share of |median| (default 0.1), so a flat history does not fire on noise. */
  readonly suddenRelativeFloor: number;
  /** 突变: and at least this absolute amount in the factor's unit (default 0). */
  readonly suddenAbsoluteFloor: number;
  /** Flow at or below this is "zero" (default 0). */
  readonly flowZero: number;
  /** Concentration at or below this is "zero" (default 0). */
  readonly concentrationZero: number;
  /** 稀释: O₂ % at or above this while producing (default 19 [Proposal]; §4 names 19.5–20.9). */
  readonly dilutionOxygen: number;
  /** 临限排放: the band, as shares of the limit (default [0.9, 1.0], §5 [Proposal]). */
  readonly nearLimitLow: number;
  readonly nearLimitHigh: number;
  /** 临限排放: share of counted hours in the band that fires (default 0.5 [Proposal]). */
  readonly nearLimitShare: number;
  /** 临限排放: counted hours needed in the window (default 48, two thirds of it [Proposal]). */
  readonly nearLimitMinHours: number;
  /** 临限排放: the trailing window judged at each hour, in hours (default 72 [Proposal]). */
  readonly nearLimitWindowHours: number;
  /** 报停未停: flow above this counts as discharging while stopped (default 0; set per outlet). */
  readonly stoppedFlowFloor: number;
  /** 报停未停: concentration above this counts as emitting (default 0; set per factor). */
  readonly stoppedConcentrationFloor: number;
  /** 报停未停: consecutive stopped hours with discharge before it fires (default 2 [Proposal]). */
  readonly stoppedMinHours: number;
  /** Parameter change: relative difference below which two numeric values are equal (default 1e-9). */
  readonly parameterTolerance: number;
  /** Clock skew above this fires (default 10 min, as the gateway's clockSkewMs [Proposal]). */
  readonly clockSkewMs: number;
  /** Missing: an hour is due by its end + this (default 60 min [Proposal, §4 "by H+1h"]). */
  readonly missingGraceMs: number;
  /** Offline: no frame, heartbeat included, for longer than this (default 30 min [Proposal]). */
  readonly offlineMs: number;
  /** 折算 / roll-up comparisons: relative tolerance; undefined → the rules' recomputeTolerance. */
  readonly recomputeTolerance?: number;
}

export const DEFAULT_ANOMALY_THRESHOLDS: AnomalyThresholds = {
  constantHours: 6,
  constantMinutes: 60,
  constantTolerance: 0,
  suddenWindowHours: 24,
  suddenMinHistory: 6,
  suddenK: 5,
  suddenRelativeFloor: 0.1,
  suddenAbsoluteFloor: 0,
  flowZero: 0,
  concentrationZero: 0,
  dilutionOxygen: 19,
  nearLimitLow: 0.9,
  nearLimitHigh: 1,
  nearLimitShare: 0.5,
  nearLimitMinHours: 48,
  nearLimitWindowHours: 72,
  stoppedFlowFloor: 0,
  stoppedConcentrationFloor: 0,
  stoppedMinHours: 2,
  parameterTolerance: 1e-9,
  clockSkewMs: 10 * MINUTE_MS,
  missingGraceMs: 60 * MINUTE_MS,
  offlineMs: 30 * MINUTE_MS,
};

/** An outlet's thresholds: its defaults, overrides per factor, and detectors switched off per factor. */
export interface AnomalyConfig {
  readonly defaults: AnomalyThresholds;
  readonly factors?: Readonly<Record<string, Partial<AnomalyThresholds>>>;
  /** Detectors off for a factor (national-style tools switch alarms per outlet and pollutant, §4 [P] C6). */
  readonly disabled?: Readonly<Record<string, readonly AnomalyType[]>>;
}

export const DEFAULT_ANOMALY_CONFIG: AnomalyConfig = { defaults: DEFAULT_ANOMALY_THRESHOLDS };

export function thresholdsFor(config: AnomalyConfig, factor: string): AnomalyThresholds {
  const t = { ...config.defaults, ...(config.factors?.[factor] ?? {}) };
  const positive = [
    'constantHours',
    'constantMinutes',
    'suddenWindowHours',
    'suddenMinHistory',
    'suddenK',
    'nearLimitWindowHours',
  ];
  for (const k of positive) {
    const v = t[k as keyof AnomalyThresholds] as number;
    if (!(v > 0)) throw new DomainError('DOMAIN_E_CONFIG', { field: k, factor, value: v });
  }
  if (!(t.nearLimitLow < t.nearLimitHigh)) {
    throw new DomainError('DOMAIN_E_CONFIG', { field: 'nearLimitLow', factor, value: t.nearLimitLow });
  }
  return t;
}

export const anomalyEnabled = (config: AnomalyConfig, type: AnomalyType, factor: string) =>
  !(config.disabled?.[factor]?.includes(type) ?? false);

/** What every detector over readings needs to judge validity (validity.ts). */
export interface AnomalyContext {
  readonly marks: readonly Mark[];
  readonly rules: RuleConfig;
  /** i12001 working states per factor, sorted by `at`. */
  readonly workingStates?: Readonly<Record<string, readonly WorkingState[]>>;
  readonly config?: AnomalyConfig;
}

export const anomalyConfigOf = (ctx: AnomalyContext) => ctx.config ?? DEFAULT_ANOMALY_CONFIG;

/** A record's validity as the detectors see it (validity.ts with the context's marks and working states). */
function validity(r: Reading, ctx: AnomalyContext, period: 'minute' | 'hour'): Validity {
  const states = ctx.workingStates?.[r.factor];
  return validityOf(r, {
    marks: ctx.marks,
    config: ctx.rules,
    period,
    ...(states === undefined ? {} : { workingStates: states }),
  }).validity;
}

/** Valid or suspect: a value the source reported as normal data (S included: it is the enterprise's statement). */
const counts = (v: Validity) => v === 'valid' || v === 'suspect';
const finite = (v: number | null | undefined): v is number =>
  v !== null && v !== undefined && Number.isFinite(v);
const periodMs = (p: 'minute' | 'hour') => (p === 'hour' ? HOUR_MS : MINUTE_MS);

/** Sorted by start, one per start (the first in a total order of value, flag), for one factor. */
function series(readings: readonly Reading[]): Reading[] {
  const best = new Map<number, Reading>();
  const key = (r: Reading) => JSON.stringify([r.value, r.flag, r.corrected ?? null, r.max ?? null]);
  for (const r of readings) {
    const have = best.get(r.start);
    if (have === undefined || key(r) < key(have)) best.set(r.start, r);
  }
  return [...best.values()].sort((a, b) => a.start - b.start);
}

function checkOneFactor(readings: readonly Reading[]): string | undefined {
  const f = readings[0]?.factor;
  for (const r of readings) {
    if (r.factor !== f)
      throw new DomainError('DOMAIN_E_INPUT', { field: 'factor', reason: 'one factor per call' });
  }
  return f;
}

/** The helpers other detector modules share (near-limit.ts). */
export {
  checkOneFactor as checkAnomalyFactor,
  counts as isCountedValidity,
  series as oneReadingPerStart,
  validity as detectorValidity,
};

// ---------------------------------------------------------------------------------------------------------
// Value checks
// ---------------------------------------------------------------------------------------------------------

/**
 * 恒值 (constant value): ≥ constantHours (hourly) or ≥ constantMinutes (minute) consecutive counted
 * values within constantTolerance of the run's first value; flow and pollutants alike. Excluded
 * (stopped) and invalid periods are skipped — they neither extend nor break a run — so a value held
 * across a maintenance hour still counts [Proposal]; missing periods are skipped likewise. MEE names
 * 长期固定不变 for e-督办 (S16 [V]); the threshold is [Proposal] (§4).
 */
export function detectConstantValue(
  readings: readonly Reading[],
  period: 'minute' | 'hour',
  ctx: AnomalyContext,
): AnomalyFinding[] {
  const factor = checkOneFactor(readings);
  if (factor === undefined || !anomalyEnabled(anomalyConfigOf(ctx), 'constant-value', factor)) return [];
  const t = thresholdsFor(anomalyConfigOf(ctx), factor);
  const need = period === 'hour' ? t.constantHours : t.constantMinutes;
  const out: AnomalyFinding[] = [];
  let run: Reading[] = [];
  const flush = () => {
    if (run.length >= need) {
      const first = run[0] as Reading;
      const last = run[run.length - 1] as Reading;
      out.push({
        type: 'constant-value',
        factor,
        start: first.start,
        end: last.start + periodMs(period),
        detail: { value: first.value, count: run.length, period },
      });
    }
    run = [];
  };
  for (const r of series(readings)) {
    if (!counts(validity(r, ctx, period)) || !finite(r.value)) continue;
    const ref = run[0]?.value;
    if (finite(ref) && Math.abs(r.value - ref) <= t.constantTolerance) run.push(r);
    else {
      flush();
      run = [r];
    }
  }
  flush();
  return out;
}

/**
 * 零值 (zero) and 负值 (negative), per counted record: zero is an anomaly unless the period is excluded
 * (F, or an approved stopped mark: "zero allowed only with a 停运 mark", §4 [Proposal]); a negative value
 * is always one (§4). Records judged invalid (maintenance, calibration…) are not data claims and are
 * skipped.
 */
export function detectZeroAndNegative(
  readings: readonly Reading[],
  period: 'minute' | 'hour',
  ctx: AnomalyContext,
): AnomalyFinding[] {
  const factor = checkOneFactor(readings);
  if (factor === undefined) return [];
  const out: AnomalyFinding[] = [];
  for (const r of series(readings)) {
    if (!finite(r.value) || r.value > 0) continue;
    if (!counts(validity(r, ctx, period))) continue;
    const type = r.value < 0 ? 'negative-value' : 'zero-value';
    if (!anomalyEnabled(anomalyConfigOf(ctx), type, factor)) continue;
    out.push({ type, factor, start: r.start, end: r.start + periodMs(period), detail: { value: r.value } });
  }
  return out;
}

/** A device parameter value from CN 3020 (i13001 range, i13007 intercept, …), as sent. */
export interface DeviceParameter {
  readonly factor: string;
  /** i-code, e.g. 'i13001'. */
  readonly code: string;
  readonly at: number;
  readonly value: string | number;
}

/** The numeric value of the last parameter `code` reported at or before `at`. */
function parameterAt(params: readonly DeviceParameter[], factor: string, code: string, at: number) {
  let best: DeviceParameter | undefined;
  for (const p of params) {
    if (p.factor !== factor || p.code !== code || p.at > at) continue;
    if (best === undefined || p.at > best.at) best = p;
  }
  const v = best === undefined ? Number.NaN : Number(best.value);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * 超量程 (over range): flag T (HJ 212-2017 表 8 [V]), or the period's maximum (its value when no Max) at
 * or above the measuring range i13001 in force at the period start (§4 [Proposal]). Excluded periods
 * are skipped; invalid ones are not (T itself makes a record invalid).
 */
export function detectOverRange(
  readings: readonly Reading[],
  period: 'minute' | 'hour',
  parameters: readonly DeviceParameter[],
  ctx: AnomalyContext,
): AnomalyFinding[] {
  const factor = checkOneFactor(readings);
  if (factor === undefined || !anomalyEnabled(anomalyConfigOf(ctx), 'over-range', factor)) return [];
  const out: AnomalyFinding[] = [];
  for (const r of series(readings)) {
    if (validity(r, ctx, period) === 'excluded') continue;
    const range = parameterAt(parameters, factor, 'i13001', r.start);
    const peak = finite(r.max) ? r.max : r.value;
    const byFlag = r.flag === 'T';
    const byValue = range !== undefined && finite(peak) && peak >= range;
    if (!byFlag && !byValue) continue;
    out.push({
      type: 'over-range',
      factor,
      start: r.start,
      end: r.start + periodMs(period),
      detail: { value: r.value, max: r.max ?? null, range: range ?? null, flag: r.flag },
    });
  }
  return out;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * 突变 (sudden change), hourly: a counted value more than k robust sigmas from the median of the counted
 * values of the preceding suddenWindowHours (sigma = 1.4826 × MAD, at least suddenRelativeFloor × |median|
 * and suddenAbsoluteFloor), and as far from the previous counted value — so a spike fires once, and a
 * lasting step fires at the step, not for the hours until the median catches up [Proposal, §4].
 */
export function detectSuddenChange(readings: readonly Reading[], ctx: AnomalyContext): AnomalyFinding[] {
  const factor = checkOneFactor(readings);
  if (factor === undefined || !anomalyEnabled(anomalyConfigOf(ctx), 'sudden-change', factor)) return [];
  const t = thresholdsFor(anomalyConfigOf(ctx), factor);
  const values = series(readings).filter((r) => finite(r.value) && counts(validity(r, ctx, 'hour')));
  const out: AnomalyFinding[] = [];
  for (let i = 1; i < values.length; i++) {
    const r = values[i] as Reading;
    const x = r.value as number;
    const history: number[] = [];
    for (let j = i - 1; j >= 0; j--) {
      const h = values[j] as Reading;
      if (h.start < r.start - t.suddenWindowHours * HOUR_MS) break;
      history.push(h.value as number);
    }
    if (history.length < t.suddenMinHistory) continue;
    const m = median(history);
    const mad = median(history.map((v) => Math.abs(v - m)));
    const sigma = Math.max(1.4826 * mad, t.suddenRelativeFloor * Math.abs(m), t.suddenAbsoluteFloor);
    const previous = history[0] as number;
    const bound = t.suddenK * sigma;
    if (sigma > 0 && Math.abs(x - m) > bound && Math.abs(x - previous) > bound) {
      out.push({
        type: 'sudden-change',
        factor,
        start: r.start,
        end: r.start + HOUR_MS,
        detail: { value: x, previous, median: m, sigma, k: t.suddenK },
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Cross-factor checks (one point, hourly)
// ---------------------------------------------------------------------------------------------------------

/** The hourly records of one point: every factor, each (factor, start) once. */
function byFactorAndStart(hours: readonly Reading[]) {
  const map = new Map<string, Map<number, Reading>>();
  for (const f of new Set(hours.map((h) => h.factor))) {
    map.set(f, new Map(series(hours.filter((h) => h.factor === f)).map((r) => [r.start, r])));
  }
  return map;
}

/**
 * 流量与浓度不匹配 (flow mismatch), per hour: flow ≤ flowZero while a pollutant's counted concentration is
 * above concentrationZero ('flow-zero'), or flow above flowZero while a pollutant's counted record
 * carries no value or one ≤ concentrationZero ('concentration-zero') (§4 [Proposal]). Hours where the
 * flow or the pollutant is excluded (stopped) are skipped; a pollutant hour that was not received at all
 * is left to the missing-data rule.
 */
export function detectFlowMismatch(
  hours: readonly Reading[],
  flowFactor: string,
  pollutants: readonly string[],
  ctx: AnomalyContext,
): AnomalyFinding[] {
  const grid = byFactorAndStart(hours);
  const flows = grid.get(flowFactor) ?? new Map<number, Reading>();
  const cfg = anomalyConfigOf(ctx);
  const tf = thresholdsFor(cfg, flowFactor);
  const out: AnomalyFinding[] = [];
  for (const [start, flow] of [...flows].sort((a, b) => a[0] - b[0])) {
    const fv = validity(flow, ctx, 'hour');
    if (!counts(fv) || !finite(flow.value)) continue;
    for (const p of pollutants) {
      if (!anomalyEnabled(cfg, 'flow-mismatch', p)) continue;
      const c = grid.get(p)?.get(start);
      if (c === undefined) continue;
      const cv = validity(c, ctx, 'hour');
      if (cv === 'excluded') continue;
      const tp = thresholdsFor(cfg, p);
      const flowZero = flow.value <= tf.flowZero;
      if (flowZero && counts(cv) && finite(c.value) && c.value > tp.concentrationZero) {
        out.push({
          type: 'flow-mismatch',
          factor: p,
          start,
          end: start + HOUR_MS,
          detail: { kind: 'flow-zero', flow: flow.value, concentration: c.value },
        });
      } else if (
        !flowZero &&
        (c.value === null || (counts(cv) && finite(c.value) && c.value <= tp.concentrationZero))
      ) {
        out.push({
          type: 'flow-mismatch',
          factor: p,
          start,
          end: start + HOUR_MS,
          detail: { kind: 'concentration-zero', flow: flow.value, concentration: c.value },
        });
      }
    }
  }
  return out;
}

/**
 * 折算与实测不符 (corrected mismatch), per hour: the device's 折算 (ZsAvg) against ours from the measured
 * value and the hour's O₂ (conversion.ts recomputeCorrected, HJ 75-2017 附录 A A9 [P]/[M]), relative
 * tolerance `recomputeTolerance` (default the rules' value; §4 suggests ~1 % [Proposal]). Only counted
 * hours with a device 折算 value; hours where O₂ makes 折算 undefined are left to the dilution rule.
 */
export function detectCorrectedMismatch(
  pollutantHours: readonly Reading[],
  oxygenHours: readonly Reading[],
  referenceO2: number,
  ctx: AnomalyContext,
): AnomalyFinding[] {
  const factor = checkOneFactor(pollutantHours);
  if (factor === undefined || !anomalyEnabled(anomalyConfigOf(ctx), 'corrected-mismatch', factor)) return [];
  const t = thresholdsFor(anomalyConfigOf(ctx), factor);
  const tolerance = t.recomputeTolerance ?? ctx.rules.recomputeTolerance;
  const o2 = new Map(series(oxygenHours).map((r) => [r.start, r]));
  const out: AnomalyFinding[] = [];
  for (const r of series(pollutantHours)) {
    const ox = o2.get(r.start);
    if (ox === undefined || !counts(validity(r, ctx, 'hour')) || !counts(validity(ox, ctx, 'hour'))) continue;
    const check = recomputeCorrected(r, ox, referenceO2, tolerance, ctx.rules);
    if (check.agrees !== false) continue;
    out.push({
      type: 'corrected-mismatch',
      factor,
      start: r.start,
      end: r.start + HOUR_MS,
      detail: {
        measured: r.value,
        oxygen: ox.value,
        reported: check.device,
        recomputed: check.ours,
        tolerance,
      },
    });
  }
  return out;
}

/**
 * 稀释 (suspected dilution), per hour: counted O₂ at or above dilutionOxygen while the source produces —
 * the hour is not excluded (no F, no stopped mark) and, when flow is given, flow is above flowZero
 * (§4 and 环发〔2015〕175号 第四条(四) [V] S17; threshold [Proposal]). 21 − O₂ near zero also makes 折算
 * explode (config.oxygenCeiling, conversion.ts).
 */
export function detectDilution(
  oxygenHours: readonly Reading[],
  flowHours: readonly Reading[] | undefined,
  ctx: AnomalyContext,
): AnomalyFinding[] {
  const factor = checkOneFactor(oxygenHours);
  if (factor === undefined || !anomalyEnabled(anomalyConfigOf(ctx), 'dilution', factor)) return [];
  const t = thresholdsFor(anomalyConfigOf(ctx), factor);
  const flows = flowHours === undefined ? undefined : new Map(series(flowHours).map((r) => [r.start, r]));
  const tf = flowHours?.[0] === undefined ? t : thresholdsFor(anomalyConfigOf(ctx), flowHours[0].factor);
  const out: AnomalyFinding[] = [];
  for (const r of series(oxygenHours)) {
    if (!finite(r.value) || r.value < t.dilutionOxygen || !counts(validity(r, ctx, 'hour'))) continue;
    let flow: number | null = null;
    if (flows !== undefined) {
      const f = flows.get(r.start);
      if (f === undefined || !finite(f.value) || validity(f, ctx, 'hour') === 'excluded') continue;
      if (f.value <= tf.flowZero) continue;
      flow = f.value;
    }
    out.push({
      type: 'dilution',
      factor,
      start: r.start,
      end: r.start + HOUR_MS,
      detail: { oxygen: r.value, flow, threshold: t.dilutionOxygen },
    });
  }
  return out;
}

/**
 * 临限排放 (near-limit discharge) over a window: the share of counted hourly values (折算 for gas when
 * `useCorrected`) in [nearLimitLow, nearLimitHigh] × limit reaches nearLimitShare, with at least
 * nearLimitMinHours counted (S27 [V] abstract names the pattern; §5 "share of hours in 90–100 %"
 * [Proposal]). One finding for the window.
 */
export function detectNearLimit(
  hours: readonly Reading[],
  limit: number,
  window: Interval,
  ctx: AnomalyContext,
  useCorrected = false,
): AnomalyFinding[] {
  const factor = checkOneFactor(hours);
  if (factor === undefined || !anomalyEnabled(anomalyConfigOf(ctx), 'near-limit', factor)) return [];
  if (!(limit > 0)) throw new DomainError('DOMAIN_E_INPUT', { field: 'limit', value: limit });
  const t = thresholdsFor(anomalyConfigOf(ctx), factor);
  let counted = 0;
  let near = 0;
  for (const r of series(hours)) {
    if (r.start < window.from || r.start >= window.to || !counts(validity(r, ctx, 'hour'))) continue;
    const v = useCorrected ? r.corrected : r.value;
    if (!finite(v)) continue;
    counted++;
    if (v >= t.nearLimitLow * limit && v <= t.nearLimitHigh * limit) near++;
  }
  if (counted < t.nearLimitMinHours || near / counted < t.nearLimitShare) return [];
  return [
    {
      type: 'near-limit',
      factor,
      start: window.from,
      end: window.to,
      detail: { share: near / counted, nearHours: near, countedHours: counted, limit },
    },
  ];
}

/**
 * 报停未停 (reported stopped but still emitting): runs of ≥ stoppedMinHours consecutive hours reported
 * stopped (flag F or an approved stopped mark on the flow or on a pollutant: validity 'excluded') in
 * which flow is above stoppedFlowFloor and some pollutant above its stoppedConcentrationFloor
 * (S27 [V] abstract; §5 [Proposal]). Finding factor: the flow factor.
 */
export function detectFalseShutdown(
  hours: readonly Reading[],
  flowFactor: string,
  pollutants: readonly string[],
  ctx: AnomalyContext,
): AnomalyFinding[] {
  const cfg = anomalyConfigOf(ctx);
  if (!anomalyEnabled(cfg, 'false-shutdown', flowFactor)) return [];
  const grid = byFactorAndStart(hours);
  const tf = thresholdsFor(cfg, flowFactor);
  const out: AnomalyFinding[] = [];
  let run: { start: number; flow: number; emitting: Record<string, number> }[] = [];
  const flush = () => {
    if (run.length >= tf.stoppedMinHours) {
      const first = run[0] as (typeof run)[number];
      const last = run[run.length - 1] as (typeof run)[number];
      out.push({
        type: 'false-shutdown',
        factor: flowFactor,
        start: first.start,
        end: last.start + HOUR_MS,
        detail: { hours: run.length, maxFlow: Math.max(...run.map((h) => h.flow)), emitting: first.emitting },
      });
    }
    run = [];
  };
  const flows = [...(grid.get(flowFactor) ?? new Map<number, Reading>())].sort((a, b) => a[0] - b[0]);
  for (const [start, flow] of flows) {
    const previous = run[run.length - 1];
    if (previous !== undefined && start !== previous.start + HOUR_MS) flush();
    const stopped =
      validity(flow, ctx, 'hour') === 'excluded' ||
      pollutants.some((p) => {
        const c = grid.get(p)?.get(start);
        return c !== undefined && validity(c, ctx, 'hour') === 'excluded';
      });
    const emitting: Record<string, number> = {};
    for (const p of pollutants) {
      const c = grid.get(p)?.get(start);
      if (c !== undefined && finite(c.value) && c.value > thresholdsFor(cfg, p).stoppedConcentrationFloor) {
        emitting[p] = c.value;
      }
    }
    if (
      stopped &&
      finite(flow.value) &&
      flow.value > tf.stoppedFlowFloor &&
      Object.keys(emitting).length > 0
    ) {
      run.push({ start, flow: flow.value, emitting });
    } else flush();
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Device facts
// ---------------------------------------------------------------------------------------------------------

/** i-codes watched for parameter changes (HJ 212-2017 附录 B 现场端信息编码 [V via code] S22; §5). */
export const WATCHED_PARAMETERS: Readonly<Record<string, string>> = {
  i13001: 'range (量程)',
  i13004: 'digestion temperature (消解温度)',
  i13005: 'digestion time (消解时长)',
  i13007: 'intercept (截距)',
  i13008: 'slope (斜率)',
};

/** A filed (备案) parameter value. */
export interface ParameterBaseline {
  readonly factor: string;
  readonly code: string;
  readonly value: string | number;
}

function sameParameter(a: string | number, b: string | number, tolerance: number): boolean {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y) && String(a).trim() !== '' && String(b).trim() !== '') {
    return Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y));
  }
  return String(a).trim() === String(b).trim();
}

/**
 * 参数变更 (parameter change): every CN 3020 value of a watched i-code compared with the previous value
 * of the same (factor, code) and with the filed baseline (备案). A finding per value that differs from
 * either, with the old and new values (§5 [Proposal]; 环发〔2015〕175号 第四条(八)(九) [V] S17 for why it
 * matters). A detection, not a judgement of tampering. Use `parameterKey` as the episode factor so that
 * each i-code has its own episodes.
 */
export function detectParameterChange(
  values: readonly DeviceParameter[],
  baselines: readonly ParameterBaseline[],
  config: AnomalyConfig = DEFAULT_ANOMALY_CONFIG,
  watched: Readonly<Record<string, string>> = WATCHED_PARAMETERS,
): AnomalyFinding[] {
  const sorted = values
    .filter((v) => Object.hasOwn(watched, v.code))
    .sort(
      (a, b) =>
        a.at - b.at || (a.factor < b.factor ? -1 : a.factor > b.factor ? 1 : 0) || (a.code < b.code ? -1 : 1),
    );
  const previous = new Map<string, DeviceParameter>();
  const out: AnomalyFinding[] = [];
  for (const v of sorted) {
    if (!anomalyEnabled(config, 'parameter-change', v.factor)) continue;
    const key = parameterKey(v.factor, v.code);
    const tol = thresholdsFor(config, v.factor).parameterTolerance;
    const prev = previous.get(key);
    previous.set(key, v);
    const base = baselines.find((b) => b.factor === v.factor && b.code === v.code);
    const changed = prev !== undefined && !sameParameter(prev.value, v.value, tol);
    const offBaseline = base !== undefined && !sameParameter(base.value, v.value, tol);
    if (!changed && !offBaseline) continue;
    out.push({
      type: 'parameter-change',
      factor: v.factor,
      start: v.at,
      detail: {
        code: v.code,
        name: watched[v.code],
        previous: prev?.value ?? null,
        value: v.value,
        baseline: base?.value ?? null,
        changed,
        offBaseline,
      },
    });
  }
  return out;
}

export const parameterKey = (factor: string, code: string) => `${factor}#${code}`;

/** Flags and the i12001 states that agree with them (HJ 212-2017 表 8 [V] and 附录 B [V via code]). */
/**
 * i12001 states in which the analyser does not measure although nothing is wrong: 9 待机 (standby). Normal
 * data (N) then claim a measurement the analyser says it did not make [Proposal]; validity.ts does not
 * invalidate them (the value may be held from the last measurement cycle), only this alarm says so.
 */
export const NOT_MEASURING_STATES: ReadonlySet<number> = new Set([9]);

const STATES_FOR_FLAG: Readonly<Record<string, readonly number[]>> = {
  M: [1, 10],
  D: [2, 6],
  C: [3, 8],
};

/**
 * 工作状态与数据标记不符 (state–flag mismatch), per record: flag N (or none) while a state in force during
 * the period says maintenance, fault, calibration… (validity.ts CONTRADICTING_WORKING_STATES) or that the
 * analyser is not measuring (9 待机, {@link NOT_MEASURING_STATES}); or flag M,
 * D or C while no state in the period agrees with it (i12001 says running) [Proposal, §5 "i12001 state
 * vs. data flag"]. Periods without any state report are not judged.
 */
export function detectStateFlagMismatch(
  readings: readonly Reading[],
  states: readonly WorkingState[],
  period: 'minute' | 'hour',
  ctx: Pick<AnomalyContext, 'config'> = {},
): AnomalyFinding[] {
  const factor = checkOneFactor(readings);
  if (
    factor === undefined ||
    !anomalyEnabled(ctx.config ?? DEFAULT_ANOMALY_CONFIG, 'state-flag-mismatch', factor)
  )
    return [];
  const sortedStates = [...states].sort((a, b) => a.at - b.at || a.state - b.state);
  const out: AnomalyFinding[] = [];
  for (const r of series(readings)) {
    const during = statesDuring(sortedStates, r.start, periodMs(period));
    if (during.length === 0) continue;
    const flag = r.flag ?? 'N';
    const agreeing = STATES_FOR_FLAG[flag];
    let mismatch = false;
    if (flag === 'N' || flag === '')
      mismatch = during.some((s) => CONTRADICTING_WORKING_STATES.has(s) || NOT_MEASURING_STATES.has(s));
    else if (agreeing !== undefined) mismatch = !during.some((s) => agreeing.includes(s));
    if (!mismatch) continue;
    out.push({
      type: 'state-flag-mismatch',
      factor,
      start: r.start,
      end: r.start + periodMs(period),
      detail: { flag: r.flag, states: during },
    });
  }
  return out;
}

/** The state in force at `start` and every state reported within [start, start + length). */
function statesDuring(states: readonly WorkingState[], start: number, length: number): number[] {
  const out: number[] = [];
  let inForce: WorkingState | undefined;
  for (const s of states) {
    if (s.at <= start) inForce = s;
    else if (s.at < start + length) out.push(s.state);
  }
  return [...new Set(inForce === undefined ? out : [inForce.state, ...out])];
}

/** A clock-skew device event (skew = DataTime − receipt, ms), or a time sync (skewMs null: clock set). */
export interface ClockObservation {
  readonly at: number;
  readonly skewMs: number | null;
}

/**
 * 时钟偏差 (clock skew), from device events: a finding per observation with |skew| above clockSkewMs
 * (default 10 min as the gateway's clockSkewMs [Proposal]). For episodes use {@link clockEvaluations}: a
 * time sync, or a skew within the threshold, closes.
 */
export function detectClockSkew(
  observations: readonly ClockObservation[],
  config: AnomalyConfig = DEFAULT_ANOMALY_CONFIG,
): AnomalyFinding[] {
  if (!anomalyEnabled(config, 'clock-skew', '*')) return [];
  const limit = thresholdsFor(config, '*').clockSkewMs;
  return [...observations]
    .sort((a, b) => a.at - b.at)
    .filter((o) => o.skewMs !== null && Math.abs(o.skewMs) > limit)
    .map((o) => ({
      type: 'clock-skew' as const,
      factor: '*',
      start: o.at,
      detail: { skewMs: o.skewMs, limitMs: limit },
    }));
}

export function clockEvaluations(
  observations: readonly ClockObservation[],
  config: AnomalyConfig = DEFAULT_ANOMALY_CONFIG,
): KeyedEvaluation[] {
  const limit = thresholdsFor(config, '*').clockSkewMs;
  return observations.map((o) => ({
    type: 'clock-skew',
    factor: '*',
    at: o.at,
    active: o.skewMs !== null && Math.abs(o.skewMs) > limit,
    value: o.skewMs,
    severity: o.skewMs === null ? 0 : Math.abs(o.skewMs),
  }));
}

/** A roll-up comparison (rollup.ts compareRollup) with what was compared. */
export interface RollupCheck {
  readonly factor: string;
  readonly period: 'hour' | 'day';
  readonly start: number;
  readonly comparison: RollupComparison;
}

/**
 * 汇总不符 (roll-up mismatch): the DAS-sent roll-up (CN 2061/2031 Avg) disagreeing with ours from its
 * minute or hourly data, as judged by rollup.ts compareRollup [Proposal]. A finding per mismatch.
 */
export function detectRollupMismatch(
  checks: readonly RollupCheck[],
  config: AnomalyConfig = DEFAULT_ANOMALY_CONFIG,
): AnomalyFinding[] {
  return [...checks]
    .filter((c) => c.comparison.mismatch && anomalyEnabled(config, 'rollup-mismatch', c.factor))
    .sort((a, b) => a.start - b.start || (a.factor < b.factor ? -1 : 1))
    .map((c) => ({
      type: 'rollup-mismatch' as const,
      factor: c.factor,
      start: c.start,
      end: c.start + (c.period === 'hour' ? HOUR_MS : 24 * HOUR_MS),
      detail: {
        period: c.period,
        reported: c.comparison.device,
        computed: c.comparison.ours,
        difference: c.comparison.difference,
      },
    }));
}

// ---------------------------------------------------------------------------------------------------------
// Missing data and offline (judged at `now`)
// ---------------------------------------------------------------------------------------------------------

export interface MissingInput {
  readonly factor: string;
  /** The hours expected: every hour starting in [from, to). */
  readonly window: Interval;
  /** First receipt (any source, backfill included) per hour start: hour start → receivedAt. */
  readonly received: ReadonlyMap<number, number>;
  /** Marks of the point: hours under an approved stopped mark are not expected (应传, §2 [Proposal]). */
  readonly marks: readonly Mark[];
  readonly config?: AnomalyConfig;
}

/**
 * 数据缺失 (missing data) at `now`: expected hours whose record had not been received by `now` although
 * their deadline (hour end + missingGraceMs) has passed. Receipts after `now` are ignored, so the answer
 * for a given `now` does not depend on when it is computed. Consecutive missing hours make one finding
 * (`end` exclusive). A backfill clears its hours.
 */
export function detectMissing(input: MissingInput, now: number): AnomalyFinding[] {
  const cfg = input.config ?? DEFAULT_ANOMALY_CONFIG;
  if (!anomalyEnabled(cfg, 'missing', input.factor)) return [];
  const grace = thresholdsFor(cfg, input.factor).missingGraceMs;
  const missing: number[] = [];
  for (let h = input.window.from; h < input.window.to; h += HOUR_MS) {
    if (h + HOUR_MS + grace > now) break;
    const got = input.received.get(h);
    if (got !== undefined && got <= now) continue;
    if (decidingMark({ factor: input.factor, start: h }, input.marks)?.kind === 'stopped') continue;
    missing.push(h);
  }
  const out: AnomalyFinding[] = [];
  for (const h of missing) {
    const last = out[out.length - 1];
    if (last !== undefined && last.end === h) {
      out[out.length - 1] = {
        ...last,
        end: h + HOUR_MS,
        detail: { hours: (last.detail.hours as number) + 1 },
      };
    } else
      out.push({ type: 'missing', factor: input.factor, start: h, end: h + HOUR_MS, detail: { hours: 1 } });
  }
  return out;
}

/** The wall-clock evaluation of missing data at `now`, for episodes.ts. */
export function missingEvaluation(input: MissingInput, now: number): KeyedEvaluation {
  const findings = detectMissing(input, now);
  const hours = findings.reduce((s, f) => s + (f.detail.hours as number), 0);
  return {
    type: 'missing',
    factor: input.factor,
    at: now,
    active: hours > 0,
    value: hours,
    severity: hours,
    detail: { hours: findings.map((f) => ({ start: f.start, end: f.end })) },
  };
}

/**
 * 联网异常 (offline) at `now`: no frame, heartbeat included, for more than offlineMs. `lastFrameAt` is the
 * latest receipt at or before `now` (null: never). Start: when the silence crossed the threshold.
 */
export function detectOffline(
  lastFrameAt: number | null,
  now: number,
  config: AnomalyConfig = DEFAULT_ANOMALY_CONFIG,
): AnomalyFinding[] {
  if (!anomalyEnabled(config, 'offline', '*') || lastFrameAt === null) return [];
  const limit = thresholdsFor(config, '*').offlineMs;
  if (now - lastFrameAt <= limit) return [];
  return [
    {
      type: 'offline',
      factor: '*',
      start: lastFrameAt + limit,
      detail: { lastFrameAt, silentMs: now - lastFrameAt },
    },
  ];
}

/** The latest of `frames` at or before `now` (receipts after `now` are not yet known at `now`). */
export function lastFrameBefore(frames: Iterable<number>, now: number): number | null {
  let last: number | null = null;
  for (const f of frames) if (f <= now && (last === null || f > last)) last = f;
  return last;
}

export function offlineEvaluation(
  lastFrameAt: number | null,
  now: number,
  config: AnomalyConfig = DEFAULT_ANOMALY_CONFIG,
): KeyedEvaluation {
  const f = detectOffline(lastFrameAt, now, config);
  return {
    type: 'offline',
    factor: '*',
    at: now,
    active: f.length > 0,
    value: lastFrameAt === null ? null : now - lastFrameAt,
    detail: { lastFrameAt },
  };
}

// ---------------------------------------------------------------------------------------------------------
// To episodes
// ---------------------------------------------------------------------------------------------------------

/**
 * Period evaluations of one (type, factor) from findings: each judged period start is active when a
 * finding of that type and factor covers it (start ≤ at < end; a finding without end covers its start
 * only). Judged periods are those the detector looked at (e.g. the counted hours); periods not judged
 * give no evaluation and so neither open nor close an episode.
 */
export function anomalyEvaluations(
  type: AnomalyType,
  factor: string,
  judgedPeriods: readonly number[],
  findings: readonly AnomalyFinding[],
): KeyedEvaluation<Readonly<Record<string, unknown>>>[] {
  const mine = findings.filter((f) => f.type === type && f.factor === factor);
  return [...new Set(judgedPeriods)].map((at) => {
    const hit = mine.find((f) => (f.end === undefined ? f.start === at : f.start <= at && at < f.end));
    const value = hit !== undefined && typeof hit.detail.value === 'number' ? hit.detail.value : null;
    const evaluation: Evaluation<Readonly<Record<string, unknown>>> =
      hit === undefined ? { at, active: false } : { at, active: true, value, detail: hit.detail };
    return { type, factor, ...evaluation };
  });
}

/**
 * The periods to re-evaluate after a late fact (a mark, a backfilled record) over `changed`, for the
 * detectors that look beyond one period: `changed` widened by the detector's reach (constant value: a
 * threshold's length each way; sudden change: later values use it as history; false shutdown: a minimum
 * run each way), then to the whole of every existing finding of that type it touches, since a run can be
 * longer than any threshold. Point detectors need only the periods of episodes.ts periodsAffectedBy.
 */
export function anomalyReach(
  type: AnomalyType,
  thresholds: AnomalyThresholds,
  changed: Interval,
  existing: readonly AnomalyFinding[] = [],
): Interval {
  let before = 0;
  let after = 0;
  if (type === 'constant-value') before = after = thresholds.constantHours * HOUR_MS;
  else if (type === 'sudden-change') after = thresholds.suddenWindowHours * HOUR_MS;
  else if (type === 'false-shutdown') before = after = thresholds.stoppedMinHours * HOUR_MS;
  let from = changed.from - before;
  let to = changed.to + after;
  for (let grown = true; grown; ) {
    grown = false;
    for (const f of existing) {
      if (f.type !== type) continue;
      const end = f.end ?? f.start + 1;
      if (f.start < to && end > from && (f.start < from || end > to)) {
        from = Math.min(from, f.start);
        to = Math.max(to, end);
        grown = true;
      }
    }
  }
  return { from, to };
}
