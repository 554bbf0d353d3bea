/**
 * HJ 212 timestamps: `YYYYMMDDhhmmss` (N14; QN adds milliseconds, N17), Beijing time (UTC+8) without a
 * zone. The platform stores UTC epoch milliseconds; these functions convert at the boundary.
 */

export const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function digitsIn(bytes: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = (bytes[i] as number) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Reads a 14-digit (or, with milliseconds, 17-digit) Beijing timestamp; returns UTC epoch ms, or
 * undefined when the text is not a valid date and time.
 */
export function parseBeijingTime(text: string): number | undefined {
  return parseBeijingTimeAt(text, 0, text.length);
}

/** `parseBeijingTime` of text[at, at + length), read in place. */
export function parseBeijingTimeAt(text: string, at: number, length: number): number | undefined {
  if (length !== 14 && length !== 17) return undefined;
  return beijingTime(
    digitsAt(text, at, 4),
    digitsAt(text, at + 4, 2),
    digitsAt(text, at + 6, 2),
    digitsAt(text, at + 8, 2),
    digitsAt(text, at + 10, 2),
    digitsAt(text, at + 12, 2),
    length === 17 ? digitsAt(text, at + 14, 3) : 0,
  );
}

/** `parseBeijingTime` of ASCII bytes[at, at + length). */
export function beijingTimeInBytes(bytes: Uint8Array, at: number, length: number): number | undefined {
  if (length !== 14 && length !== 17) return undefined;
  return beijingTime(
    digitsIn(bytes, at, 4),
    digitsIn(bytes, at + 4, 2),
    digitsIn(bytes, at + 6, 2),
    digitsIn(bytes, at + 8, 2),
    digitsIn(bytes, at + 10, 2),
    digitsIn(bytes, at + 12, 2),
    length === 17 ? digitsIn(bytes, at + 14, 3) : 0,
  );
}

/** Validates the fields (-1 = not digits) of a Beijing date and time; UTC epoch ms or undefined. */
function beijingTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
): number | undefined {
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return undefined;
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  if (day > monthDays) return undefined;
  const days = daysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis - BEIJING_OFFSET_MS;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), exact for every year
 * 0000–9999 — unlike Date.UTC, which reads years 0–99 as 1900–1999 — and without allocating a Date.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** UTC epoch ms → `YYYYMMDDhhmmss` Beijing time. */
export function formatBeijingTime(epochMs: number): string {
  const d = new Date(epochMs + BEIJING_OFFSET_MS);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a time: ${epochMs}`);
  return (
    pad(d.getUTCFullYear(), 4) +
    pad(d.getUTCMonth() + 1, 2) +
    pad(d.getUTCDate(), 2) +
    pad(d.getUTCHours(), 2) +
    pad(d.getUTCMinutes(), 2) +
    pad(d.getUTCSeconds(), 2)
  );
}

/** UTC epoch ms → a QN request number `YYYYMMDDhhmmsszzz` (Beijing time with milliseconds). */
export function formatQn(epochMs: number): string {
  const d = new Date(epochMs + BEIJING_OFFSET_MS);
  return formatBeijingTime(epochMs) + pad(d.getUTCMilliseconds(), 3);
}

/** A QN's instant (UTC epoch ms), or undefined when it is not a valid 17-digit timestamp. */
export function parseQn(qn: string): number | undefined {
  return qn.length === 17 ? parseBeijingTime(qn) : undefined;
}
