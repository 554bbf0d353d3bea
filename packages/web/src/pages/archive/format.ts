/** An instant as Beijing time (UTC+8), 'YYYY-MM-DD HH:mm'. */
export function beijingTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Today's date in Beijing, 'YYYY-MM-DD'. */
export function beijingToday(now = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** 'low–high', '≤ high', '≥ low' or '—'. */
export function rangeText(low: number | null, high: number | null): string {
  if (low !== null && high !== null) return `${low}–${high}`;
  if (high !== null) return `≤ ${high}`;
  if (low !== null) return `≥ ${low}`;
  return '—';
}

export const orDash = (v: string | number | null | undefined) =>
  v === null || v === undefined || v === '' ? '—' : v;
