/**
 * Authentication failures per peer address: an address that fails `limit` times within `windowMs` is
 * refused for `throttleMs` (a logger with a wrong password reconnects forever; a scanner probes MNs).
 * Pure: time is a parameter.
 */
export class AuthThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #blockedUntil = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly throttleMs: number,
  ) {}

  /** Until when the address is refused, or undefined. */
  blockedUntil(address: string, now: number): number | undefined {
    const until = this.#blockedUntil.get(address);
    if (until === undefined) return undefined;
    if (until > now) return until;
    this.#blockedUntil.delete(address);
    return undefined;
  }

  /** Records a failure; true when the address has just become throttled. */
  fail(address: string, now: number): boolean {
    const recent = (this.#failures.get(address) ?? []).filter((t) => now - t < this.windowMs);
    recent.push(now);
    if (recent.length < this.limit) {
      this.#failures.set(address, recent);
      return false;
    }
    this.#failures.delete(address);
    this.#blockedUntil.set(address, now + this.throttleMs);
    return true;
  }

  succeed(address: string): void {
    this.#failures.delete(address);
  }

  /** Forgets old entries (called periodically so memory stays bounded). */
  sweep(now: number): void {
    for (const [address, times] of this.#failures)
      if (times.every((t) => now - t >= this.windowMs)) this.#failures.delete(address);
    for (const [address, until] of this.#blockedUntil) if (until <= now) this.#blockedUntil.delete(address);
  }
}
