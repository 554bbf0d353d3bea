import { beijingInstant } from '@qingyuan/domain';
import { Gateway } from '@qingyuan/gateway';
import { type DeviceSpec, parseScenario, startFleet } from '@qingyuan/simulator';
import { DeviceInfoRepository, repositories } from '@qingyuan/store';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../store/test/dialects.js';
import { insertFactors, insertPoint } from '../../store/test/fixtures.js';
import { AnalysisWorker } from '../src/analysis/worker.js';

const H = 3_600_000;
const T0 = beijingInstant(2026, 11, 10);
const GAS = ['a00000', 'a21026', 'a21002', 'a34013', 'a19001', 'a01012', 'a01013', 'a01011', 'a01014'];

describeEachDialect('simulator scenarios → alarms, end to end', (store) => {
  it('exceedance, constant value, dilution and parameter tampering played by a simulated logger each open and close their alarm', async () => {
    const { mn, pointId } = await insertPoint(store(), { kind: 'gas' });
    await insertFactors(
      store(),
      pointId,
      GAS.map((code) => ({ code, hourLimit: code === 'a21026' ? 35 : null, assessed: code === 'a21026' })),
    );
    // The filed parameters (备案) of the SO₂ analyser: range 200, intercept 0, slope 1.
    await new DeviceInfoRepository(store()).fileBaseline(
      pointId,
      [
        { polId: 'a21026', infoCode: 'i13001', value: '200' },
        { polId: 'a21026', infoCode: 'i13007', value: '0' },
        { polId: 'a21026', infoCode: 'i13008', value: '1' },
      ],
      T0 - H,
      'city:1',
    );
    const gateway = new Gateway(store(), { port: 0, host: '127.0.0.1', backfill: false });
    await gateway.start();
    const worker = new AnalysisWorker(store(), { delayMs: 50 });
    gateway.onIngested(worker.ingested);
    gateway.onDeviceInfo(worker.deviceInfo);
    const device: DeviceSpec = {
      mn,
      password: '123456',
      protocol: '2017',
      crc: ['hj212'],
      kind: 'gas',
      enterprise: '测试企业',
      outlet: 'DA001',
      factors: GAS,
    };
    // Two simulated hours per second; a day of data.
    const fleet = await startFleet({
      devices: [device],
      host: '127.0.0.1',
      port: gateway.port,
      speed: 7200,
      start: T0,
      realtime: false,
      minInterval: 60,
      durationMs: 12_500,
      scenarios: [
        parseScenario(`exceedance:${mn}@+2h..+5h?factors=a21026`, T0),
        parseScenario(`constant-value:${mn}@+8h..+16h?factors=a21002`, T0),
        parseScenario(`dilution:${mn}@+18h..+21h`, T0),
        parseScenario(`parameter-tampering:${mn}@+10h..+12h?factors=a21026`, T0),
      ],
    });
    try {
      await fleet.finished;
    } finally {
      await fleet.stop();
      await gateway.stop();
      await worker.idle();
      await worker.stop();
    }
    const episodes = await repositories(store()).alarms.list({ pointId });
    const find = (type: string, factor: string) =>
      episodes.filter((a) => a.type === type && a.factor_code === factor);
    const hours = (a: { opened_at: number; closed_at: number | null }) => [
      (a.opened_at - T0) / H,
      a.closed_at === null ? null : (a.closed_at - T0) / H,
    ];
    expect(find('hourly-exceedance', 'a21026').map(hours)).toEqual([[2, 5]]);
    expect(find('constant-value', 'a21002').map(hours)).toEqual([[8, 16]]);
    expect(find('dilution', 'a19001').map(hours)).toEqual([[18, 21]]);
    // The slope changed by 3020 at +10 h (0.6 against the filed 1) and restored at +12 h.
    const slope = find('parameter-change', 'a21026#i13008');
    // (3020 goes out on the logger's next tick after the change: a few simulated minutes at this speed.)
    expect(slope).toHaveLength(1);
    const [opened, closed] = hours(slope[0] as (typeof slope)[number]) as [number, number];
    expect(opened).toBeGreaterThanOrEqual(10);
    expect(opened).toBeLessThan(10.25);
    expect(closed).toBeGreaterThanOrEqual(12);
    expect(closed).toBeLessThan(12.25);
    expect(slope[0]?.detail).toMatchObject({
      code: 'i13008',
      value: '0.6',
      baseline: '1',
      offBaseline: true,
    });
    // Nothing else fired on the normal parts of the day.
    expect(episodes.filter((a) => a.type === 'hourly-exceedance' && a.factor_code !== 'a21026')).toEqual([]);
  }, 60_000);

  it('raises nothing on normal water and flue-gas data (no false alarms over half a simulated day)', async () => {
    const WATER = ['w00000', 'w01018', 'w21003', 'w21011', 'w21001', 'w01001'];
    const gas = await insertPoint(store(), { kind: 'gas' });
    const water = await insertPoint(store(), { kind: 'water' });
    await store().db.updateTable('outlet').set({ reference_o2: 9 }).where('id', '=', gas.outletId).execute();
    const limits: Record<string, number> = { a21026: 35, a21002: 50, a34013: 10, w01018: 100 };
    await insertFactors(
      store(),
      gas.pointId,
      GAS.map((code) => ({ code, hourLimit: limits[code] ?? null })),
    );
    await insertFactors(
      store(),
      water.pointId,
      WATER.map((code) => ({ code, hourLimit: limits[code] ?? null })),
    );
    const gateway = new Gateway(store(), { port: 0, host: '127.0.0.1', backfill: false });
    await gateway.start();
    const worker = new AnalysisWorker(store(), { delayMs: 50 });
    gateway.onIngested(worker.ingested);
    gateway.onDeviceInfo(worker.deviceInfo);
    const spec = (mn: string, kind: 'gas' | 'water', factors: string[]): DeviceSpec => ({
      mn,
      password: '123456',
      protocol: '2017',
      crc: ['hj212'],
      kind,
      enterprise: '测试企业',
      outlet: 'D001',
      factors,
      ...(kind === 'gas' ? { referenceO2: 9 } : {}),
    });
    const fleet = await startFleet({
      devices: [spec(gas.mn, 'gas', GAS), spec(water.mn, 'water', WATER)],
      host: '127.0.0.1',
      port: gateway.port,
      speed: 7200,
      start: T0,
      realtime: false,
      durationMs: 6000,
    });
    try {
      await fleet.finished;
    } finally {
      await fleet.stop();
      await gateway.stop();
      await worker.idle();
      await worker.stop();
    }
    const repos = repositories(store());
    const judged = await repos.judgements.judgements(gas.pointId, 'hour', T0, T0 + 24 * H, 'amended');
    expect(judged.length).toBeGreaterThan(20);
    const alarms = [
      ...(await repos.alarms.list({ pointId: gas.pointId })),
      ...(await repos.alarms.list({ pointId: water.pointId })),
    ];
    expect(alarms.map((a) => [a.type, a.factor_code, (a.opened_at - T0) / H])).toEqual([]);
  }, 60_000);
});
