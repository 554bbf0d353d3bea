import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import { FRAME_INDEX_SCHEMA } from '../frame-index-file.js';
import { sqliteTransaction } from '../sqlite-transaction.js';
import type { ArrayRows } from './array-rows.js';
import type { PgClient } from './common.js';
import type {
  ObservationInput,
  ObservationRecord,
  ObservationView,
  SampleColumns,
  WriteOutcome,
} from './observations.js';
import {
  entryJson,
  type HeldPack,
  mergeIntoPacks,
  type PackEntries,
  type PackEntry,
  type PackEntrySource,
  type PackRow,
  quoted,
  type RealtimeUploadInput,
  rowsOfUpload,
  unpack,
} from './realtime-packs.js';
import { forgetPacks, INDEXED_PACK, REALTIME_MARK } from './realtime-point-index.js';

const PACK_COLUMNS = 'point_id, period_start, seq, entries, factors, source, received_at, frame_id';
const PG_CHUNK = 500;
/** Packs deleted per statement by retention on SQLite. */
const DELETE_SLICE = 5000;
/** The columns a read of packs takes (PackRow's fields, in this order). */
const PACK_READ = 'point_id, period_start, seq, entries, source, received_at, frame_id';
/** PACK_READ from the pack aliased `p`. */
const PACK_READ_P = PACK_READ.split(', ')
  .map((c) => `p.${c}`)
  .join(', ');

/**
 * Real-time observations, packed one row per upload (migration 0016, `realtime-packs.ts`): what
 * ObservationRepository does for the `realtime` period where the `obs_realtime` view would be slow or
 * cannot be written — writing, the newest values, chart samples and retention. Other reads go through the
 * view.
 */
export class RealtimePackRepository {
  readonly #store: Store;
  readonly #rows: ArrayRows;
  #sqlite: SqlitePackStatements | undefined;

  constructor(store: Store, rows: ArrayRows) {
    this.#store = store;
    this.#rows = rows;
  }

  /** SQLite, inside the caller's transaction: one insert per upload; a held instant is merged. */
  writeSync(
    sqlite: BetterSqlite3.Database,
    rows: readonly ObservationInput[],
    frameIds?: readonly (number | null)[],
  ): WriteOutcome[] {
    if (this.#sqlite === undefined) this.#sqlite = sqliteStatements(sqlite);
    const s = this.#sqlite;
    const outcomes = new Array<WriteOutcome>(rows.length);
    for (let start = 0; start < rows.length; ) {
      const end = uploadEnd(rows, frameIds, start);
      const first = rows[start] as ObservationInput;
      const frameId = frameIdAt(rows, frameIds, start);
      // Spread into arguments, as RawFrameRepository.appendSync does.
      const inserted = s.insertFirst.run(...firstPackValues(rows, frameIds, start, end));
      if (inserted.changes === 1) outcomes.fill('inserted', start, end);
      else {
        const held = (s.held.all(first.pointId, first.periodStart) as { seq: number; entries: string }[]).map(
          (h) => ({ seq: h.seq, entries: JSON.parse(h.entries) as PackEntries }),
        );
        const merge = mergeIntoPacks(held, rows.slice(start, end));
        for (const p of merge.changed)
          s.update.run(JSON.stringify(p.entries), first.pointId, first.periodStart, p.seq);
        for (const p of merge.added) s.insert.run(packValues(first, p, frameId));
        merge.outcomes.forEach((o, i) => {
          outcomes[start + i] = o;
        });
      }
      start = end;
    }
    return outcomes;
  }

  /**
   * SQLite, inside the caller's transaction: one pack per upload (`frameIds[i]` its frame), its entries
   * written straight from the factors — the gateway's path for CN 2011, without the rows `writeSync` groups
   * back into uploads. An instant already held, or a factor twice, goes the rows' way (`writeSync`: merged).
   * Outcomes per upload, per factor.
   */
  writeUploadsSync(
    sqlite: BetterSqlite3.Database,
    uploads: readonly RealtimeUploadInput[],
    frameIds: readonly (number | null)[],
  ): (readonly WriteOutcome[])[] {
    if (this.#sqlite === undefined) this.#sqlite = sqliteStatements(sqlite);
    const s = this.#sqlite;
    const outcomes = new Array<readonly WriteOutcome[]>(uploads.length);
    for (let u = 0; u < uploads.length; u++) {
      const upload = uploads[u] as RealtimeUploadInput;
      const frameId = frameIds[u] ?? null;
      const factors = upload.factors;
      checkUpload(upload);
      if (factors.length > 0 && !repeatsAFactor(factors)) {
        const entries = entriesJson(factors, 0, factors.length);
        const { pointId, periodStart, source, receivedAt } = upload;
        if (
          s.insertFirst.run(pointId, periodStart, entries, factors.length, source, receivedAt, frameId)
            .changes === 1
        ) {
          outcomes[u] = allInserted(factors.length);
          continue;
        }
      }
      // Rare (a re-sent or revised instant): its first insert is tried again there, and conflicts again.
      outcomes[u] = this.writeSync(sqlite, rowsOfUpload(upload, frameId));
    }
    return outcomes;
  }

  /** PostgreSQL, inside the caller's transaction: multi-row inserts; held instants merged one at a time. */
  async writeOn(
    client: PgClient,
    rows: readonly ObservationInput[],
    frameIds?: readonly (number | null)[],
  ): Promise<WriteOutcome[]> {
    const outcomes = new Array<WriteOutcome>(rows.length);
    const uploads: [number, number][] = [];
    for (let start = 0; start < rows.length; ) {
      const end = uploadEnd(rows, frameIds, start);
      uploads.push([start, end]);
      start = end;
    }
    for (let from = 0; from < uploads.length; from += PG_CHUNK) {
      const chunk = uploads.slice(from, from + PG_CHUNK);
      const params: unknown[] = [];
      const tuples = chunk.map(([start, end]) => {
        const base = params.length;
        params.push(...firstPackValues(rows, frameIds, start, end));
        return `($${base + 1},$${base + 2},0,$${base + 3},$${base + 4},$${base + 5},$${base + 6},$${base + 7})`;
      });
      const inserted = await client.query<{ point_id: number; period_start: number }>(
        `INSERT INTO obs_realtime_pack (${PACK_COLUMNS}) VALUES ${tuples.join(',')} ON CONFLICT DO NOTHING RETURNING point_id, period_start`,
        params,
      );
      const firsts = new Set(inserted.rows.map((r) => `${r.point_id}|${r.period_start}`));
      for (const [start, end] of chunk) {
        const first = rows[start] as ObservationInput;
        // The first upload of an instant in this statement was inserted; a later one conflicted with it.
        if (firsts.delete(`${first.pointId}|${first.periodStart}`)) {
          outcomes.fill('inserted', start, end);
          continue;
        }
        const merged = await this.#mergeOn(client, rows.slice(start, end), frameIdAt(rows, frameIds, start));
        merged.forEach((o, i) => {
          outcomes[start + i] = o;
        });
      }
    }
    return outcomes;
  }

  async #mergeOn(
    client: PgClient,
    upload: readonly ObservationInput[],
    frameId: number | null,
  ): Promise<WriteOutcome[]> {
    const first = upload[0] as ObservationInput;
    // Merges of one instant queue here. Row locks alone are not enough: a merge waiting on FOR UPDATE would
    // not see the pack a concurrent merge added, and would give its own new pack the same seq.
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `obs_realtime_pack:${first.pointId}:${first.periodStart}`,
    ]);
    const held = await client.query<{ seq: number; entries: string }>(
      'SELECT seq, entries FROM obs_realtime_pack WHERE point_id = $1 AND period_start = $2 ORDER BY seq FOR UPDATE',
      [first.pointId, first.periodStart],
    );
    const merge = mergeIntoPacks(
      held.rows.map((h) => ({ seq: h.seq, entries: JSON.parse(h.entries) as PackEntries })),
      upload,
    );
    for (const p of merge.changed)
      await client.query(
        'UPDATE obs_realtime_pack SET entries = $1 WHERE point_id = $2 AND period_start = $3 AND seq = $4',
        [JSON.stringify(p.entries), first.pointId, first.periodStart, p.seq],
      );
    for (const p of merge.added)
      await client.query(
        `INSERT INTO obs_realtime_pack (${PACK_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
        packValues(first, p, frameId),
      );
    return merge.outcomes;
  }

  /**
   * The newest current entry of every registered factor (point_factor) of the given points (or all),
   * within `windowMs` before each point's newest pack, ordered by point and factor. The newest instant
   * usually holds every factor; only points still missing one read their whole window.
   */
  async latest(pointIds: readonly number[] | undefined, windowMs: number): Promise<ObservationRecord[]> {
    const db = this.#store.db;
    let registered = db.selectFrom('point_factor').select(['point_id', 'factor_code']);
    if (pointIds !== undefined)
      registered = registered.where('point_id', 'in', pointIds.length > 0 ? pointIds : [-1]);
    const wanted = new Map<number, Set<string>>();
    for (const r of await registered.execute()) {
      const point = Number(r.point_id);
      let factors = wanted.get(point);
      if (factors === undefined) {
        factors = new Set();
        wanted.set(point, factors);
      }
      factors.add(r.factor_code);
    }
    if (wanted.size === 0) return [];
    const found = new Map<number, Map<string, ObservationRecord>>();
    const take = (packs: readonly PackRow[]) => {
      for (const pack of packs) {
        const point = Number(pack.point_id);
        const factors = wanted.get(point);
        if (factors === undefined) continue;
        let have = found.get(point);
        if (have === undefined) {
          have = new Map();
          found.set(point, have);
        }
        for (const record of unpack(pack))
          if (
            record.superseded_at === null &&
            factors.has(record.factor_code) &&
            !have.has(record.factor_code)
          )
            have.set(record.factor_code, record);
      }
    };
    const points = [...wanted.keys()];
    const newest = await this.#newestInstants(points);
    take(await this.#packsSince(newest, 0));
    const missing = new Map(
      [...newest].filter(([p]) => (found.get(p)?.size ?? 0) < (wanted.get(p) as Set<string>).size),
    );
    if (missing.size > 0) take(await this.#packsSince(missing, windowMs));
    const out: ObservationRecord[] = [];
    for (const point of points.sort((a, b) => a - b)) {
      const have = found.get(point);
      if (have === undefined) continue;
      for (const factor of [...have.keys()].sort()) out.push(have.get(factor) as ObservationRecord);
    }
    return out;
  }

  /** Each point's newest real-time instant (one backward index seek each); points with none are left out. */
  async #newestInstants(points: readonly number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    const sqlite = this.#store.dialect === 'sqlite';
    // SQLite: the packs after the index's mark first, then the index (read in this order, a pack the mark
    // moves over in between is found twice, never missed; realtime-point-index.ts).
    if (sqlite) {
      const recent = await sql<{ point_id: number; t: number }>`SELECT point_id, max(period_start) AS t
        FROM obs_realtime_pack WHERE pack_id > ${sql.raw(REALTIME_MARK)} GROUP BY point_id`.execute(
        this.#store.db,
      );
      for (const r of recent.rows) out.set(Number(r.point_id), Number(r.t));
    }
    // SQLite: only entries at or below the mark that name their pack count (as in the reads by point: one
    // left behind is never read); newest first, so the first one that counts ends the backward search.
    const newest = sqlite
      ? sql`(SELECT i.period_start FROM ${sql.raw(FRAME_INDEX_SCHEMA)}.realtime_pack_point i
          JOIN obs_realtime_pack p ON ${sql.raw(INDEXED_PACK)}
          WHERE i.point_id = mp.id AND i.pack_id <= ${sql.raw(REALTIME_MARK)} ORDER BY i.period_start DESC LIMIT 1)`
      : sql`(SELECT max(w.period_start) FROM obs_realtime_pack w WHERE w.point_id = mp.id)`;
    for (let from = 0; from < points.length; from += 1000) {
      const chunk = points.slice(from, from + 1000);
      const rows = await sql<{ point_id: number; newest: number | null }>`SELECT mp.id AS point_id,
        ${newest} AS newest FROM monitoring_point mp WHERE mp.id IN (${sql.join(chunk)})`.execute(
        this.#store.db,
      );
      for (const r of rows.rows) {
        if (r.newest === null) continue;
        const point = Number(r.point_id);
        out.set(point, Math.max(Number(r.newest), out.get(point) ?? Number.NEGATIVE_INFINITY));
      }
    }
    const wanted = new Set(points);
    for (const point of out.keys()) if (!wanted.has(point)) out.delete(point);
    return out;
  }

  /**
   * Packs of each point within `windowMs` before its newest instant (`newest`), newest first (then latest
   * seq first). A separate query from the newest instants: joined in one, PostgreSQL evaluated the newest
   * instant again for every pack of the table.
   */
  async #packsSince(newest: ReadonlyMap<number, number>, windowMs: number): Promise<PackRow[]> {
    const since = [...newest].map(
      ([point, t]) => sql`(CAST(${point} AS bigint), CAST(${t - windowMs} AS bigint))`,
    );
    const out: PackRow[] = [];
    for (let from = 0; from < since.length; from += 1000) {
      const list = sql`WITH n (point_id, since) AS (VALUES ${sql.join(since.slice(from, from + 1000))})`;
      const rows = await (this.#store.dialect === 'postgres'
        ? // PostgreSQL plans a plain join of the list as a hash join over the whole table: LATERAL (kept apart
          // by OFFSET 0, or it is pulled up into that same join) makes it one index range per point.
          sql<PackRow>`${list} SELECT ${sql.raw(PACK_READ_P)} FROM n CROSS JOIN LATERAL (SELECT * FROM obs_realtime_pack w
            WHERE w.point_id = n.point_id AND w.period_start >= n.since OFFSET 0) p
            ORDER BY p.point_id, p.period_start DESC, p.seq DESC`
        : // SQLite: through the index up to its mark (one range per point), then the packs after it (their id
          // range, each matched against the list: CROSS JOIN keeps that order).
          sql<PackRow>`${list} SELECT ${sql.raw(PACK_READ_P)} FROM n CROSS JOIN ${sql.raw(FRAME_INDEX_SCHEMA)}.realtime_pack_point i
            JOIN obs_realtime_pack p ON ${sql.raw(INDEXED_PACK)}
            WHERE i.point_id = n.point_id AND i.period_start >= n.since AND i.pack_id <= ${sql.raw(REALTIME_MARK)}
            UNION ALL SELECT ${sql.raw(PACK_READ_P)} FROM obs_realtime_pack p CROSS JOIN n
            WHERE p.pack_id > ${sql.raw(REALTIME_MARK)} AND +p.point_id = n.point_id AND +p.period_start >= n.since
            ORDER BY 1, 2 DESC, 3 DESC`
      ).execute(this.#store.db);
      out.push(...rows.rows);
    }
    return out;
  }

  /** One point's packs in [from, to), by time then seq, as arrays in PACK_READ order. */
  #packsOf(pointId: number, from: number, to: number): Promise<unknown[][]> {
    return this.#rows.read(
      `SELECT ${PACK_READ} FROM obs_realtime_pack_by_point WHERE point_id = ? AND period_start >= ? AND period_start < ? ORDER BY period_start, seq`,
      [pointId, from, to],
    );
  }

  /**
   * One point's rows in [from, to) as the view has them — the latest revisions or the first receipts,
   * by factor code, then time — unpacked here rather than by the view (a day of one point: ≈ 10× faster).
   */
  async range(
    pointId: number,
    from: number,
    to: number,
    factors: readonly string[],
    view: ObservationView,
  ): Promise<ObservationRecord[]> {
    const rows = await this.#packsOf(pointId, from, to);
    const only = factors.length > 0 ? new Set(factors) : undefined;
    const byFactor = new Map<string, ObservationRecord[]>();
    for (const [point_id, period_start, seq, entries, source, received_at, frame_id] of rows) {
      const pack = { point_id, period_start, seq, entries, source, received_at, frame_id } as PackRow;
      for (const record of unpack(pack)) {
        if (only !== undefined && !only.has(record.factor_code)) continue;
        if (view === 'first' ? record.revision !== 0 : record.superseded_at !== null) continue;
        const held = byFactor.get(record.factor_code);
        if (held === undefined) byFactor.set(record.factor_code, [record]);
        else held.push(record);
      }
    }
    return [...byFactor.keys()].sort().flatMap((f) => byFactor.get(f) as ObservationRecord[]);
  }

  /** Current values of one point in [from, to) as columns per factor (factor code order, then time). */
  async samples(
    pointId: number,
    from: number,
    to: number,
    factors: readonly string[],
  ): Promise<SampleColumns[]> {
    const rows = await this.#packsOf(pointId, from, to);
    const only = factors.length > 0 ? new Set(factors) : undefined;
    const byFactor = new Map<string, SampleColumns>();
    for (const row of rows) {
      const periodStart = Number(row[1]);
      const entries = JSON.parse(row[3] as string) as PackEntries;
      for (const factorCode in entries) {
        const e = entries[factorCode] as PackEntry;
        if (e.s !== undefined || (only !== undefined && !only.has(factorCode))) continue;
        let c = byFactor.get(factorCode);
        if (c === undefined) {
          c = { factorCode, periodStart: [], value: [], min: [], max: [], cou: [], corrected: [], flag: [] };
          byFactor.set(factorCode, c);
        }
        c.periodStart.push(periodStart);
        c.value.push(e.rtd ?? null);
        c.min.push(e.min ?? null);
        c.max.push(e.max ?? null);
        c.cou.push(e.cou ?? null);
        c.corrected.push(e.zs_rtd ?? null);
        c.flag.push(e.flag ?? null);
      }
    }
    return [...byFactor.keys()].sort().map((f) => byFactor.get(f) as SampleColumns);
  }

  /**
   * Packs before `before` deleted; returns the entries they held. PostgreSQL: point by point, through the
   * key's (point, time) prefix. SQLite: a slice of the time-first key at a time (the gateway's group commits
   * go on in between), each in one transaction with the index's entries of those packs and its mark lowered
   * below any id the deletion freed (realtime-point-index.ts: `forgetPacks`).
   */
  async deleteBefore(before: number): Promise<number> {
    const db = this.#store.db;
    if (this.#store.dialect === 'sqlite') {
      let deleted = 0;
      for (;;) {
        const slice = await sqliteTransaction(this.#store, (sqlite) =>
          forgetPacks(sqlite, before, DELETE_SLICE),
        );
        deleted += slice.entries;
        if (slice.packs < DELETE_SLICE) return deleted;
      }
    }
    const points = await db.selectFrom('monitoring_point').select('id').orderBy('id').execute();
    let deleted = 0;
    for (const { id } of points) {
      const held = await db
        .selectFrom('obs_realtime_pack')
        .select(sql<number>`coalesce(sum(factors), 0)`.as('n'))
        .where('point_id', '=', id)
        .where('period_start', '<', before)
        .executeTakeFirstOrThrow();
      if (Number(held.n) === 0) continue;
      await db
        .deleteFrom('obs_realtime_pack')
        .where('point_id', '=', id)
        .where('period_start', '<', before)
        .execute();
      deleted += Number(held.n);
    }
    return deleted;
  }
}

/** Where the upload starting at `start` ends: the same point, instant, source, receipt and frame, no factor twice. */
function uploadEnd(
  rows: readonly ObservationInput[],
  frameIds: readonly (number | null)[] | undefined,
  start: number,
): number {
  const first = rows[start] as ObservationInput;
  const frameId = frameIdAt(rows, frameIds, start);
  let end = start + 1;
  for (; end < rows.length; end++) {
    const row = rows[end] as ObservationInput;
    if (
      row.pointId !== first.pointId ||
      row.periodStart !== first.periodStart ||
      row.source !== first.source ||
      row.receivedAt !== first.receivedAt ||
      frameIdAt(rows, frameIds, end) !== frameId ||
      factorIn(rows, start, end, row.factorCode)
    )
      break;
  }
  return end;
}

/** Is `factorCode` among rows [start, end)'s factors? (An upload has a few dozen at most: a scan is cheapest.) */
function factorIn(rows: readonly PackEntrySource[], start: number, end: number, factorCode: string): boolean {
  for (let i = start; i < end; i++) if ((rows[i] as PackEntrySource).factorCode === factorCode) return true;
  return false;
}

/** Whether a factor comes twice among `factors`. */
function repeatsAFactor(factors: readonly PackEntrySource[]): boolean {
  for (let i = 1; i < factors.length; i++)
    if (factorIn(factors, 0, i, (factors[i] as PackEntrySource).factorCode)) return true;
  return false;
}

function frameIdAt(
  rows: readonly ObservationInput[],
  frameIds: readonly (number | null)[] | undefined,
  i: number,
): number | null {
  return frameIds === undefined ? ((rows[i] as ObservationInput).frameId ?? null) : (frameIds[i] ?? null);
}

/** The upload of rows [start, end) as its instant's first pack: PACK_COLUMNS without `seq` (it is 0). */
function firstPackValues(
  rows: readonly ObservationInput[],
  frameIds: readonly (number | null)[] | undefined,
  start: number,
  end: number,
): unknown[] {
  const first = rows[start] as ObservationInput;
  const entries = entriesJson(rows, start, end);
  return [
    first.pointId,
    first.periodStart,
    entries,
    end - start,
    first.source,
    first.receivedAt,
    frameIdAt(rows, frameIds, start),
  ];
}

/** A new pack of an upload (`first` its first row), in PACK_COLUMNS order. */
function packValues(first: ObservationInput, pack: HeldPack, frameId: number | null): unknown[] {
  const entries = JSON.stringify(pack.entries);
  const factors = Object.keys(pack.entries).length;
  return [
    first.pointId,
    first.periodStart,
    pack.seq,
    entries,
    factors,
    first.source,
    first.receivedAt,
    frameId,
  ];
}

/** Outcomes of an upload of `factors` factors all inserted: one frozen list per count, shared. */
function allInserted(factors: number): readonly WriteOutcome[] {
  let list = ALL_INSERTED[factors];
  if (list === undefined) {
    list = Object.freeze(new Array<WriteOutcome>(factors).fill('inserted'));
    if (factors < 256) ALL_INSERTED[factors] = list;
  }
  return list;
}

const ALL_INSERTED: (readonly WriteOutcome[])[] = [];

/** As ObservationRepository checks a row: a point id, an instant, and a code for every factor. */
function checkUpload(upload: RealtimeUploadInput): void {
  let codes = true;
  for (const factor of upload.factors) if (factor.factorCode.length === 0) codes = false;
  if (!Number.isInteger(upload.pointId) || !Number.isFinite(upload.periodStart) || !codes)
    throw new StoreError('STORE_E_INVALID', {
      pointId: upload.pointId,
      factorCode: codes ? undefined : '',
      periodStart: upload.periodStart,
    });
}

/** The entries of rows [start, end) as one pack's JSON (first revisions; no factor twice). */
function entriesJson(rows: readonly PackEntrySource[], start: number, end: number): string {
  let json = '{';
  for (let i = start; i < end; i++) {
    const row = rows[i] as PackEntrySource;
    json += `${i > start ? ',' : ''}${quoted(row.factorCode)}:${entryJson(row, 0)}`;
  }
  return `${json}}`;
}

interface SqlitePackStatements {
  readonly insertFirst: BetterSqlite3.Statement;
  readonly insert: BetterSqlite3.Statement;
  readonly held: BetterSqlite3.Statement;
  readonly update: BetterSqlite3.Statement;
}

function sqliteStatements(sqlite: BetterSqlite3.Database): SqlitePackStatements {
  return {
    insertFirst: sqlite.prepare(
      `INSERT INTO obs_realtime_pack (${PACK_COLUMNS}) VALUES (?, ?, 0, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    insert: sqlite.prepare(`INSERT INTO obs_realtime_pack (${PACK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    held: sqlite.prepare(
      'SELECT seq, entries FROM obs_realtime_pack WHERE point_id = ? AND period_start = ? ORDER BY seq',
    ),
    update: sqlite.prepare(
      'UPDATE obs_realtime_pack SET entries = ? WHERE point_id = ? AND period_start = ? AND seq = ?',
    ),
  };
}
