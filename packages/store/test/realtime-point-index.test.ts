import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/database.js';
import { DeviceIndexWorker } from '../src/device-index-worker.js';
import { migrationProvider } from '../src/migrations/index.js';
import { FrameDeviceIndex } from '../src/repositories/frames-by-device.js';
import { type ObservationInput, ObservationRepository } from '../src/repositories/observations.js';
import { RawFrameRepository } from '../src/repositories/raw-frames.js';
import { indexFileRows, insertFactors, insertPoint } from './fixtures.js';

const T0 = Date.UTC(2026, 10, 20, 2);
const MINUTE = 60_000;

const dirs: string[] = [];
const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qy-realtime-index-'));
  dirs.push(dir);
  return join(dir, 'test.db');
}
async function storeAt(file: string, options: { migrate?: boolean } = {}): Promise<Store> {
  const store = await openStore(`sqlite:${file}`, options);
  open.push(store);
  return store;
}
async function close(store: Store): Promise<void> {
  open.splice(open.indexOf(store), 1);
  await store.close();
}

/** One real-time upload of `pointId` at `at` (one factor). */
const upload = (pointId: number, at: number, rtd: number): ObservationInput => ({
  pointId,
  factorCode: 'a21026',
  periodStart: at,
  values: { rtd },
  dataFlag: 'N',
  source: 'das',
  receivedAt: at + 1000,
});

/** A store on a new file with one point that has sent `count` uploads, a minute apart (rtd 0, 1, …). */
async function pointWithUploads(count: number) {
  const file = newFile();
  const store = await storeAt(file);
  const repo = new ObservationRepository(store);
  const point = (await insertPoint(store)).pointId;
  await insertFactors(store, point, [{ code: 'a21026' }]);
  await repo.write(
    'realtime',
    Array.from({ length: count }, (_, i) => upload(point, T0 + i * MINUTE, i)),
  );
  return { file, store, repo, point };
}

const indexRows = (file: string) => indexFileRows(file, 'realtime', 'realtime_pack_point');

/** What SQLite plans for a read (EXPLAIN QUERY PLAN's details). */
function plan(store: Store, query: string, ...params: unknown[]): string[] {
  const sqlite = store.sqlite as BetterSqlite3.Database;
  return (sqlite.prepare(`EXPLAIN QUERY PLAN ${query}`).all(...params) as { detail: string }[]).map(
    (r) => r.detail,
  );
}

describe('real-time packs by time, read by point through the index file (SQLite)', () => {
  it('reads a point through the index by (point, time) and the newer packs by id: no scan of the packs', async () => {
    const store = await storeAt(newFile());
    const byPoint = plan(
      store,
      'SELECT * FROM obs_realtime_pack_by_point WHERE point_id = ? AND period_start >= ? AND period_start < ?',
      1,
      T0,
      T0 + MINUTE,
    );
    expect(byPoint).toContain(
      'SEARCH i USING PRIMARY KEY (point_id=? AND period_start>? AND period_start<?)',
    );
    expect(byPoint).toContain('SEARCH p USING INTEGER PRIMARY KEY (rowid>?)');
    expect(byPoint.filter((d) => /SCAN (p|i|obs_realtime_pack)\b/.test(d))).toEqual([]);
    // The factor rows' view: the same two searches (its `SCAN p` is the unpacked union, not the table).
    const view = plan(store, 'SELECT * FROM obs_realtime WHERE point_id = ? AND period_start = ?', 1, T0);
    expect(view).toContain('SEARCH i USING PRIMARY KEY (point_id=? AND period_start=?)');
    expect(view).toContain('SEARCH p USING INTEGER PRIMARY KEY (rowid>?)');
    // Written by time first: the key starts with period_start.
    const key = await sql<{ name: string }>`SELECT name FROM pragma_index_info(
      (SELECT name FROM pragma_index_list('obs_realtime_pack') WHERE origin = 'u'))`.execute(store.db);
    expect(key.rows.map((r) => r.name)).toEqual(['period_start', 'point_id', 'seq']);
  });

  it('reads the same before, during and after indexing; indexing moves the mark over every pack', async () => {
    const file = newFile();
    const store = await storeAt(file);
    const repo = new ObservationRepository(store);
    const a = (await insertPoint(store)).pointId;
    const b = (await insertPoint(store)).pointId;
    for (let i = 0; i < 30; i++) await repo.write('realtime', [upload(i % 2 ? a : b, T0 + i * MINUTE, i)]);
    const read = async () => ({
      a: (await repo.range('realtime', a, T0, T0 + 60 * MINUTE)).map((r) => r.rtd),
      b: (await repo.samples('realtime', b, T0, T0 + 60 * MINUTE))[0]?.value,
      latest: (await repo.latest('realtime')).map((r) => [r.point_id, r.rtd]),
    });
    const before = await read();
    expect(before.a).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29]);
    expect(indexRows(file)).toEqual({ mark: 0, entries: 0 });
    const index = new FrameDeviceIndex(store);
    expect(await index.indexDevices(10)).toBe(10);
    expect(indexRows(file)).toEqual({ mark: 10, entries: 10 });
    expect(await read()).toEqual(before);
    while ((await index.indexDevices(10)) > 0);
    expect(indexRows(file)).toEqual({ mark: 30, entries: 30 });
    expect(await read()).toEqual(before);
  });

  it('DeviceIndexWorker indexes the packs by point on its own connection', async () => {
    const { file, store, repo, point } = await pointWithUploads(40);
    const worker = DeviceIndexWorker.start(store, 20);
    try {
      for (let waited = 0; indexRows(file).mark < 40 && waited < 5000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await worker?.stop();
    }
    expect(indexRows(file)).toEqual({ mark: 40, entries: 40 });
    expect(worker?.stats()).toMatchObject({ packs: 40, failure: undefined });
    expect((await repo.range('realtime', point, T0, T0 + 40 * MINUTE)).map((r) => r.rtd)).toEqual(
      Array.from({ length: 40 }, (_, i) => i),
    );
  });

  it('a mark above every pack (a crash between the two files) is lowered when a store opens', async () => {
    const file = newFile();
    let store = await storeAt(file);
    const point = (await insertPoint(store)).pointId;
    await new ObservationRepository(store).write('realtime', [
      upload(point, T0, 1),
      upload(point, T0 + MINUTE, 2),
    ]);
    await new FrameDeviceIndex(store).indexDevices();
    // As if retention's deletion of the newest pack had committed and its index change had not.
    await sql`DELETE FROM obs_realtime_pack WHERE pack_id = 2`.execute(store.db);
    await close(store);
    expect(indexRows(file).mark).toBe(2);
    store = await storeAt(file);
    expect(indexRows(file).mark).toBe(1);
    // The new pack takes id 2 again: read after the mark, not lost.
    const repo = new ObservationRepository(store);
    await repo.write('realtime', [upload(point, T0 + 2 * MINUTE, 3)]);
    expect((await repo.range('realtime', point, T0, T0 + 10 * MINUTE)).map((r) => r.rtd)).toEqual([1, 3]);
  });

  it('retention deletes the packs with their entries and never leaves the mark above the packs', async () => {
    const { file, store, repo, point } = await pointWithUploads(6);
    await new FrameDeviceIndex(store).indexDevices();
    expect(await repo.deleteBefore('realtime', T0 + 10 * MINUTE)).toBe(6);
    expect(indexRows(file)).toEqual({ mark: 0, entries: 0 });
    await repo.write('realtime', [upload(point, T0 + 20 * MINUTE, 20)]);
    expect((await repo.range('realtime', point, T0, T0 + 30 * MINUTE)).map((r) => r.rtd)).toEqual([20]);
  });

  it('never reads an index entry left behind: above the mark, or naming a pack with another key', async () => {
    const { store, repo, point } = await pointWithUploads(3);
    await new FrameDeviceIndex(store).indexDevices();
    const before = {
      range: await repo.range('realtime', point, T0, T0 + 200 * MINUTE),
      latest: await repo.latest('realtime'),
    };
    expect(before.range.map((r) => r.rtd)).toEqual([0, 1, 2]);
    expect(before.latest.map((r) => [r.point_id, r.factor_code, r.rtd])).toEqual([[point, 'a21026', 2]]);
    // A newer instant above the mark (3), and one below it that names pack 1 (whose key is T0).
    (store.sqlite as BetterSqlite3.Database).exec(`INSERT INTO frame_index.realtime_pack_point VALUES
      (${point}, ${T0 + 100 * MINUTE}, 0, 9), (${point}, ${T0 + 50 * MINUTE}, 0, 1)`);
    expect(await repo.range('realtime', point, T0, T0 + 200 * MINUTE)).toEqual(before.range);
    expect(await repo.latest('realtime')).toEqual(before.latest);
    expect(
      (await sql`SELECT count(*) AS n FROM obs_realtime WHERE point_id = ${point}`.execute(store.db)).rows,
    ).toEqual([{ n: 3 }]);
  });

  it('an index file that belongs to another database is emptied of its packs too', async () => {
    const a = await pointWithUploads(3);
    const frame = (n: number) => ({
      receivedAt: T0 + n,
      peer: '10.0.0.1:5000',
      mn: 'M',
      cn: '2011',
      qn: `Q${n}`,
      bytes: new TextEncoder().encode(`##frame ${n}\r\n`),
      verdict: 'accepted' as const,
      errorCode: null,
    });
    await new RawFrameRepository(a.store).append([frame(1)]);
    await new FrameDeviceIndex(a.store).indexDevices();
    expect(indexRows(a.file)).toEqual({ mark: 3, entries: 3 });
    await close(a.store);
    // B: other frames and other values under the same pack ids, restored beside A's index file.
    const b = await storeAt(newFile());
    const point = (await insertPoint(b)).pointId;
    const repo = new ObservationRepository(b);
    await repo.write(
      'realtime',
      [10, 11, 12].map((v, i) => upload(point, T0 + (i + 5) * MINUTE, v)),
    );
    await new RawFrameRepository(b).append([frame(2)]);
    const fileB = (b.sqlite as BetterSqlite3.Database).name;
    await close(b);
    copyFileSync(`${a.file}-index`, `${fileB}-index`);
    rmSync(`${fileB}-index-wal`, { force: true });
    rmSync(`${fileB}-index-shm`, { force: true });
    const reopened = await storeAt(fileB);
    expect(indexRows(fileB)).toEqual({ mark: 0, entries: 0 });
    expect(
      (await new ObservationRepository(reopened).range('realtime', point, T0, T0 + 60 * MINUTE)).map(
        (r) => r.rtd,
      ),
    ).toEqual([10, 11, 12]);
  });

  it('migration 0019 keeps every pack, keys them by time, and starts the index by point afresh', async () => {
    const file = newFile();
    const store = await storeAt(file, { migrate: false });
    const migrator = new Migrator({ db: store.db, provider: migrationProvider('sqlite') });
    await migrator.migrateTo('0018-frame-index-file');
    const point = (await insertPoint(store)).pointId;
    await sql`INSERT INTO obs_realtime_pack (point_id, period_start, seq, entries, factors, source, received_at, frame_id)
      VALUES (${point}, ${T0}, 0, '{"a21026":{"rtd":1}}', 1, 'das', ${T0}, NULL),
             (${point}, ${T0}, 1, '{"a21026":{"r":1,"rtd":2}}', 1, 'das', ${T0 + 5}, 7)`.execute(store.db);
    const held = (await sql`SELECT * FROM obs_realtime ORDER BY revision`.execute(store.db)).rows;
    // A stale entry and mark in the index file (rows of the table as it was) must not survive.
    (
      store.sqlite as BetterSqlite3.Database
    ).exec(`INSERT INTO frame_index.realtime_pack_point VALUES (9, 9, 0, 9);
      INSERT INTO frame_index.frame_index_state (name, through_id) VALUES ('realtime', 9)`);
    const { error } = await migrator.migrateToLatest();
    expect(error).toBeUndefined();
    expect((await sql`SELECT * FROM obs_realtime ORDER BY revision`.execute(store.db)).rows).toEqual(held);
    const packs = await sql<{ pack_id: number; seq: number }>`SELECT pack_id, seq FROM obs_realtime_pack
      ORDER BY pack_id`.execute(store.db);
    expect(packs.rows).toEqual([
      { pack_id: 1, seq: 0 },
      { pack_id: 2, seq: 1 },
    ]);
    expect(indexRows(file)).toEqual({ mark: 0, entries: 0 });
  });
});
