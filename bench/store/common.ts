import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@qingyuan/store';
import pg from 'pg';

const ADMIN_URL = process.env.QY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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

/** A fresh store for a bench run: a SQLite file in a temporary directory, or a new PostgreSQL database. */
export async function createStore(
  dialect: 'sqlite' | 'postgres',
  poolSize = 4,
): Promise<{ store: Store; dispose: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'qy-bench-'));
    const store = await openStore(`sqlite:${join(dir, 'bench.db')}`);
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `qy_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const store = await openStore(url.toString(), { poolSize });
  return {
    store,
    dispose: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
