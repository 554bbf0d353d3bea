import { rmSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store, WAL_SIZE_LIMIT_BYTES, WalCheckpointer } from '../src/index.js';
import { createTestStore, TEST_DIALECTS } from './dialects.js';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
});

async function sqliteStore(): Promise<Store> {
  const { store, dispose } = await createTestStore('sqlite', { migrate: false });
  disposers.push(dispose);
  store.sqlite?.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB NOT NULL)');
  return store;
}

const autocheckpoint = (store: Store) => store.sqlite?.pragma('wal_autocheckpoint', { simple: true });

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('WalCheckpointer', () => {
  it('checkpoints on its worker and starts the log again through the gate; every committed row is kept', async () => {
    const store = await sqliteStore();
    const sqlite = store.sqlite as NonNullable<Store['sqlite']>;
    const checkpointer = WalCheckpointer.start(store, 20) as WalCheckpointer;
    expect(checkpointer).toBeDefined();
    // The writer leaves checkpoints to the worker, with a backstop far away.
    expect(autocheckpoint(store)).toBe(20_000);
    const insert = sqlite.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const commit = sqlite.transaction((from: number) => {
      for (let k = from; k < from + 100; k++) insert.run(k, Buffer.alloc(300, k % 251));
    });
    let rows = 0;
    let gated = 0;
    // A writer like the gateway's: asks the gate before each commit. ≈ 10 pages a commit; the log is
    // due to start again at 4,000. It writes at least three times that (the log may also start again
    // early, whenever the worker catches up between two commits) and until it has started again twice.
    for (let i = 0; i < 3000 && (checkpointer.stats().restarts < 2 || rows < 120_000); i++) {
      const held = checkpointer.gate();
      if (held !== undefined) {
        gated++;
        await held;
      }
      commit(rows);
      rows += 100;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const stats = checkpointer.stats();
    expect(gated).toBeGreaterThan(0);
    expect(stats.restarts).toBeGreaterThanOrEqual(2);
    expect(stats.checkpoints).toBeGreaterThan(stats.restarts);
    // Started again rather than grown: far below what was written (≈ 10 pages per 100 rows).
    expect(stats.largestLogPages).toBeLessThan(rows / 10);
    await checkpointer.stop();
    expect(autocheckpoint(store)).toBe(1000);
    expect(checkpointer.gate()).toBeUndefined();
    expect(sqlite.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: rows });
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('gives checkpoints back to the writer when its worker fails, and says so', async () => {
    const store = await sqliteStore();
    // The worker opens the file by name: gone (the writer's connection keeps its open file), it cannot.
    rmSync(store.sqlite?.name as string);
    const failures: Error[] = [];
    const checkpointer = WalCheckpointer.start(store, 20, (error) => failures.push(error)) as WalCheckpointer;
    await until(() => failures.length > 0);
    expect(failures[0]?.message).toBe('the WAL checkpoint worker failed: SQLITE_CANTOPEN');
    expect(checkpointer.stats().failure).toBe(failures[0]?.message);
    expect(checkpointer.stats().failure).toBeDefined();
    expect(autocheckpoint(store)).toBe(1000);
    expect(checkpointer.gate()).toBeUndefined();
    await checkpointer.stop();
  });

  it('does nothing for an in-memory SQLite store or PostgreSQL', async () => {
    const memory = await openStore('sqlite::memory:', { migrate: false });
    disposers.push(() => memory.close());
    expect(WalCheckpointer.start(memory, 20)).toBeUndefined();
    if (TEST_DIALECTS.includes('postgres')) {
      const { store, dispose } = await createTestStore('postgres', { migrate: false });
      disposers.push(dispose);
      expect(WalCheckpointer.start(store, 20)).toBeUndefined();
    }
  });

  it('cuts the log file back to the size limit when the log starts again after a burst', async () => {
    const store = await sqliteStore();
    const sqlite = store.sqlite as NonNullable<Store['sqlite']>;
    const wal = `${sqlite.name}-wal`;
    // A burst nothing checkpoints meanwhile: the log grows past the limit.
    sqlite.pragma('wal_autocheckpoint = 0');
    const insert = sqlite.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const burst = sqlite.transaction((from: number, count: number) => {
      for (let k = from; k < from + count; k++) insert.run(k, Buffer.alloc(4000, k % 251));
    });
    const rows = Math.ceil((WAL_SIZE_LIMIT_BYTES + 8 * 1024 * 1024) / 4000);
    for (let from = 0; from < rows; from += 1000) burst(from, Math.min(1000, rows - from));
    expect(statSync(wal).size).toBeGreaterThan(WAL_SIZE_LIMIT_BYTES);
    // Copied out whole, the log starts again with the next commit, which cuts the file back.
    expect(sqlite.prepare('PRAGMA wal_checkpoint(PASSIVE)').get()).toMatchObject({ busy: 0 });
    burst(rows, 1);
    const size = statSync(wal).size;
    expect(size).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    expect(size).toBeGreaterThan(0);
    expect(sqlite.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: rows + 1 });
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
