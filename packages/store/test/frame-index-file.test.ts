import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/database.js';
import { DeviceIndexWorker, INDEX_WAITING_ROWS } from '../src/device-index-worker.js';
import { migrationProvider } from '../src/migrations/index.js';
import { FrameDeviceIndex } from '../src/repositories/frames-by-device.js';
import { type FrameArrival, RawFrameRepository } from '../src/repositories/raw-frames.js';
import { indexFileRows } from './fixtures.js';

const T0 = Date.UTC(2026, 10, 20, 2);
let serial = 0;

const arrival = (mn: string, at: number): FrameArrival => ({
  receivedAt: at,
  peer: '10.0.0.1:5000',
  mn,
  cn: '2011',
  qn: `Q${++serial}`,
  bytes: new TextEncoder().encode(`##frame ${serial}\r\n`),
  verdict: 'accepted',
  errorCode: null,
});

const dirs: string[] = [];
const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function storeAt(file: string, options: { migrate?: boolean } = {}): Promise<Store> {
  const store = await openStore(`sqlite:${file}`, options);
  open.push(store);
  return store;
}
function newFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qy-frame-index-'));
  dirs.push(dir);
  return join(dir, 'test.db');
}
async function close(store: Store): Promise<void> {
  open.splice(open.indexOf(store), 1);
  await store.close();
}
const mns = async (store: Store, mn: string) =>
  (await new FrameDeviceIndex(store).find({ mn, limit: 100, order: 'asc' })).map((f) => f.received_at - T0);
const indexRows = (file: string) => indexFileRows(file, 'device', 'raw_frame_device');

describe('the device index in a file of its own (SQLite)', () => {
  it('keeps raw_frame_device and its mark in <database>-index, none of it in the database itself', async () => {
    const file = newFile();
    const store = await storeAt(file);
    const appended = await new RawFrameRepository(store).append([arrival('A', T0), arrival('B', T0 + 1)]);
    expect(await new FrameDeviceIndex(store).indexDevices()).toBe(2);
    expect(existsSync(`${file}-index`)).toBe(true);
    const main = await sql<{ name: string }>`SELECT name FROM main.sqlite_master
      WHERE name IN ('raw_frame_device', 'frame_index_state')`.execute(store.db);
    expect(main.rows).toEqual([]);
    expect(indexRows(file)).toEqual({ mark: appended.at(-1)?.id, entries: 2 });
  });

  it('migration 0018 moves an index kept in the database into the file, mark and entries', async () => {
    const file = newFile();
    const store = await storeAt(file, { migrate: false });
    const migrator = new Migrator({ db: store.db, provider: migrationProvider('sqlite') });
    await migrator.migrateTo('0017-forward-index-without-in-list');
    const appended = await new RawFrameRepository(store).append([
      arrival('A', T0),
      arrival('B', T0 + 1),
      arrival('A', T0 + 2),
    ]);
    // Indexed as before 0018: in the database's own tables (unqualified names find those first).
    await sql`INSERT INTO main.raw_frame_device (mn, received_at, frame_id)
      SELECT mn, received_at, id FROM raw_frame WHERE id <= ${appended[1]?.id}`.execute(store.db);
    await sql`UPDATE main.frame_index_state SET through_id = ${appended[1]?.id} WHERE name = 'device'`.execute(
      store.db,
    );
    const { results } = await migrator.migrateToLatest();
    expect(results?.map((r) => r.migrationName)).toContain('0018-frame-index-file');
    expect(indexRows(file)).toEqual({ mark: appended[1]?.id, entries: 2 });
    const hash = await sql<{
      through_hash: string;
    }>`SELECT through_hash FROM frame_index.frame_index_state`.execute(store.db);
    expect(hash.rows[0]?.through_hash).toBe(appended[1]?.sha256);
    // Reads find the indexed frames through the file and the third from the archive.
    expect(await mns(store, 'A')).toEqual([0, 2]);
    expect(await new FrameDeviceIndex(store).indexDevices()).toBe(1);
    expect(await mns(store, 'A')).toEqual([0, 2]);
  });

  it('fills a lost index file again from the archive; reads find every frame meanwhile', async () => {
    const file = newFile();
    let store = await storeAt(file);
    await new RawFrameRepository(store).append([
      arrival('A', T0),
      arrival('B', T0 + 1),
      arrival('A', T0 + 2),
    ]);
    await new FrameDeviceIndex(store).indexDevices();
    await close(store);
    rmSync(`${file}-index`);
    rmSync(`${file}-index-wal`, { force: true });
    rmSync(`${file}-index-shm`, { force: true });
    store = await storeAt(file);
    expect(await new FrameDeviceIndex(store).mark()).toBe(0);
    expect(await mns(store, 'A')).toEqual([0, 2]);
    expect(await new FrameDeviceIndex(store).indexDevices()).toBe(3);
    expect(await mns(store, 'A')).toEqual([0, 2]);
  });

  it('empties an index that belongs to another database (its mark stands on a frame with another hash)', async () => {
    const fileA = newFile();
    const fileB = newFile();
    const a = await storeAt(fileA);
    await new RawFrameRepository(a).append([arrival('X', T0), arrival('X', T0 + 1), arrival('X', T0 + 2)]);
    await new FrameDeviceIndex(a).indexDevices();
    await close(a);
    const b = await storeAt(fileB);
    await new RawFrameRepository(b).append([
      arrival('Y', T0 + 10),
      arrival('Y', T0 + 11),
      arrival('Y', T0 + 12),
    ]);
    await close(b);
    // B restored beside A's index (same ids, other frames): trusted, it would hide B's frames and show A's.
    copyFileSync(`${fileA}-index`, `${fileB}-index`);
    rmSync(`${fileB}-index-wal`, { force: true });
    rmSync(`${fileB}-index-shm`, { force: true });
    const reopened = await storeAt(fileB);
    expect(indexRows(fileB)).toEqual({ mark: 0, entries: 0 });
    expect(await mns(reopened, 'Y')).toEqual([10, 11, 12]);
    expect(await mns(reopened, 'X')).toEqual([]);
  });

  it('DeviceIndexWorker indexes on its own connection while the database’s writer holds a transaction open', async () => {
    const file = newFile();
    const store = await storeAt(file);
    const frames = new RawFrameRepository(store);
    const appended = await frames.append(Array.from({ length: 50 }, (_, i) => arrival(`D${i % 5}`, T0 + i)));
    const sqlite = store.sqlite as BetterSqlite3.Database;
    // The writer's transaction (deferred, as the group commit's): it locks the database, not the index file.
    sqlite.exec('BEGIN');
    sqlite
      .prepare('INSERT INTO frame_chain_head (chain_day, last_hash, frames) VALUES (?, ?, ?)')
      .run('x', 'y', 0);
    const failures: Error[] = [];
    const worker = DeviceIndexWorker.start(store, 20, (error) => failures.push(error));
    expect(worker).toBeDefined();
    try {
      for (let waited = 0; indexRows(file).mark < (appended.at(-1)?.id ?? 0) && waited < 5000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(indexRows(file)).toEqual({ mark: appended.at(-1)?.id, entries: 50 });
    } finally {
      sqlite.exec('ROLLBACK');
      await worker?.stop();
    }
    expect(failures).toEqual([]);
    expect(worker?.stats()).toMatchObject({ indexed: 50, batches: 1, failure: undefined });
    expect(await mns(store, 'D3')).toEqual([3, 8, 13, 18, 23, 28, 33, 38, 43, 48]);
  });

  it('DeviceIndexWorker waits up to everyMs while few frames wait, and indexes them all when it stops', async () => {
    const file = newFile();
    const store = await storeAt(file);
    const appended = await new RawFrameRepository(store).append(
      Array.from({ length: 30 }, (_, i) => arrival(`W${i % 3}`, T0 + i)),
    );
    const worker = DeviceIndexWorker.start(store, 60_000);
    try {
      // The worker looks every 100 ms: four looks, none of them due (30 rows wait, the minute has not passed).
      await new Promise((resolve) => setTimeout(resolve, 450));
      expect(indexRows(file)).toEqual({ mark: 0, entries: 0 });
      // Readers do not wait for the index: frames past the mark come from the archive.
      expect(await mns(store, 'W1')).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
    } finally {
      await worker?.stop();
    }
    expect(indexRows(file)).toEqual({ mark: appended.at(-1)?.id, entries: 30 });
    expect(worker?.stats()).toMatchObject({ indexed: 30, batches: 1, failure: undefined });
  });

  it(`DeviceIndexWorker indexes at once when ${INDEX_WAITING_ROWS} frames wait, in one transaction`, async () => {
    const file = newFile();
    const store = await storeAt(file);
    const frames = new RawFrameRepository(store);
    const all = Array.from({ length: INDEX_WAITING_ROWS }, (_, i) => arrival(`M${i % 50}`, T0 + i));
    let last = 0;
    for (let at = 0; at < all.length; at += 5000)
      last = (await frames.append(all.slice(at, at + 5000))).at(-1)?.id ?? last;
    const worker = DeviceIndexWorker.start(store, 60_000);
    try {
      // Its report follows its commit: wait for the report, then look at the file.
      for (let waited = 0; (worker?.stats().indexed ?? 0) < all.length && waited < 10_000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(worker?.stats()).toMatchObject({ indexed: INDEX_WAITING_ROWS, batches: 1 });
      expect(indexRows(file)).toEqual({ mark: last, entries: INDEX_WAITING_ROWS });
    } finally {
      await worker?.stop();
    }
  });

  it('DeviceIndexWorker runs for SQLite files only', async () => {
    const memory = await openStore('sqlite::memory:');
    open.push(memory);
    expect(DeviceIndexWorker.start(memory, 50)).toBeUndefined();
  });
});
