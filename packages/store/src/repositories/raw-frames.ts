import { hash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Store } from '../database.js';
import type { FrameVerdict, RawFrameTable } from '../schema.js';
import { sqliteTransaction } from '../sqlite-transaction.js';
import type { PgClient } from './common.js';
import { FrameDeviceIndex } from './frames-by-device.js';

/** A received frame to archive: valid or not, before it is interpreted. */
export interface FrameArrival {
  readonly receivedAt: number;
  readonly peer: string;
  readonly mn?: string | null;
  readonly cn?: string | null;
  readonly qn?: string | null;
  readonly bytes: Uint8Array;
  readonly verdict: FrameVerdict;
  readonly errorCode?: string | null;
}

export interface ArchivedFrame {
  readonly id: number;
  readonly sha256: string;
  readonly chainDay: string;
}

export interface ChainVerification {
  readonly day: string;
  readonly ok: boolean;
  /** Frames checked: the whole day, or up to and including the first broken one. */
  readonly frames: number;
  /** The first frame whose record does not hash to what is stored (or whose link is wrong). */
  readonly brokenAt?: number;
  readonly reason?: 'hash' | 'link' | 'head';
}

export type StoredFrame = Selectable<RawFrameTable>;

/** The name of the PostgreSQL advisory lock (transaction-scoped) archive appends queue on: see `appendOn`. */
const ARCHIVE_APPEND_LOCK = 'raw_frame:append';

/** A day's head after an append (`$1` day, `$2` last hash, `$3` frames; `?` on SQLite). */
const UPSERT_HEAD =
  'INSERT INTO frame_chain_head (chain_day, last_hash, frames) VALUES ($1, $2, $3) ON CONFLICT (chain_day) DO UPDATE SET last_hash = excluded.last_hash, frames = excluded.frames';

/** The link before the first frame of a day. */
export const GENESIS_HASH = '0'.repeat(64);

/** The Beijing calendar day (YYYY-MM-DD) of a UTC instant: chains are per Beijing day. */
export function beijingDay(epochMs: number): string {
  // Every frame of a day asks for the same day: the last answer is kept with the instants it covers.
  if (epochMs >= lastDay.from && epochMs < lastDay.to) return lastDay.day;
  const shifted = epochMs + 8 * 3600_000;
  const from = shifted - (((shifted % DAY_MS) + DAY_MS) % DAY_MS) - 8 * 3600_000;
  lastDay = { from, to: from + DAY_MS, day: new Date(shifted).toISOString().slice(0, 10) };
  return lastDay.day;
}

const DAY_MS = 86_400_000;
let lastDay = { from: 0, to: 0, day: '' };

/**
 * The hash of a frame's archive record: SHA-256 over the previous hash and every stored field, so that
 * changing, inserting or removing any frame of a day breaks the chain from that point on.
 */
export function frameHash(prevHash: string, frame: FrameArrival): string {
  // The fields, one per line, then the bytes: one buffer hashed at once (Node's one-shot hash), the same
  // input as field lines and bytes fed to a Hash object (the known-answer test holds stored chains valid).
  const fields = `${prevHash}\n${frame.receivedAt}\n${frame.peer}\n${frame.mn ?? ''}\n${frame.cn ?? ''}\n${frame.qn ?? ''}\n${frame.verdict}\n${frame.errorCode ?? ''}\n${frame.bytes.length}\n`;
  // Written into one buffer kept for the purpose (a UTF-8 character is at most 3 bytes per UTF-16 unit):
  // ≈ 1.3 → 1.1 µs per frame against a new buffer each time (docs/benchmarks.md, "Twelfth look").
  const size = 3 * fields.length + frame.bytes.length;
  const input = size <= HASH_SCRATCH_BYTES ? hashScratch : Buffer.allocUnsafe(size);
  const head = input.write(fields, 0, 'utf8');
  input.set(frame.bytes, head);
  return hash('sha256', input.subarray(0, head + frame.bytes.length), 'hex');
}

const HASH_SCRATCH_BYTES = 16 * 1024;
/** frameHash's input buffer (frames are ≤ 10 KB; a larger record gets a buffer of its own). */
const hashScratch = Buffer.allocUnsafe(HASH_SCRATCH_BYTES);

/**
 * The raw frame archive: every frame, hash-chained per Beijing day, each day's last hash kept in
 * `frame_chain_head`. Appends are serialised (a transaction lock on PostgreSQL, see `appendOn`; SQLite has
 * one writer), so several gateways can share a database without forking a chain.
 */
export class RawFrameRepository {
  readonly #store: Store;
  #sqlite:
    | {
        readonly head: import('better-sqlite3').Statement;
        readonly insert: import('better-sqlite3').Statement;
        readonly upsertHead: import('better-sqlite3').Statement;
      }
    | undefined;

  constructor(store: Store) {
    this.#store = store;
  }

  /**
   * Archives frames in order; returns their ids and hashes. The ingest path: one transaction, hashes
   * computed in order, then prepared inserts (SQLite) or one multi-row INSERT (PostgreSQL).
   */
  async append(frames: readonly FrameArrival[]): Promise<ArchivedFrame[]> {
    if (frames.length === 0) return [];
    return this.#store.dialect === 'sqlite' ? this.#appendSqlite(frames) : this.#appendPostgres(frames);
  }

  /**
   * SQLite only: archives `frames` inside the caller's open transaction (better-sqlite3 is synchronous, so
   * nothing else runs on the connection meanwhile). For ingest units that commit frames with their data.
   */
  appendSync(frames: readonly FrameArrival[]): ArchivedFrame[] {
    const sqlite = this.#store.sqlite;
    if (sqlite === undefined) throw new Error('appendSync needs the SQLite dialect');
    this.#sqlite ??= {
      head: sqlite.prepare('SELECT last_hash, frames FROM frame_chain_head WHERE chain_day = ?'),
      insert: sqlite.prepare(
        `INSERT INTO raw_frame (${FRAME_COLUMNS.join(',')}) VALUES (${FRAME_COLUMNS.map(() => '?').join(',')})`,
      ),
      upsertHead: sqlite.prepare(UPSERT_HEAD.replace(/\$\d/g, '?')),
    };
    const s = this.#sqlite;
    const chained = chain(
      frames,
      (day) => s.head.get(day) as { last_hash: string; frames: number } | undefined,
    );
    const out = chained.rows.map((row) => {
      // Spread into arguments: better-sqlite3 binds an array of values ≈ 0.35 µs slower per row
      // (docs/benchmarks.md, "Twelfth look").
      const result = s.insert.run(...frameValues(row.frame, row.sha256, row.prevHash, row.day));
      return { id: Number(result.lastInsertRowid), sha256: row.sha256, chainDay: row.day };
    });
    for (const [day, head] of chained.heads) s.upsertHead.run(day, head.last, head.frames);
    return out;
  }

  #appendSqlite(frames: readonly FrameArrival[]): Promise<ArchivedFrame[]> {
    return sqliteTransaction(this.#store, () => this.appendSync(frames));
  }

  async #appendPostgres(frames: readonly FrameArrival[]): Promise<ArchivedFrame[]> {
    const pool = this.#store.pool;
    if (pool === undefined) throw new Error('postgres pool missing');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const out = await this.appendOn(client, frames);
      await client.query('COMMIT');
      return out;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * PostgreSQL only: archives `frames` on `client`, inside the transaction the caller has begun. Appends
   * queue on one transaction-scoped lock for the whole archive, so concurrent writers (several gateways)
   * neither fork a day's chain nor commit ids out of order — a writer reads the heads and takes its ids
   * only after the one before it committed, so readers that follow the archive by id (forwarding's cursor)
   * never pass a frame that commits later. (Locks on each day's head alone would let two writers of
   * different days, around Beijing midnight, interleave.)
   */
  async appendOn(client: PgClient, frames: readonly FrameArrival[]): Promise<ArchivedFrame[]> {
    if (frames.length === 0) return [];
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [ARCHIVE_APPEND_LOCK]);
    const days = [...new Set(frames.map((f) => beijingDay(f.receivedAt)))];
    const stored = await client.query<{ chain_day: string; last_hash: string; frames: number }>(
      'SELECT chain_day, last_hash, frames FROM frame_chain_head WHERE chain_day = ANY($1)',
      [days],
    );
    const heads = new Map(stored.rows.map((row) => [row.chain_day, row]));
    const chained = chain(frames, (day) => heads.get(day));
    const out: ArchivedFrame[] = [];
    for (let from = 0; from < chained.rows.length; from += 1000) {
      const chunk = chained.rows.slice(from, from + 1000);
      const params: unknown[] = [];
      const tuples = chunk.map((row) => {
        const values = frameValues(row.frame, row.sha256, row.prevHash, row.day);
        const base = params.length;
        params.push(...values);
        return `(${values.map((_, i) => `$${base + i + 1}`).join(',')})`;
      });
      // Multi-row INSERT … RETURNING gives the rows back in VALUES order.
      const inserted = await client.query<{ id: number }>(
        `INSERT INTO raw_frame (${FRAME_COLUMNS.join(',')}) VALUES ${tuples.join(',')} RETURNING id`,
        params,
      );
      chunk.forEach((row, i) => {
        out.push({ id: Number(inserted.rows[i]?.id), sha256: row.sha256, chainDay: row.day });
      });
    }
    for (const [day, head] of chained.heads) await client.query(UPSERT_HEAD, [day, head.last, head.frames]);
    return out;
  }

  async get(id: number): Promise<StoredFrame | undefined> {
    const row = await this.#store.db
      .selectFrom('raw_frame')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : storedFrame(row);
  }

  /** Frames of one device (or all) in [from, to), oldest first. */
  async list(
    options: { mn?: string; from?: number; to?: number; limit?: number } = {},
  ): Promise<StoredFrame[]> {
    const limit = options.limit ?? 10_000;
    if (options.mn !== undefined)
      return new FrameDeviceIndex(this.#store).find({
        mn: options.mn,
        ...(options.from === undefined ? {} : { from: options.from }),
        ...(options.to === undefined ? {} : { to: options.to }),
        limit,
        order: 'asc',
      });
    let query = this.#store.db.selectFrom('raw_frame').selectAll();
    if (options.from !== undefined) query = query.where('received_at', '>=', options.from);
    if (options.to !== undefined) query = query.where('received_at', '<', options.to);
    const rows = await query.orderBy('id').limit(limit).execute();
    return rows.map(storedFrame);
  }

  /**
   * Recomputes a day's chain from its first frame and checks it against the stored head. Reads the day in
   * pages (a busy day holds millions of frames), so memory stays flat.
   */
  async verifyDay(day: string, pageSize = 5000): Promise<ChainVerification> {
    const db = this.#store.db;
    const head = await db
      .selectFrom('frame_chain_head')
      .selectAll()
      .where('chain_day', '=', day)
      .executeTakeFirst();
    let previous = GENESIS_HASH;
    let frames = 0;
    let after = -1;
    for (;;) {
      const page = await db
        .selectFrom('raw_frame')
        .selectAll()
        .where('chain_day', '=', day)
        .where('id', '>', after)
        .orderBy('id')
        .limit(pageSize)
        .execute();
      for (const raw of page) {
        const row = storedFrame(raw);
        frames++;
        if (row.prev_hash !== previous) return { day, ok: false, frames, brokenAt: row.id, reason: 'link' };
        const recomputed = storedFrameHash(previous, row);
        if (recomputed !== row.sha256) return { day, ok: false, frames, brokenAt: row.id, reason: 'hash' };
        previous = row.sha256;
        after = row.id;
      }
      if (page.length < pageSize) break;
    }
    const headOk =
      (head === undefined && frames === 0) ||
      (head !== undefined && head.last_hash === previous && Number(head.frames) === frames);
    return headOk ? { day, ok: true, frames } : { day, ok: false, frames, reason: 'head' };
  }

  /** Deletes whole days before `day` (retention keeps chains whole); returns frames deleted. */
  async deleteDaysBefore(day: string): Promise<number> {
    const deleted = await this.#store.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('raw_frame').where('chain_day', '<', day).executeTakeFirst();
      await trx.deleteFrom('frame_chain_head').where('chain_day', '<', day).execute();
      return Number(result.numDeletedRows);
    });
    // Then the device index's entries of the deleted frames: those received before the day began (Beijing).
    // On SQLite the index has a file of its own, which a transaction commits separately: deleted after the
    // frames, a crash in between leaves entries of deleted frames (reads join the archive and skip them),
    // never frames without their entries.
    await this.#store.db
      .deleteFrom('raw_frame_device')
      .where('received_at', '<', Date.parse(`${day}T00:00:00+08:00`))
      .execute();
    return deleted;
  }
}

const FRAME_COLUMNS = [
  'received_at',
  'peer',
  'mn',
  'cn',
  'qn',
  'bytes',
  'verdict',
  'error_code',
  'sha256',
  'prev_hash',
  'chain_day',
] as const;

function frameValues(frame: FrameArrival, sha256: string, prevHash: string, day: string): unknown[] {
  return [
    frame.receivedAt,
    frame.peer,
    frame.mn ?? null,
    frame.cn ?? null,
    frame.qn ?? null,
    // Both drivers take a Buffer for blob/bytea.
    Buffer.from(frame.bytes.buffer, frame.bytes.byteOffset, frame.bytes.byteLength),
    frame.verdict,
    frame.errorCode ?? null,
    sha256,
    prevHash,
    day,
  ];
}

/** Links frames in order onto their days' chains; returns each frame's hash and the new heads. */
function chain(
  frames: readonly FrameArrival[],
  headOf: (day: string) => { last_hash: string; frames: number } | undefined,
): {
  rows: { frame: FrameArrival; sha256: string; prevHash: string; day: string }[];
  heads: Map<string, { last: string; frames: number }>;
} {
  const heads = new Map<string, { last: string; frames: number }>();
  const rows = frames.map((frame) => {
    const day = beijingDay(frame.receivedAt);
    let head = heads.get(day);
    if (head === undefined) {
      const stored = headOf(day);
      head =
        stored === undefined
          ? { last: GENESIS_HASH, frames: 0 }
          : { last: stored.last_hash, frames: Number(stored.frames) };
      heads.set(day, head);
    }
    const prevHash = head.last;
    const sha256 = frameHash(prevHash, frame);
    head.last = sha256;
    head.frames++;
    return { frame, sha256, prevHash, day };
  });
  return { rows, heads };
}

/** The hash a stored frame must have, given the hash before it in its day's chain. */
export function storedFrameHash(prevHash: string, row: StoredFrame): string {
  return frameHash(prevHash, {
    receivedAt: row.received_at,
    peer: row.peer,
    mn: row.mn,
    cn: row.cn,
    qn: row.qn,
    bytes: row.bytes,
    verdict: row.verdict,
    errorCode: row.error_code,
  });
}

/** An archive row as both drivers return it, with numbers and a plain Uint8Array. */
export function storedFrame(row: Selectable<RawFrameTable>): StoredFrame {
  const bytes = row.bytes as Uint8Array;
  return {
    ...row,
    id: Number(row.id),
    received_at: Number(row.received_at),
    // Buffers from both drivers, as plain Uint8Array views.
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  };
}
