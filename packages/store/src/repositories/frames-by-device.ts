import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import type { Store } from '../database.js';
import {
  FRAME_INDEX_SCHEMA,
  INDEX_MARK_SQL,
  type IndexStatements,
  indexAfterMark,
} from '../frame-index-file.js';
import type { FrameVerdict } from '../schema.js';
import { sqliteTransaction } from '../sqlite-transaction.js';
import { type StoredFrame, storedFrame } from './raw-frames.js';
import { hasPackIds, REALTIME_INDEX_SQLITE, REALTIME_INDEX_STATE } from './realtime-point-index.js';

/** Frames of one device, with optional filters, newest or oldest first. */
export interface DeviceFrameQuery {
  readonly mn: string;
  readonly cn?: string;
  readonly verdict?: FrameVerdict;
  /** Receipt time window [from, to), epoch ms. */
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
  readonly order: 'asc' | 'desc';
}

const STATE = 'device';

/**
 * One indexing step on SQLite, where the index has a file of its own (frame-index-file.ts): read the mark,
 * find how far `limit` frames after it reach, copy their (mn, received_at, id) sorted by MN, move the mark
 * with the hash of the frame it now stands on — in one transaction, which writes the index file only. Run by
 * `FrameDeviceIndex.indexDevices` on the store's connection and by the DeviceIndexWorker on its own, which
 * also reads `last` (the archive's last id) to tell how many frames wait past the mark.
 */
export const DEVICE_INDEX_SQLITE = {
  state: STATE,
  mark: INDEX_MARK_SQL,
  last: 'SELECT max(id) AS hi FROM main.raw_frame',
  range:
    'SELECT max(id) AS hi, count(*) AS n FROM (SELECT id FROM main.raw_frame WHERE id > ? ORDER BY id LIMIT ?)',
  insert: `INSERT INTO ${FRAME_INDEX_SCHEMA}.raw_frame_device (mn, received_at, frame_id)
    SELECT mn, received_at, id FROM main.raw_frame WHERE id > ? AND id <= ? AND mn IS NOT NULL
    ORDER BY mn, received_at, id ON CONFLICT DO NOTHING`,
  move: `INSERT INTO ${FRAME_INDEX_SCHEMA}.frame_index_state (name, through_id, through_hash)
    SELECT ?, id, sha256 FROM main.raw_frame WHERE id = ?
    ON CONFLICT (name) DO UPDATE SET through_id = excluded.through_id, through_hash = excluded.through_hash`,
} as const;

/**
 * The archive by device (migration 0015): `raw_frame_device` holds (mn, received_at, frame_id) for every
 * frame up to `frame_index_state.through_id`, written a batch at a time in MN order so that each device's
 * leaf page takes many entries per write, instead of one dirtied page per device per group commit.
 * `find` reads the indexed frames through it and the newer ones (above the mark, a second or so of traffic)
 * from the archive's own id order, so a frame is found from the moment it is archived.
 */
export class FrameDeviceIndex {
  readonly #store: Store;
  #sqlite: { frames: IndexStatements; packs: IndexStatements | undefined } | undefined;

  constructor(store: Store) {
    this.#store = store;
  }

  /**
   * Indexes up to `limit` frames after the mark, in one transaction with the mark's move (a crash leaves
   * the mark where the index is). On SQLite it then indexes up to `limit` real-time packs by point the same
   * way (realtime-point-index.ts; the index file holds both). Returns the most rows either mark moved over
   * (frames with or without an MN), so that a caller goes on while either has a full batch left.
   */
  async indexDevices(limit = 50_000): Promise<number> {
    const sqlite = this.#store.sqlite;
    if (sqlite !== undefined) {
      this.#sqlite ??= {
        frames: prepareIndex(sqlite, DEVICE_INDEX_SQLITE),
        packs: hasPackIds(sqlite) ? prepareIndex(sqlite, REALTIME_INDEX_SQLITE) : undefined,
      };
      const { frames, packs } = this.#sqlite;
      const n = await sqliteTransaction(this.#store, () => indexAfterMark(frames, STATE, limit));
      if (packs === undefined) return n;
      const p = await sqliteTransaction(this.#store, () =>
        indexAfterMark(packs, REALTIME_INDEX_STATE, limit),
      );
      return Math.max(n, p);
    }
    return this.#store.db.transaction().execute(async (trx) => {
      // Several gateways may share the database: the state row's lock makes one of them index at a time.
      await trx
        .insertInto('frame_index_state')
        .values({ name: STATE, through_id: 0 })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const state = await trx
        .selectFrom('frame_index_state')
        .select('through_id')
        .where('name', '=', STATE)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const mark = Number(state.through_id);
      const range = await sql<{ hi: number | null; n: number }>`SELECT max(id) AS hi, count(*) AS n
        FROM (SELECT id FROM raw_frame WHERE id > ${mark} ORDER BY id LIMIT ${limit}) t`.execute(trx);
      const hi = range.rows[0]?.hi;
      if (hi === null || hi === undefined) return 0;
      await sql`INSERT INTO raw_frame_device (mn, received_at, frame_id) SELECT mn, received_at, id FROM raw_frame
        WHERE id > ${mark} AND id <= ${hi} AND mn IS NOT NULL ORDER BY mn, received_at, id
        ON CONFLICT DO NOTHING`.execute(trx);
      await trx
        .updateTable('frame_index_state')
        .set({ through_id: Number(hi) })
        .where('name', '=', STATE)
        .execute();
      return Number(range.rows[0]?.n ?? 0);
    });
  }

  /** The highest frame id the device index covers. */
  async mark(): Promise<number> {
    const row = await this.#store.db
      .selectFrom('frame_index_state')
      .select('through_id')
      .where('name', '=', STATE)
      .executeTakeFirst();
    return Number(row?.through_id ?? 0);
  }

  /** Frames of one device: the indexed ones through the index, the newer ones from the archive. */
  async find(query: DeviceFrameQuery): Promise<StoredFrame[]> {
    const db = this.#store.db;
    const mark = await this.mark();
    let tail = db.selectFrom('raw_frame').selectAll().where('id', '>', mark).where('mn', '=', query.mn);
    if (query.cn !== undefined) tail = tail.where('cn', '=', query.cn);
    if (query.verdict !== undefined) tail = tail.where('verdict', '=', query.verdict);
    if (query.from !== undefined) tail = tail.where('received_at', '>=', query.from);
    if (query.to !== undefined) tail = tail.where('received_at', '<', query.to);
    let indexed = db
      .selectFrom('raw_frame_device as d')
      .innerJoin('raw_frame as r', 'r.id', 'd.frame_id')
      .selectAll('r')
      .where('d.mn', '=', query.mn)
      .where('r.mn', '=', query.mn)
      .where('d.frame_id', '<=', mark);
    if (query.cn !== undefined) indexed = indexed.where('r.cn', '=', query.cn);
    if (query.verdict !== undefined) indexed = indexed.where('r.verdict', '=', query.verdict);
    if (query.from !== undefined) indexed = indexed.where('d.received_at', '>=', query.from);
    if (query.to !== undefined) indexed = indexed.where('d.received_at', '<', query.to);
    const [newer, older] = await Promise.all([
      tail.orderBy('id', query.order).limit(query.limit).execute(),
      indexed
        .orderBy('d.received_at', query.order)
        .orderBy('d.frame_id', query.order)
        .limit(query.limit)
        .execute(),
    ]);
    const rows = query.order === 'desc' ? [...newer, ...older] : [...older, ...newer];
    return rows.slice(0, query.limit).map(storedFrame);
  }
}

function prepareIndex(
  sqlite: BetterSqlite3.Database,
  statements: Record<'mark' | 'range' | 'insert' | 'move', string>,
): IndexStatements {
  return {
    mark: sqlite.prepare(statements.mark),
    range: sqlite.prepare(statements.range),
    insert: sqlite.prepare(statements.insert),
    move: sqlite.prepare(statements.move),
  };
}
