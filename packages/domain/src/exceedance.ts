/**
 * Exceedance (超标) and dynamic early warning (动态预警) per factor and period, as pure functions of the
 * stored facts: records, marks, working states. Each judged period yields an evaluation (for
 * episodes.ts) and, when the condition holds, a finding.
 *
 * What counts (regulatory-rules.md §3):
 *  - gas: the 1-h mean of the 折算 concentration against the hourly limit (HJ 76-2017 附录 B, quoted in
 *    S1 [V]; HJ 75-2017); daily means against daily limits where the standard sets them (GB 18485-2014
 *    waste incineration 24-h limits; 部令第10号 2019 draft judges daily means [V] S13);
 *  - water: the flow-weighted daily mean against the daily limit (HJ 356-2019 [M]: C = ΣCᵢQᵢ / ΣQᵢ), plus
 *    hourly alarms, hour over the limit (小时数据超标 in national-style tools [P] C6);
 *  - pH (any factor with a `lower` bound): each hour outside [lower, upper];
 *  - only valid values count: records judged invalid or excluded by validity.ts (marks, flags, working
 *    state) are skipped — "标记为无效的自动监测数据，不作为超标判定依据" (公告2022年第21号, S8 [V]) — and so
 *    are approved exemptions (豁免, isExempt; 部令第10号 practice [M]). A skipped period yields no
 *    evaluation: it neither opens nor closes an episode.
 */
import type { RuleConfig } from './config.js';
import type { KeyedEvaluation } from './episodes.js';
import { DomainError } from './errors.js';
import type { FactorLimit, Mark, Medium, Reading, WorkingState } from './records.js';
import type { JudgedReading, WaterHour } from './rollup.js';
import { dayFromHours, waterDailyMean } from './rollup.js';
import { dayStart, hourStart } from './time.js';
import type { ManualRecordLookup } from './validity.js';
import { isExempt, validityOf } from './validity.js';

export interface ExceedanceConfig {
  /**
   * Early warning when the running mean reaches this share of the limit (0 < share ≤ 1). Default 0.9
   * [Proposal]: national-style tools have 小时超标分钟动态预警 and 日超标小时动态预警 (§4, [P] C6) but no
   * published threshold was found.
   */
  readonly warningShare: number;
  /** Valid minutes of the hour needed before a minute-level warning (default 15, a quarter hour [Proposal]). */
  readonly warningMinMinutes: number;
  /** Valid hours of the day needed before an hour-level warning (default 4 [Proposal]). */
  readonly warningMinHours: number;
  /**
   * Whether a suspect value (S without a manual-monitoring record) counts. Default false [Proposal]: as
   * in rollup.ts (suspect is not valid), so a daily exceedance is judged on the same hours as the daily
   * value shown, and unbacked set values cannot dilute a daily mean.
   */
  readonly judgeSuspect: boolean;
  /**
   * Water: raise the hourly alarm against the daily limit when the standard sets no hourly one. Default
   * true ([P] C6 flags 小时数据超标 for water, whose standards mostly set daily limits only).
   */
  readonly waterHourlyAgainstDaily: boolean;
}

export const DEFAULT_EXCEEDANCE: ExceedanceConfig = {
  warningShare: 0.9,
  warningMinMinutes: 15,
  warningMinHours: 4,
  judgeSuspect: false,
  waterHourlyAgainstDaily: true,
};

export interface ExceedanceInput {
  readonly medium: Medium;
  readonly limits: readonly FactorLimit[];
  /** Hourly records of the point: every limited factor, and the flow factor for water. */
  readonly hours: readonly Reading[];
  /** Minute records, for the minute-level early warning (optional). */
  readonly minutes?: readonly Reading[];
  /** Marks of the point (validity.ts reads the approved ones). */
  readonly marks: readonly Mark[];
  /** i12001 working states per factor, sorted by `at` (validity.ts step c). */
  readonly workingStates?: Readonly<Record<string, readonly WorkingState[]>>;
  readonly manualRecords?: ManualRecordLookup;
  readonly rules: RuleConfig;
  readonly config?: ExceedanceConfig;
  /** Water: the flow factor whose hourly `cou` (or mean) weights the daily mean. Default 'w00000'. */
  readonly flowFactor?: string;
  /** Water: unit of the flow record's value when it carries no `cou` (rollup.ts hourVolume; default L/s). */
  readonly flowValueUnit?: 'L/s' | 'm3/h';
  /**
   * Gas: whether limits apply to the 折算 value (default true). False for outlets whose standard sets no
   * reference O₂ (the measured concentration applies, §1.1).
   */
  readonly limitsOnCorrected?: boolean;
  /**
   * Gas: the 折算 value of a record that carries none (no ZsAvg/ZsRtd from the device), e.g. computed
   * with conversion.ts from the same period's O₂. Without it such a record is left unjudged.
   */
  readonly correctedOf?: (reading: Reading) => number | null;
}

export type ExceedanceType = 'exceedance' | 'early-warning';
export type ExceedancePeriod = 'hour' | 'day';

export interface ExceedanceFinding {
  readonly type: ExceedanceType;
  /** The averaging period judged: an hourly mean (minute-level warning: the hour heading for it) or a day. */
  readonly period: ExceedancePeriod;
  readonly factor: string;
  /** Period start; for an early warning, the start of the minute (or hour) at which it was raised. */
  readonly start: number;
  /** The mean judged (for a warning, the running mean when it was raised). */
  readonly value: number;
  readonly limit: number;
  /** value / limit. */
  readonly ratio: number;
  /** 'lower': below a lower bound (pH). */
  readonly bound: 'upper' | 'lower';
}

/** A period the rule could have judged but could not. */
export interface Unjudged {
  readonly factor: string;
  readonly period: ExceedancePeriod;
  readonly start: number;
  readonly reason: 'no corrected value' | 'too few valid hours' | 'no flow';
}

/** Episode keys (episodes.ts `type`) of the four conditions. */
export const EXCEEDANCE_ALARMS = [
  'hourly-exceedance',
  'daily-exceedance',
  'hourly-early-warning',
  'daily-early-warning',
] as const;
export type ExceedanceAlarm = (typeof EXCEEDANCE_ALARMS)[number];

export const exceedanceAlarmOf = (type: ExceedanceType, period: ExceedancePeriod): ExceedanceAlarm =>
  type === 'exceedance'
    ? period === 'hour'
      ? 'hourly-exceedance'
      : 'daily-exceedance'
    : period === 'hour'
      ? 'hourly-early-warning'
      : 'daily-early-warning';

export interface ExceedanceDetail {
  readonly limit: number;
  readonly bound: 'upper' | 'lower';
  /** For a warning: where it was raised (minute or hour start). */
  readonly raisedAt?: number;
}

export interface ExceedanceResult {
  /** Periods where the condition holds. Sorted by factor, period, start, type. */
  readonly findings: readonly ExceedanceFinding[];
  /** One evaluation per judged period and alarm (`at` = period start), for episodes.ts. */
  readonly evaluations: readonly KeyedEvaluation<ExceedanceDetail>[];
  readonly unjudged: readonly Unjudged[];
}

export function validateExceedanceConfig(config: ExceedanceConfig): void {
  const bad = (field: string, value: unknown) => new DomainError('DOMAIN_E_CONFIG', { field, value });
  if (!(config.warningShare > 0 && config.warningShare <= 1)) throw bad('warningShare', config.warningShare);
  if (!(Number.isInteger(config.warningMinMinutes) && config.warningMinMinutes >= 1))
    throw bad('warningMinMinutes', config.warningMinMinutes);
  if (!(Number.isInteger(config.warningMinHours) && config.warningMinHours >= 1))
    throw bad('warningMinHours', config.warningMinHours);
}

/** A value that counts: valid (or suspect, if configured), not exempt, and its judged number. */
interface Counted {
  readonly start: number;
  readonly value: number;
}

const byStart = (a: { start: number }, b: { start: number }) => a.start - b.start;

/**
 * Judges every period the input holds. Pure: the same facts give the same result whatever their order
 * (records are sorted here; duplicates of one period keep the first in a total order, see `dedupe`).
 */
export function judgeExceedance(input: ExceedanceInput): ExceedanceResult {
  const config = input.config ?? DEFAULT_EXCEEDANCE;
  validateExceedanceConfig(config);
  const onCorrected = input.medium === 'gas' && (input.limitsOnCorrected ?? true);
  const flowFactor = input.flowFactor ?? 'w00000';
  const findings: ExceedanceFinding[] = [];
  const evaluations: KeyedEvaluation<ExceedanceDetail>[] = [];
  const unjudged: Unjudged[] = [];

  const counts = (reading: Reading, period: 'minute' | 'hour'): boolean => {
    const states = input.workingStates?.[reading.factor];
    const judgement = validityOf(reading, {
      marks: input.marks,
      config: input.rules,
      period,
      ...(states === undefined ? {} : { workingStates: states }),
      ...(input.manualRecords === undefined ? {} : { manualRecords: input.manualRecords }),
    });
    const ok = judgement.validity === 'valid' || (judgement.validity === 'suspect' && config.judgeSuspect);
    return ok && !isExempt(reading, input.marks);
  };

  /** The number a limit is compared with: 折算 for gas where a reference O₂ applies, else the mean. */
  const judged = (reading: Reading): number | null => {
    if (!onCorrected) return reading.value;
    const c = reading.corrected ?? input.correctedOf?.(reading) ?? null;
    if (c === null || !Number.isFinite(c)) {
      unjudged.push({
        factor: reading.factor,
        period: 'hour',
        start: reading.start,
        reason: 'no corrected value',
      });
      return null;
    }
    return c;
  };

  const emit = (f: ExceedanceFinding, active: boolean, at: number, severity: number, raisedAt?: number) => {
    if (active) findings.push(f);
    evaluations.push({
      type: exceedanceAlarmOf(f.type, f.period),
      factor: f.factor,
      at,
      active,
      value: f.value,
      severity,
      detail: { limit: f.limit, bound: f.bound, ...(raisedAt === undefined ? {} : { raisedAt }) },
    });
  };

  const hours = dedupe(input.hours);
  const hoursOf = groupByFactor(hours);
  /** Water: the hour's flow record, judged (only counted flows weight a daily mean). */
  const flowByHour = new Map<number, JudgedReading>();
  if (input.medium === 'water') {
    for (const r of hoursOf.get(flowFactor) ?? []) {
      flowByHour.set(r.start, { ...r, validity: counts(r, 'hour') ? 'valid' : 'invalid' });
    }
  }

  for (const limit of [...input.limits].sort((a, b) =>
    a.factor < b.factor ? -1 : a.factor > b.factor ? 1 : 0,
  )) {
    const records = hoursOf.get(limit.factor) ?? [];
    const counted: Counted[] = [];
    for (const r of records) {
      if (!counts(r, 'hour')) continue;
      const v = judged(r);
      if (v !== null && v !== undefined && Number.isFinite(v)) counted.push({ start: r.start, value: v });
    }

    // Hourly: upper limit (gas: hourly; water: hourly, else daily [P] C6), lower bound (pH).
    const upper =
      limit.lower !== undefined
        ? (limit.hourly ?? limit.daily)
        : input.medium === 'gas'
          ? limit.hourly
          : (limit.hourly ?? (config.waterHourlyAgainstDaily ? limit.daily : undefined));
    for (const c of counted) {
      if (limit.lower !== undefined && c.value < limit.lower) {
        const f = finding('exceedance', 'hour', limit.factor, c.start, c.value, limit.lower, 'lower');
        emit(f, true, c.start, lowerSeverity(c.value, limit.lower));
        continue;
      }
      if (upper !== undefined) {
        const f = finding('exceedance', 'hour', limit.factor, c.start, c.value, upper, 'upper');
        emit(f, c.value > upper, c.start, f.ratio);
      } else if (limit.lower !== undefined) {
        const f = finding('exceedance', 'hour', limit.factor, c.start, c.value, limit.lower, 'lower');
        emit(f, false, c.start, lowerSeverity(c.value, limit.lower));
      }
    }

    // Daily means (not for pH: a range, judged per hour).
    if (limit.daily !== undefined && limit.lower === undefined) {
      judgeDays(limit.factor, limit.daily, counted);
    }

    // Minute-level warning of an hourly exceedance.
    if (upper !== undefined && input.minutes !== undefined && limit.lower === undefined) {
      warnHours(limit.factor, upper);
    }
  }

  function judgeDays(factor: string, daily: number, counted: readonly Counted[]) {
    const days = new Map<number, Counted[]>();
    for (const c of counted) {
      const d = dayStart(c.start);
      const list = days.get(d);
      if (list === undefined) days.set(d, [c]);
      else list.push(c);
    }
    for (const [day, list] of [...days].sort((a, b) => a[0] - b[0])) {
      // [Proposal] 日超标小时动态预警: the running daily mean of the counted hours so far, once at least
      // warningMinHours have counted, reaching warningShare × the daily limit. One warning per day.
      let raised: Counted | undefined;
      let last: number | null = null;
      for (let i = config.warningMinHours; i <= list.length; i++) {
        const m = dailyMean(list.slice(0, i)).value;
        if (m === null) continue;
        last = m;
        if (m >= config.warningShare * daily) {
          raised = { start: (list[i - 1] as Counted).start, value: m };
          break;
        }
      }
      if (raised !== undefined || last !== null) {
        const value = raised?.value ?? (last as number);
        const f = finding('early-warning', 'day', factor, raised?.start ?? day, value, daily, 'upper');
        emit(f, raised !== undefined, day, f.ratio, raised?.start);
      }
      // Exceedance: on a valid daily value only — ≥ validHoursPerDay valid hours (HJ 76-2017 附录 B [V]
      // S1; for water HJ 356-2019 [M], §1.3: 20 h assumed, 18 h in one low-trust source).
      const whole = dailyMean(list);
      if (whole.status === 'excluded') {
        unjudged.push({ factor, period: 'day', start: day, reason: 'no flow' });
        continue;
      }
      if (whole.status !== 'valid' || whole.value === null) {
        unjudged.push({ factor, period: 'day', start: day, reason: 'too few valid hours' });
        continue;
      }
      const f = finding('exceedance', 'day', factor, day, whole.value, daily, 'upper');
      emit(f, whole.value > daily, day, f.ratio);
    }
  }

  /**
   * The day's mean of the counted hours, by rollup.ts: gas, arithmetic mean (dayFromHours, HJ 76-2017
   * 附录 B [V]); water, flow-weighted ΣCᵢQᵢ / ΣQᵢ (waterDailyMean, HJ 356-2019 [M]) over hours whose flow
   * also counts. `status` 'valid' needs validHoursPerDay hours; 'excluded' for water means ΣQ = 0.
   */
  function dailyMean(list: readonly Counted[]): { value: number | null; status: string } {
    if (list.length === 0) return { value: null, status: 'invalid' };
    const judgedHours: JudgedReading[] = list.map((c) => ({
      factor: 'judged',
      start: c.start,
      value: c.value,
      flag: null,
      validity: 'valid',
    }));
    if (input.medium === 'gas') {
      const r = dayFromHours(judgedHours, input.rules);
      return { value: r.value, status: r.status };
    }
    const paired: WaterHour[] = [];
    for (const h of judgedHours) {
      const flow = flowByHour.get(h.start);
      if (flow !== undefined) paired.push({ concentration: h, flow });
    }
    if (paired.length === 0) return { value: null, status: 'invalid' };
    const d = waterDailyMean(paired, input.rules, {
      ...(input.flowValueUnit === undefined ? {} : { flowValueUnit: input.flowValueUnit }),
    });
    return { value: d.value, status: d.valid ? 'valid' : d.status === 'excluded' ? 'excluded' : 'invalid' };
  }

  /**
   * [Proposal] 小时超标分钟动态预警: within each hour, the running mean of the counted minute values so far
   * (折算 for gas); once at least warningMinMinutes have counted and the running mean reaches
   * warningShare × the hourly limit, one warning for the hour, at that minute. The hour's evaluation is
   * inactive when it has enough minutes and never reached the share.
   */
  function warnHours(factor: string, limit: number) {
    const minutes = dedupe((input.minutes ?? []).filter((m) => m.factor === factor));
    const byHour = new Map<number, Counted[]>();
    for (const m of minutes) {
      if (!counts(m, 'minute')) continue;
      const v = onCorrected ? (m.corrected ?? input.correctedOf?.(m) ?? null) : m.value;
      if (v === null || !Number.isFinite(v)) continue;
      const h = hourStart(m.start);
      const list = byHour.get(h);
      if (list === undefined) byHour.set(h, [{ start: m.start, value: v }]);
      else list.push({ start: m.start, value: v });
    }
    for (const [hour, list] of [...byHour].sort((a, b) => a[0] - b[0])) {
      if (list.length < config.warningMinMinutes) continue;
      let sum = 0;
      let raised: Counted | undefined;
      for (let i = 0; i < list.length; i++) {
        const c = list[i] as Counted;
        sum += c.value;
        const mean = sum / (i + 1);
        if (i + 1 >= config.warningMinMinutes && mean >= config.warningShare * limit) {
          raised = { start: c.start, value: mean };
          break;
        }
      }
      const value = raised?.value ?? sum / list.length;
      const f = finding('early-warning', 'hour', factor, raised?.start ?? hour, value, limit, 'upper');
      emit(f, raised !== undefined, hour, f.ratio, raised?.start);
    }
  }

  const order: Record<string, number> = { hour: 0, day: 1, exceedance: 0, 'early-warning': 1 };
  findings.sort(
    (a, b) =>
      (a.factor < b.factor ? -1 : a.factor > b.factor ? 1 : 0) ||
      (order[a.period] as number) - (order[b.period] as number) ||
      a.start - b.start ||
      (order[a.type] as number) - (order[b.type] as number),
  );
  return { findings, evaluations, unjudged: dedupeUnjudged(unjudged) };
}

function finding(
  type: ExceedanceType,
  period: ExceedancePeriod,
  factor: string,
  start: number,
  value: number,
  limit: number,
  bound: 'upper' | 'lower',
): ExceedanceFinding {
  return {
    type,
    period,
    factor,
    start,
    value,
    limit,
    ratio: limit === 0 ? Number.POSITIVE_INFINITY : value / limit,
    bound,
  };
}

/** Below a lower bound, worse the further below: 1 at the bound, 1 + (lower − value)/|lower| below. */
const lowerSeverity = (value: number, lower: number) => 1 + (lower - value) / (Math.abs(lower) || 1);

function groupByFactor(readings: readonly Reading[]): Map<string, Reading[]> {
  const out = new Map<string, Reading[]>();
  for (const r of readings) {
    const list = out.get(r.factor);
    if (list === undefined) out.set(r.factor, [r]);
    else list.push(r);
  }
  return out;
}

const readingKey = (r: Reading) =>
  JSON.stringify([
    r.value,
    r.corrected ?? null,
    r.cou ?? null,
    r.flag,
    r.protocol ?? null,
    r.min ?? null,
    r.max ?? null,
  ]);

/**
 * Sorted by start, one record per (factor, start): the one with the smallest canonical key when the
 * store hands over several (it should hand over the latest revision only; this keeps the result
 * independent of order if it does not).
 */
function dedupe(readings: readonly Reading[]): Reading[] {
  const best = new Map<string, { r: Reading; k: string }>();
  for (const r of readings) {
    const id = `${r.factor}@${r.start}`;
    const k = readingKey(r);
    const have = best.get(id);
    if (have === undefined || k < have.k) best.set(id, { r, k });
  }
  return [...best.values()].map((x) => x.r).sort((a, b) => byStart(a, b) || (a.factor < b.factor ? -1 : 1));
}

function dedupeUnjudged(list: readonly Unjudged[]): Unjudged[] {
  const seen = new Map<string, Unjudged>();
  for (const u of list) seen.set(`${u.factor}|${u.period}|${u.start}|${u.reason}`, u);
  return [...seen.values()].sort(
    (a, b) => (a.factor < b.factor ? -1 : a.factor > b.factor ? 1 : 0) || a.start - b.start,
  );
}
