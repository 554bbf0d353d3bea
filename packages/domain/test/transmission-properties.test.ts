import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCounts,
  beijingInstant,
  type CountsRow,
  captureRate,
  countsByPeriod,
  countsBySubject,
  DAY_MS,
  DEFAULT_RULES,
  HOUR_MS,
  type HourCountsInput,
  hourCounts,
  hourValidity,
  type Interval,
  type Mark,
  MINUTE_MS,
  type Reading,
  sumCounts,
  type TransmissionCounts,
  transmissionRates,
  ZERO_COUNTS,
} from '../src/index.js';

const COD = 'w01018';
const DAYS = 4;
const validity = hourValidity({ config: DEFAULT_RULES });

/** A random point × factor over DAYS Beijing days: records (some outside, other factors, revisions), marks. */
const scenario = fc
  .record({
    startDay: fc.integer({ min: 0, max: 3 * 365 }),
    readings: fc.array(
      fc.record({
        hour: fc.integer({ min: -6, max: DAYS * 24 + 6 }),
        factor: fc.constantFrom(COD, COD, COD, 'w21003'),
        flag: fc.constantFrom('N', 'N', 'N', 'F', 'D', 'M', 'S', 'C', 'X', null),
        value: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { freq: 8 }),
        revision: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 2 }),
        receivedAfter: fc.option(fc.integer({ min: 0, max: 5 * 24 }), { freq: 2 }),
      }),
      { maxLength: 160 },
    ),
    marks: fc.array(
      fc.record({
        factor: fc.constantFrom(COD, '*', 'w21003'),
        fromMinute: fc.integer({ min: -120, max: DAYS * 24 * 60 }),
        minutes: fc.integer({ min: 1, max: 36 * 60 }),
        kind: fc.constantFrom('valid', 'invalid', 'stopped', 'exempt') as fc.Arbitrary<Mark['kind']>,
        origin: fc.constantFrom('manual', 'automatic') as fc.Arbitrary<Mark['origin']>,
        approved: fc.boolean(),
        madeAtHour: fc.integer({ min: 0, max: 200 }),
      }),
      { maxLength: 6 },
    ),
    inServiceFromDay: fc.integer({ min: -1, max: DAYS }),
    inServiceDays: fc.option(fc.integer({ min: 0, max: DAYS + 1 }), { freq: 2 }),
    view: fc.constantFrom('first', 'amended') as fc.Arbitrary<HourCountsInput['view']>,
    standardCheckHoursPerDay: fc.constantFrom(0, 0, 1, 2),
    firstReceiptWithinMs: fc.option(fc.constantFrom(HOUR_MS, DAY_MS), { freq: 2 }),
  })
  .map((s) => {
    const from = beijingInstant(2026, 1, 1 + s.startDay);
    const interval: Interval = { from, to: from + DAYS * DAY_MS };
    const hourly = s.readings.map(
      (r): Reading => ({
        factor: r.factor,
        start: from + r.hour * HOUR_MS,
        value: r.value,
        flag: r.flag,
        ...(r.revision === null ? {} : { revision: r.revision }),
        ...(r.receivedAfter === null ? {} : { receivedAt: from + (r.hour + 1 + r.receivedAfter) * HOUR_MS }),
      }),
    );
    const marks = s.marks.map(
      (m): Mark => ({
        factor: m.factor,
        from: from + m.fromMinute * MINUTE_MS,
        to: from + (m.fromMinute + m.minutes) * MINUTE_MS,
        kind: m.kind,
        origin: m.origin,
        approved: m.approved,
        madeAt: from + m.madeAtHour * HOUR_MS,
      }),
    );
    const inServiceFrom = from + s.inServiceFromDay * DAY_MS;
    const input: HourCountsInput = {
      interval,
      factor: COD,
      hourly,
      marks,
      inService: {
        from: inServiceFrom,
        to: s.inServiceDays === null ? Number.POSITIVE_INFINITY : inServiceFrom + s.inServiceDays * DAY_MS,
      },
      view: s.view,
      validity,
      standardCheckHoursPerDay: s.standardCheckHoursPerDay,
      ...(s.firstReceiptWithinMs === null ? {} : { firstReceiptWithinMs: s.firstReceiptWithinMs }),
    };
    return input;
  });

const identitiesHold = (c: TransmissionCounts) => {
  expect(c.outOfServiceCount + c.excludedCount + c.standardCheckCount + c.expectedCount).toBe(c.hourCount);
  expect(c.receivedCount + c.missingCount).toBe(c.expectedCount);
  expect(c.validCount + c.invalidCount + c.suspectCount).toBe(c.receivedCount);
  for (const v of Object.values(c)) expect(v).toBeGreaterThanOrEqual(0);
};

const inUnit = (r: number | null) => r === null || (r >= 0 && r <= 1);

/** Deterministic shuffle driven by fast-check's seed. */
const shuffled = <T>(items: readonly T[], keys: readonly number[]) =>
  items
    .map((item, i) => ({ item, k: keys[i % Math.max(keys.length, 1)] ?? 0, i }))
    .sort((a, b) => a.k - b.k || b.i - a.i)
    .map((x) => x.item);

const countsArb = fc
  .record({
    valid: fc.nat(500),
    invalid: fc.nat(50),
    suspect: fc.nat(5),
    missing: fc.nat(50),
    excluded: fc.nat(50),
    outOfService: fc.nat(50),
    standardCheck: fc.nat(30),
  })
  .map(
    (x): TransmissionCounts => ({
      hourCount: x.valid + x.invalid + x.suspect + x.missing + x.excluded + x.outOfService + x.standardCheck,
      outOfServiceCount: x.outOfService,
      excludedCount: x.excluded,
      standardCheckCount: x.standardCheck,
      expectedCount: x.valid + x.invalid + x.suspect + x.missing,
      receivedCount: x.valid + x.invalid + x.suspect,
      validCount: x.valid,
      invalidCount: x.invalid,
      suspectCount: x.suspect,
      missingCount: x.missing,
    }),
  );

describe('transmission counts: properties', () => {
  it('keep their identities, and every rate is in [0, 1] (or null)', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const c = hourCounts(input);
        identitiesHold(c);
        expect(c.hourCount).toBe(DAYS * 24);
        const r = transmissionRates(c);
        expect(
          inUnit(r.transmissionRate) && inUnit(r.validityRate) && inUnit(r.effectiveTransmissionRate),
        ).toBe(true);
        expect(inUnit(captureRate(c))).toBe(true);
        if (r.transmissionRate !== null && r.validityRate !== null && r.effectiveTransmissionRate !== null) {
          expect(r.effectiveTransmissionRate).toBeCloseTo(r.transmissionRate * r.validityRate, 12);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('do not depend on the order of records or marks', () => {
    fc.assert(
      fc.property(scenario, fc.array(fc.integer(), { minLength: 1, maxLength: 40 }), (input, keys) => {
        const reordered = {
          ...input,
          hourly: shuffled(input.hourly, keys),
          marks: shuffled(input.marks, keys),
        };
        expect(hourCounts(reordered)).toEqual(hourCounts(input));
        expect(hourCounts({ ...input, hourly: [...input.hourly].reverse() })).toEqual(hourCounts(input));
      }),
      { numRuns: 200 },
    );
  });

  it('do not depend on how the interval is cut: days, or any whole hours without standard-check hours', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.array(fc.integer({ min: 1, max: DAYS * 24 - 1 }), { maxLength: 6 }),
        (input, cuts) => {
          const whole = hourCounts(input);
          const { from } = input.interval;
          const days = Array.from({ length: DAYS }, (_, d) => ({
            from: from + d * DAY_MS,
            to: from + (d + 1) * DAY_MS,
          }));
          expect(sumCounts(days.map((interval) => hourCounts({ ...input, interval })))).toEqual(whole);
          const noCheckHours = { ...input, standardCheckHoursPerDay: 0 };
          const bounds = [...new Set([0, ...cuts, DAYS * 24])].sort((a, b) => a - b);
          const pieces = bounds
            .slice(1)
            .map((h, i) => ({ from: from + (bounds[i] ?? 0) * HOUR_MS, to: from + h * HOUR_MS }));
          expect(sumCounts(pieces.map((interval) => hourCounts({ ...noCheckHours, interval })))).toEqual(
            hourCounts(noCheckHours),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('form a commutative monoid under addCounts', () => {
    fc.assert(
      fc.property(countsArb, countsArb, countsArb, (a, b, c) => {
        expect(addCounts(a, b)).toEqual(addCounts(b, a));
        expect(addCounts(addCounts(a, b), c)).toEqual(addCounts(a, addCounts(b, c)));
        expect(addCounts(a, ZERO_COUNTS)).toEqual(a);
      }),
    );
  });

  it('aggregate to Σ valid / Σ expected, which lies between the parts’ rates (not their mean)', () => {
    const jan = { from: beijingInstant(2026, 1, 1), to: beijingInstant(2026, 2, 1) };
    fc.assert(
      fc.property(fc.array(countsArb, { minLength: 1, maxLength: 8 }), (parts) => {
        const rows: CountsRow[] = parts.map((counts, i) => ({
          subject: `p${i}`,
          factor: COD,
          period: jan,
          counts,
        }));
        const [total] = countsBySubject(rows, () => 'e1');
        const expected = parts.reduce((s, c) => s + c.expectedCount, 0);
        const valid = parts.reduce((s, c) => s + c.validCount, 0);
        const rate = transmissionRates(total?.counts ?? ZERO_COUNTS).effectiveTransmissionRate;
        expect(rate).toBe(expected === 0 ? null : valid / expected);
        const rates = parts
          .map((c) => transmissionRates(c).effectiveTransmissionRate)
          .filter((r) => r !== null);
        if (rate !== null) {
          expect(rate).toBeGreaterThanOrEqual(Math.min(...rates) - 1e-12);
          expect(rate).toBeLessThanOrEqual(Math.max(...rates) + 1e-12);
        }
      }),
    );
  });

  it('roll up by period the same whatever the grouping (days → months → year = days → year)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 364 }), countsArb), { maxLength: 30 }),
        (days) => {
          const rows: CountsRow[] = days.map(([d, counts]) => {
            const from = beijingInstant(2026, 1, 1 + d);
            return { subject: 'p1', factor: COD, period: { from, to: from + DAY_MS }, counts };
          });
          const viaMonths = countsByPeriod(countsByPeriod(countsByPeriod(rows, 'month'), 'quarter'), 'year');
          expect(viaMonths).toEqual(countsByPeriod(rows, 'year'));
          expect(viaMonths[0]?.counts ?? ZERO_COUNTS).toEqual(sumCounts(rows.map((r) => r.counts)));
        },
      ),
    );
  });
});
