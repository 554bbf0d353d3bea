import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  beijingInstant,
  classifyFlag,
  DEFAULT_RULES,
  decidingMark,
  HOUR_MS,
  isExempt,
  KNOWN_FLAGS,
  type Mark,
  MINUTE_MS,
  manualRecordKey,
  type ProtocolVersion,
  type Reading,
  ruleConfig,
  type Validity,
  validityOf,
  type WorkingState,
} from '../src/index.js';

const T0 = beijingInstant(2026, 3, 10, 8);
const reading = (over: Partial<Reading> = {}): Reading => ({
  factor: 'a21026',
  start: T0,
  value: 12.5,
  flag: 'N',
  protocol: '2017',
  ...over,
});
const mark = (over: Partial<Mark> = {}): Mark => ({
  factor: 'a21026',
  from: T0 - HOUR_MS,
  to: T0 + HOUR_MS,
  kind: 'invalid',
  origin: 'automatic',
  approved: true,
  madeAt: T0 + 2 * HOUR_MS,
  ...over,
});
const ctx = { marks: [] as Mark[], config: DEFAULT_RULES };

describe('classifyFlag', () => {
  const table: [ProtocolVersion, string | null, Validity, string][] = [
    ['2017', 'N', 'valid', 'flag N: normal'],
    ['2017', 'F', 'excluded', 'flag F: stopped'],
    ['2017', 'M', 'invalid', 'flag M: maintenance'],
    ['2017', 'S', 'suspect', 'flag S: manually entered set value'],
    ['2017', 'D', 'invalid', 'flag D: fault'],
    ['2017', 'C', 'invalid', 'flag C: calibration'],
    ['2017', 'T', 'invalid', 'flag T: above measuring range'],
    ['2017', 'B', 'invalid', 'flag B: instrument–logger communication error'],
    ['2017', 'P', 'invalid', "unknown flag 'P' (protocol 2017)"],
    ['2017', 'H', 'invalid', "unknown flag 'H' (protocol 2017)"],
    ['2017', 'n', 'invalid', "unknown flag 'n' (protocol 2017)"],
    ['2017', null, 'valid', 'no flag'],
    ['2017', '', 'valid', 'no flag'],
    ['2025', 'N', 'valid', 'flag N: normal'],
    ['2025', 'F', 'excluded', 'flag F: stopped'],
    ['2025', 'B', 'invalid', 'flag B: instrument–logger communication error'],
    ['2025', 'S', 'suspect', 'flag S: manually entered set value'],
    ['2025', 'M', 'invalid', 'flag M: maintenance'],
    ['2025', 'D', 'invalid', 'flag D: fault'],
    ['2025', 'C', 'invalid', 'flag C: calibration'],
    ['2025', 'T', 'invalid', 'flag T: above measuring range'],
    ['2025', 'X', 'invalid', "unknown flag 'X' (protocol 2025)"],
    ['2005', 'N', 'valid', 'flag N: normal'],
    ['2005', 'F', 'excluded', 'flag F (2005): emission source stopped'],
    ['2005', 'P', 'invalid', 'flag P (2005): power failure'],
    ['2005', 'M', 'invalid', 'flag M: maintenance'],
    ['2005', 'S', 'suspect', 'flag S: manually entered set value'],
    ['2005', 'D', 'invalid', 'flag D: fault'],
    ['2005', 'C', 'invalid', 'flag C: calibration'],
    ['2005', 'T', 'invalid', 'flag T: above measuring range'],
    ['2005', 'B', 'invalid', "unknown flag 'B' (protocol 2005)"],
    ['2005', null, 'valid', 'no flag'],
  ];
  it.each(table)('%s flag %j → %s', (protocol, flag, validity, reason) => {
    expect(classifyFlag(flag, protocol)).toEqual({ validity, reason });
  });

  it('covers every known flag of every protocol in the table above', () => {
    for (const [protocol, flags] of Object.entries(KNOWN_FLAGS)) {
      for (const f of flags) expect(table.some(([p, g]) => p === protocol && g === f)).toBe(true);
    }
  });

  it('defaults to 2017 and does not read inherited properties as flags', () => {
    expect(classifyFlag('B').validity).toBe('invalid');
    expect(classifyFlag('toString').reason).toMatch(/unknown flag/);
  });
});

describe('validityOf: flags, values and manual records', () => {
  it('judges by the flag when no mark applies', () => {
    expect(validityOf(reading(), ctx)).toEqual({
      validity: 'valid',
      reason: 'flag N: normal',
      basis: 'flag',
    });
    expect(validityOf(reading({ flag: 'D' }), ctx).validity).toBe('invalid');
    expect(validityOf(reading({ flag: 'F', protocol: '2005' }), ctx).validity).toBe('excluded');
    expect(validityOf(reading({ flag: 'P', protocol: '2005' }), ctx).validity).toBe('invalid');
    expect(validityOf(reading({ flag: null, protocol: '2005' }), ctx)).toMatchObject({
      validity: 'valid',
      reason: 'no flag',
    });
  });

  it('a record without a value is invalid, unless stopped', () => {
    expect(validityOf(reading({ value: null }), ctx)).toEqual({
      validity: 'invalid',
      reason: 'no value',
      basis: 'value',
    });
    expect(validityOf(reading({ value: Number.NaN }), ctx).reason).toBe('no value');
    expect(validityOf(reading({ value: null, flag: 'F' }), ctx).validity).toBe('excluded');
    expect(
      validityOf(reading({ value: null }), { ...ctx, marks: [mark({ kind: 'stopped' })] }).validity,
    ).toBe('excluded');
    expect(validityOf(reading({ value: null }), { ...ctx, marks: [mark({ kind: 'valid' })] }).reason).toBe(
      'no value',
    );
  });

  it('S is suspect without a manual-monitoring record, valid with one (set or predicate), valid by config', () => {
    const s = reading({ flag: 'S' });
    expect(validityOf(s, ctx).validity).toBe('suspect');
    expect(validityOf(s, { ...ctx, manualRecords: new Set([manualRecordKey('a21026', T0)]) }).validity).toBe(
      'valid',
    );
    expect(validityOf(s, { ...ctx, manualRecords: new Set([manualRecordKey('a21002', T0)]) }).validity).toBe(
      'suspect',
    );
    expect(validityOf(s, { ...ctx, manualRecords: (f, t) => f === 'a21026' && t === T0 }).validity).toBe(
      'valid',
    );
    const lenient = ruleConfig({ version: 'test-lenient', suspectNeedsManualRecord: false });
    expect(validityOf(s, { ...ctx, config: lenient }).validity).toBe('valid');
  });
});

describe('validityOf: mark precedence', () => {
  it('an approved mark decides over the flag; kinds map to validities', () => {
    expect(validityOf(reading(), { ...ctx, marks: [mark({ kind: 'invalid' })] })).toEqual({
      validity: 'invalid',
      reason: 'automatic mark: invalid',
      basis: 'mark',
    });
    expect(validityOf(reading({ flag: 'D' }), { ...ctx, marks: [mark({ kind: 'valid' })] }).validity).toBe(
      'valid',
    );
    expect(validityOf(reading(), { ...ctx, marks: [mark({ kind: 'stopped' })] }).validity).toBe('excluded');
  });

  it('exempt marks leave validity to the flag, and isExempt reports them', () => {
    const marks = [mark({ kind: 'exempt' })];
    expect(validityOf(reading({ flag: 'N' }), { ...ctx, marks }).validity).toBe('valid');
    expect(validityOf(reading({ flag: 'D' }), { ...ctx, marks }).validity).toBe('invalid');
    expect(isExempt(reading(), marks)).toBe(true);
    expect(isExempt(reading(), [mark({ kind: 'exempt', approved: false })])).toBe(false);
    expect(isExempt(reading(), [mark({ kind: 'exempt', factor: '*' })])).toBe(true);
    expect(isExempt(reading(), [mark({ kind: 'exempt', factor: 'a21002' })])).toBe(false);
    expect(isExempt(reading(), [mark({ kind: 'invalid' })])).toBe(false);
  });

  it('ignores unapproved marks, marks of other factors, and marks not covering the period start', () => {
    const ignored = [
      mark({ approved: false }),
      mark({ factor: 'a21002' }),
      mark({ from: T0 + MINUTE_MS, to: T0 + HOUR_MS }),
      mark({ from: T0 - HOUR_MS, to: T0 }), // `to` is exclusive
    ];
    expect(validityOf(reading(), { ...ctx, marks: ignored }).validity).toBe('valid');
    expect(validityOf(reading(), { ...ctx, marks: [mark({ from: T0, to: T0 + 1 })] }).validity).toBe(
      'invalid',
    );
  });

  it('manual beats automatic even when older', () => {
    const marks = [
      mark({ origin: 'automatic', kind: 'invalid', madeAt: T0 + 10 * HOUR_MS }),
      mark({ origin: 'manual', kind: 'valid', madeAt: T0 + HOUR_MS }),
    ];
    expect(validityOf(reading({ flag: 'M' }), { ...ctx, marks })).toMatchObject({
      validity: 'valid',
      reason: 'manual mark: valid',
    });
  });

  it('within one origin the latest madeAt wins; an unapproved later one does not', () => {
    const marks = [
      mark({ origin: 'manual', kind: 'stopped', madeAt: T0 + HOUR_MS }),
      mark({ origin: 'manual', kind: 'invalid', madeAt: T0 + 3 * HOUR_MS }),
      mark({ origin: 'manual', kind: 'valid', madeAt: T0 + 2 * HOUR_MS }),
      mark({ origin: 'manual', kind: 'valid', madeAt: T0 + 9 * HOUR_MS, approved: false }),
    ];
    expect(validityOf(reading(), { ...ctx, marks }).validity).toBe('invalid');
  });

  it("'*' applies to every factor; at equal madeAt the factor-specific mark wins, otherwise the later", () => {
    const star = mark({ factor: '*', kind: 'stopped', madeAt: T0 });
    const own = mark({ factor: 'a21026', kind: 'valid', madeAt: T0 });
    expect(validityOf(reading(), { ...ctx, marks: [star] }).validity).toBe('excluded');
    expect(validityOf(reading({ factor: 'a34013' }), { ...ctx, marks: [star] }).validity).toBe('excluded');
    expect(validityOf(reading(), { ...ctx, marks: [star, own] }).validity).toBe('valid');
    const laterStar = { ...star, madeAt: T0 + 1 };
    expect(validityOf(reading(), { ...ctx, marks: [own, laterStar] }).validity).toBe('excluded');
  });

  it('property: the deciding mark does not depend on the order marks are given in', () => {
    const arbMark = fc.record({
      factor: fc.constantFrom('a21026', '*', 'a21002'),
      from: fc.integer({ min: T0 - 3 * HOUR_MS, max: T0 }),
      to: fc.integer({ min: T0, max: T0 + 3 * HOUR_MS }),
      kind: fc.constantFrom('valid', 'invalid', 'stopped', 'exempt') as fc.Arbitrary<Mark['kind']>,
      origin: fc.constantFrom('manual', 'automatic') as fc.Arbitrary<Mark['origin']>,
      approved: fc.boolean(),
      madeAt: fc.integer({ min: T0, max: T0 + 4 }), // few distinct values: many ties
    });
    fc.assert(
      fc.property(
        fc
          .array(arbMark, { maxLength: 12 })
          .chain((marks) =>
            fc.tuple(fc.constant(marks), fc.shuffledSubarray(marks, { minLength: marks.length })),
          ),
        fc.constantFrom('N', 'D', 'S', 'F', null),
        ([marks, shuffled], flag) => {
          const r = reading({ flag });
          expect(validityOf(r, { ...ctx, marks: shuffled })).toEqual(validityOf(r, { ...ctx, marks }));
          expect(decidingMark(r, shuffled)).toEqual(decidingMark(r, marks));
          expect(isExempt(r, shuffled)).toBe(isExempt(r, marks));
        },
      ),
    );
  });
});

describe('validityOf: working state (i12001) against the flag', () => {
  const states = (...s: [number, number][]): WorkingState[] => s.map(([at, state]) => ({ at, state }));

  it.each([1, 2, 3, 6, 8, 10])('flag N while state %i at the period start → invalid', (state) => {
    const judged = validityOf(reading(), { ...ctx, workingStates: states([T0 - 5 * MINUTE_MS, state]) });
    expect(judged.validity).toBe('invalid');
    expect(judged.reason).toMatch(/^working state contradicts flag/);
    expect(judged.basis).toBe('working-state');
  });

  it.each([0, 5, 7, 9])('state %i does not contradict N', (state) => {
    expect(validityOf(reading(), { ...ctx, workingStates: states([T0 - MINUTE_MS, state]) }).validity).toBe(
      'valid',
    );
  });

  it('uses the last state at or before the start, and states within the period', () => {
    // Maintenance earlier, back to running before the hour: valid.
    expect(
      validityOf(reading(), { ...ctx, workingStates: states([T0 - HOUR_MS, 1], [T0 - MINUTE_MS, 0]) })
        .validity,
    ).toBe('valid');
    // State reported exactly at the start counts.
    expect(validityOf(reading(), { ...ctx, workingStates: states([T0, 2]) }).validity).toBe('invalid');
    // Calibration within the hour.
    expect(
      validityOf(reading(), { ...ctx, workingStates: states([T0 - MINUTE_MS, 0], [T0 + 30 * MINUTE_MS, 3]) })
        .validity,
    ).toBe('invalid');
    // The next hour's fault does not reach back.
    expect(validityOf(reading(), { ...ctx, workingStates: states([T0 + HOUR_MS, 2]) }).validity).toBe(
      'valid',
    );
    // A minute record is not affected by a state 30 min later.
    expect(
      validityOf(reading(), { ...ctx, period: 'minute', workingStates: states([T0 + 30 * MINUTE_MS, 3]) })
        .validity,
    ).toBe('valid');
  });

  it('also applies to a record without a flag, but not to other flags, and not over a mark', () => {
    const workingStates = states([T0 - MINUTE_MS, 1]);
    expect(validityOf(reading({ flag: null }), { ...ctx, workingStates }).validity).toBe('invalid');
    expect(validityOf(reading({ flag: 'D' }), { ...ctx, workingStates }).reason).toBe('flag D: fault');
    expect(validityOf(reading({ flag: 'F' }), { ...ctx, workingStates }).validity).toBe('excluded');
    expect(
      validityOf(reading(), { ...ctx, workingStates, marks: [mark({ kind: 'valid', origin: 'manual' })] })
        .validity,
    ).toBe('valid');
  });
});
