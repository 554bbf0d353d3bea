import dayjs, { type Dayjs } from 'dayjs';
import type { ReportPeriod } from '../../api/transmission';

const HOUR_MS = 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** The Beijing calendar date (UTC+8) of an instant, as UTC fields of a Date. */
function beijing(ms: number): Date {
  return new Date(ms + 8 * HOUR_MS);
}

/** The report period holding `now` in Beijing time: YYYY-MM, YYYY-Qn or YYYY. */
export function currentAt(period: ReportPeriod, now = Date.now()): string {
  const b = beijing(now);
  const y = b.getUTCFullYear();
  if (period === 'year') return String(y);
  if (period === 'quarter') return `${y}-Q${Math.floor(b.getUTCMonth() / 3) + 1}`;
  return `${y}-${pad(b.getUTCMonth() + 1)}`;
}

/** Whether `at` has the form of `period` (as the API checks it). */
export function validAt(period: ReportPeriod, at: string): boolean {
  return {
    month: /^\d{4}-(0[1-9]|1[0-2])$/,
    quarter: /^\d{4}-Q[1-4]$/,
    year: /^\d{4}$/,
  }[period].test(at);
}

/** A picker value for `at` (a plain calendar date: the picker works in calendar terms). */
export function atToDayjs(period: ReportPeriod, at: string): Dayjs {
  const y = Number(at.slice(0, 4));
  if (period === 'year') return dayjs(new Date(y, 0, 1));
  if (period === 'quarter') return dayjs(new Date(y, (Number(at.slice(-1)) - 1) * 3, 1));
  return dayjs(new Date(y, Number(at.slice(5, 7)) - 1, 1));
}

export function dayjsToAt(period: ReportPeriod, d: Dayjs): string {
  if (period === 'year') return String(d.year());
  if (period === 'quarter') return `${d.year()}-Q${Math.floor(d.month() / 3) + 1}`;
  return `${d.year()}-${pad(d.month() + 1)}`;
}

/** YYYY-MM-DD in Beijing time. */
export function beijingDate(ms: number): string {
  return beijing(ms).toISOString().slice(0, 10);
}
