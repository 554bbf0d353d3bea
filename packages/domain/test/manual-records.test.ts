import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  beijingInstant,
  DAY_MS,
  DEFAULT_RULES,
  HOUR_MS,
  type ManualRecord,
  type Mark,
  manualRecordLookup,
  type Reading,
  type Validity,
  validityOf,
} from '../src/index.js';

const DAY = beijingInstant(2026, 3, 10, 0);
const T0 = DAY + 8 * HOUR_MS;
const reading = (over: Partial<Reading> = {}): Reading => ({
  factor: 'a21026',
  start: T0,
  value: 12.5,
  flag: 'S',
  protocol: '2017',
  ...over,
});
const record = (over: Partial<ManualRecord> = {}): ManualRecord => ({
  factor: 'a21026',
  from: T0,
  to: T0 + HOUR_MS,
  approved: true,
  reference: '#7 (report HBJC-1)',
  ...over,
});
const judge = (r: Reading, records: readonly ManualRecord[], marks: readonly Mark[] = []) =>
  validityOf(r, { marks, config: DEFAULT_RULES, manualRecords: manualRecordLookup(records) });

describe('manual-monitoring records back S values (人工监测, 湖北省办法 第十五条)', () => {
  const backed = 'flag S: manually entered set value, backed by manual-monitoring record #7 (report HBJC-1)';
  const unbacked = 'flag S: manually entered set value, no manual-monitoring record';
  const table: [string, Partial<Reading>, ManualRecord[], Validity, string][] = [
    ['hourly record of the hour', {}, [record()], 'valid', backed],
    ['daily record covering the hour', {}, [record({ from: DAY, to: DAY + DAY_MS })], 'valid', backed],
    ['no record', {}, [], 'suspect', unbacked],
    ['pending record', {}, [record({ approved: false })], 'suspect', unbacked],
    ['record of another factor', {}, [record({ factor: 'a21002' })], 'suspect', unbacked],
    ['record of the previous hour', {}, [record({ from: T0 - HOUR_MS, to: T0 })], 'suspect', unbacked],
    [
      'record of the next hour',
      {},
      [record({ from: T0 + HOUR_MS, to: T0 + 2 * HOUR_MS })],
      'suspect',
      unbacked,
    ],
    // Only S: a manual record does not make a missing value, or a fault/calibration/maintenance hour, valid.
    ['S without a value', { value: null }, [record()], 'invalid', 'no value'],
    ['flag D', { flag: 'D' }, [record()], 'invalid', 'flag D: fault'],
    ['flag C', { flag: 'C' }, [record()], 'invalid', 'flag C: calibration'],
    ['flag M', { flag: 'M' }, [record()], 'invalid', 'flag M: maintenance'],
    ['flag B', { flag: 'B' }, [record()], 'invalid', 'flag B: instrument–logger communication error'],
    ['flag F stays excluded', { flag: 'F' }, [record()], 'excluded', 'flag F: stopped'],
    ['flag N unaffected', { flag: 'N' }, [record()], 'valid', 'flag N: normal'],
  ];
  it.each(table)('%s', (_name, over, records, validity, reason) => {
    expect(judge(reading(over), records)).toEqual({
      validity,
      reason,
      basis: over.value === null ? 'value' : 'flag',
    });
  });

  it('the earliest-starting approved record names the backing; an approved mark still decides first', () => {
    const day = record({ from: DAY, to: DAY + DAY_MS, reference: '#3 (daily)' });
    expect(judge(reading(), [record(), day]).reason).toContain('#3 (daily)');
    const invalid: Mark = {
      factor: '*',
      from: T0,
      to: T0 + HOUR_MS,
      kind: 'invalid',
      origin: 'manual',
      approved: true,
      madeAt: T0,
    };
    expect(judge(reading(), [record()], [invalid]).validity).toBe('invalid');
  });

  it('property: an S hour is valid exactly when an approved record of its factor covers its start', () => {
    const arbRecord = fc.record({
      factor: fc.constantFrom('a21026', 'a21002'),
      from: fc.integer({ min: 0, max: 47 }).map((h) => DAY + h * HOUR_MS),
      hours: fc.constantFrom(1, 24),
      approved: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbRecord, { maxLength: 6 }), fc.integer({ min: 0, max: 47 }), (raw, hour) => {
        const records = raw.map((r, i) => ({ ...r, to: r.from + r.hours * HOUR_MS, reference: `#${i}` }));
        const start = DAY + hour * HOUR_MS;
        const covering = records.some(
          (r) => r.approved && r.factor === 'a21026' && r.from <= start && start < r.to,
        );
        const judged = judge(reading({ start }), records);
        expect(judged.validity).toBe(covering ? 'valid' : 'suspect');
        // Independent of the order the records come in.
        expect(judge(reading({ start }), [...records].reverse()).validity).toBe(judged.validity);
      }),
    );
  });
});
