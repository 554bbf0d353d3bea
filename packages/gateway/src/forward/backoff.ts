/**
 * The delay before reconnect attempt `failures` (1 = after the first failure): doubling from `baseMs`,
 * capped at `maxMs`, with "equal jitter" — half the delay fixed, half random — so that the forwarders of a
 * restarted gateway do not reconnect in lockstep, yet never retry at once. Pure; `random` is in [0, 1).
 */
export function backoffDelay(failures: number, baseMs: number, maxMs: number, random: () => number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const delay = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(delay / 2 + random() * (delay / 2));
}
