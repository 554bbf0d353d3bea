import type BetterSqlite3 from 'better-sqlite3';

/**
 * SQLite only: the archive's device index (`raw_frame_device` and its mark in `frame_index_state`,
 * migrations 0015 and 0018) and the real-time packs' index by point (`realtime_pack_point`, migration 0019,
 * realtime-point-index.ts) live in a file of its own next to the database, `<database>-index`, attached to
 * every connection as the schema `frame_index`. A file of its own has its own write lock, so the store's
 * DeviceIndexWorker fills the index on another thread while the gateway's group commits go on writing the
 * archive: neither waits for the other. On the writer's thread the index took 5–8 % of its time and held its
 * event loop for up to tens of milliseconds (docs/benchmarks.md, bench/gateway).
 *
 * The index is derived data: everything in it is read from the archive. A missing file is created empty
 * and filled again from the archive's first frame; an index that does not belong to the archive beside it
 * (a database restored from a backup without its index, or the index of another database) is recognised by
 * the hash of the frame its mark stands on, and emptied (`checkFrameIndex`). Until it has caught up,
 * reads by device find the newer frames in the archive itself (slower, never wrong).
 */
export const FRAME_INDEX_SCHEMA = 'frame_index';

/** The index file of a SQLite database file (`:memory:` for an in-memory database). */
export function frameIndexFile(databaseFile: string): string {
  return databaseFile === ':memory:' || databaseFile === '' ? ':memory:' : `${databaseFile}-index`;
}

/** The index's tables, created when the file is new (same columns and key as migration 0015 made them). */
const TABLES = [
  `CREATE TABLE IF NOT EXISTS ${FRAME_INDEX_SCHEMA}.raw_frame_device (mn text NOT NULL, received_at integer NOT NULL,
     frame_id integer NOT NULL, CONSTRAINT raw_frame_device_pk PRIMARY KEY (mn, received_at, frame_id)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS ${FRAME_INDEX_SCHEMA}.realtime_pack_point (point_id integer NOT NULL,
     period_start integer NOT NULL, seq integer NOT NULL, pack_id integer NOT NULL,
     CONSTRAINT realtime_pack_point_pk PRIMARY KEY (point_id, period_start, seq)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS ${FRAME_INDEX_SCHEMA}.frame_index_state (name text PRIMARY KEY,
     through_id integer NOT NULL, through_hash text)`,
];

/**
 * The statements that attach the index file to a connection (the store's, or the DeviceIndexWorker's): WAL,
 * synchronous=NORMAL (set per schema, as on the database itself), its log cut back as the database's is,
 * tables created. As SQL text, so that the worker runs exactly these.
 */
export function frameIndexSetup(databaseFile: string, walLimitBytes: number): string[] {
  const file = frameIndexFile(databaseFile);
  return [
    `ATTACH DATABASE '${file.replaceAll("'", "''")}' AS ${FRAME_INDEX_SCHEMA}`,
    ...(file === ':memory:' ? [] : [`PRAGMA ${FRAME_INDEX_SCHEMA}.journal_mode = WAL`]),
    `PRAGMA ${FRAME_INDEX_SCHEMA}.synchronous = NORMAL`,
    `PRAGMA ${FRAME_INDEX_SCHEMA}.journal_size_limit = ${walLimitBytes}`,
    ...TABLES,
  ];
}

/** Attaches the index file to the store's connection (see `frameIndexSetup`). */
export function attachFrameIndex(
  sqlite: BetterSqlite3.Database,
  databaseFile: string,
  walLimitBytes: number,
): void {
  for (const statement of frameIndexSetup(databaseFile, walLimitBytes)) sqlite.exec(statement);
}

/**
 * Empties an index that does not belong to the archive beside it: its mark stands on a frame whose hash is
 * not the one recorded (or on no frame at all). Returns true when it did. Before migration 0018 (the index
 * still in the database itself) there is nothing to check.
 */
export function checkFrameIndex(sqlite: BetterSqlite3.Database): boolean {
  const moved = sqlite
    .prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'frame_index_state'")
    .get();
  if (moved !== undefined) return false;
  const state = sqlite
    .prepare(
      `SELECT through_id, through_hash FROM ${FRAME_INDEX_SCHEMA}.frame_index_state WHERE name = 'device'`,
    )
    .get() as { through_id: number; through_hash: string | null } | undefined;
  if (state === undefined || Number(state.through_id) === 0) return false;
  const frame = sqlite.prepare('SELECT sha256 FROM main.raw_frame WHERE id = ?').get(state.through_id) as
    | { sha256: string }
    | undefined;
  if (frame !== undefined && frame.sha256 === state.through_hash) return false;
  sqlite.transaction(() => {
    sqlite.exec(`DELETE FROM ${FRAME_INDEX_SCHEMA}.raw_frame_device`);
    sqlite.exec(`DELETE FROM ${FRAME_INDEX_SCHEMA}.realtime_pack_point`);
    sqlite.exec(`DELETE FROM ${FRAME_INDEX_SCHEMA}.frame_index_state`);
  })();
  return true;
}

/** An index's mark (`?` its name in `frame_index_state`): the highest id it covers. */
export const INDEX_MARK_SQL = `SELECT through_id FROM ${FRAME_INDEX_SCHEMA}.frame_index_state WHERE name = ?`;

/** The statements of one index kept in the file: its mark, the range after it, the copy, the mark's move. */
export type IndexStatements = Record<'mark' | 'range' | 'insert' | 'move', BetterSqlite3.Statement>;

/**
 * One indexing step, inside the caller's transaction: read the index's mark, find how far `limit` rows after
 * it reach, copy them, move the mark. Returns the rows the mark moved over. (The DeviceIndexWorker runs the
 * same steps in its own source.)
 */
export function indexAfterMark(statements: IndexStatements, state: string, limit: number): number {
  const at = statements.mark.get(state) as { through_id: number } | undefined;
  const mark = Number(at?.through_id ?? 0);
  const range = statements.range.get(mark, limit) as { hi: number | null; n: number };
  if (range.hi === null) return 0;
  statements.insert.run(mark, range.hi);
  statements.move.run(state, range.hi);
  return range.n;
}
