import type BetterSqlite3 from 'better-sqlite3';
import { FRAME_INDEX_SCHEMA, INDEX_MARK_SQL } from '../frame-index-file.js';

/**
 * SQLite only: the real-time packs by point. Since migration 0019 `obs_realtime_pack` is keyed by time first
 * (a group commit's new key entries fall on a few pages at the table's end, not on one page per point), so
 * the order readers ask for — one point over a time range — is kept apart, in the index file beside the
 * database (frame-index-file.ts): `realtime_pack_point` holds (point, time, seq) → `pack_id` for every pack
 * up to the mark `frame_index_state.realtime`, written a batch at a time in point order by the
 * DeviceIndexWorker (or by the gateway's own indexer), as `raw_frame_device` is for the archive.
 *
 * Reads see every pack from the moment it is committed: `obs_realtime_pack_by_point` (a temporary view on the
 * store's own connection, `installRealtimeReadViews`) is the packs found through the index up to the mark,
 * then those after the mark read in id order (a second or so of traffic). `obs_realtime` is shadowed the same
 * way, so its readers go through the index too. One statement reads the mark and the index together, so no
 * pack is seen twice or missed while the mark moves.
 *
 * An id at or below the mark must never come back for a new pack (it would be neither indexed nor after the
 * mark), and SQLite gives a new row the highest id plus one: so retention (`forgetPacks`) lowers the mark to
 * the highest id left in the same transaction as it deletes, and a store opening the database does the same
 * (`checkRealtimeIndex`), in case a crash committed one file and not the other. Reads take only entries at or
 * below the mark, each checked against its pack's key, so an entry left behind is never read.
 */
export const REALTIME_INDEX_STATE = 'realtime';

/** The mark, as an expression: the highest pack id the index covers (0 before the first batch). */
export const REALTIME_MARK = `coalesce((SELECT through_id FROM ${FRAME_INDEX_SCHEMA}.frame_index_state
  WHERE name = '${REALTIME_INDEX_STATE}'), 0)`;

/** One indexing step's statements (as DEVICE_INDEX_SQLITE: mark, range after it, copy, move the mark). */
export const REALTIME_INDEX_SQLITE = {
  state: REALTIME_INDEX_STATE,
  mark: INDEX_MARK_SQL,
  last: 'SELECT max(pack_id) AS hi FROM main.obs_realtime_pack',
  range: `SELECT max(pack_id) AS hi, count(*) AS n
    FROM (SELECT pack_id FROM main.obs_realtime_pack WHERE pack_id > ? ORDER BY pack_id LIMIT ?)`,
  insert: `INSERT INTO ${FRAME_INDEX_SCHEMA}.realtime_pack_point (point_id, period_start, seq, pack_id)
    SELECT point_id, period_start, seq, pack_id FROM main.obs_realtime_pack WHERE pack_id > ? AND pack_id <= ?
    ORDER BY point_id, period_start, seq ON CONFLICT DO UPDATE SET pack_id = excluded.pack_id`,
  move: `INSERT INTO ${FRAME_INDEX_SCHEMA}.frame_index_state (name, through_id, through_hash) VALUES (?, ?, NULL)
    ON CONFLICT (name) DO UPDATE SET through_id = excluded.through_id`,
} as const;

/** An index entry `i` and its pack `p`: the pack it names, if that pack still has the entry's key. */
export const INDEXED_PACK =
  'p.pack_id = i.pack_id AND p.point_id = i.point_id AND p.period_start = i.period_start AND p.seq = i.seq';

/** The columns of a pack a reader gets (ObservationPackTable). */
const COLUMNS = ['entries', 'factors', 'source', 'received_at', 'frame_id'] as const;

/**
 * The packs by point: through the index up to the mark, then the newer ones. In the newer part the key
 * columns are written `+column` so that a reader's conditions on them (pushed into each part by SQLite)
 * cannot pick the time-first key over the id range: that would read every point's packs of the period.
 */
const BY_POINT_VIEW = `CREATE TEMP VIEW obs_realtime_pack_by_point AS
  SELECT i.point_id AS point_id, i.period_start AS period_start, i.seq AS seq,
    ${COLUMNS.map((c) => `p.${c} AS ${c}`).join(', ')}
  FROM ${FRAME_INDEX_SCHEMA}.realtime_pack_point i JOIN main.obs_realtime_pack p ON ${INDEXED_PACK}
  WHERE i.pack_id <= ${REALTIME_MARK}
  UNION ALL
  SELECT +p.point_id AS point_id, +p.period_start AS period_start, +p.seq AS seq,
    ${COLUMNS.map((c) => `p.${c} AS ${c}`).join(', ')}
  FROM main.obs_realtime_pack p WHERE p.pack_id > ${REALTIME_MARK}`;

/** How the database's `obs_realtime` view names its packs (migrations 0016, 0019). */
const VIEW_SOURCE = /\bFROM\s+obs_realtime_pack\s+p\b/;

/**
 * Shadows `obs_realtime_pack_by_point` and `obs_realtime` with temporary views that read through the index
 * (the store's connection; temporary objects are found before the database's). Does nothing before
 * migration 0019. Returns whether it did.
 */
export function installRealtimeReadViews(sqlite: BetterSqlite3.Database): boolean {
  const view = sqlite
    .prepare("SELECT sql FROM main.sqlite_master WHERE type = 'view' AND name = 'obs_realtime'")
    .get() as { sql: string } | undefined;
  if (!hasPackIds(sqlite) || view === undefined || !VIEW_SOURCE.test(view.sql)) return false;
  sqlite.exec('DROP VIEW IF EXISTS temp.obs_realtime');
  sqlite.exec('DROP VIEW IF EXISTS temp.obs_realtime_pack_by_point');
  sqlite.exec(BY_POINT_VIEW);
  sqlite.exec(
    view.sql
      .replace(/^CREATE\s+VIEW\s+obs_realtime\b/, 'CREATE TEMP VIEW obs_realtime')
      .replace(VIEW_SOURCE, 'FROM obs_realtime_pack_by_point p'),
  );
  return true;
}

/** Whether the packs have their own ids (migration 0019): before it there is nothing to index by point. */
export function hasPackIds(sqlite: BetterSqlite3.Database): boolean {
  return (
    sqlite
      .prepare("SELECT 1 FROM pragma_table_info('obs_realtime_pack', 'main') WHERE name = 'pack_id'")
      .get() !== undefined
  );
}

/**
 * Up to `limit` packs before `before` deleted with their index entries, and the mark lowered to the highest
 * id left — inside the caller's transaction on the store's connection (the database and the index file
 * together). Returns the packs deleted and the entries they held.
 */
export function forgetPacks(
  sqlite: BetterSqlite3.Database,
  before: number,
  limit: number,
): { packs: number; entries: number } {
  const gone = sqlite
    .prepare(
      `DELETE FROM main.obs_realtime_pack WHERE pack_id IN
        (SELECT pack_id FROM main.obs_realtime_pack WHERE period_start < ? LIMIT ?)
        RETURNING point_id, period_start, seq, factors`,
    )
    .all(before, limit) as { point_id: number; period_start: number; seq: number; factors: number }[];
  const unindex = sqlite.prepare(
    `DELETE FROM ${FRAME_INDEX_SCHEMA}.realtime_pack_point WHERE point_id = ? AND period_start = ? AND seq = ?`,
  );
  let entries = 0;
  for (const g of gone) {
    unindex.run(g.point_id, g.period_start, g.seq);
    entries += Number(g.factors);
  }
  checkRealtimeIndex(sqlite);
  return { packs: gone.length, entries };
}

/** The mark lowered to the highest pack id there is (see above); returns whether it was above it. */
export function checkRealtimeIndex(sqlite: BetterSqlite3.Database): boolean {
  if (!hasPackIds(sqlite)) return false;
  const lowered = sqlite
    .prepare(
      `UPDATE ${FRAME_INDEX_SCHEMA}.frame_index_state SET through_id = packs.top
        FROM (SELECT coalesce(max(pack_id), 0) AS top FROM main.obs_realtime_pack) AS packs
        WHERE name = '${REALTIME_INDEX_STATE}' AND through_id > packs.top`,
    )
    .run();
  return lowered.changes > 0;
}
