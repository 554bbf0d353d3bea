/**
 * Roll-ups (汇总): minute → hour → day → month for flue gas (HJ 75-2017 / HJ 76-2017 附录 B [V, S1]),
 * and the flow-weighted daily mean and load for wastewater (HJ 356-2019 [M]).
 *
 * Every function takes records already judged by {@link validityOf}; only `valid` records contribute.
 * `suspect` does not count as valid. A period whose every record is `excluded` (source or instrument
 * stopped) is itself `excluded`: out of the denominator, not invalid.
 */
import type { RuleConfig } from './config.js';
import { DomainError } from './errors.js';
import type { Reading, Validity } from './records.js';
import { beijingParts, type CalendarUnit, periodOf } from './time.js';

/** A record with its validity already judged. */
export type JudgedReading = Reading & { readonly validity: Validity };

export type RollupStatus = 'valid' | 'invalid' | 'excluded';

export interface Rollup {
  readonly status: RollupStatus;
  /** status === 'valid'. */
  readonly valid: boolean;
  /** Arithmetic mean of the valid records' values; null when there is none. Given even when invalid. */
  readonly value: number | null;
  /** Lowest Min (or value when no Min) over the valid records. */
  readonly min: number | null;
  /** Highest Max (or value when no Max) over the valid records. */
  readonly max: number | null;
  readonly validCount: number;
  readonly excludedCount: number;
  /** Records given. */
  readonly count: number;
  /** Valid records needed for a valid result. */
  readonly required: number;
  readonly reason: string;
}

/**
 * Mergeable partial sums of a roll-up. Summing chunks and merging gives the same result as summing all
 * records at once (up to floating-point rounding of the sum), in any order.
 */
export interface RollupSums {
  readonly sum: number;
  readonly validCount: number;
  readonly excludedCount: number;
  readonly count: number;
  readonly min: number | null;
  readonly max: number | null;
}

export const EMPTY_SUMS: RollupSums = {
  sum: 0,
  validCount: 0,
  excludedCount: 0,
  count: 0,
  min: null,
  max: null,
};

const lower = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const upper = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
const finite = (v: number | null | undefined): v is number =>
  v !== null && v !== undefined && Number.isFinite(v);

export function sumRecords(records: readonly JudgedReading[]): RollupSums {
  let sum = 0;
  let validCount = 0;
  let excludedCount = 0;
  let min: number | null = null;
  let max: number | null = null;
  for (const r of records) {
    if (r.validity === 'excluded') excludedCount++;
    if (r.validity !== 'valid' || !finite(r.value)) continue;
    sum += r.value;
    validCount++;
    min = lower(min, finite(r.min) ? r.min : r.value);
    max = upper(max, finite(r.max) ? r.max : r.value);
  }
  return { sum, validCount, excludedCount, count: records.length, min, max };
}

export function mergeSums(a: RollupSums, b: RollupSums): RollupSums {
  return {
    sum: a.sum + b.sum,
    validCount: a.validCount + b.validCount,
    excludedCount: a.excludedCount + b.excludedCount,
    count: a.count + b.count,
    min: lower(a.min, b.min),
    max: upper(a.max, b.max),
  };
}

/** The roll-up of merged sums against a threshold of valid records. */
export function finishRollup(s: RollupSums, required: number, what: string): Rollup {
  const value = s.validCount > 0 ? s.sum / s.validCount : null;
  const base = { value, min: s.min, max: s.max, validCount: s.validCount, excludedCount: s.excludedCount };
  const counts = { count: s.count, required };
  if (s.count > 0 && s.excludedCount === s.count) {
    return {
      status: 'excluded',
      valid: false,
      ...base,
      ...counts,
      reason: `every ${what} excluded (stopped)`,
    };
  }
  if (s.validCount >= required) {
    return { status: 'valid', valid: true, ...base, ...counts, reason: `${s.validCount} valid ${what}s` };
  }
  return {
    status: 'invalid',
    valid: false,
    ...base,
    ...counts,
    reason: `${s.validCount} valid ${what}s, ${required} needed`,
  };
}

function checkThreshold(name: string, value: number, max: number) {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new DomainError('DOMAIN_E_CONFIG', { field: name, value, allowed: `1..${max}` });
  }
}

/** All records in one Beijing period of `unit`, no two with the same start; returns that period's start. */
function checkOnePeriod(records: readonly Reading[], unit: CalendarUnit, what: string): number | undefined {
  const first = records[0];
  if (first === undefined) return undefined;
  const period = periodOf(unit, first.start);
  const seen = new Set<number>();
  for (const r of records) {
    if (r.start < period.from || r.start >= period.to) {
      throw new DomainError('DOMAIN_E_INPUT', {
        field: 'start',
        reason: `${what}s span more than one ${unit}`,
      });
    }
    if (seen.has(r.start)) {
      throw new DomainError('DOMAIN_E_INPUT', {
        field: 'start',
        reason: `duplicate ${what}`,
        start: r.start,
      });
    }
    seen.add(r.start);
  }
  return period.from;
}

/**
 * Hourly value from minute data. HJ 76-2017 附录 B [V, S1]: a valid hour has ≥ 45 valid minutes
 * (`config.validMinutesPerHour`); its value is the mean of the valid minutes. Minutes must lie in one
 * Beijing hour, without duplicates (else DOMAIN_E_INPUT).
 *
 * HJ 212 minute data (CN 2051) usually come every `MinInterval` minutes (10 by default), each record the
 * mean of its interval: then a record stands for `intervalMinutes` minutes and the hour needs
 * ⌈45 / interval⌉ valid records [Proposal: HJ 76 counts 1-minute data; this keeps the same coverage].
 */
export function hourFromMinutes(
  minutes: readonly JudgedReading[],
  config: RuleConfig,
  intervalMinutes = 1,
): Rollup {
  checkThreshold('validMinutesPerHour', config.validMinutesPerHour, 60);
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1 || intervalMinutes > 60)
    throw new DomainError('DOMAIN_E_INPUT', { field: 'intervalMinutes', value: intervalMinutes });
  checkOnePeriod(minutes, 'hour', 'minute');
  const required = Math.ceil(config.validMinutesPerHour / intervalMinutes);
  return finishRollup(sumRecords(minutes), required, 'minute');
}

/**
 * Daily value from hourly data. HJ 76-2017 附录 B [V, S1]: ≥ 20 valid hours (`config.validHoursPerDay`);
 * the value is the arithmetic mean of the valid hourly values (gas). Hours in one Beijing day.
 */
export function dayFromHours(hours: readonly JudgedReading[], config: RuleConfig): Rollup {
  checkThreshold('validHoursPerDay', config.validHoursPerDay, 24);
  checkOnePeriod(hours, 'day', 'hour');
  return finishRollup(sumRecords(hours), config.validHoursPerDay, 'hour');
}

/**
 * Monthly value from daily data. HJ 76-2017 附录 B [V, S1]: ≥ 25 valid days, ≥ 23 in February
 * (`config.validDaysPerMonth`, `config.validDaysPerFebruary`); Beijing month. Days in one month.
 */
export function monthFromDays(days: readonly JudgedReading[], config: RuleConfig): Rollup {
  checkThreshold('validDaysPerMonth', config.validDaysPerMonth, 31);
  checkThreshold('validDaysPerFebruary', config.validDaysPerFebruary, 28);
  const from = checkOnePeriod(days, 'month', 'day');
  const february = from !== undefined && beijingParts(from).month === 2;
  return finishRollup(
    sumRecords(days),
    february ? config.validDaysPerFebruary : config.validDaysPerMonth,
    'day',
  );
}

/** A rolled-up period as a record for the next level (its validity is its status). */
export function rollupAsReading(r: Rollup, factor: string, start: number): JudgedReading {
  return { factor, start, value: r.value, min: r.min, max: r.max, flag: null, validity: r.status };
}

// ---------------------------------------------------------------------------------------------------------
// Wastewater, HJ 356-2019 [M]
// ---------------------------------------------------------------------------------------------------------

export interface WaterHour {
  /** Concentration, mg/L (pH: dimensionless), judged. */
  readonly concentration: JudgedReading;
  /** Flow (w00000), judged. Volume of the hour: `cou` (m³) when given, else `value` in `flowValueUnit`. */
  readonly flow: JudgedReading;
}

export interface WaterDayOptions {
  /** Valid hours needed for a valid day. Default `config.validHoursPerDay` [M: HJ 356 value unverified]. */
  readonly minValidHours?: number;
  /**
   * Unit of `flow.value` when `flow.cou` is absent. Default 'L/s' (HJ 212-2017 w00000 [M]); 1 L/s over
   * one hour = 3.6 m³.
   */
  readonly flowValueUnit?: 'L/s' | 'm3/h';
}

export interface WaterDay {
  readonly status: RollupStatus;
  readonly valid: boolean;
  /** Flow-weighted mean Σ(C·Q)/ΣQ over valid hours, mg/L; null when ΣQ = 0 or no valid hour. */
  readonly value: number | null;
  /** Σ C·Q × 10⁻³ over valid hours, kg (mg/L × m³ = g; /1000 = kg). Invalid hours are not in it. */
  readonly loadKg: number;
  /** ΣQ over valid hours, m³. */
  readonly volume: number;
  readonly validCount: number;
  readonly excludedCount: number;
  readonly count: number;
  readonly required: number;
  readonly reason: string;
}

/** The hour's discharged volume in m³ (null when not computable). */
export function hourVolume(flow: Reading, unit: 'L/s' | 'm3/h' = 'L/s'): number | null {
  if (finite(flow.cou)) return flow.cou;
  if (!finite(flow.value)) return null;
  return unit === 'L/s' ? flow.value * 3.6 : flow.value;
}

/**
 * Wastewater daily mean and load. HJ 356-2019 有效均值计算 [M — from memory, verify]: the daily mean of a
 * concentration is flow-weighted, C_day = Σ(C_i·Q_i)/ΣQ_i over valid hours; daily load = Σ C_i·Q_i
 * (mg/L × m³ × 10⁻³ = kg). An hour counts when both its concentration and its flow are valid.
 * Every hour excluded, or valid hours with ΣQ = 0 (停排, no discharge), give 'excluded' [Proposal].
 */
export function waterDailyMean(
  hours: readonly WaterHour[],
  config: RuleConfig,
  options: WaterDayOptions = {},
): WaterDay {
  const required = options.minValidHours ?? config.validHoursPerDay;
  checkThreshold('minValidHours', required, 24);
  checkOnePeriod(
    hours.map((h) => h.concentration),
    'day',
    'hour',
  );
  let cq = 0;
  let q = 0;
  let validCount = 0;
  let excludedCount = 0;
  for (const h of hours) {
    if (h.concentration.validity === 'excluded' || h.flow.validity === 'excluded') excludedCount++;
    if (h.concentration.validity !== 'valid' || h.flow.validity !== 'valid') continue;
    const c = h.concentration.value;
    const v = hourVolume(h.flow, options.flowValueUnit);
    if (!finite(c) || v === null) continue;
    cq += c * v;
    q += v;
    validCount++;
  }
  const base = {
    value: q > 0 ? cq / q : null,
    loadKg: cq * 1e-3,
    volume: q,
    validCount,
    excludedCount,
    count: hours.length,
    required,
  };
  if (hours.length > 0 && excludedCount === hours.length) {
    return { status: 'excluded', valid: false, ...base, reason: 'every hour excluded (stopped)' };
  }
  if (validCount >= required && q === 0) {
    return { status: 'excluded', valid: false, ...base, reason: 'no discharge (ΣQ = 0)' };
  }
  if (validCount >= required) {
    return { status: 'valid', valid: true, ...base, reason: `${validCount} valid hours` };
  }
  return {
    status: 'invalid',
    valid: false,
    ...base,
    reason: `${validCount} valid hours, ${required} needed`,
  };
}

/**
 * pH daily value: arithmetic mean of the valid hourly values, not flow-weighted. [Proposal] HJ 356's pH
 * rule could not be retrieved [M]; one implementation uses the median [P]. pH is logarithmic, so neither
 * mean is a physical average; the arithmetic mean is chosen for consistency with the other hourly
 * roll-ups, and min/max are reported so that limits on range (6–9) are judged on them. Verify.
 */
export function waterDailyPH(
  hours: readonly JudgedReading[],
  config: RuleConfig,
  options: Pick<WaterDayOptions, 'minValidHours'> = {},
): Rollup {
  const required = options.minValidHours ?? config.validHoursPerDay;
  checkThreshold('minValidHours', required, 24);
  checkOnePeriod(hours, 'day', 'hour');
  return finishRollup(sumRecords(hours), required, 'hour');
}

// ---------------------------------------------------------------------------------------------------------
// Cross-check with the device's own roll-up
// ---------------------------------------------------------------------------------------------------------

export interface RollupComparison {
  /** Both values present. */
  readonly comparable: boolean;
  /** Comparable and |ours − device| > tolerance × max(|ours|, |device|) (and above `absoluteFloor`). */
  readonly mismatch: boolean;
  readonly ours: number | null;
  readonly device: number | null;
  /** device − ours. */
  readonly difference: number | null;
  readonly reason: string;
}

/**
 * Our roll-up against the device's (e.g. our hour from minute data against the logger's CN 2061 Avg).
 * A mismatch is an anomaly for the alarm rules [Proposal, §4 "折算与实测不符" by analogy]. Relative
 * tolerance (default `recomputeTolerance` of the rules); `absoluteFloor` keeps values near zero from
 * mismatching on rounding (HJ 212 values are sent with limited decimals).
 */
export function compareRollup(
  ours: number | null | Pick<Rollup, 'value'>,
  device: number | null,
  tolerance: number,
  absoluteFloor = 0,
): RollupComparison {
  const o = ours !== null && typeof ours === 'object' ? ours.value : ours;
  if (!(tolerance >= 0)) throw new DomainError('DOMAIN_E_INPUT', { field: 'tolerance', value: tolerance });
  if (!finite(o) || !finite(device)) {
    const reason =
      !finite(o) && !finite(device)
        ? 'neither has a value'
        : !finite(o)
          ? 'no value of ours'
          : 'no device value';
    return { comparable: false, mismatch: false, ours: o ?? null, device, difference: null, reason };
  }
  const difference = device - o;
  const allowed = Math.max(tolerance * Math.max(Math.abs(o), Math.abs(device)), absoluteFloor);
  const mismatch = Math.abs(difference) > allowed;
  return {
    comparable: true,
    mismatch,
    ours: o,
    device,
    difference,
    reason: mismatch ? `differs by ${difference} (allowed ±${allowed})` : 'agrees',
  };
}
