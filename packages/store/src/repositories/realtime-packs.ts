import type { ObservationSource } from '../schema.js';
import type { ObservationInput, ObservationRecord, WriteOutcome } from './observations.js';
import { VALUE_COLUMNS } from './value-columns.js';

/**
 * Real-time observations are stored packed (migration 0016): one `obs_realtime_pack` row per upload of a
 * point at one instant, its factors in `entries`, a JSON object keyed by factor code. The view
 * `obs_realtime` unpacks them into the one-row-per-factor shape every reader knows. An entry holds only
 * what is not null, under short keys:
 *
 *   rtd min avg max cou zs_rtd zs_min zs_avg zs_max   the values
 *   flag eflag st                                      data_flag, e_flag, sample_time
 *   r s                                                revision (absent: 0), superseded_at
 *
 * A pack never holds two entries of one factor: a revision of a factor goes into a new pack of the same
 * point and instant (`seq` + 1) and the superseded entry is marked `s` in its own pack, so nothing stored
 * is overwritten except that mark — as in the unpacked tables.
 */
export interface PackEntry {
  r?: number;
  s?: number;
  rtd?: number;
  min?: number;
  avg?: number;
  max?: number;
  cou?: number;
  zs_rtd?: number;
  zs_min?: number;
  zs_avg?: number;
  zs_max?: number;
  flag?: string;
  eflag?: string;
  st?: number;
}

export type PackEntries = Record<string, PackEntry>;

/** What a pack's entry is made of: one factor's values and flags (an ObservationInput is one). */
export type PackEntrySource = Pick<
  ObservationInput,
  'factorCode' | 'values' | 'dataFlag' | 'eFlag' | 'sampleTime'
>;

/**
 * A real-time upload (CN 2011) of one point at one instant, as the gateway hands it over: the pack it
 * becomes, without a row per factor first. The same as its factors written as `realtime` rows.
 */
export interface RealtimeUploadInput {
  readonly pointId: number;
  /** The sampling instant (DataTime), UTC epoch ms. */
  readonly periodStart: number;
  readonly source: ObservationSource;
  readonly receivedAt: number;
  /** In the upload's order; a factor twice is allowed (the later one becomes a revision, as rows would). */
  readonly factors: readonly PackEntrySource[];
}

/** The upload as the `realtime` rows it stands for. */
export function rowsOfUpload(upload: RealtimeUploadInput, frameId: number | null): ObservationInput[] {
  return upload.factors.map((f) => ({
    pointId: upload.pointId,
    factorCode: f.factorCode,
    periodStart: upload.periodStart,
    values: f.values,
    dataFlag: f.dataFlag ?? null,
    eFlag: f.eFlag ?? null,
    sampleTime: f.sampleTime ?? null,
    source: upload.source,
    receivedAt: upload.receivedAt,
    frameId,
  }));
}

/** One stored pack of a point and instant: its sequence number and entries. */
export interface HeldPack {
  readonly seq: number;
  readonly entries: PackEntries;
}

/** A pack row as read (both dialects), before its entries are parsed. */
export interface PackRow {
  readonly point_id: number;
  readonly period_start: number;
  readonly seq: number;
  readonly entries: string;
  readonly source: ObservationRecord['source'];
  readonly received_at: number;
  readonly frame_id: number | null;
}

/**
 * The entry a row is stored as: nulls left out, and non-finite numbers too (JSON has none; they read back
 * as null — SQLite's REAL columns also turn NaN into NULL, PostgreSQL's keep it). The codec never produces
 * them: HJ 212 values are decimal numbers.
 */
export function entryOf(row: PackEntrySource, revision: number): PackEntry {
  const entry: PackEntry = {};
  if (revision !== 0) entry.r = revision;
  const values = row.values;
  for (const key of VALUE_COLUMNS) {
    const v = values[key];
    if (typeof v === 'number' && Number.isFinite(v)) entry[key] = v;
  }
  if (row.dataFlag != null) entry.flag = row.dataFlag;
  if (row.eFlag != null) entry.eflag = row.eFlag;
  if (typeof row.sampleTime === 'number' && Number.isFinite(row.sampleTime)) entry.st = row.sampleTime;
  return entry;
}

/**
 * `JSON.stringify(entryOf(row, revision))`, written out directly: the gateway builds one per factor of every
 * frame, and this does it without the object (a property test holds the two equal). The value columns are
 * read by name, in VALUE_COLUMNS' order, rather than looked up by a key in a loop: ≈ 1.2 instead of 2.1 µs
 * for a six-factor upload (docs/benchmarks.md, "Tenth look").
 */
export function entryJson(row: PackEntrySource, revision: number): string {
  let json = revision !== 0 ? `{"r":${revision}` : '{';
  const v = row.values;
  json = withNumber(json, 'rtd', v.rtd);
  json = withNumber(json, 'min', v.min);
  json = withNumber(json, 'avg', v.avg);
  json = withNumber(json, 'max', v.max);
  json = withNumber(json, 'cou', v.cou);
  json = withNumber(json, 'zs_rtd', v.zs_rtd);
  json = withNumber(json, 'zs_min', v.zs_min);
  json = withNumber(json, 'zs_avg', v.zs_avg);
  json = withNumber(json, 'zs_max', v.zs_max);
  if (row.dataFlag != null) json += `${json.length > 1 ? ',' : ''}"flag":${quoted(row.dataFlag)}`;
  if (row.eFlag != null) json += `${json.length > 1 ? ',' : ''}"eflag":${quoted(row.eFlag)}`;
  return `${withNumber(json, 'st', row.sampleTime)}}`;
}

/** `json` with `"key":value` added when the value is a finite number (JSON has no NaN or Infinity). */
function withNumber(json: string, key: string, value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value)
    ? `${json}${json.length > 1 ? ',' : ''}"${key}":${value}`
    : json;
}

const QUOTED = new Map<string, string>();
const MAX_QUOTED = 4096;

/**
 * `JSON.stringify(text)`, remembered: factor codes and flags are a few dozen strings written into every pack.
 * They come from devices, so the memo is bounded (emptied when full).
 */
export function quoted(text: string): string {
  let json = QUOTED.get(text);
  if (json === undefined) {
    json = JSON.stringify(text);
    if (QUOTED.size >= MAX_QUOTED) QUOTED.clear();
    QUOTED.set(text, json);
  }
  return json;
}

/** Same measurement: every value, both flags and the sample time (receipt and frame do not count). */
export function sameEntry(held: PackEntry, row: ObservationInput): boolean {
  const fresh = entryOf(row, 0);
  for (const key of VALUE_COLUMNS) if ((held[key] ?? null) !== (fresh[key] ?? null)) return false;
  return (
    (held.flag ?? null) === (fresh.flag ?? null) &&
    (held.eflag ?? null) === (fresh.eflag ?? null) &&
    (held.st ?? null) === (fresh.st ?? null)
  );
}

/** What a merge writes: entries of held packs that changed (superseded marks) and new packs. */
export interface PackMerge {
  readonly outcomes: WriteOutcome[];
  readonly changed: HeldPack[];
  readonly added: HeldPack[];
}

/**
 * Rows of one point and instant (one upload) against the packs already held for that instant: a factor
 * not held is inserted, the same measurement again is a duplicate, other values are a revision (the held
 * entry marked superseded at the row's receipt). New entries go into new packs after the held ones.
 */
export function mergeIntoPacks(held: readonly HeldPack[], rows: readonly ObservationInput[]): PackMerge {
  const current = new Map<string, { pack: HeldPack; entry: PackEntry }>();
  let nextSeq = 0;
  for (const pack of held) {
    nextSeq = Math.max(nextSeq, pack.seq + 1);
    for (const [factor, entry] of Object.entries(pack.entries))
      if (entry.s === undefined) current.set(factor, { pack, entry });
  }
  const outcomes: WriteOutcome[] = [];
  const changed = new Set<HeldPack>();
  const added: HeldPack[] = [];
  for (const row of rows) {
    const before = current.get(row.factorCode);
    if (before !== undefined && sameEntry(before.entry, row)) {
      outcomes.push('duplicate');
      continue;
    }
    let revision = 0;
    if (before !== undefined) {
      before.entry.s = row.receivedAt;
      if (!added.includes(before.pack)) changed.add(before.pack);
      revision = (before.entry.r ?? 0) + 1;
    }
    let pack = added.at(-1);
    if (pack === undefined || Object.hasOwn(pack.entries, row.factorCode)) {
      // A null prototype: a factor code is device input, and `__proto__` must stay a plain key.
      pack = { seq: nextSeq++, entries: Object.create(null) as PackEntries };
      added.push(pack);
    }
    const entry = entryOf(row, revision);
    pack.entries[row.factorCode] = entry;
    current.set(row.factorCode, { pack, entry });
    outcomes.push(before === undefined ? 'inserted' : 'revision');
  }
  return { outcomes, changed: [...changed], added };
}

/** A pack's entries as the rows of the `obs_realtime` view, in factor code order. */
export function unpack(row: PackRow, entries: PackEntries = JSON.parse(row.entries)): ObservationRecord[] {
  return Object.keys(entries)
    .sort()
    .map((factor) => {
      const e = entries[factor] as PackEntry;
      return {
        point_id: Number(row.point_id),
        factor_code: factor,
        period_start: Number(row.period_start),
        revision: e.r ?? 0,
        rtd: e.rtd ?? null,
        min: e.min ?? null,
        avg: e.avg ?? null,
        max: e.max ?? null,
        cou: e.cou ?? null,
        zs_rtd: e.zs_rtd ?? null,
        zs_min: e.zs_min ?? null,
        zs_avg: e.zs_avg ?? null,
        zs_max: e.zs_max ?? null,
        data_flag: e.flag ?? null,
        e_flag: e.eflag ?? null,
        sample_time: e.st ?? null,
        source: row.source,
        received_at: Number(row.received_at),
        frame_id: row.frame_id === null ? null : Number(row.frame_id),
        superseded_at: e.s ?? null,
      };
    });
}
