import type BetterSqlite3 from 'better-sqlite3';
import type { Store } from './database.js';

/**
 * Runs `fn` synchronously in one better-sqlite3 transaction on the store's connection. Kysely transactions
 * on the same connection are asynchronous: while one is open (awaiting between statements), a direct
 * transaction would silently nest inside it as a savepoint and be rolled back with it — after the caller
 * believed it committed (and, in the gateway, acknowledged). So unless the store is itself a
 * transaction-scoped store (where joining is the point), wait until no transaction is open. Because `fn`
 * is synchronous, nothing can start a transaction in the middle of it.
 */
export async function sqliteTransaction<T>(
  store: Store,
  fn: (sqlite: BetterSqlite3.Database) => T,
): Promise<T> {
  const sqlite = store.sqlite;
  if (sqlite === undefined) throw new Error('sqliteTransaction needs the SQLite dialect');
  if (store.scoped !== true) {
    for (let spins = 0; sqlite.inTransaction; spins++) {
      await new Promise((resolve) => (spins < 100 ? setImmediate(resolve) : setTimeout(resolve, 1)));
    }
  }
  return sqlite.transaction(() => fn(sqlite))();
}
