import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DialectName } from './dialect.js';
import { StoreError } from './errors.js';
import { attachFrameIndex, checkFrameIndex } from './frame-index-file.js';
import { migrationProvider } from './migrations/index.js';
import { checkRealtimeIndex, installRealtimeReadViews } from './repositories/realtime-point-index.js';
import type { Database } from './schema.js';

/** An open store: Kysely over one backend, plus the raw driver for the bulk paths. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly url: string;
  /** The SQLite connection (sqlite only). */
  readonly sqlite: BetterSqlite3.Database | undefined;
  /** The PostgreSQL pool (postgres only). */
  readonly pool: pg.Pool | undefined;
  /** True for a transaction-scoped store (`inTransaction`): its writes join the open transaction. */
  readonly scoped?: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Run pending migrations on open (default true). */
  readonly migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  readonly poolSize?: number;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/qingyuan.db';

/**
 * The size (bytes) a SQLite store's `-wal` file is cut back to when the log starts again. SQLite reuses
 * the file from its beginning and never shrinks it by itself, so one burst (a backfill, a checkpoint worker
 * that fell behind: the writer's own backstop lets the log reach ≈ 80 MiB) would hold its size on disk for
 * good. Above what a saturated gateway's log reaches between restarts (28–47 MiB in bench/gateway), so a
 * busy gateway does not cut and grow the file on every cycle.
 */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

// int8 (bigint) columns hold epoch milliseconds and ids, both far below 2^53: read them as numbers.
const PG_INT8 = 20;
const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === PG_INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
};

/** `sqlite:<path>` (or `sqlite::memory:`) or `postgres://…`. */
export function parseDatabaseUrl(url: string): { dialect: DialectName; target: string } {
  if (url.startsWith('sqlite:')) {
    const target = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (target.length === 0) throw new StoreError('STORE_E_URL', { url });
    return { dialect: 'sqlite', target };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://'))
    return { dialect: 'postgres', target: url };
  throw new StoreError('STORE_E_URL', { url });
}

/**
 * better-sqlite3 behind Kysely with its prepared statements kept (LRU, 512): Kysely prepares every query
 * afresh, and preparing costs as much as running a short query. A statement still being iterated (a
 * streamed query) is never handed out twice: a busy one is prepared anew.
 */
function statementCache(sqlite: BetterSqlite3.Database) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string): BetterSqlite3.Statement {
      const held = cache.get(text);
      if (held !== undefined && !held.busy) {
        cache.delete(text);
        cache.set(text, held);
        return held;
      }
      const statement = sqlite.prepare(text);
      cache.set(text, statement);
      if (cache.size > 512) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}

/** Opens (and by default migrates) the store at `url`. */
export async function openStore(url: string, options: OpenOptions = {}): Promise<Store> {
  const { dialect, target } = parseDatabaseUrl(url);
  let store: Store;
  if (dialect === 'sqlite') {
    if (target !== ':memory:') await ensureDirectory(target);
    const sqlite = new BetterSqlite3(target);
    // WAL with synchronous=NORMAL: a committed transaction survives a process crash (kill -9); FULL would
    // also survive power loss at the cost of an fsync per commit (set QY_SQLITE_SYNC=FULL for that).
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${process.env.QY_SQLITE_SYNC === 'FULL' ? 'FULL' : 'NORMAL'}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    attachFrameIndex(sqlite, target, WAL_SIZE_LIMIT_BYTES);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statementCache(sqlite) }) });
    store = { db, dialect, url, sqlite, pool: undefined, close: async () => db.destroy() };
  } else {
    const pool = new pg.Pool({ connectionString: target, max: options.poolSize ?? 10, types: pgTypes });
    // An idle connection the server drops (restart, failover, a dropped database) must not crash the
    // process: the pool discards it and connects afresh on the next query, which then reports any error.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      client.release();
    } catch (cause) {
      await pool.end().catch(() => undefined);
      throw new StoreError(
        'STORE_E_UNAVAILABLE',
        { url: redact(url), reason: (cause as Error).message },
        { cause },
      );
    }
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    store = { db, dialect, url, sqlite: undefined, pool, close: async () => db.destroy() };
  }
  if (options.migrate !== false) await migrate(store);
  if (store.sqlite !== undefined) {
    // An index file left from another database (or a restored one) is emptied and filled again.
    checkFrameIndex(store.sqlite);
    // Real-time reads by point through the index file (realtime-point-index.ts); its mark never above the
    // packs' highest id.
    checkRealtimeIndex(store.sqlite);
    installRealtimeReadViews(store.sqlite);
  }
  return store;
}

/** Runs every pending migration; returns the names applied. */
export async function migrate(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider(store.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new StoreError(
      'STORE_E_MIGRATION',
      { migration: failed, reason: (error as Error).message },
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Refreshes the planner's statistics (ANALYZE). Run after bulk loads (seeding, imports) and by the daily
 * maintenance job: without them a freshly filled table can be read with a full scan where an index seek
 * belongs (seen here: "latest of every factor" 2 s instead of 8 ms on PostgreSQL).
 */
export async function analyze(store: Store): Promise<void> {
  if (store.sqlite !== undefined) store.sqlite.exec('ANALYZE');
  else await store.pool?.query('ANALYZE');
}

async function ensureDirectory(path: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  await mkdir(dirname(path), { recursive: true });
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
