/**
 * Which real-time uploads from a logger with a wrong clock become a `clock-skew` device event.
 *
 * While a clock is wrong, every real-time upload is skewed: one event per upload (2,880 a day at a 30 s
 * interval, per device) would repeat what the archive already holds — each archived frame keeps its
 * DataTime and its receipt time. An event is recorded when a device's clock goes wrong (its previous
 * real-time upload was on time, or none was seen since the gateway started), when the skew has moved by
 * more than the tolerance since the last event (the clock jumped or drifted on), and otherwise once every
 * `everyMs` while it stays wrong. That is what the clock rule reads (server analysis/clock.ts): an episode
 * opens at a skew event, continues with later ones, and closes at the first on-time upload after the last.
 *
 * Pure bookkeeping in memory; only devices whose clock is currently wrong are held.
 */
export class ClockSkewLog {
  readonly #last = new Map<string, { readonly at: number; readonly skewMs: number }>();

  constructor(
    private readonly toleranceMs: number,
    private readonly everyMs: number,
  ) {}

  /** Devices whose clock is currently wrong. */
  get size(): number {
    return this.#last.size;
  }

  /** Is a DataTime this far from receipt a wrong clock (beyond the tolerance)? */
  skewed(skewMs: number): boolean {
    return Math.abs(skewMs) > this.toleranceMs;
  }

  /**
   * A real-time upload of `mn` received `at`, its DataTime `skewMs` from receipt. True when it is to be
   * recorded as a clock-skew event; false when it is on time or already covered by a recent event.
   */
  observe(mn: string, skewMs: number, at: number): boolean {
    if (!this.skewed(skewMs)) {
      this.#last.delete(mn);
      return false;
    }
    const last = this.#last.get(mn);
    if (
      last !== undefined &&
      at - last.at < this.everyMs &&
      at >= last.at &&
      Math.abs(skewMs - last.skewMs) <= this.toleranceMs
    )
      return false;
    this.#last.set(mn, { at, skewMs });
    return true;
  }

  forget(mn: string): void {
    this.#last.delete(mn);
  }
}
