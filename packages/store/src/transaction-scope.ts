import type { Kysely, Transaction } from 'kysely';
import type { Store } from './database.js';
import type { Database } from './schema.js';

/**
 * Runs `fn` with a `Store` whose every statement goes through one database transaction, committed when
 * `fn` resolves and rolled back when it throws. The repositories take a `Store` and open their own
 * transactions with `db.transaction().execute(…)`; on the scoped store that call joins the enclosing
 * transaction (no savepoint: an error anywhere rolls back everything, which is what bulk loads such as
 * the demo seed and the registry import want). So a whole import is validated by the repositories and
 * still all-or-nothing, on SQLite and PostgreSQL alike.
 *
 * Limits: the scoped store has no PostgreSQL `pool` (raw pool queries would run outside the transaction);
 * on SQLite the raw `sqlite` handle is the transaction's own connection. `close()` is refused.
 */
export async function inTransaction<T>(store: Store, fn: (scoped: Store) => Promise<T>): Promise<T> {
  return store.db.transaction().execute(async (trx) => fn(scopedStore(store, trx)));
}

function scopedStore(store: Store, trx: Transaction<Database>): Store {
  return {
    db: joinedTransaction(trx),
    dialect: store.dialect,
    url: store.url,
    sqlite: store.sqlite,
    pool: undefined,
    scoped: true,
    close: async () => {
      throw new Error('a transaction-scoped store cannot be closed; close the store it came from');
    },
  };
}

/** The transaction, with `transaction()` joining it instead of throwing. */
function joinedTransaction(trx: Transaction<Database>): Kysely<Database> {
  const refuse = (name: string) => () => {
    throw new Error(`${name}() is not available inside a transaction-scoped store`);
  };
  let joined: Kysely<Database>;
  const builder = {
    execute: <R>(callback: (inner: Transaction<Database>) => Promise<R>): Promise<R> =>
      callback(joined as Transaction<Database>),
    setIsolationLevel: () => builder,
    setAccessMode: () => builder,
  };
  joined = new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return () => builder;
      if (property === 'startTransaction' || property === 'connection' || property === 'destroy') {
        return refuse(String(property));
      }
      const value: unknown = Reflect.get(target, property, target);
      // Kysely keeps its state in private fields: methods must run with the real instance as `this`.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return joined;
}
