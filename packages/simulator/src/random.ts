/**
 * Deterministic randomness for the pure cores: every random number is a hash of integers (seed, device,
 * factor, time index), so any sample can be recomputed on its own, in any order, with the same result.
 */

/** A 32-bit avalanche mix (multiply–xorshift rounds). */
function mix(value: number): number {
  let x = value | 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A 32-bit hash of a list of integers (order matters). */
export function hashInts(...values: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    // Numbers above 2^32 (time indices) are folded in two halves.
    const low = value >>> 0;
    const high = Math.floor(value / 0x1_0000_0000) >>> 0;
    h = mix(h ^ low);
    h = mix(h ^ high ^ 0x5bd1e995);
  }
  return h;
}

/** A 32-bit hash of a string (FNV-1a, then mixed). */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix(h);
}

/** Uniform in [0, 1) from integers. */
export function uniform(...values: readonly number[]): number {
  return hashInts(...values) / 0x1_0000_0000;
}

const SQRT3 = Math.sqrt(3);

/**
 * Approximately standard normal (Irwin–Hall with 4 uniforms, scaled): bounded to about ±3.5. The four
 * uniforms are successive mixes of one hash (one hash per normal keeps 1,000 loggers cheap).
 */
export function gaussian(...values: readonly number[]): number {
  let x = hashInts(...values);
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    x = mix(x + 0x9e3779b9);
    sum += x / 0x1_0000_0000;
  }
  return (sum - 2) * SQRT3;
}

/** A small seeded generator for I/O shells (reconnect jitter, garbage bytes): not for the model. */
export class SeededRandom {
  #state: number;
  constructor(seed: number) {
    this.#state = hashInts(seed);
  }
  next(): number {
    this.#state = mix(this.#state + 0x6d2b79f5);
    return this.#state / 0x1_0000_0000;
  }
}
