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
 * an evicted QN leaves the table by backward-shift deletion, so no tombstones build up). Every frame of a
 * busy gateway passes here: a Map per device cost ≈ 430 ns per upload (its entries churn: one set and one
 * delete per frame), this ≈ 100 (docs/benchmarks.md, "Tenth look").
 */
export class RecentUploads {
  readonly #qns: (string | undefined)[];
  readonly #cns: (string | undefined)[];
  /** DataTime and PNO; NaN stands for absent. */
  readonly #times: Float64Array;
  readonly #pnos: Float64Array;
  /** Per ring place: where in the table its QN is, and the slot its QN hashes to. */
  readonly #slotOf: Int32Array;
  readonly #homeOf: Int32Array;
  /** Ring place + 1 per slot; 0 is empty. At most a quarter full. */
  readonly #table: Int32Array;
  readonly #mask: number;
  #next = 0;

  /** `hash` is the QN's hash (tests give one that collides). */
  constructor(
    size: number,
    private readonly hash: (qn: string) => number = hashOf,
  ) {
    this.#qns = new Array<string | undefined>(size).fill(undefined);
    this.#cns = new Array<string | undefined>(size).fill(undefined);
    this.#times = new Float64Array(size);
    this.#pnos = new Float64Array(size);
    this.#slotOf = new Int32Array(size);
    this.#homeOf = new Int32Array(size);
    let slots = 8;
    while (slots < size * 4) slots *= 2;
    this.#table = new Int32Array(slots);
    this.#mask = slots - 1;
  }

  seen(qn: string, cn: string | undefined, dataTime: number | undefined, pno: number | undefined): boolean {
    const time = dataTime ?? Number.NaN;
    const part = pno ?? Number.NaN;
    const table = this.#table;
    const mask = this.#mask;
    const home = this.hash(qn) & mask;
    let slot = home;
    for (let held = table[slot] as number; held !== 0; held = table[slot] as number) {
      const at = held - 1;
      if (this.#qns[at] === qn) {
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
      slot = (slot + 1) & mask;
    }
    const at = this.#next;
    this.#next = (at + 1) % this.#qns.length;
    // The oldest QN makes room (a ring); its slot is deleted before the new one is placed.
    if (this.#qns[at] !== undefined) {
      this.#delete(this.#slotOf[at] as number);
      // The deletion may have moved the probe run the new QN's slot was found at the end of.
      slot = home;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
    }
    this.#qns[at] = qn;
    this.#remember(at, cn, time, part);
    table[slot] = at + 1;
    this.#slotOf[at] = slot;
    this.#homeOf[at] = home;
    return false;
  }

  #remember(at: number, cn: string | undefined, time: number, part: number): void {
    this.#cns[at] = cn;
    this.#times[at] = time;
    this.#pnos[at] = part;
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
      if (((i - (this.#homeOf[at] as number)) & mask) >= ((i - gap) & mask)) {
        table[gap] = table[i] as number;
        this.#slotOf[at] = gap;
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
