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
