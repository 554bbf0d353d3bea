import { expect, it } from 'vitest';
import { type FrameArrival, IngestWriter, RawFrameRepository, repositories } from '../src/index.js';
import { describeEachDialect } from './dialects.js';
import { insertPoint } from './fixtures.js';

// 2026-03-02 10:00 Beijing.
const T0 = Date.UTC(2026, 2, 2, 2);

function frame(n: number, mn: string, verdict: FrameArrival['verdict'] = 'accepted'): FrameArrival {
  return {
    receivedAt: T0 + n,
    peer: '10.1.2.3:40000',
    mn,
    cn: '2061',
    qn: `20260302100000${String(n).padStart(3, '0')}`,
    bytes: new TextEncoder().encode(`##0010frame ${n}&&ABCD\r\n`),
    verdict,
    errorCode: verdict === 'accepted' ? null : 'GATEWAY_E_PASSWORD',
  };
}

const hourRow = (pointId: number, factorCode: string, avg: number) => ({
  pointId,
  factorCode,
  periodStart: T0 - 3_600_000,
  values: { avg, min: avg - 1, max: avg + 1 },
  dataFlag: 'N',
  source: 'das' as const,
  receivedAt: T0,
});

describeEachDialect('ingest unit', (store) => {
  it('commits frames and what was read from them in one go, each record pointing at its frame', async () => {
    const { pointId, mn } = await insertPoint(store());
    const writer = new IngestWriter(store());
    const result = await writer.commit({
      frames: [frame(1, mn), frame(2, mn, 'auth_failed'), frame(3, mn)],
      observations: [
        { period: 'hour', frame: 0, row: hourRow(pointId, 'a21026', 35) },
        { period: 'realtime', frame: 2, row: { ...hourRow(pointId, 'a21026', 30), periodStart: T0 } },
        { period: 'hour', frame: 2, row: hourRow(pointId, 'a21002', 80) },
        // The same hour again, in the same batch: a duplicate, then a revision.
        { period: 'hour', frame: 2, row: hourRow(pointId, 'a21026', 35) },
        { period: 'hour', frame: 2, row: hourRow(pointId, 'a21026', 36) },
      ],
      deviceInfo: [
        { frame: 2, item: { pointId, polId: 'a21026', infoCode: 'i13001', value: '200', receivedAt: T0 } },
      ],
      runStates: [
        { frame: 2, pointId, facility: 'SB1', dataTime: T0, value: 1, receivedAt: T0 },
        { frame: 2, pointId, facility: 'SB1', dataTime: T0, value: 1, receivedAt: T0 },
      ],
      runTimes: [{ frame: 2, pointId, facility: 'SB1', dataTime: T0, value: 23.5, receivedAt: T0 }],
      events: [{ frame: 1, pointId, mn, kind: 'auth-failed', at: T0, detail: { peer: '10.1.2.3' } }],
    });
    expect(result.frames).toHaveLength(3);
    expect(result.observations).toEqual(['inserted', 'inserted', 'inserted', 'duplicate', 'revision']);
    const [f1, f2, f3] = result.frames.map((f) => f.id);
    const repos = repositories(store());
    const hours = await repos.observations.revisions('hour', pointId, 'a21026', T0 - 3_600_000);
    expect(hours.map((h) => [h.revision, h.avg, h.frame_id])).toEqual([
      [0, 35, f1],
      [1, 36, f3],
    ]);
    const db = store().db;
    const info = await db.selectFrom('device_info').selectAll().where('point_id', '=', pointId).execute();
    expect(info.map((i) => [i.info_code, i.value, Number(i.frame_id)])).toEqual([['i13001', '200', f3]]);
    const states = await db
      .selectFrom('facility_run_state')
      .selectAll()
      .where('point_id', '=', pointId)
      .execute();
    expect(states).toHaveLength(1);
    const times = await db
      .selectFrom('facility_run_time')
      .selectAll()
      .where('point_id', '=', pointId)
      .execute();
    expect(times.map((t) => t.hours)).toEqual([23.5]);
    const events = await db.selectFrom('device_event').selectAll().where('point_id', '=', pointId).execute();
    expect(events.map((e) => [e.kind, Number(e.frame_id), JSON.parse(e.detail ?? '{}').peer])).toEqual([
      ['auth-failed', f2, '10.1.2.3'],
    ]);
    expect((await new RawFrameRepository(store()).verifyDay('2026-03-02')).ok).toBe(true);
  });

  it('writes nothing when any part fails: no frame archived, the chain head unchanged', async () => {
    const { pointId, mn } = await insertPoint(store());
    const writer = new IngestWriter(store());
    const archive = new RawFrameRepository(store());
    const before = await archive.verifyDay('2026-03-02');
    await expect(
      writer.commit({
        frames: [frame(10, mn)],
        observations: [
          { period: 'hour', frame: 0, row: hourRow(pointId, 'a21026', 1) },
          { period: 'hour', frame: 0, row: hourRow(pointId, '', 1) },
        ],
      }),
    ).rejects.toMatchObject({ code: 'STORE_E_INVALID' });
    const after = await archive.verifyDay('2026-03-02');
    expect(after).toEqual(before);
    expect(await repositories(store()).observations.count('hour', pointId)).toBe(0);
  });

  it('never nests inside a Kysely transaction that is still open: what it committed survives that rollback', async () => {
    const { pointId, mn } = await insertPoint(store());
    const writer = new IngestWriter(store());
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inside: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const other = store()
      .db.transaction()
      .execute(async (trx) => {
        await trx
          .updateTable('monitoring_point')
          .set({ name: 'renamed' })
          .where('id', '=', pointId)
          .execute();
        inside();
        await held;
        throw new Error('the other transaction fails');
      });
    await opened;
    const committing = writer.commit({
      frames: [frame(20, mn)],
      observations: [{ period: 'hour', frame: 0, row: hourRow(pointId, 'a34013', 12) }],
    });
    release();
    await expect(other).rejects.toThrow('the other transaction fails');
    const result = await committing;
    expect(result.observations).toEqual(['inserted']);
    const point = await store()
      .db.selectFrom('monitoring_point')
      .select('name')
      .where('id', '=', pointId)
      .executeTakeFirstOrThrow();
    expect(point.name).not.toBe('renamed');
    expect(await repositories(store()).observations.count('hour', pointId)).toBe(1);
  });
});
