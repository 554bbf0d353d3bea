import { beijingInstant, DEFAULT_RULES } from '@qingyuan/domain';
import { ObservationRepository, PresenceRepository, repositories } from '@qingyuan/store';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../store/test/dialects.js';
import { insertFactors, insertPoint } from '../../store/test/fixtures.js';
import { LivenessSweep } from '../src/analysis/liveness.js';

const H = 3_600_000;
const M = 60_000;
const T0 = beijingInstant(2026, 11, 3);

describeEachDialect('offline and missing-data alarms', (store) => {
  it('opens an offline episode after 30 min without a frame and closes it when frames resume', async () => {
    const { mn, pointId } = await insertPoint(store());
    let now = T0;
    const sweep = new LivenessSweep(store(), { rules: DEFAULT_RULES, now: () => now, lookBackMs: 0 });
    const presence = new PresenceRepository(store());
    const seen = (at: number) =>
      presence.upsert(
        [
          {
            mn,
            pointId,
            online: true,
            since: T0,
            lastSeenAt: at,
            peer: 'p',
            gateway: 'g',
            protocolVersion: '2017',
            framesReceived: 1,
            framesRejected: 0,
            duplicates: 0,
          },
        ],
        at,
      );
    await seen(T0);
    now = T0 + 20 * M;
    await sweep.sweep();
    const alarms = repositories(store()).alarms;
    expect(await alarms.open(pointId, null, 'offline')).toBeUndefined();
    now = T0 + 45 * M;
    await sweep.sweep();
    const open = await alarms.open(pointId, null, 'offline');
    expect(open?.opened_at).toBe(T0 + 30 * M);
    await sweep.sweep(); // idempotent
    await seen(T0 + 50 * M);
    now = T0 + 55 * M;
    await sweep.sweep();
    const all = await alarms.list({ pointId, type: 'offline' });
    expect(all.map((a) => [a.opened_at, a.closed_at])).toEqual([[T0 + 30 * M, T0 + 55 * M]]);
  });

  it('opens a missing-data episode for hours not received by their deadline; a backfill closes it', async () => {
    const { pointId } = await insertPoint(store(), { kind: 'water' });
    await insertFactors(store(), pointId, [{ code: 'w01018' }]);
    await store()
      .db.updateTable('monitoring_point')
      .set({ in_service_on: '2026-11-03' })
      .where('id', '=', pointId)
      .execute();
    const hour = (h: number, receivedAt: number) => ({
      pointId,
      factorCode: 'w01018',
      periodStart: T0 + h * H,
      values: { avg: 20 },
      dataFlag: 'N',
      source: 'das' as const,
      receivedAt,
    });
    const observations = new ObservationRepository(store());
    await observations.write(
      'hour',
      [0, 1, 2, 5].map((h) => hour(h, T0 + (h + 1) * H)),
    );
    let now = T0 + 7 * H + 5 * M; // hours 3, 4 and 6 are past their deadline (hour end + 60 min)? 6 is not.
    const sweep = new LivenessSweep(store(), { rules: DEFAULT_RULES, now: () => now });
    await sweep.sweep();
    const alarms = repositories(store()).alarms;
    const open = await alarms.open(pointId, 'w01018', 'missing');
    expect(open?.opened_at).toBe(T0 + 3 * H);
    expect(open?.detail.missing).toEqual([{ start: T0 + 3 * H, end: T0 + 5 * H }]);
    // The device answers a history request: hours 3, 4 and 6 arrive.
    now = T0 + 7 * H + 30 * M;
    await observations.write(
      'hour',
      [3, 4, 6].map((h) => hour(h, now - M)).map((r) => ({ ...r, source: 'backfill' as const })),
    );
    await sweep.sweep();
    const all = await alarms.list({ pointId, type: 'missing' });
    expect(all.map((a) => [a.factor_code, a.opened_at, a.closed_at])).toEqual([['w01018', T0 + 3 * H, now]]);
  });

  it('sweeps incrementally between full sweeps: only pairs whose answer may change, with the same episodes', async () => {
    const points: number[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await insertPoint(store(), { kind: 'water' });
      await insertFactors(store(), p.pointId, [{ code: 'w01018' }, { code: 'w21003' }]);
      await store()
        .db.updateTable('monitoring_point')
        .set({ in_service_on: '2026-11-03' })
        .where('id', '=', p.pointId)
        .execute();
      points.push(p.pointId);
    }
    const observations = new ObservationRepository(store());
    const write = (pointId: number, factorCode: string, h: number, receivedAt: number) =>
      observations.write('hour', [
        {
          pointId,
          factorCode,
          periodStart: T0 + h * H,
          values: { avg: 1 },
          dataFlag: 'N',
          source: 'das',
          receivedAt,
        },
      ]);
    // Hours 0–3 of every pair arrive on time.
    for (const pointId of points)
      for (const f of ['w01018', 'w21003'])
        for (let h = 0; h < 4; h++) await write(pointId, f, h, T0 + (h + 1) * H);
    let now = T0 + 5 * H + 5 * M; // hours 0–3 due, all received
    const sweep = new LivenessSweep(store(), { rules: DEFAULT_RULES, now: () => now, fullEveryMs: 24 * H });
    await sweep.sweep();
    expect(sweep.pairsJudged).toBeGreaterThanOrEqual(6); // the first sweep is full (earlier tests' points too)
    now += 10 * M; // nothing became due: only the pairs with an open episode (earlier tests' points) are judged
    await sweep.sweep();
    const base = sweep.pairsJudged;
    expect(base).toBeLessThan(6);
    // Hour 4 becomes due (04:00 + 1 h + 60 min = 06:00): one pair did not send it.
    for (const pointId of points)
      for (const f of ['w01018', 'w21003'])
        if (!(pointId === points[1] && f === 'w21003')) await write(pointId, f, 4, T0 + 5 * H);
    now = T0 + 6 * H + M;
    await sweep.sweep();
    expect(sweep.pairsJudged).toBe(base + 1);
    const alarms = repositories(store()).alarms;
    const mine = async () =>
      (await alarms.list({ type: 'missing' })).filter((a) => points.includes(a.point_id));
    expect((await mine()).map((a) => [a.point_id, a.factor_code, a.opened_at])).toEqual([
      [points[1], 'w21003', T0 + 4 * H],
    ]);
    // The open episode is judged every sweep; the backfill closes it.
    now += 5 * M;
    await write(points[1] as number, 'w21003', 4, now - M);
    await sweep.sweep();
    expect(sweep.pairsJudged).toBe(base + 1);
    expect((await mine()).map((a) => a.closed_at)).toEqual([now]);
    now += 5 * M;
    await sweep.sweep();
    expect(sweep.pairsJudged).toBe(base);
  });
});
