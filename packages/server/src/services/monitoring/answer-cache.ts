/**
 * A few answers kept for a moment: many screens of one scope asking the same question within a second
 * (a city's dashboards polling live values) get one computation. Time is the process's monotonic clock
 * (not the injectable business clock); a TTL of 0 keeps nothing.
 */
export class AnswerCache<T> {
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(ttlMs: number, max = 1000) {
    this.#ttlMs = ttlMs;
    this.#max = max;
  }

  /** The answer for `key` if computed less than the TTL ago, else `compute()` (shared while it runs). */
  get(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.#ttlMs <= 0) return compute();
    const now = performance.now();
    const held = this.#entries.get(key);
    if (held !== undefined && now - held.at < this.#ttlMs) return held.value;
    const value = compute();
    // A failed computation is not kept.
    value.catch(() => this.#entries.delete(key));
    this.#entries.set(key, { at: now, value });
    if (this.#entries.size > this.#max)
      for (const [k, e] of this.#entries)
        if (now - e.at >= this.#ttlMs || this.#entries.size > this.#max) this.#entries.delete(k);
    return value;
  }
}
