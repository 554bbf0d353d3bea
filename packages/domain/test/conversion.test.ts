import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  correctByCoefficient,
  correctToReferenceO2,
  DEFAULT_RULES,
  DomainError,
  excessAirCoefficient,
  mgPerM3ToPpm,
  noxAsNO2,
  ppmToMgPerM3,
  type Reading,
  recomputeCorrected,
  ruleConfig,
  standardDryFlow,
  toStandardState,
  wetToDry,
} from '../src/index.js';

describe('HJ 75-2017 附录 A conversions, hand-computed', () => {
  it('A1 actual → standard state', () => {
    // 100 × 101325/101325 × (273 + 127)/273 = 100 × 400/273
    expect(toStandardState(100, { temperatureC: 127, atmosphericPa: 101_325, staticPa: 0 })).toBeCloseTo(
      40_000 / 273,
      10,
    );
    // 0 °C, Ba + Ps = 90 000 Pa: 100 × 101325/90000 = 112.58333…
    expect(toStandardState(100, { temperatureC: 0, atmosphericPa: 91_000, staticPa: -1_000 })).toBeCloseTo(
      112.583333333,
      8,
    );
    expect(() => toStandardState(1, { temperatureC: 20, atmosphericPa: 0, staticPa: 0 })).toThrow(
      DomainError,
    );
    expect(() => toStandardState(1, { temperatureC: -300, atmosphericPa: 1e5, staticPa: 0 })).toThrow(
      DomainError,
    );
  });

  it('A2 wet → dry', () => {
    expect(wetToDry(100, 0.2)).toBeCloseTo(125, 12);
    expect(wetToDry(100, 0)).toBe(100);
    expect(() => wetToDry(100, 1)).toThrow(/DOMAIN_E_INPUT/);
    expect(() => wetToDry(100, -0.1)).toThrow(DomainError);
  });

  it('A3 ppm → mg/m³ with the rounded molar masses', () => {
    expect(ppmToMgPerM3(100, 'SO2')).toBeCloseTo(285.714285714, 8); // 64/22.4 × 100
    expect(ppmToMgPerM3(22.4, 'NO2')).toBeCloseTo(46, 12);
    expect(ppmToMgPerM3(22.4, 'NO')).toBeCloseTo(30, 12);
    expect(ppmToMgPerM3(22.4, 'CO')).toBeCloseTo(28, 12);
    expect(ppmToMgPerM3(22.4, 17)).toBeCloseTo(17, 12);
    expect(mgPerM3ToPpm(ppmToMgPerM3(37, 'SO2'), 'SO2')).toBeCloseTo(37, 12);
    expect(() => ppmToMgPerM3(1, 'XYZ')).toThrow(DomainError);
  });

  it('A4 NOx as NO₂: NO × 46/30 + NO₂', () => {
    expect(noxAsNO2(30, 10)).toBeCloseTo(56, 12);
    expect(noxAsNO2(0, 12)).toBe(12);
  });

  it('A8 excess-air coefficient, A7 by coefficient, A9 by reference O₂', () => {
    expect(excessAirCoefficient(11).value).toBeCloseTo(2.1, 12);
    expect(excessAirCoefficient(6).value).toBeCloseTo(1.4, 12);
    expect(correctByCoefficient(100, 2.1, 1.4)).toBeCloseTo(150, 10);
    // 100 × (21 − 6)/(21 − 11) = 150
    expect(correctToReferenceO2(100, 11, 6)).toEqual({ value: 150 });
    // waste incineration, reference 11 %: 50 × 10/12
    expect(correctToReferenceO2(50, 9, 11).value).toBeCloseTo(41.666666667, 8);
  });

  it('A9 guard: O₂ at or above the ceiling is not corrected', () => {
    expect(correctToReferenceO2(100, 20, 6)).toEqual({
      value: undefined,
      reason: 'dilution / O₂ near ambient (O₂ 20 %)',
    });
    expect(correctToReferenceO2(100, 20.9, 6).value).toBeUndefined();
    expect(correctToReferenceO2(100, 19.99, 6).value).toBeCloseTo(1500 / 1.01, 8);
    const strict = ruleConfig({ version: 'x', oxygenCeiling: 19 });
    expect(correctToReferenceO2(100, 19.5, 6, strict).value).toBeUndefined();
    expect(excessAirCoefficient(21).reason).toMatch(/^dilution/);
    expect(() => correctToReferenceO2(100, -1, 6)).toThrow(DomainError);
    expect(() => correctToReferenceO2(100, 5, 21)).toThrow(DomainError);
  });

  it('standard dry flow Q_sn', () => {
    // 100 000 × 273/400 × 101325/101325 × 0.9 = 61 425
    expect(
      standardDryFlow(100_000, { temperatureC: 127, atmosphericPa: 101_325, staticPa: 0 }, 0.1),
    ).toBeCloseTo(61_425, 6);
  });
});

describe('properties of 折算', () => {
  const conc = fc.double({ min: 0, max: 1e4, noNaN: true });
  const o2 = fc.double({ min: 0, max: 19.9, noNaN: true });

  it('折算 to the measured O₂ itself is the identity', () => {
    fc.assert(
      fc.property(conc, o2, (c, o) => {
        expect(correctToReferenceO2(c, o, o).value).toBeCloseTo(c, 6);
      }),
    );
  });

  it('monotonic: more measured O₂ never gives a lower corrected value', () => {
    fc.assert(
      fc.property(conc, o2, o2, fc.double({ min: 0, max: 20, noNaN: true }), (c, a, b, ref) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const vLo = correctToReferenceO2(c, lo, ref).value as number;
        const vHi = correctToReferenceO2(c, hi, ref).value as number;
        expect(vHi).toBeGreaterThanOrEqual(vLo);
      }),
    );
  });

  it('A7 with A8 coefficients equals A9', () => {
    fc.assert(
      fc.property(conc, o2, fc.double({ min: 0, max: 19.9, noNaN: true }), (c, o, ref) => {
        const a = excessAirCoefficient(o).value as number;
        const as = excessAirCoefficient(ref).value as number;
        expect(correctByCoefficient(c, a, as)).toBeCloseTo(
          correctToReferenceO2(c, o, ref).value as number,
          6,
        );
      }),
    );
  });
});

describe('recomputeCorrected', () => {
  const start = Date.UTC(2026, 2, 10);
  const so2 = (value: number | null, corrected?: number | null): Reading => ({
    factor: 'a21026',
    start,
    value,
    corrected,
    flag: 'N',
  });
  const o2 = (value: number | null): Reading => ({ factor: 'a19001', start, value, flag: 'N' });

  it('agrees within tolerance, disagrees beyond', () => {
    expect(recomputeCorrected(so2(100, 150), o2(11), 6, 0.01)).toEqual({
      ours: 150,
      device: 150,
      agrees: true,
      reason: 'agrees',
    });
    expect(recomputeCorrected(so2(100, 151), o2(11), 6, 0.01).agrees).toBe(true);
    expect(recomputeCorrected(so2(100, 160), o2(11), 6, 0.05).agrees).toBe(false);
    expect(recomputeCorrected(so2(100, 157), o2(11), 6).agrees).toBe(true); // default 5 % (7.5)
  });

  it('cannot judge without values or at ambient O₂', () => {
    expect(recomputeCorrected(so2(100), o2(11), 6)).toMatchObject({
      ours: 150,
      device: null,
      agrees: undefined,
    });
    expect(recomputeCorrected(so2(null, 1), o2(11), 6).reason).toBe('no measured value');
    expect(recomputeCorrected(so2(1, 1), o2(null), 6).reason).toBe('no O₂ value');
    expect(recomputeCorrected(so2(3, 40), o2(20.8), 6, 0.05, DEFAULT_RULES)).toMatchObject({
      ours: undefined,
      device: 40,
      agrees: undefined,
    });
  });
});
