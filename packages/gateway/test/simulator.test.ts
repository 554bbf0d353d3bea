import { type Fleet, parseDevicesCsv, startFleet } from '@qingyuan/simulator';
import { exportDevices, PresenceRepository, repositories } from '@qingyuan/store';
import { afterEach, expect, it } from 'vitest';
import type { Gateway, GatewayOptions } from '../src/index.js';
import { describeEachDialect, insertPoint, startGateway, waitFor } from './helpers.js';

const HOUR = 3_600_000;

/**
 * The gateway and the simulator, both real, over TCP: what the platform asks of a logger (反控, 补数) comes
 * back as a real data logger would answer it. The simulator answers history requests the standard's way —
 * 9011, one upload per record under a new QN, then 9012 (HJ 212-2017 附录 C) — unlike the scripted logger of
 * commands.test.ts, which answers under the request's QN.
 */
describeEachDialect('gateway with the simulator', (store) => {
  let gateway: Gateway | undefined;
  let fleet: Fleet | undefined;
  afterEach(async () => {
    await fleet?.stop();
    await gateway?.stop();
    fleet = undefined;
    gateway = undefined;
  });

  /** One simulated logger of a new point, on simulated time; the gateway's clock follows the simulator's. */
  async function simulate(options: {
    start: number;
    speed: number;
    scenarios?: Parameters<typeof startFleet>[0]['scenarios'];
    realtime?: boolean;
    gateway?: GatewayOptions;
  }) {
    const point = await insertPoint(store(), { kind: 'water' });
    let now = () => Date.now();
    gateway = await startGateway(store(), {
      now: () => now(),
      // Simulated time runs fast: the idle and unfinished-frame limits are on the gateway's clock.
      idleTimeoutMs: 1000 * HOUR,
      partialFrameTimeoutMs: 1000 * HOUR,
      clockSkewMs: 1000 * HOUR,
      // No sweep of its own within the test (a real day): the test calls it.
      backfill: { intervalMs: 24 * HOUR, lookBackMs: 24 * HOUR, graceMs: HOUR, periods: ['hour'] },
      ...options.gateway,
    });
    const devices = parseDevicesCsv(await exportDevices(store())).filter((d) => d.mn === point.mn);
    fleet = await startFleet({
      devices,
      host: '127.0.0.1',
      port: gateway.port,
      realtime: options.realtime ?? false,
      reconnectMinMs: 50,
      reconnectMaxMs: 200,
      start: options.start,
      speed: options.speed,
      ...(options.scenarios === undefined ? {} : { scenarios: options.scenarios }),
    });
    const clock = fleet.clock;
    now = () => clock.now();
    return { ...point, clock };
  }

  it('asks a simulated logger for the hours it kept while offline and stores them as backfill', async () => {
    const start = Date.UTC(2026, 10, 20, 0);
    const { pointId, clock } = await simulate({
      start,
      speed: 3600,
      scenarios: [{ scenario: 'offline', device: '*', from: start + 3 * HOUR, to: start + 6 * HOUR }],
    });
    const observations = repositories(store()).observations;
    const hours = async () =>
      new Map(
        (await observations.range('hour', pointId, start, start + 8 * HOUR)).map((r) => [
          Number(r.period_start),
          r.source,
        ]),
      );
    // Hour 7's record is sent at 8:00; the sweep's window then ends at 7:00 (grace one hour).
    await waitFor('hour 7 stored', async () => (await hours()).has(start + 7 * HOUR), 30_000);
    const before = await hours();
    const missing = [...Array(7).keys()].map((h) => start + h * HOUR).filter((t) => !before.has(t));
    // The logger was away from 3:00 to 6:00: the records it made then (hours 2, 3 and 4, each made as its
    // hour ended) were kept in its history only.
    expect(missing).toEqual([2, 3, 4].map((h) => start + h * HOUR));
    await (gateway as Gateway).backfillNow();
    const commands = repositories(store()).downlinkCommands;
    await waitFor(
      'the backfill command finished',
      async () => (await commands.list({ purpose: 'backfill' })).some((c) => c.finished_at !== null),
      30_000,
    );
    const [command] = await commands.list({ purpose: 'backfill' });
    expect(command).toMatchObject({ command: 'get-hour-data', state: 'succeeded', exe_rtn: 1 });
    expect(command?.params).toEqual({ BeginTime: missing[0], EndTime: missing.at(-1) });
    expect(command?.result).toEqual({ records: { '2061': missing.length } });
    // The 9012 may come before the group commit of the records sent ahead of it is done.
    await waitFor('the records stored', async () => {
      const stored = await hours();
      return missing.every((t) => stored.has(t));
    });
    const after = await hours();
    for (let h = 0; h < 7; h++) {
      const t = start + h * HOUR;
      expect(after.get(t), `hour ${h}`).toBe(missing.includes(t) ? 'backfill' : 'das');
    }
    expect(clock.now()).toBeGreaterThan(start + 8 * HOUR);
  }, 60_000);

  it('has a logger speaking HJ/T 212-2005 send history, and counts its records as the answer', async () => {
    const start = Date.UTC(2026, 10, 20, 0);
    const { mn, pointId } = await simulate({
      start,
      speed: 3600,
      scenarios: [{ scenario: 'dialect-2005', device: '*' }],
    });
    const g = gateway as Gateway;
    // The logger's own hours, not the fleet clock: on a busy machine the logger runs behind the clock.
    const observations = repositories(store()).observations;
    await waitFor(
      'hours 0–2 uploaded',
      async () => {
        const rows = await observations.range('hour', pointId, start, start + 3 * HOUR);
        return new Set(rows.map((r) => Number(r.period_start))).size === 3;
      },
      30_000,
    );
    const outcome = await g.sendCommand({
      mn,
      command: 'get-hour-data',
      params: { BeginTime: start, EndTime: start + 2 * HOUR },
      requestedBy: 'user:1',
    });
    expect([outcome.state, outcome.exeRtn]).toEqual(['succeeded', 1]);
    expect(outcome.result).toEqual({ records: { '2061': 3 } });
    expect(g.online().find((link) => link.mn === mn)?.protocolVersion).toBe('2005');
  }, 60_000);

  it('reads and sets a simulated logger’s clock and intervals, and has it calibrate', async () => {
    const { mn } = await simulate({ start: Date.now() - 10 * 60_000, speed: 1 });
    const g = gateway as Gateway;
    await waitFor('the logger online', () => g.online().some((link) => link.mn === mn));
    const send = (command: string, params = {}) =>
      g.sendCommand({ mn, command, params, requestedBy: 'user:1' });
    const set = Date.UTC(2026, 10, 1, 8);
    expect((await send('set-system-time', { SystemTime: set })).state).toBe('succeeded');
    const read = await send('get-system-time');
    expect(read.state).toBe('succeeded');
    const clock = (read.result['1011'] as { systemTime: number }).systemTime;
    expect(Math.abs(clock - set)).toBeLessThan(60_000);
    expect((await send('set-realtime-interval', { RtdInterval: 60 })).state).toBe('succeeded');
    expect((await send('get-realtime-interval')).result['1061']).toEqual({ RtdInterval: '60' });
    const calibration = await send('calibrate', { PolId: 'w01018' });
    expect([calibration.state, calibration.qnRtn, calibration.exeRtn]).toEqual(['succeeded', 1, 1]);
    const audit = await repositories(store()).downlinkCommands.list({ mn });
    expect(audit.map((c) => c.state)).toEqual(Array(5).fill('succeeded'));
  }, 60_000);

  it('sets the clock of a logger that runs fast (1012), at most once an hour, when automatic time sync is on', async () => {
    const start = Date.UTC(2026, 10, 20, 0);
    const MINUTE = 60_000;
    // The logger's clock gains 20 minutes an hour; the gateway tolerates 10.
    const { mn, clock } = await simulate({
      start,
      speed: 1200,
      realtime: true,
      scenarios: [{ scenario: 'clock-drift', device: '*', options: { rate: 1200 } }],
      gateway: { clockSkewMs: 10 * MINUTE, autoTimeSync: true },
    });
    const syncs = async () =>
      (await new PresenceRepository(store()).events({ mn })).filter((e) => e.kind === 'time-sync');
    await waitFor('two time syncs', async () => (await syncs()).length >= 2, 40_000);
    const commands = await repositories(store()).downlinkCommands.list({ mn, purpose: 'time-sync' });
    expect(commands.map((c) => [c.command, c.state])).toEqual(
      commands.map(() => ['set-system-time', 'succeeded']),
    );
    const [first, second] = (await syncs()).sort((a, b) => Number(a.at) - Number(b.at));
    for (const e of [first, second])
      expect(e?.detail).toMatchObject({ reason: 'clock skew', state: 'succeeded' });
    // Set as soon as it was out by more than the tolerance (about half an hour in) …
    expect(first?.detail?.skewMs as number).toBeGreaterThan(10 * MINUTE);
    expect(first?.detail?.skewMs as number).toBeLessThan(12 * MINUTE);
    // … not again within the hour, and the setting held: an hour later it was out by that hour's drift only.
    const [setFirst, setSecond] = commands.map((c) => Number(c.params.SystemTime)).sort((a, b) => a - b);
    const apart = (setSecond as number) - (setFirst as number);
    expect(apart).toBeGreaterThanOrEqual(HOUR);
    expect(apart).toBeLessThan(HOUR + 5 * MINUTE);
    expect(second?.detail?.skewMs as number).toBeGreaterThan(18 * MINUTE);
    expect(second?.detail?.skewMs as number).toBeLessThan(23 * MINUTE);
    expect(clock.now()).toBeGreaterThan(start + HOUR);
  }, 60_000);
});
