import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Store } from './database.js';

/**
 * The SQLite file a store worker thread (WalCheckpointer, DeviceIndexWorker) opens its own connection to;
 * undefined for PostgreSQL, `:memory:` and a transaction-scoped store, which have none to share.
 */
export function workerFile(store: Store): string | undefined {
  const sqlite = store.sqlite;
  if (sqlite === undefined || sqlite.memory || sqlite.name === '' || store.scoped === true) return undefined;
  return sqlite.name;
}

/**
 * A worker thread evaluating `source` (CommonJS: the same text serves the sources under test and the built
 * package), with better-sqlite3's path as `workerData.driver` and the database file as `workerData.file`.
 * Unref'd: it never keeps a process alive by itself.
 */
export function startStoreWorker(source: string, file: string, data: Record<string, unknown>): Worker {
  const worker = new Worker(source, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, ...data },
  });
  worker.unref();
  return worker;
}

/**
 * What a store worker thread threw, as an Error with a message. It crosses the thread boundary as a copy: a
 * better-sqlite3 `SqliteError` arrives as a plain object with its `code` (e.g. SQLITE_CANTOPEN) and no message.
 */
export function workerError(thrown: unknown, worker: string): Error {
  if (thrown instanceof Error && thrown.message !== '') return thrown;
  const { code, message } = (thrown ?? {}) as { code?: unknown; message?: unknown };
  const detail = [code, message].filter((part) => typeof part === 'string' && part !== '').join(': ');
  return new Error(`${worker} failed${detail === '' ? '' : `: ${detail}`}`, { cause: thrown });
}
