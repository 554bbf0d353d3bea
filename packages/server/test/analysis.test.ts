import { beijingInstant } from '@qingyuan/domain';
import { Gateway } from '@qingyuan/gateway';
import { DeviceInfoRepository, EmissionRepository, repositories } from '@qingyuan/store';
import { afterEach, expect, it } from 'vitest';
import { frameOf, TestLogger, upload } from '../../gateway/test/helpers.js';
import { describeEachDialect } from '../../store/test/dialects.js';
import { insertFactors, insertPoint } from '../../store/test/fixtures.js';
import { AnalysisWorker } from '../src/analysis/worker.js';

const H = 3_600_000;
const DAY = beijingInstant(2026, 11, 2);

describeEachDialect('analysis on arrival', (store) => {
  let gateway: Gateway | undefined;
  let worker: AnalysisWorker | undefined;
  let logger: TestLogger | undefined;
  afterEach(async () => {
    logger?.close();
    await gateway?.stop();
    await worker?.stop();
  });

  /** A gateway whose stored hours feed the analysis worker, and a logger connected to it. */
  async function connected(): Promise<{ logger: TestLogger; worker: AnalysisWorker }> {
    gateway = new Gateway(store(), { port: 0, host: '127.0.0.1', backfill: false });
    await gateway.start();
    const analysis = new AnalysisWorker(store());
    gateway.onIngested(analysis.ingested);
    return { logger: await TestLogger.connect(gateway.port), worker: analysis };
  }

  async function gasPoint(limit: number) {
    const point = await insertPoint(store(), { kind: 'gas' });
    await insertFactors(
      store(),
      point.pointId,
      ['a21026', 'a21002'].map((code) => ({ code, hourLimit: limit })),
    );
    return point;
  }

  it('opens an exceedance episode within a second of the 9014, and closes it when the hour is back under', async () => {
    const { mn, pointId } = await gasPoint(100);
    ({ logger, worker } = await connected());
    const hour = (h: number, so2: number) =>
      frameOf(
        upload(mn, '123456', { cn: '2061', dataTime: DAY + h * H, values: { a21026: so2, a21002: 50 } }),
      );
    logger.send(hour(0, 80));
    logger.send(hour(1, 130));
    await logger.waitForReplies(2);
    const acked = Date.now();
    const alarms = repositories(store()).alarms;
    let open = await alarms.open(pointId, 'a21026', 'hourly-exceedance');
    while (open === undefined && Date.now() - acked < 2000) {
      await new Promise((r) => setTimeout(r, 20));
      open = await alarms.open(pointId, 'a21026', 'hourly-exceedance');
    }
    const latency = Date.now() - acked;
    expect(open?.opened_at).toBe(DAY + H);
    expect([open?.peak_value, open?.limit_value, open?.rule_version]).toEqual([130, 100, 'qy-rules-1']);
    expect(latency).toBeLessThan(1000);
    logger.send(hour(2, 90));
    await logger.waitForReplies(3);
    await worker.idle();
    const episodes = await alarms.list({ pointId });
    expect(episodes.map((a) => [a.type, a.factor_code, a.opened_at, a.closed_at])).toEqual([
      ['hourly-exceedance', 'a21026', DAY + H, DAY + 2 * H],
    ]);
    // Judgements and the day's transmission counts (3 of 24 hours received, all valid).
    const judged = await repositories(store()).judgements.judgements(
      pointId,
      'hour',
      DAY,
      DAY + 24 * H,
      'first',
    );
    expect(judged.filter((j) => j.factor_code === 'a21026').map((j) => j.validity)).toEqual([
      'valid',
      'valid',
      'valid',
    ]);
    const totals = await repositories(store()).judgements.transmissionTotals({
      fromDay: '2026-11-02',
      toDay: '2026-11-02',
      view: 'first',
      groupBy: 'point',
      byFactor: true,
      pointIds: [pointId],
    });
    expect(totals.map((t) => [t.factorCode, t.expected, t.received, t.valid])).toEqual([
      ['a21002', 24, 3, 3],
      ['a21026', 24, 3, 3],
    ]);
  });

  it('raises anomaly episodes on arrival: zero values, a constant value for six hours, a sudden drop', async () => {
    const { mn, pointId } = await gasPoint(500);
    ({ logger, worker } = await connected());
    const values = [0, 0, 42, 42, 42, 42, 42, 42, 17];
    for (const [h, so2] of values.entries())
      logger.send(
        frameOf(
          upload(mn, '123456', {
            cn: '2061',
            dataTime: DAY + h * H,
            values: { a21026: so2, a21002: 40 + h },
          }),
        ),
      );
    await logger.waitForReplies(values.length);
    await worker.idle();
    const episodes = await repositories(store()).alarms.list({ pointId });
    expect(
      episodes.map((a) => [
        a.type,
        a.factor_code,
        (a.opened_at - DAY) / H,
        a.closed_at === null ? null : (a.closed_at - DAY) / H,
      ]),
    ).toEqual([
      ['zero-value', 'a21026', 0, 2],
      ['constant-value', 'a21026', 2, 8],
      // 42 for six hours, then 17: a jump far outside the (flat) recent spread.
      ['sudden-change', 'a21026', 8, null],
    ]);
  });

  it('rolls hours up from 10-minute data: agrees with the device, flags a disagreeing hour, fills a missing one', async () => {
    const { mn, pointId } = await gasPoint(500);
    ({ logger, worker } = await connected());
    const minute = (h: number, m: number, so2: number) =>
      frameOf(
        upload(mn, '123456', { cn: '2051', dataTime: DAY + h * H + m * 60_000, values: { a21026: so2 } }),
      );
    const hourly = (h: number, so2: number) =>
      frameOf(upload(mn, '123456', { cn: '2061', dataTime: DAY + h * H, values: { a21026: so2 } }));
    let sent = 0;
    for (const h of [1, 2, 3])
      for (let m = 0; m < 60; m += 10) {
        logger.send(minute(h, m, 10 + m / 10)); // 10 … 15, mean 12.5
        sent++;
      }
    logger.send(hourly(1, 12.5));
    logger.send(hourly(2, 20));
    await logger.waitForReplies(sent + 2);
    await worker.idle();
    const repos = repositories(store());
    const episodes = await repos.alarms.list({ pointId, type: 'rollup-mismatch' });
    expect(episodes.map((a) => [(a.opened_at - DAY) / H, (a.closed_at ?? 0) > 0])).toEqual([[2, false]]);
    expect(episodes[0]?.detail).toMatchObject({ ours: 12.5, device: 20 });
    const hours = await repos.observations.range('hour', pointId, DAY, DAY + 24 * H, { factors: ['a21026'] });
    expect(hours.map((r) => [(r.period_start - DAY) / H, r.avg, r.source])).toEqual([
      [1, 12.5, 'das'],
      [2, 20, 'das'],
      [3, 12.5, 'computed'],
    ]);
  });

  it('judges an N-flagged hour invalid while the analyser reported maintenance (i12001 = 1), and raises no exceedance for it', async () => {
    const { mn, pointId } = await gasPoint(100);
    await new DeviceInfoRepository(store()).record([
      {
        pointId,
        polId: 'a21026',
        infoCode: 'i12001',
        value: '1',
        observedAt: DAY + 7 * H,
        receivedAt: DAY + 7 * H,
      },
      {
        pointId,
        polId: 'a21026',
        infoCode: 'i12001',
        value: '0',
        observedAt: DAY + 8 * H,
        receivedAt: DAY + 8 * H,
      },
    ]);
    ({ logger, worker } = await connected());
    for (const h of [7, 8])
      logger.send(
        frameOf(upload(mn, '123456', { cn: '2061', dataTime: DAY + h * H, values: { a21026: 150 } })),
      );
    await logger.waitForReplies(2);
    await worker.idle();
    const repos = repositories(store());
    const judged = await repos.judgements.judgements(pointId, 'hour', DAY, DAY + 24 * H, 'amended');
    expect(judged.map((j) => [(j.period_start - DAY) / H, j.validity])).toEqual([
      [7, 'invalid'],
      [8, 'valid'],
    ]);
    expect(judged[0]?.reason).toMatch(/working state/);
    const episodes = await repos.alarms.list({ pointId, type: 'hourly-exceedance' });
    expect(episodes.map((a) => (a.opened_at - DAY) / H)).toEqual([8]);
  });

  it('an episode across midnight is split when a revision of the evening arrives late, the next day following on', async () => {
    const { mn, pointId } = await gasPoint(100);
    ({ logger, worker } = await connected());
    const hour = (h: number, so2: number) =>
      frameOf(upload(mn, '123456', { cn: '2061', dataTime: DAY + h * H, values: { a21026: so2 } }));
    for (const [h, so2] of [
      [22, 150],
      [23, 150],
      [24, 150],
      [25, 150],
      [26, 80],
    ] as const)
      logger.send(hour(h, so2));
    await logger.waitForReplies(5);
    await worker.idle();
    const alarms = repositories(store()).alarms;
    const spans = async () =>
      (await alarms.list({ pointId, type: 'hourly-exceedance' })).map((a) => [
        (a.opened_at - DAY) / H,
        a.closed_at === null ? null : (a.closed_at - DAY) / H,
      ]);
    expect(await spans()).toEqual([[22, 26]]);
    // Re-judging the first day alone (a late fact that changes nothing) keeps the next day's closing.
    worker.markDirty(pointId, DAY + 22 * H);
    await worker.idle();
    expect(await spans()).toEqual([[22, 26]]);
    // The logger re-sends 23:00 with a corrected value: the evening episode ends at 23:00, and the next
    // day's hours (not re-sent) open their own.
    logger.send(hour(23, 60));
    await logger.waitForReplies(6);
    await worker.idle();
    expect(await spans()).toEqual([
      [22, 23],
      [24, 26],
    ]);
  });

  it('computes hourly emissions from measured concentration × standard dry flow, none for an invalid hour', async () => {
    const { mn, pointId } = await gasPoint(500);
    ({ logger, worker } = await connected());
    const hour = (h: number) =>
      frameOf(
        upload(mn, '123456', {
          cn: '2061',
          dataTime: DAY + h * H,
          values: { a21026: 50, a21002: 80, a00000: 100_000 },
        }),
      );
    logger.send(hour(4));
    logger.send(hour(5));
    await logger.waitForReplies(2);
    await worker.idle();
    const emissions = new EmissionRepository(store());
    const rows = await emissions.hours(pointId, DAY, DAY + 24 * H);
    expect(rows.map((r) => [r.factor_code, (r.period_start - DAY) / H, r.kg, r.basis])).toEqual([
      ['a21002', 4, 8, 'measured'],
      ['a21002', 5, 8, 'measured'],
      ['a21026', 4, 5, 'measured'],
      ['a21026', 5, 5, 'measured'],
    ]);
    const totals = await emissions.totals({
      from: DAY,
      to: DAY + 24 * H,
      groupBy: 'point',
      pointIds: [pointId],
    });
    expect(totals.map((t) => [t.factorCode, t.kg, t.hours, t.invalidHours])).toEqual([
      ['a21002', 16, 2, 0],
      ['a21026', 10, 2, 0],
    ]);
    // The SO₂ analyser's 05:00 is marked invalid (approved): that hour has no amount until substituted.
    const marks = repositories(store()).marks;
    const mark = await marks.create(
      {
        pointId,
        factorCode: 'a21026',
        from: DAY + 5 * H,
        to: DAY + 6 * H,
        kind: 'invalid',
        origin: 'manual',
        reason: '校准',
        madeBy: 'e',
      },
      DAY,
    );
    await marks.decide(mark.id, 'approved', 'city', DAY);
    worker.markDirty(pointId, DAY + 5 * H);
    await worker.idle();
    const after = await emissions.totals({
      from: DAY,
      to: DAY + 24 * H,
      groupBy: 'point',
      pointIds: [pointId],
    });
    expect(after.map((t) => [t.factorCode, t.kg, t.hours, t.invalidHours])).toEqual([
      ['a21002', 16, 2, 0],
      ['a21026', 5, 1, 1],
    ]);
  });

  it('warns from 10-minute data when an hour is heading for its limit (dynamic early warning), before the hour ends', async () => {
    const { mn, pointId } = await gasPoint(100);
    ({ logger, worker } = await connected());
    // 06:00–06:20: 92, 95 (running mean ≥ 90 % of the limit after 20 minutes' coverage).
    for (const [m, so2] of [
      [0, 92],
      [10, 95],
    ] as const)
      logger.send(
        frameOf(
          upload(mn, '123456', { cn: '2051', dataTime: DAY + 6 * H + m * 60_000, values: { a21026: so2 } }),
        ),
      );
    await logger.waitForReplies(2);
    await worker.idle();
    const episodes = await repositories(store()).alarms.list({ pointId, type: 'hourly-early-warning' });
    expect(episodes.map((a) => [a.factor_code, (a.opened_at - DAY) / H, a.closed_at])).toEqual([
      ['a21026', 6, null],
    ]);
    expect(await repositories(store()).alarms.list({ pointId, type: 'hourly-exceedance' })).toEqual([]);
  });

  it('substitutes an invalid hour of SO₂ with the highest of the 180 valid hours before it (HJ 75 §11, α ≥ 90 %)', async () => {
    const { mn, pointId } = await gasPoint(500);
    await store()
      .db.updateTable('monitoring_point')
      .set({ in_service_on: '2026-11-02' })
      .where('id', '=', pointId)
      .execute();
    ({ logger, worker } = await connected());
    for (let h = 0; h < 48; h++)
      logger.send(
        frameOf(
          upload(mn, '123456', {
            cn: '2061',
            dataTime: DAY + h * H,
            values: { a21026: h === 10 ? 80 : 50, a21002: 60, a00000: 100_000 },
          }),
        ),
      );
    await logger.waitForReplies(48, 20_000);
    await worker.idle();
    const marks = repositories(store()).marks;
    const mark = await marks.create(
      {
        pointId,
        factorCode: 'a21026',
        from: DAY + 30 * H,
        to: DAY + 31 * H,
        kind: 'invalid',
        origin: 'manual',
        reason: '故障',
        madeBy: 'e',
      },
      DAY,
    );
    await marks.decide(mark.id, 'approved', 'city', DAY);
    worker.markDirty(pointId, DAY + 30 * H);
    await worker.idle();
    const rows = await new EmissionRepository(store()).hours(pointId, DAY + 29 * H, DAY + 32 * H);
    expect(
      rows.filter((r) => r.factor_code === 'a21026').map((r) => [(r.period_start - DAY) / H, r.kg, r.basis]),
    ).toEqual([
      [29, 5, 'measured'],
      [30, 8, 'substituted'],
      [31, 5, 'measured'],
    ]);
  }, 30_000);

  it('re-judging a day after an approved invalid mark withdraws the episode it no longer supports', async () => {
    const { mn, pointId } = await gasPoint(100);
    ({ logger, worker } = await connected());
    logger.send(
      frameOf(upload(mn, '123456', { cn: '2061', dataTime: DAY + 5 * H, values: { a21026: 150 } })),
    );
    await logger.waitForReplies(1);
    await worker.idle();
    const repos = repositories(store());
    expect(await repos.alarms.open(pointId, 'a21026', 'hourly-exceedance')).toBeDefined();
    const mark = await repos.marks.create(
      {
        pointId,
        factorCode: '*',
        from: DAY + 5 * H,
        to: DAY + 6 * H,
        kind: 'invalid',
        origin: 'manual',
        reason: '校准期间',
        madeBy: 'ent:1',
      },
      Date.now(),
    );
    await repos.marks.decide(mark.id, 'approved', 'city:1', Date.now());
    worker.markDirty(pointId, DAY + 5 * H);
    await worker.idle();
    expect(await repos.alarms.list({ pointId })).toEqual([]);
    const judged = await repos.judgements.judgements(pointId, 'hour', DAY, DAY + 24 * H, 'amended');
    expect(judged.map((j) => [j.validity, j.reason.length > 0])).toEqual([['invalid', true]]);
  });
});
