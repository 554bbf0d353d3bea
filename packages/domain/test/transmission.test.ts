import { describe, expect, it } from 'vitest';
import {
  addCounts,
  beijingInstant,
  type CountsRow,
  captureRate,
  countsAcrossFactors,
  countsByPeriod,
  countsBySubject,
  DAY_MS,
  DEFAULT_RULES,
  DomainError,
  HOUR_MS,
  type HourCountsInput,
  hourCounts,
  hourValidity,
  type Interval,
  type Mark,
  meetsTransmissionTarget,
  periodOf,
  pointCounts,
  type Reading,
  sumCounts,
  type TransmissionCounts,
  transmissionRates,
  ZERO_COUNTS,
} from '../src/index.js';

// Hand-computed fixtures. Instants are Beijing wall-clock times; periods are Beijing calendar periods.
const COD = 'w01018';
const NH3N = 'w21003';
const ALWAYS: Interval = { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY };
const validity = hourValidity({ config: DEFAULT_RULES });

/** `n` consecutive hourly records of `factor` from `from`, with `flag` (all values 1). */
const hours = (
  from: number,
  n: number,
  flag: string | null = 'N',
  factor = COD,
  extra: Partial<Reading> = {},
) =>
  Array.from(
    { length: n },
    (_, i): Reading => ({ factor, start: from + i * HOUR_MS, value: 1, flag, ...extra }),
  );

/** Replace the records of [from, from + n h) by `flag` records (or by nothing when flag is undefined). */
const overwrite = (records: Reading[], from: number, n: number, flag?: string) => {
  const to = from + n * HOUR_MS;
  const kept = records.filter((r) => r.start < from || r.start >= to);
  return flag === undefined ? kept : [...kept, ...hours(from, n, flag)];
};

const stopMark = (from: number, to: number, over: Partial<Mark> = {}): Mark => ({
  factor: '*',
  from,
  to,
  kind: 'stopped',
  origin: 'manual',
  approved: true,
  madeAt: to + 5 * DAY_MS,
  ...over,
});

const count = (over: Partial<HourCountsInput> & Pick<HourCountsInput, 'interval' | 'hourly'>) =>
  hourCounts({ factor: COD, marks: [], inService: ALWAYS, view: 'amended', validity, ...over });

const counts = (over: Partial<TransmissionCounts>): TransmissionCounts => ({ ...ZERO_COUNTS, ...over });

const month = (year: number, m: number) => periodOf('month', beijingInstant(year, m, 1));

describe('hourCounts: expected, received, valid (应传, 实传, 有效)', () => {
  it.each([
    ['January 2026', 2026, 1, 744],
    ['April 2026', 2026, 4, 720],
    ['February 2026', 2026, 2, 672],
    ['February 2028 (leap year)', 2028, 2, 696],
  ])('%s has %#: a complete month expects every Beijing hour', (_name, year, m, expected) => {
    const interval = month(year, m);
    const all = count({ interval, hourly: hours(interval.from, expected) });
    expect(all).toEqual(
      counts({ hourCount: expected, expectedCount: expected, receivedCount: expected, validCount: expected }),
    );
    expect(transmissionRates(all)).toEqual({
      transmissionRate: 1,
      validityRate: 1,
      effectiveTransmissionRate: 1,
    });
    // One hour missing and one invalid: (n−1)/n transmitted, (n−2)/(n−1) valid, (n−2)/n effective.
    let records = overwrite(hours(interval.from, expected), interval.from + 3 * HOUR_MS, 1);
    records = overwrite(records, interval.from + 7 * HOUR_MS, 1, 'D');
    const some = count({ interval, hourly: records });
    expect(some).toMatchObject({
      expectedCount: expected,
      receivedCount: expected - 1,
      validCount: expected - 2,
    });
    expect(transmissionRates(some)).toEqual({
      transmissionRate: (expected - 1) / expected,
      validityRate: (expected - 2) / (expected - 1),
      effectiveTransmissionRate: (expected - 2) / expected,
    });
  });

  // January 2026, COD, 744 h. Records for every hour except 20 missing; 10 D (fault, invalid); 5 F
  // (stopped, excluded); 3 S without manual record (suspect); an approved manual stopped mark over
  // 10 January, made after the month (a late mark).
  const jan = month(2026, 1);
  const day = (d: number, h = 0) => beijingInstant(2026, 1, d, h);
  let janRecords = hours(jan.from, 744);
  janRecords = overwrite(janRecords, day(20), 20);
  janRecords = overwrite(janRecords, day(21), 10, 'D');
  janRecords = overwrite(janRecords, day(22), 5, 'F');
  janRecords = overwrite(janRecords, day(23), 3, 'S');
  const janMarks = [stopMark(day(10), day(11))];

  it('counts the January fixture by hand in the amended view', () => {
    const amended = count({ interval: jan, hourly: janRecords, marks: janMarks });
    // excluded = 24 (mark) + 5 (F); expected = 744 − 29 = 715; received = 715 − 20 = 695;
    // valid = 695 − 10 − 3 = 682.
    expect(amended).toEqual({
      hourCount: 744,
      outOfServiceCount: 0,
      excludedCount: 29,
      standardCheckCount: 0,
      expectedCount: 715,
      receivedCount: 695,
      validCount: 682,
      invalidCount: 10,
      suspectCount: 3,
      missingCount: 20,
    });
    expect(transmissionRates(amended)).toEqual({
      transmissionRate: 695 / 715,
      validityRate: 682 / 695,
      effectiveTransmissionRate: 682 / 715,
    });
    expect(meetsTransmissionTarget(transmissionRates(amended), DEFAULT_RULES)).toBe(true); // 95.38 %
  });

  it('a late stopped mark changes the amended view but not the first view', () => {
    const first = count({ interval: jan, hourly: janRecords, marks: janMarks, view: 'first' });
    // Only F leaves 应传: expected = 739, received = 719, valid = 719 − 13 = 706.
    expect(first).toMatchObject({
      excludedCount: 5,
      expectedCount: 739,
      receivedCount: 719,
      validCount: 706,
    });
    const unmarked = count({ interval: jan, hourly: janRecords, marks: [] });
    expect(unmarked).toEqual(first);
  });

  it('ignores marks that are not approved, or of another factor', () => {
    const marks = [
      stopMark(day(10), day(11), { approved: false }),
      stopMark(day(12), day(13), { factor: NH3N }),
    ];
    expect(count({ interval: jan, hourly: janRecords, marks })).toEqual(
      count({ interval: jan, hourly: janRecords, marks: [] }),
    );
  });

  it('applies invalid and valid marks through validity.ts; manual marks win over automatic ones', () => {
    const d = periodOf('day', day(5));
    const base = hours(d.from, 24, 'D');
    const autoInvalid: Mark = {
      ...stopMark(d.from, d.to),
      kind: 'invalid',
      origin: 'automatic',
      madeAt: d.to,
    };
    const manualValid: Mark = { ...stopMark(d.from, d.from + 6 * HOUR_MS), kind: 'valid', madeAt: d.to };
    const c = count({ interval: d, hourly: hours(d.from, 24, 'N'), marks: [autoInvalid, manualValid] });
    expect(c).toMatchObject({ expectedCount: 24, receivedCount: 24, validCount: 6, invalidCount: 18 });
    expect(count({ interval: d, hourly: base, marks: [manualValid] })).toMatchObject({ validCount: 6 });
    expect(count({ interval: d, hourly: base, marks: [manualValid], view: 'first' })).toMatchObject({
      validCount: 0,
    });
  });

  it('an all-stopped day expects nothing: rates, target and capture rate are null', () => {
    const d = periodOf('day', day(10));
    const c = count({ interval: d, hourly: hours(d.from, 24), marks: janMarks });
    expect(c).toEqual(counts({ hourCount: 24, excludedCount: 24 }));
    const r = transmissionRates(c);
    expect(r).toEqual({ transmissionRate: null, validityRate: null, effectiveTransmissionRate: null });
    expect(meetsTransmissionTarget(r, DEFAULT_RULES)).toBeNull();
    expect(captureRate(c)).toBeNull();
    // A day of F records without values is excluded too (a stopped source need not send values).
    const f = count({ interval: d, hourly: hours(d.from, 24, 'F').map((r) => ({ ...r, value: null })) });
    expect(f).toEqual(counts({ hourCount: 24, excludedCount: 24 }));
  });

  it('counts duplicates of an hour once, whatever their order', () => {
    const d = periodOf('day', day(6));
    const once = hours(d.from, 24);
    const thrice = [...once, ...once, ...once].reverse();
    expect(count({ interval: d, hourly: thrice })).toEqual(count({ interval: d, hourly: once }));
    // Unordered duplicates judged differently: valid > suspect > invalid > excluded, in any order.
    const clash = [...hours(d.from, 1, 'D'), ...hours(d.from, 1, 'N'), ...hours(d.from, 1, 'F')];
    for (const hourly of [clash, [...clash].reverse()]) {
      expect(count({ interval: d, hourly })).toMatchObject({
        receivedCount: 1,
        validCount: 1,
        missingCount: 23,
      });
    }
  });

  it('takes the first revision in the first view and the latest in the amended view', () => {
    const d = periodOf('day', day(7));
    const hourly = [
      ...hours(d.from, 24, 'D', COD, { revision: 0, receivedAt: d.to }),
      ...hours(d.from, 12, 'N', COD, { revision: 1, receivedAt: d.to + DAY_MS }),
    ];
    expect(count({ interval: d, hourly, view: 'first' })).toMatchObject({ receivedCount: 24, validCount: 0 });
    expect(count({ interval: d, hourly, view: 'amended' })).toMatchObject({
      receivedCount: 24,
      validCount: 12,
    });
  });

  it('leaves late first receipts (补传) out of the first view when a receipt window is set', () => {
    const d = periodOf('day', day(8));
    const onTime = hours(d.from, 20, 'N', COD, { receivedAt: d.from + 21 * HOUR_MS });
    const backfill = hours(d.from + 20 * HOUR_MS, 4, 'N', COD, { receivedAt: d.to + 3 * DAY_MS });
    const hourly = [...onTime, ...backfill];
    const window = { firstReceiptWithinMs: DAY_MS };
    expect(count({ interval: d, hourly, view: 'first', ...window })).toMatchObject({
      receivedCount: 20,
      missingCount: 4,
    });
    expect(count({ interval: d, hourly, view: 'first' })).toMatchObject({ receivedCount: 24 });
    expect(count({ interval: d, hourly, view: 'amended', ...window })).toMatchObject({ receivedCount: 24 });
  });

  it('ignores records outside the interval and of other factors', () => {
    const d = periodOf('day', day(9));
    const hourly = [
      ...hours(d.from - 5 * HOUR_MS, 5),
      ...hours(d.from, 10),
      ...hours(d.to, 5),
      ...hours(d.from + 10 * HOUR_MS, 14, 'N', NH3N),
    ];
    expect(count({ interval: d, hourly })).toEqual(
      counts({ hourCount: 24, expectedCount: 24, receivedCount: 10, validCount: 10, missingCount: 14 }),
    );
  });

  it('does not expect hours before 投运 or after removal, and ignores their records', () => {
    // In service from 15 January 00:00 to 25 January 12:00 (removed): 10.5 days = 252 h expected.
    const inService = { from: day(15), to: day(25, 12) };
    const c = count({ interval: jan, hourly: hours(jan.from, 744), inService });
    expect(c).toEqual(
      counts({
        hourCount: 744,
        outOfServiceCount: 744 - 252,
        expectedCount: 252,
        receivedCount: 252,
        validCount: 252,
      }),
    );
  });

  it('rejects intervals that are not whole hours, and bad standard-check hours', () => {
    const bad = { from: day(1) + 1, to: day(2) };
    expect(() => count({ interval: bad, hourly: [] })).toThrow(DomainError);
    expect(() => count({ interval: { from: day(2), to: day(1) }, hourly: [] })).toThrow(/DOMAIN_E_INPUT/);
    expect(() => count({ interval: jan, hourly: [], standardCheckHoursPerDay: 1.5 })).toThrow(
      /DOMAIN_E_INPUT/,
    );
    // With standard-check hours the interval must be whole Beijing days (they are per day).
    const partial = { from: day(1), to: day(1, 12) };
    expect(() => count({ interval: partial, hourly: [], standardCheckHoursPerDay: 1 })).toThrow(
      /whole Beijing days/,
    );
    expect(count({ interval: { from: day(1), to: day(1) }, hourly: [] })).toEqual(ZERO_COUNTS);
  });
});

describe('standard-sample-check deduction (标样核查, 1 h/day for wastewater [P])', () => {
  const d = periodOf('day', beijingInstant(2026, 3, 2));

  it('forgives an invalid check hour: a day with one C hour is 23/23/23', () => {
    const hourly = overwrite(hours(d.from, 24), d.from + 2 * HOUR_MS, 1, 'C');
    const c = count({ interval: d, hourly, standardCheckHoursPerDay: 1 });
    expect(c).toEqual(
      counts({ hourCount: 24, standardCheckCount: 1, expectedCount: 23, receivedCount: 23, validCount: 23 }),
    );
    expect(transmissionRates(c).effectiveTransmissionRate).toBe(1);
  });

  it('forgives invalid hours before missing ones, at most the hours given per day', () => {
    let hourly = overwrite(hours(d.from, 24), d.from, 2);
    hourly = overwrite(hourly, d.from + 5 * HOUR_MS, 2, 'M');
    expect(count({ interval: d, hourly, standardCheckHoursPerDay: 1 })).toMatchObject({
      standardCheckCount: 1,
      expectedCount: 23,
      receivedCount: 21,
      invalidCount: 1,
      missingCount: 2,
      validCount: 20,
    });
    expect(count({ interval: d, hourly, standardCheckHoursPerDay: 3 })).toMatchObject({
      standardCheckCount: 3,
      invalidCount: 0,
      missingCount: 1,
      expectedCount: 21,
    });
  });

  it('forgives nothing on a fully valid day (no flat deduction: rates stay ≤ 1)', () => {
    expect(count({ interval: d, hourly: hours(d.from, 24), standardCheckHoursPerDay: 1 })).toMatchObject({
      standardCheckCount: 0,
      expectedCount: 24,
    });
  });

  it('applies per Beijing day: a month of one missing hour a day is fully forgiven', () => {
    const feb = month(2026, 2);
    const hourly = hours(feb.from, 672).filter((r) => (r.start - feb.from) % DAY_MS !== 0);
    const c = count({ interval: feb, hourly, standardCheckHoursPerDay: 1 });
    expect(c).toMatchObject({
      standardCheckCount: 28,
      expectedCount: 644,
      receivedCount: 644,
      validCount: 644,
    });
  });
});

describe('rates and target', () => {
  it('compares the exact ratio with the target strictly (办法 第八条(二): 大于 95%)', () => {
    const at = (valid: number, expected: number) =>
      meetsTransmissionTarget(
        transmissionRates(counts({ expectedCount: expected, receivedCount: expected, validCount: valid })),
        DEFAULT_RULES,
      );
    expect(at(19, 20)).toBe(false); // exactly 95 %
    expect(at(191, 200)).toBe(true); // 95.5 %
    expect(at(707, 744)).toBe(true); // 95.03 %
    expect(at(706, 744)).toBe(false); // 94.89 %
  });

  it('rejects inconsistent counts and an impossible target', () => {
    expect(() => transmissionRates(counts({ expectedCount: 1, receivedCount: 2, validCount: 0 }))).toThrow(
      /DOMAIN_E_INPUT/,
    );
    expect(() => transmissionRates(counts({ expectedCount: 2, receivedCount: 1, validCount: 2 }))).toThrow(
      DomainError,
    );
    expect(() => transmissionRates(counts({ expectedCount: -1 }))).toThrow(DomainError);
    const r = transmissionRates(counts({ expectedCount: 1, receivedCount: 1, validCount: 1 }));
    expect(() => meetsTransmissionTarget(r, { transmissionTarget: 95 })).toThrow(/DOMAIN_E_CONFIG/);
  });

  it('sums are a monoid: ZERO_COUNTS is the identity', () => {
    const c = counts({
      hourCount: 3,
      expectedCount: 3,
      receivedCount: 2,
      validCount: 1,
      invalidCount: 1,
      missingCount: 1,
    });
    expect(addCounts(c, ZERO_COUNTS)).toEqual(c);
    expect(sumCounts([c, c, c])).toEqual(addCounts(addCounts(c, c), c));
    expect(sumCounts([])).toEqual(ZERO_COUNTS);
  });
});

describe('HJ 75 quarterly capture rate α', () => {
  it('is (hours − invalid − stopped) / (hours − stopped)', () => {
    // Q1 2026 = 90 days = 2160 h; 160 h stopped (mark), 100 h invalid (60 D, 40 missing): α = 1900/2000.
    const q1 = periodOf('quarter', beijingInstant(2026, 1, 1));
    expect(q1.to - q1.from).toBe(2160 * HOUR_MS);
    let hourly = hours(q1.from, 2160);
    hourly = overwrite(hourly, beijingInstant(2026, 2, 1), 60, 'D');
    hourly = overwrite(hourly, beijingInstant(2026, 3, 1), 40);
    const marks = [stopMark(beijingInstant(2026, 1, 10), beijingInstant(2026, 1, 10) + 160 * HOUR_MS)];
    const c = count({ interval: q1, hourly, marks });
    expect(c).toMatchObject({ hourCount: 2160, excludedCount: 160, validCount: 1900 });
    expect(captureRate(c)).toBe(0.95);
    // The quarter's α from its months: sum the months' counts, never average their α.
    const monthly = [1, 2, 3].map((m) => count({ interval: month(2026, m), hourly, marks }));
    expect(captureRate(sumCounts(monthly))).toBe(0.95);
    const meanOfMonths = monthly.reduce((s, m) => s + (captureRate(m) ?? 0), 0) / 3;
    expect(meanOfMonths).not.toBeCloseTo(0.95, 6);
  });
});

describe('aggregation: points, factors, enterprises, regions, periods', () => {
  const jan = month(2026, 1);
  const row = (subject: string, factor: string, c: Partial<TransmissionCounts>, period = jan): CountsRow => ({
    subject,
    factor,
    period,
    counts: counts(c),
  });

  it('sums numerators and denominators; it does not average rates', () => {
    // Point p1: 10 expected, 5 valid (50 %). Point p2: 990 expected, all valid (100 %).
    // Average of the rates: 75 %. Enterprise by sums: 995/1000 = 99.5 %.
    const rows = [
      row('p1', COD, { hourCount: 10, expectedCount: 10, receivedCount: 10, validCount: 5, invalidCount: 5 }),
      row('p2', COD, { hourCount: 990, expectedCount: 990, receivedCount: 990, validCount: 990 }),
    ];
    const [enterprise, ...rest] = countsBySubject(
      rows,
      new Map([
        ['p1', 'e1'],
        ['p2', 'e1'],
      ]),
    );
    expect(rest).toEqual([]);
    expect(enterprise?.subject).toBe('e1');
    const ours = transmissionRates(enterprise?.counts ?? ZERO_COUNTS).effectiveTransmissionRate;
    expect(ours).toBe(0.995);
    const averaged = (0.5 + 1) / 2;
    expect(ours).not.toBe(averaged);
  });

  it('rolls points up to enterprises and regions, factors into points, and refuses unmapped subjects', () => {
    const rows = [
      row('p1', COD, { expectedCount: 4, receivedCount: 4, validCount: 4 }),
      row('p1', NH3N, {
        expectedCount: 4,
        receivedCount: 2,
        validCount: 1,
        invalidCount: 1,
        missingCount: 2,
      }),
      row('p2', COD, { expectedCount: 2, receivedCount: 2, validCount: 2 }),
      row('p3', COD, { expectedCount: 8, receivedCount: 0, missingCount: 8 }),
    ];
    const byPoint = countsAcrossFactors(rows);
    expect(byPoint.map((r) => [r.subject, r.factor, r.counts.expectedCount, r.counts.validCount])).toEqual([
      ['p1', '*', 8, 5],
      ['p2', '*', 2, 2],
      ['p3', '*', 8, 0],
    ]);
    const enterpriseOf = new Map([
      ['p1', 'e1'],
      ['p2', 'e1'],
      ['p3', 'e2'],
    ]);
    const regionOf = (e: string) => ({ e1: '420100', e2: '420100' })[e];
    const byEnterprise = countsBySubject(byPoint, enterpriseOf);
    expect(byEnterprise.map((r) => [r.subject, r.counts.expectedCount, r.counts.validCount])).toEqual([
      ['e1', 10, 7],
      ['e2', 8, 0],
    ]);
    const [region] = countsBySubject(byEnterprise, regionOf);
    expect(region?.counts).toMatchObject({ expectedCount: 18, receivedCount: 8, validCount: 7 });
    expect(() => countsBySubject(rows, new Map([['p1', 'e1']]))).toThrow(/DOMAIN_E_INPUT/);
  });

  it('rolls days up to months, quarters and years; the sum of days is the month', () => {
    const q1 = periodOf('quarter', beijingInstant(2026, 1, 1));
    let hourly = hours(q1.from, 2160);
    hourly = overwrite(hourly, beijingInstant(2026, 1, 3, 5), 7);
    hourly = overwrite(hourly, beijingInstant(2026, 2, 28, 20), 9, 'D');
    hourly = overwrite(hourly, beijingInstant(2026, 3, 31, 23), 1, 'F');
    const input = { point: 'p1', assessedFactors: [COD], hourly, marks: [], inService: ALWAYS, validity };
    const daily = pointCounts({ ...input, interval: q1, view: 'amended', unit: 'day' });
    expect(daily).toHaveLength(90);
    const monthly = countsByPeriod(daily, 'month');
    expect(monthly.map((r) => r.period)).toEqual([month(2026, 1), month(2026, 2), month(2026, 3)]);
    for (const m of monthly) {
      expect(m.counts).toEqual(pointCounts({ ...input, interval: m.period, view: 'amended' })[0]?.counts);
    }
    const [quarter] = countsByPeriod(monthly, 'quarter');
    expect(quarter?.counts).toMatchObject({
      hourCount: 2160,
      excludedCount: 1,
      expectedCount: 2159,
      receivedCount: 2152,
    });
    expect(quarter?.counts.validCount).toBe(2143);
    const [year] = countsByPeriod([quarter as CountsRow], 'year');
    expect(year?.period).toEqual(periodOf('year', q1.from));
    expect(() => countsByPeriod(monthly, 'day')).toThrow(/within one day/);
  });

  it('counts only the assessed factors (考核因子), one row each, all hours missing when none arrived', () => {
    const d = periodOf('day', beijingInstant(2026, 1, 5));
    const rows = pointCounts({
      point: 'p9',
      interval: d,
      assessedFactors: [NH3N, COD],
      hourly: [...hours(d.from, 24, 'N', COD), ...hours(d.from, 24, 'N', 'w01001')],
      marks: [],
      inService: ALWAYS,
      view: 'first',
      validity,
      standardCheckHoursPerDay: { [NH3N]: 1 },
    });
    expect(rows.map((r) => [r.subject, r.factor, r.counts.expectedCount, r.counts.validCount])).toEqual([
      ['p9', COD, 24, 24],
      ['p9', NH3N, 23, 0],
    ]);
    expect(rows[1]?.counts.standardCheckCount).toBe(1);
  });
});
