import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beijingInstant, beijingParts, daysInMonth, hoursIn, periodOf } from '../src/index.js';

describe('Beijing calendar periods', () => {
  it('cuts days at Beijing midnight (16:00 UTC), not UTC midnight', () => {
    const lateEvening = Date.UTC(2026, 0, 31, 15, 59); // 2026-01-31 23:59 Beijing
    expect(periodOf('day', lateEvening)).toEqual({
      from: Date.UTC(2026, 0, 30, 16),
      to: Date.UTC(2026, 0, 31, 16),
    });
    expect(beijingParts(Date.UTC(2026, 0, 31, 16))).toMatchObject({ year: 2026, month: 2, day: 1, hour: 0 });
  });

  it('gives months, quarters and years their Beijing lengths, February of leap years included', () => {
    expect(hoursIn(periodOf('month', beijingInstant(2026, 2, 10)))).toBe(28 * 24);
    expect(hoursIn(periodOf('month', beijingInstant(2028, 2, 10)))).toBe(29 * 24);
    expect(hoursIn(periodOf('quarter', beijingInstant(2026, 5, 1)))).toBe((30 + 31 + 30) * 24);
    expect(hoursIn(periodOf('year', beijingInstant(2028, 7, 1)))).toBe(366 * 24);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });

  it('every instant lies in exactly the period that contains it, for every unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (t) => {
        for (const unit of ['hour', 'day', 'month', 'quarter', 'year'] as const) {
          const p = periodOf(unit, t);
          expect(p.from).toBeLessThanOrEqual(t);
          expect(p.to).toBeGreaterThan(t);
          expect(periodOf(unit, p.to)).toMatchObject({ from: p.to });
          expect(periodOf(unit, p.to - 1)).toEqual(p);
        }
      }),
    );
  });
});
