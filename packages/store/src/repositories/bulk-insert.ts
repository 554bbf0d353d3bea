import type BetterSqlite3 from 'better-sqlite3';
import type { PgClient } from './common.js';

/**
 * Plain multi-row inserts for the ingest unit, inside the caller's transaction: prepared statements on
 * SQLite (cached per connection), chunked multi-row INSERTs on PostgreSQL. `conflict: 'ignore'` keeps the
 * row already held (for tables whose key makes a repeat a duplicate).
 */
export interface BulkInsert {
  readonly table: string;
  readonly columns: readonly string[];
  readonly conflict?: 'ignore';
}

const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

function sqlText(spec: BulkInsert, placeholders: string): string {
  const ignore = spec.conflict === 'ignore' ? ' ON CONFLICT DO NOTHING' : '';
  return `INSERT INTO ${spec.table} (${spec.columns.join(',')}) VALUES ${placeholders}${ignore}`;
}

export function insertSqlite(
  sqlite: BetterSqlite3.Database,
  spec: BulkInsert,
  rows: readonly (readonly unknown[])[],
): void {
  if (rows.length === 0) return;
  let cache = statements.get(sqlite);
  if (cache === undefined) {
    cache = new Map();
    statements.set(sqlite, cache);
  }
  const key = `${spec.table}|${spec.columns.join(',')}|${spec.conflict ?? ''}`;
  let statement = cache.get(key);
  if (statement === undefined) {
    statement = sqlite.prepare(sqlText(spec, `(${spec.columns.map(() => '?').join(',')})`));
    cache.set(key, statement);
  }
  for (const row of rows) statement.run(row);
}

const PG_PARAMETER_LIMIT = 65_535;

export async function insertPostgres(
  client: PgClient,
  spec: BulkInsert,
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const width = spec.columns.length;
  const perChunk = Math.max(1, Math.min(1000, Math.floor(PG_PARAMETER_LIMIT / width)));
  for (let from = 0; from < rows.length; from += perChunk) {
    const chunk = rows.slice(from, from + perChunk);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const base = params.length;
      params.push(...row);
      return `(${row.map((_, i) => `$${base + i + 1}`).join(',')})`;
    });
    await client.query(sqlText(spec, tuples.join(',')), params);
  }
}
