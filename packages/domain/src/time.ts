/**
 * Beijing calendar periods. Instants are UTC epoch ms; HJ 212 times, and the hours, days, months,
 * quarters and years of every rule and report, are Beijing time (UTC+8, no daylight saving).
 */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface BeijingParts {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  /** 1–31. */
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

export function beijingParts(instant: number): BeijingParts {
  const d = new Date(instant + BEIJING_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

/** The instant a Beijing wall-clock time begins (month 1–12; out-of-range values roll over, as Date.UTC). */
export function beijingInstant(year: number, month: number, day = 1, hour = 0, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute) - BEIJING_OFFSET_MS;
}

const floorTo = (instant: number, step: number) =>
  Math.floor((instant + BEIJING_OFFSET_MS) / step) * step - BEIJING_OFFSET_MS;

export const minuteStart = (instant: number): number => floorTo(instant, MINUTE_MS);
export const hourStart = (instant: number): number => floorTo(instant, HOUR_MS);
export const dayStart = (instant: number): number => floorTo(instant, DAY_MS);

export function monthStart(instant: number): number {
  const p = beijingParts(instant);
  return beijingInstant(p.year, p.month);
}

export function nextMonthStart(instant: number): number {
  const p = beijingParts(instant);
  return beijingInstant(p.year, p.month + 1);
}

export function quarterStart(instant: number): number {
  const p = beijingParts(instant);
  return beijingInstant(p.year, p.month - ((p.month - 1) % 3));
}

export function yearStart(instant: number): number {
  return beijingInstant(beijingParts(instant).year, 1);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A half-open interval of instants [from, to). */
export interface Interval {
  readonly from: number;
  readonly to: number;
}

export type CalendarUnit = 'hour' | 'day' | 'month' | 'quarter' | 'year';

/** The Beijing calendar period of `unit` that contains `instant`. */
export function periodOf(unit: CalendarUnit, instant: number): Interval {
  switch (unit) {
    case 'hour': {
      const from = hourStart(instant);
      return { from, to: from + HOUR_MS };
    }
    case 'day': {
      const from = dayStart(instant);
      return { from, to: from + DAY_MS };
    }
    case 'month':
      return { from: monthStart(instant), to: nextMonthStart(instant) };
    case 'quarter': {
      const from = quarterStart(instant);
      const p = beijingParts(from);
      return { from, to: beijingInstant(p.year, p.month + 3) };
    }
    case 'year': {
      const from = yearStart(instant);
      return { from, to: beijingInstant(beijingParts(from).year + 1, 1) };
    }
  }
}

/** Whole hours in an interval (periods are whole hours in Beijing time). */
export const hoursIn = (interval: Interval): number => Math.round((interval.to - interval.from) / HOUR_MS);
