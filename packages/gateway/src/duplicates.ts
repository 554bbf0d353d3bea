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
 * an evicted QN leaves the table by backward-shift deletion, so no tombstones build up). The arrays start
 * small and double until they hold `size` (an idle device that sent one frame costs ≈ 0.4 KB, not ≈ 12).
 * Every frame of a busy gateway passes here: a Map per device cost ≈ 430 ns per upload (its entries churn:
 * one set and one delete per frame), this ≈ 200 (docs/benchmarks.md, "Tenth look").
 */
export class RecentUploads {
  #qns: (string | undefined)[] = [];
  #cns: (string | undefined)[] = [];
  /** DataTime and PNO; NaN stands for absent. */
  #times = new Float64Array(0);
  #pnos = new Float64Array(0);
  /** Per ring place: its QN's hash, and where in the table the QN is. */
  #hashes = new Int32Array(0);
  #slotOf = new Int32Array(0);
  /** Ring place + 1 per slot; 0 is empty. At most a quarter full. */
  #table = new Int32Array(0);
  #mask = 0;
  /** Ring places in use, and the place the next new QN takes. */
  #count = 0;
  #next = 0;

  /** `hash` is the QN's hash (tests give one that collides). */
  constructor(
    private readonly size: number,
    private readonly hash: (qn: string) => number = hashOf,
  ) {
    this.#grow(Math.min(size, 8));
  }

  seen(qn: string, cn: string | undefined, dataTime: number | undefined, pno: number | undefined): boolean {
    const time = dataTime ?? Number.NaN;
    const part = pno ?? Number.NaN;
    const hash = this.hash(qn) | 0;
    let slot = this.#find(qn, hash);
    const held = this.#table[slot] as number;
    if (held !== 0) {
      const at = held - 1;
      if (
        this.#cns[at] === cn &&
        same(this.#times[at] as number, time) &&
        same(this.#pnos[at] as number, part)
      )
        return true;
      // A reused QN: the later upload is remembered in its place.
      this.#remember(at, cn, time, part);
      return false;
    }
    const at = this.#next;
    if (this.#count < this.size) {
      if (at === this.#qns.length) {
        this.#grow(Math.min(this.size, at * 2));
        slot = this.#find(qn, hash);
      }
      this.#count += 1;
    } else {
      // The oldest QN makes room (a ring). Deleting its slot may move the probe run the new QN's free slot
      // was found at the end of: look again.
      this.#delete(this.#slotOf[at] as number);
      slot = this.#find(qn, hash);
    }
    this.#next = (at + 1) % this.size;
    this.#qns[at] = qn;
    this.#hashes[at] = hash;
    this.#remember(at, cn, time, part);
    this.#place(at, slot);
    return false;
  }

  /** The slot holding `qn`, or the free slot that ends its probe run. */
  #find(qn: string, hash: number): number {
    const table = this.#table;
    const mask = this.#mask;
    let slot = hash & mask;
    for (let held = table[slot] as number; held !== 0; held = table[slot] as number) {
      if (this.#qns[held - 1] === qn) return slot;
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  #place(at: number, slot: number): void {
    this.#table[slot] = at + 1;
    this.#slotOf[at] = slot;
  }

  #remember(at: number, cn: string | undefined, time: number, part: number): void {
    this.#cns[at] = cn;
    this.#times[at] = time;
    this.#pnos[at] = part;
  }

  /** Room for `capacity` QNs: the arrays copied, the table built afresh from the stored hashes. */
  #grow(capacity: number): void {
    const count = this.#count;
    const copy = <T extends Float64Array | Int32Array>(from: T, to: T): T => {
      to.set(from.subarray(0, count));
      return to;
    };
    this.#qns.length = capacity;
    this.#cns.length = capacity;
    this.#qns.fill(undefined, count);
    this.#cns.fill(undefined, count);
    this.#times = copy(this.#times, new Float64Array(capacity));
    this.#pnos = copy(this.#pnos, new Float64Array(capacity));
    this.#hashes = copy(this.#hashes, new Int32Array(capacity));
    this.#slotOf = new Int32Array(capacity);
    let slots = 8;
    while (slots < capacity * 4) slots *= 2;
    this.#table = new Int32Array(slots);
    this.#mask = slots - 1;
    for (let at = 0; at < count; at++)
      this.#place(at, this.#find(this.#qns[at] as string, this.#hashes[at] as number));
  }

  /** Linear probing's deletion without tombstones: later entries of the probe run move back into the gap. */
  #delete(slot: number): void {
    const table = this.#table;
    const mask = this.#mask;
    let gap = slot;
    table[gap] = 0;
    for (let i = (gap + 1) & mask; table[i] !== 0; i = (i + 1) & mask) {
      const at = (table[i] as number) - 1;
      // The entry at i moves into the gap unless its home lies cyclically within (gap, i].
      if (((i - ((this.#hashes[at] as number) & mask)) & mask) >= ((i - gap) & mask)) {
        this.#place(at, gap);
        table[i] = 0;
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
