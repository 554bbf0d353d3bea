import { beijingInstant } from '@qingyuan/domain';
import { Gateway } from '@qingyuan/gateway';
import { DeviceInfoRepository, repositories } from '@qingyuan/store';
import { afterEach, expect, it } from 'vitest';
import { frameOf, TestLogger, upload } from '../../gateway/test/helpers.js';
import { describeEachDialect } from '../../store/test/dialects.js';
import { insertFactors, insertPoint } from '../../store/test/fixtures.js';
import { AnalysisWorker, type AnalysisWorkerOptions } from '../src/analysis/worker.js';

const H = 3_600_000;
const M = 60_000;
const DAY = beijingInstant(2026, 11, 2);

describeEachDialect(
  'analysis on arrival: near-limit, state vs flag, clock, midnight, roll-up timer',
  (store) => {
    let gateway: Gateway | undefined;
    let worker: AnalysisWorker | undefined;
    let logger: TestLogger | undefined;
    afterEach(async () => {
      logger?.close();
      await gateway?.stop();
      await worker?.stop();
    });

    async function connected(options: AnalysisWorkerOptions = {}) {
      gateway = new Gateway(store(), { port: 0, host: '127.0.0.1', backfill: false });
      await gateway.start();
      const analysis = new AnalysisWorker(store(), options);
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

    const hours = (type: string, pointId: number) =>
      repositories(store())
        .alarms.list({ pointId, type })
        .then((list) =>
          list.map((a) => [
            a.factor_code,
            (a.opened_at - DAY) / H,
            a.closed_at === null ? null : (a.closed_at - DAY) / H,
          ]),
        );

    async function sendHours(mn: string, values: readonly (readonly [number, number])[]) {
      for (const [h, so2] of values)
        logger?.send(
          frameOf(upload(mn, '123456', { cn: '2061', dataTime: DAY + h * H, values: { a21026: so2 } })),
        );
      await logger?.waitForReplies(values.length);
      await worker?.idle();
    }

    it('near-limit: one episode over four days while half the trailing 72 h lie in 90–100 % of the limit', async () => {
      const { mn, pointId } = await gasPoint(100);
      ({ logger, worker } = await connected());
      // 50 hours at 95 % of the limit, then 50 hours at 50 %.
      await sendHours(
        mn,
        Array.from({ length: 100 }, (_, h) => [h, h < 50 ? 95 : 50] as const),
      );
      // Judged from hour 47 (48 counted hours); in the band while ≥ 36 of the trailing 72 hours are.
      expect(await hours('near-limit', pointId)).toEqual([['a21026', 47, 86]]);
      const [episode] = await repositories(store()).alarms.list({ pointId, type: 'near-limit' });
      expect(episode?.detail).toMatchObject({ hourlyLimit: 100, windowHours: 72, share: 1 });
    });

    it('working state vs flag: N data while the analyser reports standby (i12001 = 9)', async () => {
      const { mn, pointId } = await gasPoint(500);
      const state = (h: number, value: string) => ({
        pointId,
        polId: 'a21026',
        infoCode: 'i12001',
        value,
        observedAt: DAY + h * H + 5 * M,
        receivedAt: DAY + h * H + 5 * M,
      });
      await new DeviceInfoRepository(store()).record([state(2, '0'), state(3, '9'), state(5, '7')]);
      ({ logger, worker } = await connected());
      await sendHours(
        mn,
        [2, 3, 4, 5, 6].map((h) => [h, 40 + h] as const),
      );
      // Hour 5 begins on standby (the 7 comes at 05:05): the hour claims a measurement too.
      expect(await hours('state-flag-mismatch', pointId)).toEqual([['a21026', 3, 6]]);
    });

    it('a constant run from 20:00 to 03:00 is one episode, opened the evening before', async () => {
      const { mn, pointId } = await gasPoint(500);
      ({ logger, worker } = await connected());
      await sendHours(mn, [
        [19, 30],
        ...Array.from({ length: 7 }, (_, i) => [20 + i, 42] as const),
        [27, 31],
      ]);
      expect(await hours('constant-value', pointId)).toEqual([['a21026', 20, 27]]);
      // Re-judging either day alone changes nothing.
      worker?.markDirty(pointId, DAY + 23 * H);
      worker?.markDirty(pointId, DAY + 30 * H);
      await worker?.idle();
      expect(await hours('constant-value', pointId)).toEqual([['a21026', 20, 27]]);
    });

    it('clock drift: a real-time upload 20 min ahead opens an episode; one on time closes it', async () => {
      const { mn, pointId } = await gasPoint(500);
      ({ logger, worker } = await connected({ clockCheckMs: 0 }));
      logger.send(frameOf(upload(mn, '123456', { cn: '2011', dataTime: Date.now() + 20 * M })));
      await logger.waitForReplies(1);
      await worker.idle();
      const alarms = repositories(store()).alarms;
      const open = await alarms.open(pointId, '*', 'clock-skew');
      expect(open?.detail).toMatchObject({ limitMs: 10 * M });
      expect(Number(open?.peak_value)).toBeGreaterThan(19 * M);
      logger.send(frameOf(upload(mn, '123456', { cn: '2011', dataTime: Date.now() })));
      await logger.waitForReplies(2);
      await worker.idle();
      const all = await alarms.list({ pointId, type: 'clock-skew' });
      expect(all).toHaveLength(1);
      expect(all[0]?.closed_at).toBeGreaterThan(all[0]?.opened_at ?? Number.POSITIVE_INFINITY);
    });

    it('rolls up the last hour of minute data once it is due, though no more minutes arrive', async () => {
      const { mn, pointId } = await gasPoint(500);
      let now = DAY + 22 * H + 55 * M;
      ({ logger, worker } = await connected({ now: () => now, rollupCheckMs: 20 }));
      for (let m = 0; m < 60; m += 10)
        logger.send(
          frameOf(
            upload(mn, '123456', { cn: '2051', dataTime: DAY + 22 * H + m * M, values: { a21026: 12 } }),
          ),
        );
      await logger.waitForReplies(6);
      await worker.idle();
      const range = () =>
        repositories(store()).observations.range('hour', pointId, DAY, DAY + 24 * H, { factors: ['a21026'] });
      expect(await range()).toEqual([]);
      expect(worker.rollupsPending).toBe(1);
      now = DAY + 25 * H + M; // 22:00 + 1 h + the 2 h grace has passed
      await new Promise((r) => setTimeout(r, 100));
      await worker.idle();
      expect((await range()).map((r) => [(r.period_start - DAY) / H, r.avg, r.source])).toEqual([
        [22, 12, 'computed'],
      ]);
      expect(worker.rollupsPending).toBe(0);
    });
  },
);
