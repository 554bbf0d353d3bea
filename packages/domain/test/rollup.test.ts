import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  beijingInstant,
  compareRollup,
  DAY_MS,
  DEFAULT_RULES,
  DomainError,
  dayFromHours,
  finishRollup,
  HOUR_MS,
  hourFromMinutes,
  hourVolume,
  type JudgedReading,
  MINUTE_MS,
  mergeSums,
  monthFromDays,
  rollupAsReading,
  ruleConfig,
  sumRecords,
  type Validity,
  waterDailyMean,
  waterDailyPH,
} from '../src/index.js';

const H0 = beijingInstant(2026, 3, 10, 8);
const rec = (start: number, value: number | null, validity: Validity, extra: Partial<JudgedReading> = {}) =>
  ({ factor: 'a21026', start, value, flag: 'N', validity, ...extra }) as JudgedReading;
/** Minute i of hour H0 has value i; the first `valid` minutes are valid, the rest `rest`. */
const minutes = (valid: number, rest: Validity = 'invalid') =>
  Array.from({ length: 60 }, (_, i) => rec(H0 + i * MINUTE_MS, i, i < valid ? 'valid' : rest));

describe('hourFromMinutes (HJ 76-2017 附录 B: ≥ 45 valid minutes)', () => {
  it('45 valid minutes make a valid hour whose value is their mean', () => {
    const r = hourFromMinutes(minutes(45), DEFAULT_RULES);
    expect(r).toMatchObject({ status: 'valid', valid: true, value: 22, min: 0, max: 44, validCount: 45 });
    expect(r.count).toBe(60);
    expect(r.required).toBe(45);
  });

  it('10-minute records (HJ 212 MinInterval 10) need 5 valid records for the same 45-minute coverage', () => {
    const tens = (valid: number) =>
      Array.from({ length: 6 }, (_, i) =>
        rec(H0 + i * 10 * MINUTE_MS, 10 + i, i < valid ? 'valid' : 'invalid'),
      );
    expect(hourFromMinutes(tens(5), DEFAULT_RULES, 10)).toMatchObject({
      status: 'valid',
      required: 5,
      value: 12,
    });
    expect(hourFromMinutes(tens(4), DEFAULT_RULES, 10)).toMatchObject({ status: 'invalid', required: 5 });
    expect(() => hourFromMinutes(tens(4), DEFAULT_RULES, 0)).toThrow(/DOMAIN_E_INPUT/);
  });

  it('44 valid minutes do not; the mean is still reported', () => {
    const r = hourFromMinutes(minutes(44), DEFAULT_RULES);
    expect(r).toMatchObject({ status: 'invalid', valid: false, value: 21.5, validCount: 44 });
    expect(r.reason).toBe('44 valid minutes, 45 needed');
  });

  it('suspect minutes and minutes without value do not count; missing minutes are simply absent', () => {
    const ms = minutes(45, 'suspect');
    ms[0] = rec(H0, null, 'valid');
    expect(hourFromMinutes(ms, DEFAULT_RULES)).toMatchObject({ status: 'invalid', validCount: 44 });
    expect(hourFromMinutes(minutes(60).slice(0, 45), DEFAULT_RULES).status).toBe('valid');
  });

  it('uses each minute’s Min/Max for the hour’s min/max when present', () => {
    const ms = minutes(50).map((m, i) => (i === 3 ? { ...m, min: -1, max: 99 } : m));
    expect(hourFromMinutes(ms, DEFAULT_RULES)).toMatchObject({ min: -1, max: 99 });
  });

  it('all minutes excluded → excluded; a partly stopped hour below threshold is invalid; none → invalid', () => {
    expect(hourFromMinutes(minutes(0, 'excluded'), DEFAULT_RULES)).toMatchObject({
      status: 'excluded',
      value: null,
      excludedCount: 60,
    });
    expect(hourFromMinutes(minutes(30, 'excluded'), DEFAULT_RULES).status).toBe('invalid');
    expect(hourFromMinutes([], DEFAULT_RULES)).toMatchObject({ status: 'invalid', value: null, count: 0 });
  });

  it('rejects minutes of two hours, duplicate minutes, and a nonsense threshold', () => {
    expect(() =>
      hourFromMinutes([rec(H0, 1, 'valid'), rec(H0 + HOUR_MS, 1, 'valid')], DEFAULT_RULES),
    ).toThrow(DomainError);
    expect(() => hourFromMinutes([rec(H0, 1, 'valid'), rec(H0, 2, 'valid')], DEFAULT_RULES)).toThrow(
      /duplicate/,
    );
    expect(() => hourFromMinutes([], ruleConfig({ version: 'x', validMinutesPerHour: 61 }))).toThrow(
      /DOMAIN_E_CONFIG/,
    );
  });

  it('honours a configured threshold', () => {
    expect(hourFromMinutes(minutes(40), ruleConfig({ version: 'x', validMinutesPerHour: 40 })).valid).toBe(
      true,
    );
  });

  const arbMinutes = fc
    .uniqueArray(fc.integer({ min: 0, max: 59 }), { minLength: 0, maxLength: 60 })
    .chain((idx) =>
      fc.tuple(
        ...idx.map((i) =>
          fc
            .tuple(
              fc.double({ min: -1e3, max: 1e3, noNaN: true }),
              fc.constantFrom<Validity>('valid', 'valid', 'valid', 'invalid', 'excluded', 'suspect'),
            )
            .map(([v, validity]) => rec(H0 + i * MINUTE_MS, v, validity)),
        ),
      ),
    );

  it('property: the result does not depend on the order of minutes', () => {
    fc.assert(
      fc.property(
        arbMinutes.chain((ms) =>
          fc.tuple(fc.constant(ms), fc.shuffledSubarray(ms, { minLength: ms.length })),
        ),
        ([ms, shuffled]) => {
          const a = hourFromMinutes(ms, DEFAULT_RULES);
          const b = hourFromMinutes(shuffled, DEFAULT_RULES);
          expect({ ...b, value: null }).toEqual({ ...a, value: null });
          if (a.value === null) expect(b.value).toBeNull();
          else expect(b.value).toBeCloseTo(a.value, 9);
        },
      ),
    );
  });

  it('property: summing chunks and merging equals summing all at once', () => {
    fc.assert(
      fc.property(arbMinutes, fc.array(fc.nat(60), { maxLength: 5 }), (ms, cuts) => {
        const points = [0, ...cuts.map((c) => Math.min(c, ms.length)).sort((x, y) => x - y), ms.length];
        let merged = sumRecords([]);
        for (let i = 1; i < points.length; i++) {
          merged = mergeSums(merged, sumRecords(ms.slice(points[i - 1], points[i])));
        }
        const chunked = finishRollup(merged, 45, 'minute');
        const whole = hourFromMinutes(ms, DEFAULT_RULES);
        expect({ ...chunked, value: null }).toEqual({ ...whole, value: null });
        if (whole.value !== null) expect(chunked.value).toBeCloseTo(whole.value, 9);
      }),
    );
  });
});

describe('dayFromHours (≥ 20 valid hours)', () => {
  const D0 = beijingInstant(2026, 3, 10);
  const hours = (valid: number, rest: Validity = 'invalid') =>
    Array.from({ length: 24 }, (_, i) => rec(D0 + i * HOUR_MS, 10 + i, i < valid ? 'valid' : rest));

  it('20 valid hours → valid, mean of the valid hours; 19 → invalid', () => {
    expect(dayFromHours(hours(20), DEFAULT_RULES)).toMatchObject({
      status: 'valid',
      value: 19.5,
      validCount: 20,
    });
    expect(dayFromHours(hours(19), DEFAULT_RULES)).toMatchObject({
      status: 'invalid',
      value: 19,
      validCount: 19,
    });
  });

  it('an all-stopped day is excluded', () => {
    expect(dayFromHours(hours(0, 'excluded'), DEFAULT_RULES)).toMatchObject({
      status: 'excluded',
      value: null,
    });
  });

  it('cuts days at Beijing midnight: 00:00 Beijing of the next day is another day', () => {
    expect(() => dayFromHours([rec(D0, 1, 'valid'), rec(D0 + DAY_MS, 1, 'valid')], DEFAULT_RULES)).toThrow(
      /span more than one day/,
    );
    expect(() => dayFromHours([rec(D0 - HOUR_MS, 1, 'valid'), rec(D0, 1, 'valid')], DEFAULT_RULES)).toThrow();
  });

  it('chains: hours rolled up from minutes feed the day', () => {
    const h = rollupAsReading(hourFromMinutes(minutes(45), DEFAULT_RULES), 'a21026', H0);
    expect(h).toMatchObject({ validity: 'valid', value: 22, start: H0 });
    expect(dayFromHours([h], DEFAULT_RULES)).toMatchObject({ status: 'invalid', value: 22, validCount: 1 });
  });
});

describe('monthFromDays (≥ 25 valid days, ≥ 23 in February; Beijing months)', () => {
  const days = (year: number, month: number, n: number, valid: number) =>
    Array.from({ length: n }, (_, i) =>
      rec(beijingInstant(year, month, i + 1), 1, i < valid ? 'valid' : 'invalid'),
    );

  it.each([
    [2026, 2, 28, 22, 'invalid'],
    [2026, 2, 28, 23, 'valid'],
    [2028, 2, 29, 22, 'invalid'],
    [2028, 2, 29, 23, 'valid'],
    [2026, 3, 31, 24, 'invalid'],
    [2026, 3, 31, 25, 'valid'],
    [2028, 4, 30, 25, 'valid'],
  ])('%i-%i with %i days, %i valid → %s', (y, m, n, valid, status) => {
    const r = monthFromDays(days(y, m, n, valid), DEFAULT_RULES);
    expect(r.status).toBe(status);
    expect(r.required).toBe(m === 2 ? 23 : 25);
  });

  it('the first of March 00:00 Beijing (Feb 28 16:00 UTC) belongs to March', () => {
    const feb = days(2026, 2, 28, 28);
    expect(() => monthFromDays([...feb, rec(Date.UTC(2026, 1, 28, 16), 1, 'valid')], DEFAULT_RULES)).toThrow(
      /span more than one month/,
    );
  });
});

describe('waterDailyMean (HJ 356-2019, flow-weighted [M])', () => {
  const D0 = beijingInstant(2026, 3, 10);
  const hour = (i: number, c: number, cou: number, cv: Validity = 'valid', fv: Validity = 'valid') => ({
    concentration: {
      factor: 'w01018',
      start: D0 + i * HOUR_MS,
      value: c,
      flag: 'N',
      validity: cv,
    } as JudgedReading,
    flow: {
      factor: 'w00000',
      start: D0 + i * HOUR_MS,
      value: null,
      cou,
      flag: 'N',
      validity: fv,
    } as JudgedReading,
  });
  const three = { minValidHours: 3 };

  it('Σ(C·Q)/ΣQ and load Σ C·Q × 10⁻³ kg', () => {
    // 10·100 + 20·200 + 30·300 = 14 000 mg/L·m³ = 14 000 g = 14 kg; ΣQ = 600 m³; mean 23.333… mg/L.
    const r = waterDailyMean([hour(0, 10, 100), hour(1, 20, 200), hour(2, 30, 300)], DEFAULT_RULES, three);
    expect(r.status).toBe('valid');
    expect(r.value).toBeCloseTo(14_000 / 600, 12);
    expect(r.loadKg).toBeCloseTo(14, 12);
    expect(r.volume).toBe(600);
  });

  it('an hour counts only when both concentration and flow are valid', () => {
    const r = waterDailyMean(
      [hour(0, 10, 100), hour(1, 20, 200, 'invalid'), hour(2, 30, 300, 'valid', 'invalid')],
      DEFAULT_RULES,
      three,
    );
    expect(r).toMatchObject({ status: 'invalid', value: 10, loadKg: 1, validCount: 1 });
  });

  it('default threshold is the gas day threshold (20 h); all stopped → excluded; ΣQ = 0 → excluded', () => {
    const day = Array.from({ length: 24 }, (_, i) => hour(i, 5, 10));
    expect(waterDailyMean(day.slice(0, 20), DEFAULT_RULES).status).toBe('valid');
    expect(waterDailyMean(day.slice(0, 19), DEFAULT_RULES).status).toBe('invalid');
    const stopped = Array.from({ length: 24 }, (_, i) => hour(i, 5, 0, 'excluded', 'excluded'));
    expect(waterDailyMean(stopped, DEFAULT_RULES).status).toBe('excluded');
    const dry = Array.from({ length: 24 }, (_, i) => hour(i, 5, 0));
    expect(waterDailyMean(dry, DEFAULT_RULES)).toMatchObject({ status: 'excluded', value: null, loadKg: 0 });
  });

  it('flow without Cou: value in L/s (default) or m³/h', () => {
    const flow = { factor: 'w00000', start: D0, value: 10, flag: 'N' };
    expect(hourVolume(flow)).toBeCloseTo(36, 12);
    expect(hourVolume(flow, 'm3/h')).toBe(10);
    expect(hourVolume({ ...flow, cou: 40 })).toBe(40);
    expect(hourVolume({ ...flow, value: null })).toBeNull();
  });

  it('pH: arithmetic mean of valid hours, not flow-weighted [Proposal]', () => {
    const ph = [7.0, 7.2, 8.0, 6.4].map((v, i) =>
      rec(D0 + i * HOUR_MS, v, i === 3 ? 'invalid' : 'valid', { factor: 'w01001' }),
    );
    const r = waterDailyPH(ph, DEFAULT_RULES, three);
    expect(r.value).toBeCloseTo(7.4, 12);
    expect(r).toMatchObject({ status: 'valid', min: 7.0, max: 8.0 });
  });
});

describe('compareRollup', () => {
  it('agrees within the relative tolerance, mismatches beyond it', () => {
    expect(compareRollup(100, 104, 0.05)).toMatchObject({ comparable: true, mismatch: false, difference: 4 });
    expect(compareRollup(100, 106, 0.05)).toMatchObject({ comparable: true, mismatch: true, difference: 6 });
    expect(compareRollup({ value: 100 }, 94, 0.05).mismatch).toBe(true);
  });

  it('near zero an absolute floor applies', () => {
    expect(compareRollup(0, 0, 0.05).mismatch).toBe(false);
    expect(compareRollup(0, 0.01, 0.05).mismatch).toBe(true);
    expect(compareRollup(0, 0.01, 0.05, 0.01).mismatch).toBe(false);
  });

  it('is not comparable when either side has no value', () => {
    expect(compareRollup(null, 3, 0.05)).toMatchObject({
      comparable: false,
      mismatch: false,
      reason: 'no value of ours',
    });
    expect(compareRollup({ value: 3 }, null, 0.05).reason).toBe('no device value');
    expect(() => compareRollup(1, 1, -1)).toThrow(DomainError);
  });
});
