import type { Store } from '@qingyuan/store';
import type pg from 'pg';

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

/** The same SELECT through the plain driver (`$n` placeholders; `?` on SQLite), for the reads' reference. */
export function plainSelect(store: Store, text: string, params: unknown[]): () => Promise<unknown> {
  if (store.sqlite !== undefined) {
    const statement = store.sqlite.prepare(text.replace(/\$\d+/g, '?'));
    return async () => statement.all(...params);
  }
  const pool = store.pool as pg.Pool;
  return async () => (await pool.query(text, params)).rows;
}

/** The raw driver's PostgreSQL batch: one multi-row INSERT of `rows` into `table (columns)`, in a transaction. */
export async function pgInsertRows(
  pool: pg.Pool,
  table: string,
  columns: string,
  rows: unknown[][],
): Promise<void> {
  const params: unknown[] = [];
  const tuples = rows.map((values) => {
    const base = params.length;
    params.push(...values);
    return `(${values.map((_, i) => `$${base + i + 1}`).join(',')})`;
  });
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`INSERT INTO ${table} (${columns}) VALUES ${tuples.join(',')}`, params);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}
