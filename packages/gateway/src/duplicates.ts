import type { Message } from '@qingyuan/hj212';
import { dataTimeOf } from './interpret.js';

/** Uploads a logger re-sends when our 9014 got lost. */
const UPLOADS = new Set(['observations', 'run-state', 'run-time', 'device-info', 'restart', 'alarm']);

/**
 * Recently seen uploads per MN, keyed by CN + QN + DataTime (+ PNO): a re-sent frame is acknowledged again
 * (the logger lost our ack) but stored once. Bounded: the last `perDevice` QNs of each device. Looked up by
 * QN, then its CN, DataTime and PNO compared (no key string built per frame). Two uploads with one QN (a
 * logger that reuses QNs): the later one is remembered in place of the earlier. After a restart the filter
 * is empty; in either case the observation writer's own duplicate check still stores a re-sent upload once.
 */
export class DuplicateFilter {
  readonly #seen = new Map<string, RecentUploads>();

  constructor(private readonly perDevice = 256) {}

  /** True when the message was seen before; otherwise remembers it. */
  seen(message: Message): boolean {
    const { mn, qn } = message;
    if (mn === undefined || qn === undefined || !UPLOADS.has(message.body.type)) return false;
    let recent = this.#seen.get(mn);
    if (recent === undefined) {
      recent = new RecentUploads(this.perDevice);
      this.#seen.set(mn, recent);
    }
    return recent.seen(qn, message.cn, dataTimeOf(message), message.pno);
  }
}

/**
 * One device's last uploads: a ring of places (the oldest is overwritten), each with its QN, CN, DataTime
 * and PNO. A logger's QNs rise (the standard's QN is the time it was made, yyyyMMddHHmmsszzz), so a QN above
 * every one held is new without a look at the ring: the common case costs one place written. Only a QN at
 * or below the highest one held (a re-send, a logger whose clock went back, one that reuses or invents QNs)
 * is looked for, newest first. That look also learns the highest QN the ring still holds, so a clock that
 * went back costs looks only until the QNs above it have left the ring.
 *
 * Why not a hash table (as until 2026-12): with 500 busy devices interleaved, every structure a frame touches
 * here is cold in the CPU's caches, and a table's probe, its insert and the oldest QN's deletion touched
 * several lines each. In a loop of 500 interleaved devices the table took ≈ 395 ns per upload, this ≈ 160
 * (docs/benchmarks.md, "Twentieth look").
 *
 * A QN of 1–24 digits is held as two numbers (see readKey), not as the string the decoder made (kept, those
 * strings were the gateway's largest source of objects promoted to the old generation); any other QN is
 * kept as a string, aside, and is always looked for. Per place `at`, at `STRIDE × at` in one Float64Array:
 * QN high, QN low, DataTime, PNO (NaN stands for absent, and a QN high of NaN for a QN kept as a string). It
 * starts with room for 4 places and doubles up to `size`: a gateway holds one of these per device that ever
 * sent an upload, 10 000 idle ones among them.
 */
export class RecentUploads {
  #numbers = new Float64Array(0);
  #cns: (string | undefined)[] = [];
  /** QNs that are not digits only, by place (rare: made on the first one). */
  #textQns: (string | undefined)[] | undefined;
  #capacity = 0;
  /** The place the next new QN takes. */
  #next = 0;
  /** Places in use (they fill in order from 0; once `size`, the ring is full). */
  #filled = 0;
  /** No digit QN held is above this one (a QN high of -Infinity: none held). */
  #topHigh = Number.NEGATIVE_INFINITY;
  #topLow = Number.NEGATIVE_INFINITY;

  constructor(private readonly size: number) {
    this.#grow(Math.min(size, 4));
  }

  seen(qn: string, cn: string | undefined, dataTime: number | undefined, pno: number | undefined): boolean {
    const time = dataTime ?? Number.NaN;
    const part = pno ?? Number.NaN;
    readKey(qn);
    if (above(keyHigh, keyLow, this.#topHigh, this.#topLow)) {
      this.#topHigh = keyHigh;
      this.#topLow = keyLow;
      this.#add(qn, cn, time, part);
      return false;
    }
    const at = this.#look(qn);
    if (at < 0) {
      this.#add(qn, cn, time, part);
      return false;
    }
    const numbers = this.#numbers;
    if (
      this.#cns[at] === cn &&
      same(numbers[STRIDE * at + 2] as number, time) &&
      same(numbers[STRIDE * at + 3] as number, part)
    )
      return true;
    // A reused QN: the later upload is remembered in its place.
    this.#remember(at, cn, time, part);
    return false;
  }

  /**
   * The place holding the QN in keyHigh/keyLow (`qn`), newest first, or -1. A miss has looked at every place:
   * the highest digit QN among them (and this one) becomes the top.
   */
  #look(qn: string): number {
    const numbers = this.#numbers;
    const text = Number.isNaN(keyHigh);
    let topHigh = text ? Number.NEGATIVE_INFINITY : keyHigh;
    let topLow = text ? Number.NEGATIVE_INFINITY : keyLow;
    for (let k = 1; k <= this.#filled; k++) {
      const at = (this.#next - k + this.size) % this.size;
      const high = numbers[STRIDE * at] as number;
      const low = numbers[STRIDE * at + 1] as number;
      if (text ? Number.isNaN(high) && this.#textQns?.[at] === qn : high === keyHigh && low === keyLow)
        return at;
      if (above(high, low, topHigh, topLow)) {
        topHigh = high;
        topLow = low;
      }
    }
    this.#topHigh = topHigh;
    this.#topLow = topLow;
    return -1;
  }

  /** A new QN (in keyHigh/keyLow) at the next place: a new place while the ring fills, then the oldest. */
  #add(qn: string, cn: string | undefined, time: number, part: number): void {
    const at = this.#next;
    if (this.#filled < this.size) {
      if (at === this.#capacity) this.#grow(Math.min(this.size, at * 2));
      this.#filled += 1;
    }
    this.#next = (at + 1) % this.size;
    this.#numbers[STRIDE * at] = keyHigh;
    this.#numbers[STRIDE * at + 1] = keyLow;
    if (Number.isNaN(keyHigh)) {
      this.#textQns ??= [];
      this.#textQns[at] = qn;
    } else if (this.#textQns !== undefined) this.#textQns[at] = undefined;
    this.#remember(at, cn, time, part);
  }

  #remember(at: number, cn: string | undefined, time: number, part: number): void {
    this.#cns[at] = cn;
    this.#numbers[STRIDE * at + 2] = time;
    this.#numbers[STRIDE * at + 3] = part;
  }

  /** Room for `capacity` places (only while the ring fills: the places in use are 0 … filled − 1). */
  #grow(capacity: number): void {
    const numbers = new Float64Array(STRIDE * capacity);
    numbers.set(this.#numbers.subarray(0, STRIDE * this.#filled));
    this.#numbers = numbers;
    this.#capacity = capacity;
    this.#cns.length = capacity;
    this.#cns.fill(undefined, this.#filled);
  }
}

/** Numbers per place: QN high, QN low, DataTime, PNO. */
const STRIDE = 4;

/** The QN `seen` was last given, as numbers (set by readKey; keyHigh NaN: not digits only). */
let keyHigh = Number.NaN;
let keyLow = 0;

/**
 * A QN of 1–24 digits as two exact numbers ordered as the QNs are (by length, then by digits): low, its last
 * 15 digits; high, its length × 10⁹ + the digits before those (so "007" ≠ "7"). Anything else: keyHigh NaN
 * (NaN compares false with everything: such a QN is never above the top, and is always looked for).
 */
function readKey(qn: string): void {
  const length = qn.length;
  if (length === 0 || length > 24) {
    keyHigh = Number.NaN;
    return;
  }
  const split = length > 15 ? length - 15 : 0;
  let high = 0;
  let low = 0;
  for (let i = 0; i < length; i++) {
    const digit = qn.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) {
      keyHigh = Number.NaN;
      return;
    }
    if (i < split) high = high * 10 + digit;
    else low = low * 10 + digit;
  }
  keyHigh = length * 1e9 + high;
  keyLow = low;
}

/** QN (high, low) is above QN (topHigh, topLow) in readKey's order; never for a NaN (text) QN. */
function above(high: number, low: number, topHigh: number, topLow: number): boolean {
  return high > topHigh || (high === topHigh && low > topLow);
}

/** Equal, with NaN (absent) equal to NaN. */
function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}
