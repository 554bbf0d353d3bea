import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BEIJING_OFFSET_MS, formatBeijingTime, formatQn, parseBeijingTime, parseQn } from '../src/index.js';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number): number =>
  [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;

/** A valid calendar date and time, as fields. */
const dateTime = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    millis: fc.integer({ min: 0, max: 999 }),
  })
  .map((t) => ({ ...t, day: Math.min(t.day, daysIn(t.year, t.month)) }));

const text14 = (t: {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}) =>
  `${pad(t.year, 4)}${pad(t.month, 2)}${pad(t.day, 2)}${pad(t.hour, 2)}${pad(t.minute, 2)}${pad(t.second, 2)}`;

/** UTC epoch ms of a Beijing wall-clock time, for any year 0–9999 (Date.UTC alone maps 0–99 to 19xx). */
function epochOf(t: {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
}): number {
  const d = new Date(0);
  d.setUTCFullYear(t.year, t.month - 1, t.day);
  d.setUTCHours(t.hour, t.minute, t.second, t.millis);
  return d.getTime() - 8 * 3600 * 1000;
}

describe('Beijing timestamps (YYYYMMDDhhmmss, UTC+8)', () => {
  it('Beijing is UTC+8', () => {
    expect(BEIJING_OFFSET_MS).toBe(8 * 3600 * 1000);
    expect(parseBeijingTime('20160801085857')).toBe(Date.UTC(2016, 7, 1, 0, 58, 57));
    expect(formatBeijingTime(Date.UTC(2016, 7, 1, 0, 58, 57))).toBe('20160801085857');
    // The date changes at 16:00 UTC.
    expect(formatBeijingTime(Date.UTC(2016, 11, 31, 16, 0, 0))).toBe('20170101000000');
  });

  it('parses every valid 14-digit time of years 0000–9999 to its instant, and formats it back', () => {
    fc.assert(
      fc.property(dateTime, (t) => {
        const text = text14(t);
        const epoch = epochOf({ ...t, millis: 0 });
        expect(parseBeijingTime(text)).toBe(epoch);
        expect(formatBeijingTime(epoch)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads 17 digits with milliseconds (QN)', () => {
    fc.assert(
      fc.property(dateTime, (t) => {
        const qn = `${text14(t)}${pad(t.millis, 3)}`;
        expect(parseBeijingTime(qn)).toBe(epochOf(t));
        expect(parseQn(qn)).toBe(epochOf(t));
        expect(formatQn(epochOf(t))).toBe(qn);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['20230229000000', 'Feb 29 in a common year'],
    ['19000229000000', '1900 is not a leap year'],
    ['20231301000000', 'month 13'],
    ['20230001000000', 'month 0'],
    ['20230100000000', 'day 0'],
    ['20230431000000', 'April 31'],
    ['20230101240000', 'hour 24'],
    ['20230101006000', 'minute 60'],
    ['20230101000060', 'second 60'],
    ['2023010100000', '13 digits'],
    ['202301010000000', '15 digits'],
    ['2023010100000000', '16 digits'],
    ['2023-1-1000000', 'a sign inside'],
    ['+0230101000000', 'a leading sign'],
    ['2023010100000a', 'a letter'],
    ['', 'empty'],
  ])('rejects %j (%s)', (text) => {
    expect(parseBeijingTime(text)).toBeUndefined();
  });

  it('accepts Feb 29 in leap years (2000, 2024)', () => {
    expect(parseBeijingTime('20000229000000')).toBe(Date.UTC(2000, 1, 28, 16));
    expect(parseBeijingTime('20240229235959')).toBe(Date.UTC(2024, 1, 29, 15, 59, 59));
  });

  it('parseQn needs exactly 17 digits', () => {
    expect(parseQn('20160801085857223')).toBe(Date.UTC(2016, 7, 1, 0, 58, 57, 223));
    expect(parseQn('20160801085857')).toBeUndefined();
  });

  it('formatBeijingTime refuses a non-time', () => {
    expect(() => formatBeijingTime(Number.NaN)).toThrow(RangeError);
  });
});
