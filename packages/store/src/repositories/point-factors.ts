import type { Selectable } from 'kysely';
import { StoreError } from '../errors.js';
import type { PointFactorTable } from '../schema.js';
import { optionalNumber, optionalText, requireText } from './common.js';

/** Types and row mapping of a point's factors (used by `PointRepository`). */

/** A factor monitored at a point, with its range, limits and alarm thresholds. */
export interface PointFactorView {
  readonly factorCode: string;
  /** The HJ 212-2005 code of the factor, for 2005 data loggers. */
  readonly code2005: string | null;
  readonly unit: string;
  readonly rangeLow: number | null;
  readonly rangeHigh: number | null;
  readonly hourLimit: number | null;
  readonly dayLimit: number | null;
  /** 考核因子 (`assessedFactor`): counted in the effective transmission rate. */
  readonly assessed: boolean;
  readonly alarmLow: number | null;
  readonly alarmHigh: number | null;
}

export interface PointFactorInput {
  readonly factorCode: string;
  readonly code2005?: string | null;
  readonly unit: string;
  readonly rangeLow?: number | null;
  readonly rangeHigh?: number | null;
  readonly hourLimit?: number | null;
  readonly dayLimit?: number | null;
  readonly assessed: boolean;
  readonly alarmLow?: number | null;
  readonly alarmHigh?: number | null;
}

export function factorView(row: Selectable<PointFactorTable>): PointFactorView {
  return {
    factorCode: row.factor_code,
    code2005: row.code_2005,
    unit: row.unit,
    rangeLow: row.range_low,
    rangeHigh: row.range_high,
    hourLimit: row.hour_limit,
    dayLimit: row.day_limit,
    assessed: Number(row.assessed) === 1,
    alarmLow: row.alarm_low,
    alarmHigh: row.alarm_high,
  };
}

/** Validated factor rows of a point; a factor listed twice, or a low above its high, is an input error. */
export function factorRows(
  pointId: number,
  factors: readonly PointFactorInput[],
): Selectable<PointFactorTable>[] {
  const seen = new Set<string>();
  return factors.map((factor) => {
    const code = requireText('factorCode', factor.factorCode);
    if (seen.has(code))
      throw new StoreError('STORE_E_INVALID', { field: 'factorCode', value: code, problem: 'repeated' });
    seen.add(code);
    if (typeof factor.assessed !== 'boolean') {
      throw new StoreError('STORE_E_INVALID', {
        field: 'assessed',
        value: factor.assessed,
        factorCode: code,
      });
    }
    const row = {
      point_id: pointId,
      factor_code: code,
      code_2005: optionalText('code2005', factor.code2005),
      unit: requireText('unit', factor.unit),
      range_low: optionalNumber('rangeLow', factor.rangeLow),
      range_high: optionalNumber('rangeHigh', factor.rangeHigh),
      hour_limit: optionalNumber('hourLimit', factor.hourLimit, 0),
      day_limit: optionalNumber('dayLimit', factor.dayLimit, 0),
      assessed: factor.assessed ? 1 : 0,
      alarm_low: optionalNumber('alarmLow', factor.alarmLow),
      alarm_high: optionalNumber('alarmHigh', factor.alarmHigh),
    };
    if (row.range_low !== null && row.range_high !== null && row.range_low > row.range_high) {
      throw new StoreError('STORE_E_INVALID', {
        field: 'rangeHigh',
        value: row.range_high,
        factorCode: code,
        problem: 'order',
      });
    }
    if (row.alarm_low !== null && row.alarm_high !== null && row.alarm_low > row.alarm_high) {
      throw new StoreError('STORE_E_INVALID', {
        field: 'alarmHigh',
        value: row.alarm_high,
        factorCode: code,
        problem: 'order',
      });
    }
    return row;
  });
}
