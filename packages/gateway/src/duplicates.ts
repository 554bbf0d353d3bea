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

  forget(mn: string): void {
    this.#seen.delete(mn);
  }
}

/**
 * One device's last uploads: a ring of their QNs (the oldest is overwritten) with CN, DataTime and PNO in
 * parallel arrays, and an open-addressing table from a QN's hash to its place in the ring (linear probing;
 * an evicted QN leaves the table by backward-shift deletion, so no tombstones build up). The numbers live in
 * one buffer, and it starts with room for 4 QNs and doubles up to `size`: a gateway holds one of these per
 * device that ever sent an upload, 10 000 idle ones among them. Every frame of a busy gateway passes here: a
 * Map per device cost ≈ 430 ns per upload (its entries churn: one set and one delete per frame), this ≈ 200
 * (docs/benchmarks.md, "Tenth look").
 */
export class RecentUploads {
  #qns: (string | undefined)[] = [];
  #cns: (string | undefined)[] = [];
  /** Per ring place at `at`: DataTime, and PNO at `capacity + at`; NaN stands for absent. */
  #numbers = new Float64Array(0);
  /**
   * Per ring place at `at`: its QN's hash, and at `capacity + at` where in the table it is. From `2 ×
   * capacity` on, the table: ring place + 1 per slot, 0 empty, at most a quarter full.
   */
  #ints = new Int32Array(0);
  #capacity = 0;
  #mask = 0;
  /** The place the next new QN takes (until the ring is first full, also the number of places in use). */
  #next = 0;

  /** `hash` is the QN's hash (tests give one that collides). */
  constructor(
    private readonly size: number,
    private readonly hash: (qn: string) => number = hashOf,
  ) {
    this.#grow(Math.min(size, 4));
  }

  seen(qn: string, cn: string | undefined, dataTime: number | undefined, pno: number | undefined): boolean {
    const time = dataTime ?? Number.NaN;
    const part = pno ?? Number.NaN;
    const hash = this.hash(qn) | 0;
    let slot = this.#find(qn, hash);
    const held = this.#ints[2 * this.#capacity + slot] as number;
    if (held !== 0) {
      const at = held - 1;
      const numbers = this.#numbers;
      if (
        this.#cns[at] === cn &&
        same(numbers[at] as number, time) &&
        same(numbers[this.#capacity + at] as number, part)
      )
        return true;
      // A reused QN: the later upload is remembered in its place.
      this.#remember(at, cn, time, part);
      return false;
    }
    const at = this.#next;
    if (this.#qns[at] === undefined) {
      // The ring is not full yet: this place was never used (or lies past the arrays, which then grow).
      if (at === this.#capacity) {
        this.#grow(Math.min(this.size, at * 2));
        slot = this.#find(qn, hash);
      }
    } else {
      // The oldest QN makes room (a ring). Deleting its slot may move the probe run the new QN's free slot
      // was found at the end of: look again.
      this.#delete(this.#ints[this.#capacity + at] as number);
      slot = this.#find(qn, hash);
    }
    this.#next = (at + 1) % this.size;
    this.#qns[at] = qn;
    this.#ints[at] = hash;
    this.#remember(at, cn, time, part);
    this.#place(at, slot);
    return false;
  }

  /** The slot holding `qn`, or the free slot that ends its probe run. */
  #find(qn: string, hash: number): number {
    const ints = this.#ints;
    const table = 2 * this.#capacity;
    const mask = this.#mask;
    let slot = hash & mask;
    for (let held = ints[table + slot] as number; held !== 0; held = ints[table + slot] as number) {
      if (this.#qns[held - 1] === qn) return slot;
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  #place(at: number, slot: number): void {
    this.#ints[2 * this.#capacity + slot] = at + 1;
    this.#ints[this.#capacity + at] = slot;
  }

  #remember(at: number, cn: string | undefined, time: number, part: number): void {
    this.#cns[at] = cn;
    this.#numbers[at] = time;
    this.#numbers[this.#capacity + at] = part;
  }

  /**
   * Room for `capacity` QNs: the numbers copied into a new buffer, the table built afresh from the hashes.
   * Only while the ring fills, so the places in use are those before `#next`.
   */
  #grow(capacity: number): void {
    const count = this.#next;
    const old = { numbers: this.#numbers, ints: this.#ints, capacity: this.#capacity };
    let slots = 8;
    while (slots < capacity * 4) slots *= 2;
    const buffer = new ArrayBuffer(16 * capacity + 4 * (2 * capacity + slots));
    this.#numbers = new Float64Array(buffer, 0, 2 * capacity);
    this.#ints = new Int32Array(buffer, 16 * capacity, 2 * capacity + slots);
    this.#capacity = capacity;
    this.#mask = slots - 1;
    this.#numbers.set(old.numbers.subarray(0, count));
    this.#numbers.set(old.numbers.subarray(old.capacity, old.capacity + count), capacity);
    this.#ints.set(old.ints.subarray(0, count));
    this.#qns.length = capacity;
    this.#cns.length = capacity;
    this.#qns.fill(undefined, count);
    this.#cns.fill(undefined, count);
    for (let at = 0; at < count; at++)
      this.#place(at, this.#find(this.#qns[at] as string, this.#ints[at] as number));
  }

  /** Linear probing's deletion without tombstones: later entries of the probe run move back into the gap. */
  #delete(slot: number): void {
    const ints = this.#ints;
    const table = 2 * this.#capacity;
    const mask = this.#mask;
    let gap = slot;
    ints[table + gap] = 0;
    for (let i = (gap + 1) & mask; ints[table + i] !== 0; i = (i + 1) & mask) {
      const at = (ints[table + i] as number) - 1;
      // The entry at i moves into the gap unless its home lies cyclically within (gap, i].
      if (((i - ((ints[at] as number) & mask)) & mask) >= ((i - gap) & mask)) {
        this.#place(at, gap);
        ints[table + i] = 0;
        gap = i;
      }
    }
  }
}

/** Equal, with NaN (absent) equal to NaN. */
function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** FNV-1a over the QN's characters (17 digits in the standard's QN, anything in the field's). */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
