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

  it('writes real-time uploads as packs: outcomes and stored packs as if their factors were rows', async () => {
    // One script of uploads, written once as uploads (point A) and once as `realtime` rows (point B).
    const a = await insertPoint(store());
    const b = await insertPoint(store());
    const factor = (factorCode: string, rtd: number, flag = 'N') => ({
      factorCode,
      values: { rtd, zs_rtd: rtd * 1.5 },
      dataFlag: flag,
      eFlag: null,
      sampleTime: null,
    });
    const script: { at: number; factors: ReturnType<typeof factor>[] }[][] = [
      // First commit: two instants, the second with a factor twice (its later value becomes a revision).
      [
        { at: T0, factors: [factor('w01018', 30.5), factor('w21003', 1.25)] },
        { at: T0 + 30_000, factors: [factor('w01018', 31), factor('w21003', 1.5), factor('w01018', 31.5)] },
      ],
      // Second: the first instant re-sent (duplicates), then again with one value changed (a revision).
      [
        { at: T0, factors: [factor('w01018', 30.5), factor('w21003', 1.25)] },
        { at: T0, factors: [factor('w01018', 30.5), factor('w21003', 1.75, 'M')] },
      ],
      // Third: a new instant after the revised one.
      [{ at: T0 + 60_000, factors: [factor('w01018', 32)] }],
    ];
    const writer = new IngestWriter(store());
    const asUploads: unknown[] = [];
    const asRows: unknown[] = [];
    for (const [c, uploads] of script.entries()) {
      const frames = (mn: string) => uploads.map((_, u) => frame(100 * c + u, mn));
      const [byUpload, byRow] = await writer.commitAll([
        {
          frames: frames(a.mn),
          realtime: uploads.map((u, i) => ({
            frame: i,
            pointId: a.pointId,
            periodStart: u.at,
            source: 'das' as const,
            receivedAt: T0 + c,
            factors: u.factors,
          })),
        },
        {
          frames: frames(b.mn),
          observations: uploads.flatMap((u, i) =>
            u.factors.map((f) => ({
              period: 'realtime' as const,
              frame: i,
              row: {
                ...f,
                pointId: b.pointId,
                periodStart: u.at,
                source: 'das' as const,
                receivedAt: T0 + c,
              },
            })),
          ),
        },
      ]);
      asUploads.push((byUpload?.realtime ?? []).flat());
      asRows.push(byRow?.observations);
      expect(byUpload?.observations).toEqual([]);
      expect(byRow?.realtime).toEqual([]);
    }
    expect(asUploads).toEqual([
      ['inserted', 'inserted', 'inserted', 'inserted', 'revision'],
      ['duplicate', 'duplicate', 'duplicate', 'revision'],
      ['inserted'],
    ]);
    expect(asUploads).toEqual(asRows);
    const packs = async (pointId: number) => {
      const rows = await store()
        .db.selectFrom('obs_realtime_pack')
        .select(['period_start', 'seq', 'entries', 'factors', 'source', 'received_at', 'frame_id'])
        .where('point_id', '=', pointId)
        .orderBy('period_start')
        .orderBy('seq')
        .execute();
      // Frame ids differ between the points; their order within each point's commit is what is compared.
      const frames = [...new Set(rows.map((r) => Number(r.frame_id)))].sort((x, y) => x - y);
      return rows.map((r) => ({
        ...r,
        entries: JSON.parse(String(r.entries)),
        frame_id: frames.indexOf(Number(r.frame_id)),
      }));
    };
    const stored = await packs(a.pointId);
    expect(stored).toEqual(await packs(b.pointId));
    expect(stored.map((p) => [Number(p.period_start) - T0, Number(p.seq), Number(p.factors)])).toEqual([
      [0, 0, 2],
      [0, 1, 1],
      [30_000, 0, 2],
      [30_000, 1, 1],
      [60_000, 0, 1],
    ]);
    const latest = await repositories(store()).observations.range('realtime', a.pointId, T0, T0 + 1);
    expect(latest.map((r) => [r.factor_code, r.rtd, r.data_flag])).toEqual([
      ['w01018', 30.5, 'N'],
      ['w21003', 1.75, 'M'],
    ]);
  });

  it('refuses a real-time upload without a point, an instant or a factor code, and writes nothing', async () => {
    const { pointId, mn } = await insertPoint(store());
    const writer = new IngestWriter(store());
    const upload = { frame: 0, pointId, periodStart: T0, source: 'das' as const, receivedAt: T0 };
    const f = { factorCode: 'w01018', values: { rtd: 1 } };
    for (const bad of [
      { ...upload, pointId: Number.NaN, factors: [f] },
      { ...upload, periodStart: Number.NaN, factors: [f] },
      { ...upload, factors: [f, { ...f, factorCode: '' }] },
    ])
      await expect(writer.commit({ frames: [frame(900, mn)], realtime: [bad] })).rejects.toMatchObject({
        code: 'STORE_E_INVALID',
      });
    const held = await store()
      .db.selectFrom('raw_frame')
      .select('id')
      .where('qn', '=', frame(900, mn).qn as string)
      .execute();
    expect(held).toEqual([]);
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
