import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import type { Store } from '../database.js';

/** Statements kept per store; a store's reads use a handful of texts, so a full cache just starts over. */
const MAX_STATEMENTS = 64;

/**
 * Runs one SELECT and hands its rows back as arrays, in the SELECT's column order, for the long reads of
 * charts (a month of hourly values is thousands of rows): no object with a property per column is built
 * for each row, and on SQLite the prepared statement is kept. better-sqlite3 `raw()` on SQLite, pg
 * `rowMode: 'array'` on PostgreSQL; a transaction-scoped PostgreSQL store, which has no pool, reads through
 * its Kysely connection (objects, turned into arrays — the SELECT must name each column once).
 *
 * `text` uses `?` placeholders (numbered `$1`, `$2`… for PostgreSQL here) and must hold no other `?`.
 */
export class ArrayRows {
  readonly #store: Store;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(store: Store) {
    this.#store = store;
  }

  async read(text: string, params: readonly unknown[]): Promise<unknown[][]> {
    const sqlite = this.#store.sqlite;
    if (sqlite !== undefined) {
      let statement = this.#statements.get(text);
      if (statement === undefined) {
        statement = sqlite.prepare(text).raw(true);
        if (this.#statements.size >= MAX_STATEMENTS) this.#statements.clear();
        this.#statements.set(text, statement);
      }
      return statement.all(...params) as unknown[][];
    }
    let n = 0;
    const numbered = text.replace(/\?/g, () => `$${++n}`);
    const pool = this.#store.pool;
    if (pool !== undefined)
      return (await pool.query<unknown[]>({ text: numbered, values: [...params], rowMode: 'array' })).rows;
    const result = await this.#store.db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(numbered, [...params]),
    );
    return result.rows.map((row) => Object.values(row));
  }
}
