import { describe, expect, it } from 'vitest';
import {
  beijingInstant,
  DomainError,
  emissionRateKgPerHour,
  HOUR_MS,
  type HourlyEmission,
  hourlyEmissionKg,
  substituteEmission,
  sumEmissions,
  waterLoadKg,
} from '../src/index.js';

describe('emission amounts, hand-computed', () => {
  it('gas: kg = mg/m³ × m³/h × 10⁻⁶ × h', () => {
    // 50 mg/m³ × 200 000 m³/h = 10 000 000 mg/h = 10 kg/h
    expect(emissionRateKgPerHour(50, 200_000)).toBeCloseTo(10, 12);
    expect(hourlyEmissionKg(50, 200_000)).toBeCloseTo(10, 12);
    expect(hourlyEmissionKg(50, 200_000, 0.5)).toBeCloseTo(5, 12);
  });

  it('water: kg = mg/L × m³ × 10⁻³', () => {
    // 80 mg/L × 1 500 m³ = 120 000 g = 120 kg
    expect(waterLoadKg(80, 1_500)).toBeCloseTo(120, 12);
  });
});

describe('sumEmissions over Beijing periods', () => {
  // Hours from 2026-01-31 22:00 to 2026-02-01 02:00 Beijing, 1 kg each, plus one on 2026-04-01 00:00.
  const start = beijingInstant(2026, 1, 31, 22);
  const hourly: HourlyEmission[] = [
    ...Array.from({ length: 4 }, (_, i) => ({ start: start + i * HOUR_MS, kg: 1 + i })),
    { start: beijingInstant(2026, 4, 1), kg: 10 },
  ];

  it('days cut at Beijing midnight', () => {
    expect(sumEmissions(hourly, 'day')).toEqual([
      { from: beijingInstant(2026, 1, 31), to: beijingInstant(2026, 2, 1), kg: 3, hours: 2 },
      { from: beijingInstant(2026, 2, 1), to: beijingInstant(2026, 2, 2), kg: 7, hours: 2 },
      { from: beijingInstant(2026, 4, 1), to: beijingInstant(2026, 4, 2), kg: 10, hours: 1 },
    ]);
  });

  it('months, quarters, years; input order does not matter', () => {
    const reversed = [...hourly].reverse();
    expect(sumEmissions(reversed, 'month').map((t) => t.kg)).toEqual([3, 7, 10]);
    expect(sumEmissions(reversed, 'quarter')).toEqual([
      { from: beijingInstant(2026, 1, 1), to: beijingInstant(2026, 4, 1), kg: 10, hours: 4 },
      { from: beijingInstant(2026, 4, 1), to: beijingInstant(2026, 7, 1), kg: 10, hours: 1 },
    ]);
    expect(sumEmissions(hourly, 'year')).toEqual([
      { from: beijingInstant(2026, 1, 1), to: beijingInstant(2027, 1, 1), kg: 20, hours: 5 },
    ]);
    expect(sumEmissions([], 'day')).toEqual([]);
    expect(() => sumEmissions([{ start, kg: Number.NaN }], 'day')).toThrow(DomainError);
  });
});

describe('substituteEmission (HJ 75-2017 §11 table [M])', () => {
  const T = beijingInstant(2026, 5, 10, 12);
  /** Valid hours ending at `end`, newest first: hour k before `end` has `kg(k)`. */
  const history = (end: number, n: number, kg: (k: number) => number): HourlyEmission[] =>
    Array.from({ length: n }, (_, k) => ({ start: end - (k + 1) * HOUR_MS, kg: kg(k) }));
  // Within the last 180 h max 5; within 720 max 7 (at k = 500); within 2160 max 9 (at k = 2000); beyond 99.
  const kg = (k: number) => (k === 2000 ? 9 : k === 500 ? 7 : k === 2500 ? 99 : k % 5) + 1;
  const past = history(T, 3000, kg);
  const run = (hours: number, cause: 'out-of-control' | 'maintenance' | 'other') => ({
    from: T,
    to: T + hours * HOUR_MS,
    cause,
  });

  it.each([
    ['maintenance', 0.95, 24, 180, 5],
    ['maintenance', 0.9, 25, 720, 8],
    ['other', 0.92, 3, 180, 5],
    ['other', 0.92, 100, 720, 8],
    ['maintenance', 0.89, 3, 2160, 10],
    ['maintenance', 0.75, 300, 2160, 10],
    ['out-of-control', 0.95, 24, 180, 5],
    ['out-of-control', 0.95, 48, 720, 8],
    ['out-of-control', 0.8, 2, 2160, 10],
  ] as const)('%s, α %f, %i h → window %i, %f kg/h', (cause, alpha, n, window, hourlyKg) => {
    const r = substituteEmission({ invalidRun: run(n, cause), history: past, alpha });
    expect(r).toMatchObject({
      status: 'substituted',
      window,
      hourlyKg,
      totalKg: hourlyKg * n,
      invalidHours: n,
    });
  });

  it('α < 75 % is not covered: no value is invented', () => {
    const r = substituteEmission({ invalidRun: run(5, 'maintenance'), history: past, alpha: 0.7499 });
    expect(r.status).toBe('not-covered');
    if (r.status === 'not-covered') expect(r.reason).toMatch(/< 75 %/);
  });

  it('out of control: history is taken before the last calibration, not before the invalid run', () => {
    // Last calibration 200 h before T: the 180 hours before it are k = 200…379 (k from T), max kg(…)=5;
    // a big hour between the calibration and T must be ignored.
    const withSpike = past.map((h) => (h.start === T - 10 * HOUR_MS ? { ...h, kg: 1000 } : h));
    const r = substituteEmission({
      invalidRun: run(10, 'out-of-control'),
      history: withSpike,
      alpha: 0.95,
      lastCalibrationAt: T - 200 * HOUR_MS,
    });
    expect(r).toMatchObject({ status: 'substituted', hourlyKg: 5, cutoff: T - 200 * HOUR_MS });
    const m = substituteEmission({ invalidRun: run(10, 'maintenance'), history: withSpike, alpha: 0.95 });
    expect(m).toMatchObject({ hourlyKg: 1000 });
  });

  it('hours at or after the cut-off, and partial hours, are ignored; a partial invalid hour counts whole', () => {
    const r = substituteEmission({
      invalidRun: { from: T, to: T + 90 * 60_000, cause: 'maintenance' },
      history: [
        { start: T - HOUR_MS, kg: 2 },
        { start: T - HOUR_MS / 2, kg: 50 }, // ends after T
        { start: T + HOUR_MS, kg: 70 },
      ],
      alpha: 1,
    });
    expect(r).toMatchObject({ status: 'substituted', hourlyKg: 2, invalidHours: 2, totalKg: 4 });
  });

  it('short history is used and reported; no history is not covered', () => {
    const r = substituteEmission({
      invalidRun: run(2, 'other'),
      history: history(T, 10, () => 3),
      alpha: 0.99,
    });
    expect(r).toMatchObject({ status: 'substituted', historyHours: 10, shortHistory: true, hourlyKg: 3 });
    expect(substituteEmission({ invalidRun: run(2, 'other'), history: [], alpha: 0.99 }).status).toBe(
      'not-covered',
    );
  });

  it('rejects bad input', () => {
    expect(() => substituteEmission({ invalidRun: run(0, 'other'), history: past, alpha: 0.9 })).toThrow(
      DomainError,
    );
    expect(() => substituteEmission({ invalidRun: run(1, 'other'), history: past, alpha: 90 })).toThrow(
      DomainError,
    );
    expect(() =>
      substituteEmission({
        invalidRun: run(1, 'other'),
        history: [past[0], past[0]] as HourlyEmission[],
        alpha: 0.9,
      }),
    ).toThrow(/DOMAIN_E_INPUT/);
    expect(() =>
      substituteEmission({
        invalidRun: run(1, 'out-of-control'),
        history: past,
        alpha: 0.9,
        lastCalibrationAt: T + 1,
      }),
    ).toThrow(DomainError);
  });
});
