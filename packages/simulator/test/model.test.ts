import { DEFAULT_EXCEEDANCE } from '@qingyuan/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accumulate,
  aggregateFlag,
  aggregateRecord,
  baseSample,
  correctedConcentration,
  createModel,
  DEFAULT_FACTORS,
  FACTOR_PROFILES,
  gasFlow,
  mergeAccumulations,
  NORMAL_SHARE_OF_LIMIT,
  periodRecord,
  realtimeRecord,
  SAMPLE_STEP_MS,
  softCeiling,
} from '../src/index.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T00:00:00+08:00');
const water = (mn = 'W1', seed = 1) => createModel({ mn, kind: 'water', factors: [] }, seed);
const gas = (mn = 'G1', seed = 1, referenceO2 = 6) =>
  createModel({ mn, kind: 'gas', factors: [], referenceO2 }, seed);

const arbitraryModel = fc
  .record({
    kind: fc.constantFrom('water' as const, 'gas' as const),
    mn: fc.stringMatching(/^[0-9A-F]{6,24}$/),
    seed: fc.nat(),
  })
  .map(({ kind, mn, seed }) => createModel({ mn, kind, factors: [] }, seed));
/** An hour start within 2020–2030. */
const arbitraryHour = fc
  .integer({ min: 0, max: 24 * 3650 })
  .map((h) => Date.parse('2020-01-01T00:00:00Z') + h * HOUR);

describe('model: factor codes and profiles', () => {
  it('uses the HJ 212-2017 codes of the issue for water and flue gas', () => {
    expect(DEFAULT_FACTORS.water).toEqual(['w00000', 'w01018', 'w21003', 'w21011', 'w21001', 'w01001']);
    expect(DEFAULT_FACTORS.gas).toEqual([
      'a00000',
      'a21026',
      'a21002',
      'a34013',
      'a19001',
      'a01012',
      'a01013',
      'a01011',
      'a01014',
    ]);
    for (const profile of Object.values(FACTOR_PROFILES)) expect(profile.min).toBeLessThan(profile.max);
  });
});

describe('model: invariants (property tests)', () => {
  it('Min ≤ Avg ≤ Max for every factor of every period, and Zs keep the order', () => {
    fc.assert(
      fc.property(arbitraryModel, arbitraryHour, fc.constantFrom(600_000, HOUR), (model, start, length) => {
        const record = periodRecord(model, 'hour', start, start + length);
        for (const v of record?.factors ?? []) {
          expect(v.min).toBeLessThanOrEqual(v.avg + 1e-9);
          expect(v.avg).toBeLessThanOrEqual(v.max + 1e-9);
          if (v.zsAvg !== undefined) {
            expect(v.zsMin as number).toBeLessThanOrEqual(v.zsAvg + 1e-9);
            expect(v.zsAvg).toBeLessThanOrEqual((v.zsMax as number) + 1e-9);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('values stay within the plausible range of their factor', () => {
    fc.assert(
      fc.property(arbitraryModel, fc.integer({ min: 0, max: 10 * 365 * 2880 }), (model, step) => {
        const sample = baseSample(model, Date.parse('2020-01-01T00:00:00Z') + step * SAMPLE_STEP_MS);
        for (const factor of model.computed) {
          const value = sample.values[factor.code] as number;
          expect(value).toBeGreaterThanOrEqual(factor.min);
          expect(value).toBeLessThanOrEqual(factor.max);
          expect(sample.flags[factor.code]).toBe('N');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic by seed: the same seed gives the same record, another seed other values', () => {
    fc.assert(
      fc.property(fc.nat(), arbitraryHour, (seed, start) => {
        const a = periodRecord(water('W9', seed), 'hour', start, start + HOUR);
        const b = periodRecord(water('W9', seed), 'hour', start, start + HOUR);
        const c = periodRecord(water('W9', seed + 1), 'hour', start, start + HOUR);
        expect(a).toEqual(b);
        expect(a).not.toEqual(c);
      }),
      { numRuns: 20 },
    );
  });

  it('Cou is additive (minutes → hour → day) and matches its formula', () => {
    fc.assert(
      fc.property(arbitraryModel, arbitraryHour, (model, start) => {
        const minutes = [0, 1, 2, 3, 4, 5].map((i) =>
          accumulate(model, start + i * 600_000, start + (i + 1) * 600_000),
        );
        const hour = aggregateRecord(
          model,
          'hour',
          start,
          start + HOUR,
          accumulate(model, start, start + HOUR),
        );
        const merged = aggregateRecord(model, 'hour', start, start + HOUR, mergeAccumulations(minutes));
        const minuteRecords = minutes.map((m, i) =>
          aggregateRecord(model, 'minute', start + i * 600_000, start + (i + 1) * 600_000, m),
        );
        for (const [i, v] of (hour?.factors ?? []).entries()) {
          const m = merged?.factors[i];
          expect(m?.avg).toBeCloseTo(v.avg, 9);
          expect(m?.min).toBe(v.min);
          expect(m?.max).toBe(v.max);
          if (v.cou === undefined) continue;
          const sum = minuteRecords.reduce((total, r) => total + (r?.factors[i]?.cou ?? 0), 0);
          expect(sum).toBeCloseTo(v.cou, 6);
          // min of minute mins / max of minute maxes
          expect(Math.min(...minuteRecords.map((r) => r?.factors[i]?.min as number))).toBe(v.min);
          expect(Math.max(...minuteRecords.map((r) => r?.factors[i]?.max as number))).toBe(v.max);
        }
        // Flow Cou = Avg × duration (equal-spaced samples): water L/s → m³ (/1000), gas m³/s → m³.
        const flow = hour?.factors.find((f) => f.code === model.flowCode);
        const perSecond = model.kind === 'water' ? 1e-3 : 1;
        expect(flow?.cou).toBeCloseTo((flow?.avg as number) * 3600 * perSecond, 6);
        // Pollutant Cou ≈ Avg × flow Cou × 10⁻³ (water, mg/L × m³ → kg) or × 10⁻⁶ (gas, mg/m³ × m³ → kg).
        const k = model.kind === 'water' ? 1e-3 : 1e-6;
        for (const v of hour?.factors ?? []) {
          const profile = model.factors.find((f) => f.code === v.code);
          if (profile?.role !== 'concentration') continue;
          const approx = v.avg * (flow?.cou as number) * k;
          expect(Math.abs((v.cou as number) - approx)).toBeLessThanOrEqual(0.1 * approx + 1e-9);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('model: normal data stays under the early-warning share of its limit', () => {
  it('a limited factor tops out at NORMAL_SHARE_OF_LIMIT × limit, below the platform’s warning share', () => {
    expect(NORMAL_SHARE_OF_LIMIT).toBeLessThan(DEFAULT_EXCEEDANCE.warningShare);
    const limited = Object.values(FACTOR_PROFILES).filter((f) => f.limit !== undefined);
    expect(limited.map((f) => f.code).sort()).toEqual(
      ['a21002', 'a21026', 'a34013', 'w01018', 'w21001', 'w21003', 'w21011'].sort(),
    );
    for (const f of limited) expect(f.max).toBeCloseTo(NORMAL_SHARE_OF_LIMIT * (f.limit as number), 12);
  });

  it('softCeiling: the identity below its knee, strictly increasing, not reaching the ceiling (within float resolution)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e3, noNaN: true }),
        (ceiling, value, step) => {
          const a = softCeiling(value, ceiling);
          expect(a).toBeLessThanOrEqual(Math.max(value, ceiling));
          if (value <= 0.75 * ceiling) expect(a).toBe(value);
          else expect(a).toBeLessThanOrEqual(ceiling);
          if (value < 2 * ceiling) expect(a).toBeLessThan(ceiling);
          const b = softCeiling(value + step, ceiling);
          // Strict where float resolution allows (tanh saturates far above the ceiling).
          expect(b).toBeGreaterThanOrEqual(a);
          if (value + step < 2 * ceiling) expect(b).toBeGreaterThan(a);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every minute and hour of a normal device (Zs where one applies, any reference O₂) is under the warning share', () => {
    const arbitraryDevice = fc
      .record({
        kind: fc.constantFrom('water' as const, 'gas' as const),
        mn: fc.stringMatching(/^[0-9A-F]{6,24}$/),
        seed: fc.nat(),
        referenceO2: fc.constantFrom(3, 6, 9, 11, 15),
      })
      .map(({ kind, mn, seed, referenceO2 }) => createModel({ mn, kind, factors: [], referenceO2 }, seed));
    fc.assert(
      fc.property(arbitraryDevice, arbitraryHour, (model, start) => {
        const minutes = Array.from({ length: 60 }, (_, i) =>
          periodRecord(model, 'minute', start + i * 60_000, start + (i + 1) * 60_000),
        );
        for (const record of [...minutes, periodRecord(model, 'hour', start, start + HOUR)]) {
          for (const v of record?.factors ?? []) {
            const limit = FACTOR_PROFILES[v.code]?.limit;
            if (limit === undefined) continue;
            expect(v.zsAvg ?? v.avg).toBeLessThan(DEFAULT_EXCEEDANCE.warningShare * limit);
            expect(v.zsMax ?? v.max).toBeLessThan(DEFAULT_EXCEEDANCE.warningShare * limit);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('model: a point’s own limits', () => {
  it('keeps normal data under the warning share of any limits the device carries, and scales down for strict ones', () => {
    const limitsFor = (kind: 'water' | 'gas') =>
      fc.record(
        Object.fromEntries(
          DEFAULT_FACTORS[kind]
            .filter((code) => FACTOR_PROFILES[code]?.role === 'concentration')
            .map((code) => [code, fc.double({ min: 0.01, max: 2000, noNaN: true })]),
        ),
        { requiredKeys: [] },
      );
    const arbitrary = fc
      .record({ kind: fc.constantFrom('water' as const, 'gas' as const), seed: fc.nat() })
      .chain(({ kind, seed }) =>
        fc.record({
          model: limitsFor(kind).map((limits) =>
            createModel(
              { mn: `M${seed}`, kind, factors: [], referenceO2: 9, limits: limits as Record<string, number> },
              seed,
            ),
          ),
          start: arbitraryHour,
        }),
      );
    fc.assert(
      fc.property(arbitrary, ({ model, start }) => {
        for (let i = 0; i < 60; i += 7) {
          const record = periodRecord(model, 'minute', start + i * 60_000, start + (i + 1) * 60_000);
          for (const v of record?.factors ?? []) {
            const profile = model.factors.find((f) => f.code === v.code);
            if (profile?.limit === undefined) continue;
            expect(v.zsMax ?? v.max).toBeLessThan(DEFAULT_EXCEEDANCE.warningShare * profile.limit);
            expect(v.min).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: 80 },
    );
    // A strict COD limit (50 against the typical 100) brings the level down with it, not to the ceiling.
    const typical = createModel({ mn: 'W7', kind: 'water', factors: [] }, 7);
    const strict = createModel({ mn: 'W7', kind: 'water', factors: [], limits: { w01018: 50 } }, 7);
    expect(strict.level.w01018).toBeCloseTo((typical.level.w01018 as number) / 2, 9);
    expect(strict.factors.find((f) => f.code === 'w01018')).toMatchObject({ limit: 50, max: 42.5 });
    // A lax one keeps the data as it is; flow and pH take no limit.
    const lax = createModel({ mn: 'W7', kind: 'water', factors: [], limits: { w01018: 500, w01001: 9 } }, 7);
    expect(lax.level).toEqual(typical.level);
    expect(lax.factors.find((f) => f.code === 'w01001')).toEqual(FACTOR_PROFILES.w01001);
  });
});

describe('model: 折算 (Zs) and gas flow', () => {
  it('ZsRtd = Rtd × (21 − O₂ref)/(21 − O₂) with the same instant O₂', () => {
    const model = gas('G2', 5, 9);
    const record = realtimeRecord(model, T0 + 5 * HOUR);
    const o2 = record.factors.find((f) => f.code === 'a19001')?.rtd as number;
    const so2 = record.factors.find((f) => f.code === 'a21026');
    expect(so2?.zsRtd).toBeCloseTo(((so2?.rtd as number) * (21 - 9)) / (21 - o2), 9);
    expect(record.factors.find((f) => f.code === 'a19001')?.zsRtd).toBeUndefined();
  });

  it('ZsAvg/ZsMin/ZsMax use the period average O₂', () => {
    const model = gas('G3', 2, 6);
    const record = periodRecord(model, 'hour', T0, T0 + HOUR);
    const o2 = record?.factors.find((f) => f.code === 'a19001')?.avg as number;
    for (const code of ['a21026', 'a21002', 'a34013']) {
      const v = record?.factors.find((f) => f.code === code);
      expect(v?.zsAvg).toBeCloseTo(((v?.avg as number) * 15) / (21 - o2), 9);
      expect(v?.zsMax).toBeCloseTo(((v?.max as number) * 15) / (21 - o2), 9);
    }
  });

  it('guards O₂ near 21 %: the deficit is floored at 0.5', () => {
    expect(correctedConcentration(10, 20.95, 6)).toBeCloseTo(300, 9);
    expect(correctedConcentration(10, 21, 6)).toBeCloseTo(300, 9);
    expect(Number.isFinite(correctedConcentration(10, 25, 6))).toBe(true);
  });

  it('flue-gas flow is velocity × area at standard dry state', () => {
    expect(gasFlow(4, { a01011: 10, a01012: 0, a01013: 0, a01014: 0 })).toBeCloseTo(40, 9);
    expect(gasFlow(4, { a01011: 10, a01012: 273, a01013: 0, a01014: 10 })).toBeCloseTo(40 * 0.5 * 0.9, 9);
    const model = gas('G4', 3);
    const sample = baseSample(model, T0);
    expect(sample.values.a00000).toBeCloseTo(gasFlow(model.ductArea, sample.values), 9);
  });

  it('has a diurnal profile: afternoon flow above the night', () => {
    const model = water('W5', 4);
    const day = T0;
    let afternoon = 0;
    let night = 0;
    for (let d = 0; d < 5; d++) {
      afternoon += periodRecord(
        model,
        'hour',
        day + d * 24 * HOUR + 14 * HOUR,
        day + d * 24 * HOUR + 16 * HOUR,
      )?.factors[0]?.avg as number;
      night += periodRecord(model, 'hour', day + d * 24 * HOUR + 2 * HOUR, day + d * 24 * HOUR + 4 * HOUR)
        ?.factors[0]?.avg as number;
    }
    expect(afternoon).toBeGreaterThan(night);
  });
});

describe('model: aggregate flags (HJ 212-2017 notes to 表 C.16–C.18)', () => {
  it('water: one abnormal value marks the aggregate', () => {
    expect(aggregateFlag('water', { N: 119, M: 1 })).toBe('M');
    expect(aggregateFlag('water', { N: 120 })).toBe('N');
  });
  it('flue gas: at least 75 % normal gives N', () => {
    expect(aggregateFlag('gas', { N: 90, D: 30 })).toBe('N');
    expect(aggregateFlag('gas', { N: 89, C: 31 })).toBe('C');
  });
});
