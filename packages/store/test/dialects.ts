import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type DialectName, openStore, type Store } from '../src/index.js';
import { migrationProvider } from '../src/migrations/index.js';

/**
 * One repository suite, looped over both backends (as Kysely's own tests do). Each run gets its own
 * database — a temporary SQLite file, or a uniquely named PostgreSQL database that is dropped after.
 * PostgreSQL must be running (127.0.0.1:5432, or QY_TEST_POSTGRES_URL): a missing server fails the
 * suite; it is skipped only when QY_SKIP_POSTGRES=1 is set explicitly outside CI, and then says so.
 */
const skipPostgres = process.env.QY_SKIP_POSTGRES === '1' && process.env.CI !== 'true';

export const TEST_DIALECTS: readonly DialectName[] = skipPostgres ? ['sqlite'] : ['sqlite', 'postgres'];

if (skipPostgres) {
  console.warn('QY_SKIP_POSTGRES=1: the PostgreSQL half of the store suite is NOT run.');
} else if (process.env.QY_SKIP_POSTGRES === '1') {
  console.warn('QY_SKIP_POSTGRES=1 is ignored with CI=true: CI always runs PostgreSQL.');
}

const ADMIN_URL = process.env.QY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated store on a dialect, and how to throw it away. */
export async function createTestStore(
  dialect: DialectName,
  options: { migrate?: boolean } = {},
): Promise<{ store: Store; dispose: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'qy-store-'));
    const store = await openStore(`sqlite:${join(dir, 'test.db')}`, options);
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `qy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (cause) {
    throw new Error(
      `PostgreSQL is not reachable at ${ADMIN_URL} (${(cause as Error).message}). Start it (see .ci/run) or set QY_SKIP_POSTGRES=1 to run SQLite only.`,
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const store = await openStore(url.toString(), options);
  return {
    store,
    dispose: async () => {
      await store.close();
      const cleanup = new pg.Client({ connectionString: ADMIN_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** `describe` once per dialect with a fresh store shared by the block's tests. */
export function describeEachDialect(
  title: string,
  body: (store: () => Store, dialect: DialectName) => void,
): void {
  for (const dialect of TEST_DIALECTS) {
    describe(`${title} [${dialect}]`, () => {
      let handle: { store: Store; dispose: () => Promise<void> } | undefined;
      beforeAll(async () => {
        handle = await createTestStore(dialect);
      }, 60_000);
      afterAll(async () => {
        await handle?.dispose();
      }, 60_000);
      body(() => {
        if (handle === undefined) throw new Error('store not open');
        return handle.store;
      }, dialect);
    });
  }
}

/**
 * One test per dialect on a fresh store migrated up to `migration` and no further, for testing the
 * migrations after it; `migrateTo` moves it on (and returns the migrations it applied).
 */
export function itFromMigration(
  migration: string,
  title: string,
  body: (store: Store, migrateTo: (name: string) => Promise<string[]>) => Promise<void>,
): void {
  for (const dialect of TEST_DIALECTS)
    it(`${title} [${dialect}]`, async () => {
      const handle = await createTestStore(dialect, { migrate: false });
      try {
        const migrator = new Migrator({ db: handle.store.db, provider: migrationProvider(dialect) });
        const migrateTo = async (name: string) => {
          const { error, results } = await migrator.migrateTo(name);
          if (error !== undefined) throw error;
          return (results ?? []).map((r) => r.migrationName);
        };
        await migrateTo(migration);
        await body(handle.store, migrateTo);
      } finally {
        await handle.dispose();
      }
    }, 60_000);
}
