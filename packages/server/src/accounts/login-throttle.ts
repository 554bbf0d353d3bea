/**
 * Login attempts per peer address in a sliding window (in memory: a restart forgets, the per-account
 * lockout in the database does not). Protects against password spraying across many accounts.
 */
export class LoginThrottle {
  readonly #attempts = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit = 20, windowMs = 60_000) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Counts an attempt; false when the peer is over the limit. */
  allow(peer: string, now: number): boolean {
    const recent = (this.#attempts.get(peer) ?? []).filter((t) => t > now - this.#windowMs);
    if (recent.length >= this.#limit) {
      this.#attempts.set(peer, recent);
      return false;
    }
    recent.push(now);
    this.#attempts.set(peer, recent);
    if (this.#attempts.size > 10_000) this.#prune(now);
    return true;
  }

  #prune(now: number): void {
    for (const [peer, times] of this.#attempts)
      if (times.every((t) => t <= now - this.#windowMs)) this.#attempts.delete(peer);
  }
}
