import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  correctToReferenceO2,
  DEFAULT_RULES,
  type ExceedanceInput,
  foldAllEpisodes,
  HOUR_MS,
  judgeExceedance,
  type Mark,
  MINUTE_MS,
  periodsAffectedBy,
  type Reading,
} from '../src/index.js';

/** 2026-03-02 00:00 Beijing = 2026-03-01 16:00 UTC. */
const DAY = Date.UTC(2026, 2, 1, 16);
const hour = (h: number) => DAY + h * HOUR_MS;
const r = (factor: string, start: number, value: number | null, extra: Partial<Reading> = {}): Reading => ({
  factor,
  start,
  value,
  flag: 'N',
  ...extra,
});
const mark = (kind: Mark['kind'], from: number, to: number, extra: Partial<Mark> = {}): Mark => ({
  factor: '*',
  from,
  to,
  kind,
  origin: 'manual',
  approved: true,
  madeAt: to,
  ...extra,
});

const gas = (hours: Reading[], extra: Partial<ExceedanceInput> = {}): ExceedanceInput => ({
  medium: 'gas',
  limits: [{ factor: 'a21026', hourly: 100 }],
  hours,
  marks: [],
  rules: DEFAULT_RULES,
  ...extra,
});

describe('gas hourly exceedance (HJ 76-2017 附录 B: 1-h mean of the 折算 value)', () => {
  const cases: { name: string; hours: Reading[]; marks?: Mark[]; expected: [number, number][] }[] = [
    {
      name: 'above the limit on 折算, not on the measured value; equal to the limit is not above',
      hours: [
        r('a21026', hour(0), 80, { corrected: 120 }),
        r('a21026', hour(1), 150, { corrected: 90 }),
        r('a21026', hour(2), 70, { corrected: 100 }),
      ],
      expected: [[hour(0), 120]],
    },
    {
      name: 'invalid flags (M, D, C, T) do not count',
      hours: ['M', 'D', 'C', 'T'].map((flag, i) => r('a21026', hour(i), 300, { corrected: 300, flag })),
      expected: [],
    },
    {
      name: 'a suspect hour (S without a manual-monitoring record) does not count by default',
      hours: [r('a21026', hour(0), 300, { corrected: 300, flag: 'S' })],
      expected: [],
    },
    {
      name: 'a stopped (F) hour does not count',
      hours: [r('a21026', hour(0), 300, { corrected: 300, flag: 'F' })],
      expected: [],
    },
    {
      name: 'an approved invalid mark removes it; an unapproved one does not',
      hours: [r('a21026', hour(0), 300, { corrected: 300 }), r('a21026', hour(1), 300, { corrected: 300 })],
      marks: [mark('invalid', hour(0), hour(1)), mark('invalid', hour(1), hour(2), { approved: false })],
      expected: [[hour(1), 300]],
    },
    {
      name: 'an approved exemption (豁免) removes it, for its factor only',
      hours: [r('a21026', hour(0), 300, { corrected: 300 })],
      marks: [mark('exempt', hour(0), hour(1), { factor: 'a21002' })],
      expected: [[hour(0), 300]],
    },
    {
      name: 'an approved exemption for the factor',
      hours: [r('a21026', hour(0), 300, { corrected: 300 })],
      marks: [mark('exempt', hour(0), hour(1), { factor: 'a21026' })],
      expected: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = judgeExceedance(gas(c.hours, { marks: c.marks ?? [] }));
      expect(result.findings.map((f) => [f.start, f.value])).toEqual(c.expected);
      for (const f of result.findings)
        expect(f).toMatchObject({ type: 'exceedance', period: 'hour', limit: 100 });
    });
  }

  it('ratio is value / limit', () => {
    const [f] = judgeExceedance(gas([r('a21026', hour(0), 1, { corrected: 150 })])).findings;
    expect(f?.ratio).toBe(1.5);
  });

  it('without a device Zs value: computed by the given function (A9 with the hour O₂), else unjudged', () => {
    const o2 = 15; // measured O₂ %, reference 6 %: factor (21−6)/(21−15) = 2.5
    const hours = [r('a21026', hour(0), 50), r('a21026', hour(1), 30)];
    const withConversion = judgeExceedance(
      gas(hours, { correctedOf: (x) => correctToReferenceO2(x.value as number, o2, 6).value ?? null }),
    );
    expect(withConversion.findings.map((f) => [f.start, f.value])).toEqual([[hour(0), 125]]);
    const without = judgeExceedance(gas(hours));
    expect(without.findings).toEqual([]);
    expect(without.unjudged).toEqual([
      { factor: 'a21026', period: 'hour', start: hour(0), reason: 'no corrected value' },
      { factor: 'a21026', period: 'hour', start: hour(1), reason: 'no corrected value' },
    ]);
  });

  it('limits on the measured value where no reference O₂ applies', () => {
    const result = judgeExceedance(gas([r('a21026', hour(0), 150)], { limitsOnCorrected: false }));
    expect(result.findings.map((f) => f.value)).toEqual([150]);
  });

  it('a mark arriving late re-evaluates exactly the affected hour and its episode', () => {
    const hours = [0, 1, 2, 3].map((h) =>
      r('a21026', hour(h), 1, { corrected: [120, 130, 140, 50][h] as number }),
    );
    const first = judgeExceedance(gas(hours));
    expect(foldAllEpisodes(first.evaluations)).toMatchObject([{ openedAt: hour(0), closedAt: hour(3) }]);
    // An approved invalid mark for 01:30–02:30 arrives later: hours 01 and 02 are re-evaluated.
    const late = mark('invalid', hour(1) + 30 * MINUTE_MS, hour(2) + 30 * MINUTE_MS);
    const affected = periodsAffectedBy(late, 'hour');
    expect(affected).toEqual([hour(1), hour(2)]);
    const redo = judgeExceedance(
      gas(
        hours.filter((x) => affected.includes(x.start)),
        { marks: [late] },
      ),
    );
    // A mark decides a record by its period start: 01:00 is not covered, 02:00 is.
    expect(redo.findings.map((f) => f.start)).toEqual([hour(1)]);
    const kept = first.evaluations.filter((e) => !affected.includes(e.at));
    expect(foldAllEpisodes([...kept, ...redo.evaluations])).toEqual(
      foldAllEpisodes(judgeExceedance(gas(hours, { marks: [late] })).evaluations),
    );
  });

  it('must not fire on a plausible diurnal series (SO₂ 40 ± 25 mg/m³, limit 100)', () => {
    const hours = Array.from({ length: 72 }, (_, i) =>
      r('a21026', hour(i), 1, {
        corrected: Math.round((40 + 25 * Math.sin((2 * Math.PI * i) / 24)) * 100) / 100,
      }),
    );
    const result = judgeExceedance(gas(hours));
    expect(result.findings.filter((f) => f.type === 'exceedance')).toEqual([]);
    expect(result.evaluations.filter((e) => e.active)).toEqual([]);
  });
});

describe('daily limits (GB 18485-2014 24-h limits; valid day ≥ 20 valid hours)', () => {
  const incinerator = (hours: Reading[], extra: Partial<ExceedanceInput> = {}) =>
    gas(hours, { limits: [{ factor: 'a21026', hourly: 100, daily: 80 }], ...extra });

  it('judges the Beijing day (16:00 to 16:00 UTC) mean of valid hours', () => {
    // Day 1 (Beijing 03-02): 24 h at 85 → daily exceedance. The next Beijing day starts at 16:00 UTC:
    // its hours at 60 do not mix into day 1.
    const hours = [
      ...Array.from({ length: 24 }, (_, i) => r('a21026', hour(i), 1, { corrected: 85 })),
      ...Array.from({ length: 24 }, (_, i) => r('a21026', hour(24 + i), 1, { corrected: 60 })),
    ];
    const result = judgeExceedance(incinerator(hours));
    const daily = result.findings.filter((f) => f.period === 'day' && f.type === 'exceedance');
    expect(daily).toEqual([
      {
        type: 'exceedance',
        period: 'day',
        factor: 'a21026',
        start: DAY,
        value: 85,
        limit: 80,
        ratio: 85 / 80,
        bound: 'upper',
      },
    ]);
    expect(new Date(DAY).toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(
      result.evaluations.filter((e) => e.type === 'daily-exceedance').map((e) => [e.at, e.active]),
    ).toEqual([
      [DAY, true],
      [DAY + 24 * HOUR_MS, false],
    ]);
  });

  it('fewer than 20 valid hours: not judged (invalid hours and exempt hours left out)', () => {
    const hours = Array.from({ length: 24 }, (_, i) =>
      r('a21026', hour(i), 1, { corrected: 90, flag: i < 3 ? 'D' : 'N' }),
    );
    const result = judgeExceedance(incinerator(hours, { marks: [mark('exempt', hour(3), hour(5))] }));
    expect(result.findings.filter((f) => f.period === 'day' && f.type === 'exceedance')).toEqual([]);
    expect(result.unjudged).toContainEqual({
      factor: 'a21026',
      period: 'day',
      start: DAY,
      reason: 'too few valid hours',
    });
  });

  it('hour-level early warning of a daily exceedance: running mean ≥ 90 % of the daily limit after ≥ 4 hours', () => {
    const values = [60, 70, 80, 80, 60]; // running means: 60, 65, 70, 72.5 (≥ 72 at the 4th hour)
    const hours = values.map((v, i) => r('a21026', hour(i), 1, { corrected: v }));
    const warnings = judgeExceedance(incinerator(hours)).findings.filter((f) => f.type === 'early-warning');
    expect(warnings).toEqual([
      {
        type: 'early-warning',
        period: 'day',
        factor: 'a21026',
        start: hour(3),
        value: 72.5,
        limit: 80,
        ratio: 72.5 / 80,
        bound: 'upper',
      },
    ]);
  });

  it('must not warn on a plausible diurnal day (60 ± 10 against 80, running mean stays below 72)', () => {
    const hours = Array.from({ length: 24 }, (_, i) =>
      r('a21026', hour(i), 1, { corrected: 60 + 10 * Math.sin((2 * Math.PI * (i - 6)) / 24) }),
    );
    const result = judgeExceedance(incinerator(hours));
    expect(result.findings).toEqual([]);
  });
});

describe('water (HJ 356-2019 [M]: flow-weighted daily mean; hourly alarms)', () => {
  const water = (hours: Reading[], extra: Partial<ExceedanceInput> = {}): ExceedanceInput => ({
    medium: 'water',
    limits: [{ factor: 'w01018', daily: 100 }],
    hours,
    marks: [],
    rules: DEFAULT_RULES,
    ...extra,
  });
  // 12 hours at 160 mg/L with 30 m³, 12 hours at 40 mg/L with 10 m³: arithmetic mean 100 (not above),
  // flow-weighted (12·160·30 + 12·40·10) / (12·30 + 12·10) = 62400 / 480 = 130 (above).
  const day = Array.from({ length: 24 }, (_, i) => [
    r('w01018', hour(i), i < 12 ? 160 : 40),
    r('w00000', hour(i), (i < 12 ? 30 : 10) / 3.6, { cou: i < 12 ? 30 : 10 }),
  ]).flat();

  it('daily exceedance on the flow-weighted mean, hourly alarms against the daily limit', () => {
    const result = judgeExceedance(water(day));
    const daily = result.findings.filter((f) => f.period === 'day' && f.type === 'exceedance');
    expect(daily.map((f) => [f.start, f.value])).toEqual([[DAY, 130]]);
    const hourly = result.findings.filter((f) => f.period === 'hour' && f.type === 'exceedance');
    expect(hourly.map((f) => f.start)).toEqual(Array.from({ length: 12 }, (_, i) => hour(i)));
  });

  it('an hour whose flow does not count is left out of the weighting', () => {
    const hours = day.map((x) => (x.factor === 'w00000' && x.start < hour(12) ? { ...x, flag: 'D' } : x));
    const result = judgeExceedance(water(hours));
    // Only the 12 hours at 40 are weighted: 12 < 20 valid hours → not judged.
    expect(result.unjudged).toContainEqual({
      factor: 'w01018',
      period: 'day',
      start: DAY,
      reason: 'too few valid hours',
    });
  });

  it('no discharge (ΣQ = 0): not judged', () => {
    const hours = day.map((x) => (x.factor === 'w00000' ? { ...x, value: 0, cou: 0 } : x));
    expect(judgeExceedance(water(hours)).unjudged).toContainEqual({
      factor: 'w01018',
      period: 'day',
      start: DAY,
      reason: 'no flow',
    });
  });

  it('pH outside [lower, upper], per hour; no daily mean for pH', () => {
    const hours = [5.5, 7, 9, 9.5].map((v, i) => r('w01001', hour(i), v));
    const result = judgeExceedance(
      water(hours, { limits: [{ factor: 'w01001', lower: 6, hourly: 9, daily: 9 }] }),
    );
    expect(result.findings.map((f) => [f.start, f.bound, f.limit])).toEqual([
      [hour(0), 'lower', 6],
      [hour(3), 'upper', 9],
    ]);
    expect(result.evaluations.filter((e) => e.type === 'daily-exceedance')).toEqual([]);
  });

  it('must not fire on a plausible diurnal series (COD 45 ± 15, flow 20 ± 8)', () => {
    const hours = Array.from({ length: 48 }, (_, i) => [
      r('w01018', hour(i), 45 + 15 * Math.sin((2 * Math.PI * i) / 24)),
      r('w00000', hour(i), 5 + 2 * Math.sin((2 * Math.PI * (i - 2)) / 24)),
    ]).flat();
    expect(judgeExceedance(water(hours)).findings).toEqual([]);
  });
});

describe('minute-level early warning of an hourly exceedance [Proposal]', () => {
  const minute = (h: number, m: number) => hour(h) + m * MINUTE_MS;

  it('raised once, at the minute the running mean of ≥ 15 valid minutes reaches 90 % of the limit', () => {
    // Minutes 0–9 at 80, then 100: running mean after 15 minutes = (10·80 + 5·100)/15 = 86.7; after 17:
    // (800 + 700)/17 = 88.2; after 18: 1600/18 = 88.9; after 20: 1800/20 = 90 → raised at minute 19.
    const minutes = Array.from({ length: 60 }, (_, m) =>
      r('a21026', minute(0, m), 1, { corrected: m < 10 ? 80 : 100 }),
    );
    const result = judgeExceedance(gas([], { minutes }));
    expect(result.findings).toEqual([
      {
        type: 'early-warning',
        period: 'hour',
        factor: 'a21026',
        start: minute(0, 19),
        value: 90,
        limit: 100,
        ratio: 0.9,
        bound: 'upper',
      },
    ]);
    expect(result.evaluations).toMatchObject([{ type: 'hourly-early-warning', at: hour(0), active: true }]);
  });

  it('invalid and exempt minutes do not count', () => {
    const minutes = Array.from({ length: 60 }, (_, m) =>
      r('a21026', minute(0, m), 1, { corrected: 150, flag: m < 50 ? 'C' : 'N' }),
    );
    expect(judgeExceedance(gas([], { minutes })).findings).toEqual([]);
    const exempt = judgeExceedance(
      gas([], {
        minutes: minutes.map((x) => ({ ...x, flag: 'N' })),
        marks: [mark('exempt', hour(0), hour(1))],
      }),
    );
    expect(exempt.findings).toEqual([]);
  });

  it('must not fire on plausible minute data (70 ± 10 against 100): an inactive evaluation per hour', () => {
    const minutes = Array.from({ length: 180 }, (_, m) =>
      r('a21026', minute(0, m), 1, { corrected: 70 + 10 * Math.sin((2 * Math.PI * m) / 45) }),
    );
    const result = judgeExceedance(gas([], { minutes }));
    expect(result.findings).toEqual([]);
    expect(result.evaluations.map((e) => [e.at, e.active])).toEqual([
      [hour(0), false],
      [hour(1), false],
      [hour(2), false],
    ]);
  });

  it('rejects a warning share outside (0, 1]', () => {
    expect(() =>
      judgeExceedance(
        gas([], {
          config: {
            warningShare: 1.2,
            warningMinMinutes: 15,
            warningMinHours: 4,
            judgeSuspect: true,
            waterHourlyAgainstDaily: true,
          },
        }),
      ),
    ).toThrow(/DOMAIN_E_CONFIG/);
  });
});

describe('order independence (property)', () => {
  it('the same facts in any order give the same result', () => {
    const base = Array.from({ length: 30 }, (_, i) => r('a21026', hour(i), 1, { corrected: (i * 37) % 130 }));
    const marks = [
      mark('invalid', hour(3), hour(5)),
      mark('exempt', hour(10), hour(12)),
      mark('valid', hour(3), hour(4), { origin: 'automatic' }),
    ];
    const limits = [{ factor: 'a21026', hourly: 100, daily: 80 }];
    const expected = judgeExceedance(gas(base, { marks, limits }));
    fc.assert(
      fc.property(
        fc.shuffledSubarray(base, { minLength: base.length }),
        fc.shuffledSubarray(marks, { minLength: marks.length }),
        (hours, ms) => {
          expect(judgeExceedance(gas(hours, { marks: ms, limits }))).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
  });
});
