import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { FrameDeviceIndex } from '../src/repositories/frames-by-device.js';
import { beijingDay, type FrameArrival, RawFrameRepository } from '../src/repositories/raw-frames.js';
import { RetentionRepository } from '../src/repositories/retention.js';
import { describeEachDialect, itFromMigration } from './dialects.js';

const T0 = Date.UTC(2026, 10, 20, 2);
let serial = 0;

const arrival = (mn: string | null, at: number, cn = '2011'): FrameArrival => ({
  receivedAt: at,
  peer: '10.0.0.1:5000',
  mn,
  cn,
  qn: `Q${++serial}`,
  bytes: new TextEncoder().encode(`##frame ${serial}\r\n`),
  verdict: mn === null ? 'malformed' : 'accepted',
  errorCode: null,
});

describeEachDialect('the archive by device (FrameDeviceIndex)', (store) => {
  it('finds a device’s frames whether or not the index has reached them, in either order', async () => {
    const frames = new RawFrameRepository(store());
    const index = new FrameDeviceIndex(store());
    await index.indexDevices();
    const a = `A${Date.now()}`;
    const b = `B${Date.now()}`;
    // Eight frames of A, interleaved with B's and one without an MN; the index covers the first half.
    const first = await frames.append([
      arrival(a, T0),
      arrival(b, T0 + 1),
      arrival(a, T0 + 2, '2051'),
      arrival(null, T0 + 3),
      arrival(a, T0 + 4),
      arrival(a, T0 + 5),
    ]);
    expect(await index.indexDevices()).toBe(6);
    expect(await index.mark()).toBe(first.at(-1)?.id);
    await frames.append([
      arrival(a, T0 + 6),
      arrival(b, T0 + 7),
      arrival(a, T0 + 8),
      arrival(a, T0 + 9, '2051'),
    ]);
    const times = async (query: Partial<Parameters<FrameDeviceIndex['find']>[0]>) =>
      (await index.find({ mn: a, limit: 100, order: 'asc', ...query })).map((f) => f.received_at - T0);
    expect(await times({})).toEqual([0, 2, 4, 5, 6, 8, 9]);
    expect(await times({ order: 'desc' })).toEqual([9, 8, 6, 5, 4, 2, 0]);
    expect(await times({ order: 'desc', limit: 5 })).toEqual([9, 8, 6, 5, 4]);
    expect(await times({ limit: 3 })).toEqual([0, 2, 4]);
    expect(await times({ cn: '2051' })).toEqual([2, 9]);
    expect(await times({ from: T0 + 4, to: T0 + 9 })).toEqual([4, 5, 6, 8]);
    expect(await times({ verdict: 'malformed' })).toEqual([]);
    // Indexing the rest changes nothing read; the index is idempotent.
    expect(await index.indexDevices()).toBe(4);
    expect(await index.indexDevices()).toBe(0);
    expect(await times({})).toEqual([0, 2, 4, 5, 6, 8, 9]);
    expect((await frames.list({ mn: b })).map((f) => f.received_at - T0)).toEqual([1, 7]);
  });

  it('indexes at most `limit` frames a time, the mark moving over frames without an MN too', async () => {
    const frames = new RawFrameRepository(store());
    const index = new FrameDeviceIndex(store());
    await index.indexDevices();
    const mn = `C${Date.now()}`;
    const archived = await frames.append([arrival(null, T0), arrival(null, T0 + 1), arrival(mn, T0 + 2)]);
    expect(await index.indexDevices(2)).toBe(2);
    expect(await index.mark()).toBe(archived[1]?.id);
    expect(await index.indexDevices(2)).toBe(1);
    expect(await index.mark()).toBe(archived[2]?.id);
    const rows = await store().db.selectFrom('raw_frame_device').selectAll().where('mn', '=', mn).execute();
    expect(rows.map((r) => Number(r.frame_id))).toEqual([archived[2]?.id]);
  });

  it('forgets the index entries of frames retention deletes', async () => {
    const frames = new RawFrameRepository(store());
    const index = new FrameDeviceIndex(store());
    const mn = `D${Date.now()}`;
    const now = Date.UTC(2027, 5, 1);
    const old = T0 - 400 * 86_400_000;
    await frames.append([arrival(mn, old), arrival(mn, now - 86_400_000)]);
    await index.indexDevices();
    await new RetentionRepository(store()).setPolicy('raw_frame', 365);
    await new RetentionRepository(store()).enforce(now);
    expect((await index.find({ mn, limit: 10, order: 'asc' })).map((f) => beijingDay(f.received_at))).toEqual(
      [beijingDay(now - 86_400_000)],
    );
    const left = await store()
      .db.selectFrom('raw_frame_device')
      .select('received_at')
      .where('mn', '=', mn)
      .execute();
    expect(left.map((r) => Number(r.received_at))).toEqual([now - 86_400_000]);
  });
});

describe('migration 0015: the device index replaces raw_frame_mn_time', () => {
  itFromMigration(
    '0014-realtime-by-time',
    'indexes the frames already archived and drops the old index',
    async (store, migrateTo) => {
      const archived = await new RawFrameRepository(store).append([
        arrival('MIG1', T0),
        arrival(null, T0 + 1),
        arrival('MIG2', T0 + 2),
        arrival('MIG1', T0 + 3),
      ]);
      expect(await migrateTo('0015-frames-by-device')).toEqual(['0015-frames-by-device']);
      const index = new FrameDeviceIndex(store);
      expect(await index.mark()).toBe(archived.at(-1)?.id);
      expect((await index.find({ mn: 'MIG1', limit: 10, order: 'asc' })).map((f) => f.id)).toEqual([
        archived[0]?.id,
        archived[3]?.id,
      ]);
      const indexes =
        store.dialect === 'sqlite'
          ? await sql<{
              name: string;
            }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'raw_frame'`.execute(
              store.db,
            )
          : await sql<{
              name: string;
            }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'raw_frame'`.execute(store.db);
      expect(indexes.rows.map((r) => r.name)).not.toContain('raw_frame_mn_time');
    },
  );
});
