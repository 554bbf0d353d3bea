import { afterAll, describe, expect, it } from 'vitest';
import { startFleet, syntheticDevices } from '../src/index.js';
import { dataTime, device, HOUR, sleep, until, values } from './helpers.js';
import { type Received, TestPlatform } from './platform.js';

describe('a simulated logger on the wire', () => {
  const platform = new TestPlatform();
  afterAll(() => platform.close());

  it('uploads 2011/2051/2061/2031 on schedule, valid, in its dialect, consistent; acknowledged frames are listed', async () => {
    const port = await platform.listen();
    // 22:00 Beijing: the day ends after two simulated hours (2 s at speed 3600).
    const start = Date.parse('2026-03-01T22:00:00+08:00');
    const fleet = await startFleet({
      devices: [device('W2017'), device('G2005', { protocol: '2005', kind: 'gas', password: 'abc123' })],
      port,
      speed: 3600,
      start,
      seed: 3,
    });
    try {
      // …and stop at a moment when every upload sent has its 9014 (a loaded machine answers late).
      await platform.waitFor(
        () =>
          platform.of('2031').length >= 2 &&
          platform.of('2061').length >= 6 &&
          fleet.devices.every((d) => d.stats().unacked === 0),
        15_000,
        '2031',
      );
    } finally {
      await fleet.stop();
    }
    for (const frame of platform.frames) {
      expect(frame.decoded.ok, frame.text).toBe(true);
      expect(frame.decoded.crc.variant).toBe('hj212');
    }
    // Dialects: 2017 Flag 5 (version 1, A); 2005 Flag 1 and 2005 codes (011 = COD, 02 = SO2, S01 = O2).
    const w = platform.frames.filter((f) => f.message.mn === 'W2017');
    const g = platform.frames.filter((f) => f.message.mn === 'G2005');
    expect(new Set(w.map((f) => `${f.message.version}/${f.message.flag}`))).toEqual(new Set(['2017/5']));
    expect(new Set(g.map((f) => `${f.message.version}/${f.message.flag}`))).toEqual(new Set(['2005/1']));
    expect(g.find((f) => f.message.cn === '2061')?.text).toMatch(/;02-Min=[^;]*,02-Avg=.*;S01-Min=/);
    expect(w.find((f) => f.message.cn === '2061')?.text).toMatch(/;w01018-Min=/);
    expect(w.slice(0, 2).map((f) => f.message.cn)).toEqual(['2081', '3020']);
    expect(g.filter((f) => f.message.cn === '2081' || f.message.cn === '3020')).toEqual([]); // 2017 CNs

    for (const mn of ['W2017', 'G2005']) {
      // 2061: one per hour, consecutive hours; 2051: every 10 minutes; 2011: every 30 s.
      const hours = platform.of('2061', mn).map(dataTime) as number[];
      expect(new Set(hours).size).toBe(hours.length);
      for (const [i, t] of hours.entries()) if (i > 0) expect(t - (hours[i - 1] as number)).toBe(HOUR);
      const minutes = platform.of('2051', mn).map(dataTime) as number[];
      for (const [i, t] of minutes.entries()) if (i > 0) expect(t - (minutes[i - 1] as number)).toBe(600_000);
      const first = hours[1] as number; // the first complete hour (22:00 began before the connection)
      expect(minutes.filter((t) => t >= first && t < first + HOUR)).toHaveLength(6);
      const realtime = platform.of('2011', mn).map(dataTime) as number[];
      for (const [i, t] of realtime.entries())
        if (i > 0) expect(t - (realtime[i - 1] as number)).toBe(30_000);
      expect(realtime.filter((t) => t >= first && t < first + HOUR)).toHaveLength(120);
      // 2031: the Beijing day 2026-03-01, sent after midnight.
      expect(platform.of('2031', mn).map(dataTime)).toContain(Date.parse('2026-03-01T00:00:00+08:00'));
    }

    // Consistency of the written values: Min ≤ Avg ≤ Max, Cou ≈ Avg × flow Cou × 10⁻³ (water).
    for (const frame of platform.of('2061', 'W2017')) {
      const flow = values(frame.message, 'w00000');
      for (const code of ['w01018', 'w21003', 'w21011', 'w21001']) {
        const v = values(frame.message, code);
        expect(v.Min).toBeLessThanOrEqual(v.Avg as number);
        expect(v.Avg).toBeLessThanOrEqual(v.Max as number);
        const approx = (v.Avg as number) * (flow.Cou as number) * 1e-3;
        expect(Math.abs((v.Cou as number) - approx)).toBeLessThan(0.1 * approx + 0.001);
      }
      expect(flow.Cou).toBeCloseTo((flow.Avg as number) * 3.6, 0);
    }
    // Gas: Zs = C × (21 − 6)/(21 − O₂avg) (2005 frames carry no Zs; check the 2017 formula on hours of G2005 via Avg only).
    for (const frame of platform.of('2061', 'G2005')) {
      expect(values(frame.message, 'a21026').ZsAvg).toBeUndefined();
      expect(values(frame.message, 'a00000').Cou).toBeGreaterThan(0);
    }

    // Every acknowledged frame is listed, with its QN, CN and DataTime; nothing is left unacknowledged.
    for (const [i, mn] of ['W2017', 'G2005'].entries()) {
      const listed = fleet.devices[i]?.acknowledged ?? [];
      const uploads = platform.frames.filter((f) => f.message.mn === mn && f.message.ackRequested);
      expect(new Set(listed.map((a) => a.qn))).toEqual(new Set(uploads.map((f) => f.message.qn)));
      const hour = listed.find((a) => a.cn === '2061');
      expect(hour?.dataTime).toBe(
        dataTime(platform.of('2061', mn).find((f) => f.message.qn === hour?.qn) as never),
      );
      expect(fleet.devices[i]?.stats()).toMatchObject({ unacked: 0, resent: 0, acked: listed.length });
    }
  }, 30_000);
});

describe('acknowledgement: OverTime and ReCount', () => {
  const platform = new TestPlatform({ ack: false });
  let port = 0;
  afterAll(() => platform.close());

  it('resends an upload without 9014 after OverTime, ReCount times, then gives up', async () => {
    port = await platform.listen();
    const fleet = await startFleet({
      devices: [device('R1')],
      port,
      ackTimeoutMs: 150,
      retries: 2,
      realtime: false,
    });
    try {
      await platform.waitFor(() => platform.of('2081').length >= 3, 5000, 'resends');
      await until(() => fleet.stats().unacked >= 2, 5000, 'giving up');
      await sleep(400); // nothing more is sent
      const restart = platform.of('2081');
      expect(restart).toHaveLength(3); // 1 + ReCount
      expect(new Set(restart.map((f) => f.text)).size).toBe(1); // the same frame, same QN
      expect((restart[1]?.at as number) - (restart[0]?.at as number)).toBeGreaterThanOrEqual(140);
      expect(fleet.stats()).toMatchObject({ acked: 0, unacked: 2, resent: 4 }); // 2081 and 3020
      expect(fleet.devices[0]?.acknowledged).toEqual([]);
    } finally {
      await fleet.stop();
    }
  });

  it('stops resending once the 9014 arrives', async () => {
    // The platform answers only the second copy of each upload.
    platform.setAck((m) => platform.frames.filter((f) => f.message.qn === m.qn).length >= 2);
    const fleet = await startFleet({
      devices: [device('R2')],
      port,
      ackTimeoutMs: 150,
      retries: 5,
      realtime: false,
    });
    try {
      await until(() => fleet.stats().acked >= 2, 5000);
      await sleep(500);
      expect(platform.of('2081', 'R2')).toHaveLength(2);
      expect(fleet.stats()).toMatchObject({ acked: 2, resent: 2, unacked: 0, pending: 0 });
      expect(fleet.devices[0]?.acknowledged.map((a) => a.cn)).toEqual(['2081', '3020']);
    } finally {
      await fleet.stop();
    }
  });
});

describe('start', () => {
  it('resolves for a logger that starts offline, and for an endpoint that refuses connections', async () => {
    const platform = new TestPlatform();
    const port = await platform.listen();
    await platform.close(); // nobody listens on this port any more
    const fleet = await startFleet({
      devices: [device('OFF1'), device('ON1')],
      port,
      scenarios: [{ scenario: 'offline', device: 'OFF1' }],
      reconnectMinMs: 50,
    });
    expect(fleet.devices.map((d) => d.connected)).toEqual([false, false]);
    await sleep(200);
    expect(fleet.devices[0]?.stats().connects).toBe(0);
    await fleet.stop();
  });
});

describe('many loggers in one process', () => {
  const platform = new TestPlatform();
  afterAll(() => platform.close());

  it('connects 300 loggers through one shared ticker', async () => {
    const port = await platform.listen();
    const fleet = await startFleet({
      devices: syntheticDevices(300, 9),
      port,
      realtime: false,
      connectConcurrency: 64,
    });
    try {
      await platform.waitFor(
        () => new Set(platform.of('2081').map((f) => f.message.mn)).size === 300,
        15_000,
        '300 loggers',
      );
      await until(() => fleet.stats().acked >= 600, 5000);
      expect(fleet.stats()).toMatchObject({ devices: 300, connected: 300, unacked: 0 });
    } finally {
      await fleet.stop();
    }
  }, 30_000);
});

describe('backlog (补传 at start)', () => {
  const platform = new TestPlatform();
  afterAll(() => platform.close());

  it('uploads the hours recorded before the start first, oldest first, the same as a logger running then', async () => {
    const port = await platform.listen();
    const start = Date.parse('2026-03-01T10:20:00+08:00');
    const spec = device('BACKLOG1', { kind: 'gas' });
    const fleet = await startFleet({ devices: [spec], port, start, speed: 1, seed: 5, backlogHours: 6 });
    try {
      await platform.waitFor(() => platform.of('2061', 'BACKLOG1').length >= 6, 10_000, '2061 backlog');
    } finally {
      await fleet.stop();
    }
    // The six hours from 04:00 (the one holding 04:20, where the backlog starts) to 09:00, in order; no
    // minute records for the backlog, no day record.
    const hours = platform.of('2061', 'BACKLOG1').map(dataTime);
    const first = Date.parse('2026-03-01T04:00:00+08:00');
    expect(hours).toEqual(Array.from({ length: 6 }, (_, i) => first + i * HOUR));
    expect(
      platform
        .of('2051', 'BACKLOG1')
        .map(dataTime)
        .filter((t) => (t as number) < start - 600_000),
    ).toEqual([]);
    expect(platform.of('2031', 'BACKLOG1')).toEqual([]);
    // The same values as a logger that had been running since then (the model is deterministic).
    const running = await startFleet({
      devices: [{ ...spec, mn: 'BACKLOG1' }],
      port,
      start: first,
      speed: 36_000,
      seed: 5,
      realtime: false,
    });
    const before = platform.of('2061', 'BACKLOG1').length;
    try {
      await platform.waitFor(() => platform.of('2061', 'BACKLOG1').length >= before + 1, 10_000, 'live 2061');
    } finally {
      await running.stop();
    }
    const backlogged = platform.of('2061', 'BACKLOG1')[0] as Received;
    const live = platform.of('2061', 'BACKLOG1')[before] as Received;
    expect(dataTime(live)).toBe(first);
    expect(values(live.message, 'a21026')).toEqual(values(backlogged.message, 'a21026'));
  }, 30_000);

  it('refuses a backlog beyond 480 hours', async () => {
    await expect(startFleet({ devices: [device('X')], port: 1, backlogHours: 481 })).rejects.toMatchObject({
      code: 'SIMULATOR_E_OPTION',
    });
  });
});
