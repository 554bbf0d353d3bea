import { describe, expect, it } from 'vitest';
import {
  ANOMALY_THRESHOLD_SPECS,
  anomalyConfigReach,
  anomalySettingsProblems,
  DEFAULT_ANOMALY_THRESHOLDS,
  EMPTY_ANOMALY_SETTINGS,
  HOUR_MS,
  hourlyAnomalyReach,
  resolveAnomalySettings,
} from '../src/index.js';

describe('anomaly settings', () => {
  it('describes every threshold once, with a built-in default inside its range', () => {
    const names = ANOMALY_THRESHOLD_SPECS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n !== 'recomputeTolerance').sort()).toEqual(
      Object.keys(DEFAULT_ANOMALY_THRESHOLDS).sort(),
    );
    for (const s of ANOMALY_THRESHOLD_SPECS) {
      const v = DEFAULT_ANOMALY_THRESHOLDS[s.name];
      if (v === undefined) continue;
      expect(v, s.name).toBeGreaterThanOrEqual(s.min);
      expect(v, s.name).toBeLessThanOrEqual(s.max);
      if (s.integer) expect(Number.isInteger(v), s.name).toBe(true);
    }
    expect(anomalySettingsProblems(EMPTY_ANOMALY_SETTINGS)).toEqual([]);
  });

  it('names each problem: range, whole numbers, unknown names, factors and types, contradictions', () => {
    expect(
      anomalySettingsProblems({
        defaults: { constantHours: 0, suddenK: Number.NaN },
        factors: { a21026: { constantMinutes: 2.5 }, 'no good': {} },
        disabled: { w01018: ['nonsense' as 'missing'] },
      }),
    ).toEqual([
      { kind: 'range', field: 'constantHours', factor: null, value: 0, min: 2, max: 168, integer: true },
      { kind: 'range', field: 'suddenK', factor: null, value: Number.NaN, min: 1, max: 100, integer: false },
      {
        kind: 'range',
        field: 'constantMinutes',
        factor: 'a21026',
        value: 2.5,
        min: 2,
        max: 1440,
        integer: true,
      },
      { kind: 'factor', factor: 'no good' },
      { kind: 'unknown-type', factor: 'w01018', type: 'nonsense' },
    ]);
    expect(anomalySettingsProblems({ defaults: { bogus: 1 } as never, factors: {}, disabled: {} })).toEqual([
      { kind: 'unknown-threshold', field: 'bogus', factor: null },
    ]);
    // Each value within its range, yet together impossible (judged merged with the defaults).
    expect(
      anomalySettingsProblems({
        defaults: { nearLimitMinHours: 100 },
        factors: { a21026: { nearLimitLow: 1, nearLimitHigh: 0.9 } },
        disabled: {},
      }).map((p) => [p.kind, p.factor, 'field' in p ? p.field : null]),
    ).toEqual([
      ['inconsistent', null, 'nearLimitMinHours'],
      ['inconsistent', 'a21026', 'nearLimitLow'],
      ['inconsistent', 'a21026', 'nearLimitMinHours'],
    ]);
  });

  it('resolves to a configuration: built-in defaults for what is not set, overrides and switches kept', () => {
    const config = resolveAnomalySettings({
      defaults: { constantHours: 4 },
      factors: { a21026: { constantHours: 8 } },
      disabled: { '*': ['offline'] },
    });
    expect(config.defaults).toEqual({ ...DEFAULT_ANOMALY_THRESHOLDS, constantHours: 4 });
    expect(config.factors).toEqual({ a21026: { constantHours: 8 } });
    expect(config.disabled).toEqual({ '*': ['offline'] });
  });

  it('reaches as far as the widest factor needs', () => {
    const plain = resolveAnomalySettings(EMPTY_ANOMALY_SETTINGS);
    expect(anomalyConfigReach(plain)).toEqual(hourlyAnomalyReach(DEFAULT_ANOMALY_THRESHOLDS));
    const wide = resolveAnomalySettings({
      defaults: {},
      factors: { a21026: { constantHours: 24 }, a21002: { nearLimitWindowHours: 200 } },
      disabled: {},
    });
    expect(anomalyConfigReach(wide)).toEqual({ before: 199 * HOUR_MS, after: 23 * HOUR_MS });
  });
});
