// Beijing time (UTC+8) for display and for antd pickers, whatever the browser's time zone.
// A picker works in the browser's zone: we hand it a dayjs whose local wall clock equals Beijing's.
import dayjs, { type Dayjs } from 'dayjs';

const BEIJING_MIN = 480;

/** The instant shown as Beijing wall-clock time, e.g. '2026-03-01 14:00'. */
export function beijing(ms: number, pattern = 'YYYY-MM-DD HH:mm'): string {
  return toPicker(ms).format(pattern);
}

/** A dayjs (browser zone) whose wall clock shows the instant's Beijing time (for DatePicker values). */
export function toPicker(ms: number): Dayjs {
  return dayjs(ms + (BEIJING_MIN + new Date(ms).getTimezoneOffset()) * 60_000);
}

/** The instant a picker value means when read as Beijing wall-clock time. */
export function fromPicker(value: Dayjs): number {
  const local = value.valueOf();
  return local - (BEIJING_MIN + new Date(local).getTimezoneOffset()) * 60_000;
}

/** Start of the Beijing day holding the instant. */
export function beijingDayStart(ms: number): number {
  return fromPicker(toPicker(ms).startOf('day'));
}
