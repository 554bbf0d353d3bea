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

  it('commits several batches in one transaction: each result and each record belongs to its own batch', async () => {
    const { pointId, mn } = await insertPoint(store());
    const writer = new IngestWriter(store());
    const realtime = (n: number, frameRef: number) => ({
      period: 'realtime' as const,
      frame: frameRef,
      row: { ...hourRow(pointId, 'a21026', n), periodStart: T0 + n * 1000 },
    });
    const results = await writer.commitAll([
      { frames: [frame(31, mn)], observations: [realtime(1, 0)] },
      {
        frames: [frame(32, mn, 'auth_failed'), frame(33, mn)],
        observations: [realtime(2, 1), { period: 'hour', frame: 1, row: hourRow(pointId, 'a21002', 5) }],
        events: [{ frame: 0, pointId, mn, kind: 'auth-failed', at: T0, detail: {} }],
      },
      { frames: [frame(34, mn)], observations: [realtime(1, 0), realtime(3, 0)] },
    ]);
    expect(results.map((r) => r.frames.length)).toEqual([1, 2, 1]);
    // The third batch re-sends the first one's reading: a duplicate across batches of one commit.
    expect(results.map((r) => r.observations)).toEqual([
      ['inserted'],
      ['inserted', 'inserted'],
      ['duplicate', 'inserted'],
    ]);
    const ids = results.flatMap((r) => r.frames.map((f) => f.id));
    expect(new Set(ids).size).toBe(4);
    const [f31, f32, f33, f34] = ids;
    const db = store().db;
    const rows = await db
      .selectFrom('obs_realtime')
      .select(['period_start', 'frame_id'])
      .where('point_id', '=', pointId)
      .orderBy('period_start')
      .execute();
    expect(rows.map((r) => [Number(r.period_start) - T0, Number(r.frame_id)])).toEqual([
      [1000, f31],
      [2000, f33],
      [3000, f34],
    ]);
    const hour = await repositories(store()).observations.revisions(
      'hour',
      pointId,
      'a21002',
      T0 - 3_600_000,
    );
    expect(hour.map((h) => Number(h.frame_id))).toEqual([f33]);
    const events = await db
      .selectFrom('device_event')
      .select('frame_id')
      .where('point_id', '=', pointId)
      .execute();
    expect(events.map((e) => Number(e.frame_id))).toEqual([f32]);
    const stored = await db
      .selectFrom('raw_frame')
      .select(['id', 'qn'])
      .where('id', 'in', ids as number[])
      .orderBy('id')
      .execute();
    expect(stored.map((f) => [Number(f.id), f.qn])).toEqual([
      [f31, frame(31, mn).qn],
      [f32, frame(32, mn).qn],
      [f33, frame(33, mn).qn],
      [f34, frame(34, mn).qn],
    ]);
    expect((await new RawFrameRepository(store()).verifyDay('2026-03-02')).ok).toBe(true);
  });

  it('refuses a record that refers to a frame its own batch does not have (not a neighbour batch’s)', async () => {
    const { pointId, mn } = await insertPoint(store());
    const writer = new IngestWriter(store());
    const before = await new RawFrameRepository(store()).verifyDay('2026-03-02');
    for (const ref of [1, -1, 0.5])
      await expect(
        writer.commitAll([
          { frames: [frame(20, mn)] },
          { frames: [frame(21, mn)], events: [{ frame: ref, pointId, mn, kind: 'restart', at: T0 }] },
          { frames: [frame(22, mn)] },
        ]),
      ).rejects.toThrow(`ingest record refers to frame ${ref} of 1`);
    await expect(
      writer.commit({
        frames: [frame(23, mn)],
        observations: [{ period: 'hour', frame: 1, row: hourRow(pointId, 'a21026', 1) }],
      }),
    ).rejects.toThrow('ingest record refers to frame 1 of 1');
    expect(await new RawFrameRepository(store()).verifyDay('2026-03-02')).toEqual(before);
    expect(await repositories(store()).observations.count('hour', pointId)).toBe(0);
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
