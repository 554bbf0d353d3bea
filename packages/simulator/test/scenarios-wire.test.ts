import { decodeOneFrame, parseQn } from '@qingyuan/hj212';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, parseScenario, startFleet } from '../src/index.js';
import { dataTime, device, HOUR, until, values } from './helpers.js';
import { TestPlatform } from './platform.js';

const START = Date.parse('2026-03-02T08:00:00+08:00');
/** One device per scenario; windows relative to the start; speed 3600 = one simulated hour per second. */
const CASES: Record<string, string> = {
  PW: 'wrong-password:PW',
  CRC: 'modbus-crc:CRC',
  OLD: 'dialect-2005:OLD',
  SPLIT: 'split:SPLIT?size=300',
  JUNK: 'garbage:JUNK',
  OFF: 'offline:OFF@+1h..+2h',
  HIGH: 'exceedance:HIGH@+1h..',
  LOSS: 'packet-loss:LOSS?p=0.5',
  DRIFT: 'clock-drift:DRIFT?rate=900',
  TAMPER: 'parameter-tampering:TAMPER@+1h..+2h?slope=0.5',
  MAINT: 'maintenance:MAINT@+1h..+2h',
};

describe('scenarios on the wire', () => {
  const platform = new TestPlatform();
  let fleet: Fleet;
  const of = (mn: string, cn?: string) =>
    platform.frames.filter((f) => f.message.mn === mn && (cn === undefined || f.message.cn === cn));

  beforeAll(async () => {
    const port = await platform.listen();
    fleet = await startFleet({
      devices: Object.keys(CASES).map((mn) => device(mn)),
      port,
      speed: 3600,
      start: START,
      realtime: false,
      seed: 4,
      ackTimeoutMs: 200,
      reconnectMinMs: 20,
      reconnectMaxMs: 100,
      scenarios: Object.values(CASES).map((text) => parseScenario(text, START)),
    });
    // Until the simulated clock is past +3 h and every device has sent its third hour.
    await until(() => fleet.clock.now() > START + 3.2 * HOUR, 15_000, 'three simulated hours');
    await until(
      () => Object.keys(CASES).every((mn) => of(mn, '2061').length >= 3),
      10_000,
      'hours from every device',
    );
    await fleet.stop();
  }, 40_000);
  afterAll(() => platform.close());

  it('wrong password: uploads carry another PW', () => {
    expect(new Set(of('PW').map((f) => f.message.pw))).toEqual(new Set(['123457']));
    expect(new Set(of('CRC').map((f) => f.message.pw))).toEqual(new Set(['123456']));
  });

  it('MODBUS CRC: frames check only with the MODBUS variant', () => {
    for (const frame of of('CRC')) {
      expect(frame.decoded.crc.variant).toBe('modbus');
      expect(decodeOneFrame(frame.text).ok).toBe(false);
      expect(decodeOneFrame(frame.text, { crcVariants: ['modbus'] }).ok).toBe(true);
    }
  });

  it('2005 dialect: Flag version 0, 2005 codes', () => {
    const hour = of('OLD', '2061')[0];
    expect(hour?.message.version).toBe('2005');
    expect(hour?.message.body.type === 'observations' && hour.message.body.factors[1]?.originalCode).toBe(
      '011',
    );
    expect(hour?.text).toContain(';011-Min=');
  });

  it('split: PNUM/PNO with Flag.D, every part acknowledged on its own', () => {
    const parts = of('SPLIT', '2061').filter(
      (f) => dataTime(f) === dataTime(of('SPLIT', '2061')[0] as never),
    );
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((f) => f.message.pno)).toEqual(parts.map((_, i) => i + 1));
    expect(
      parts.every((f) => f.message.pnum === parts.length && f.message.split && f.text.length <= 300 + 12),
    ).toBe(true);
    const acked =
      fleet.devices.find((d) => d.mn === 'SPLIT')?.acknowledged.filter((a) => a.cn === '2061') ?? [];
    expect(acked.some((a) => a.pno === 2 && a.pnum === parts.length)).toBe(true);
  });

  it('garbage: junk bytes between frames, the frames still decode', () => {
    expect(platform.discarded.length).toBeGreaterThan(0);
    expect(of('JUNK').every((f) => f.decoded.ok)).toBe(true);
  });

  it('offline: no connection in the window; its records are not sent live; reconnection after', () => {
    const times = of('OFF', '2051').map(dataTime) as number[];
    const inWindow = times.filter((t) => t >= START + HOUR && t < START + 2 * HOUR - 600_000);
    expect(inWindow).toEqual([]);
    expect(times.some((t) => t >= START + 2 * HOUR)).toBe(true);
    expect(platform.connections.filter((c) => c.mn === 'OFF').length).toBeGreaterThanOrEqual(2);
    const stats = fleet.devices.find((d) => d.mn === 'OFF')?.stats();
    expect(stats?.connects).toBeGreaterThanOrEqual(2);
  });

  it('exceedance: COD over the limit from +1 h', () => {
    const hours = of('HIGH', '2061');
    const avg = (t: number) =>
      values(hours.find((f) => dataTime(f) === t)?.message as never, 'w01018').Avg as number;
    expect(avg(START)).toBeLessThan(100);
    expect(avg(START + HOUR)).toBeGreaterThan(100);
  });

  it('packet loss: frames vanish and are resent', () => {
    const stats = fleet.devices.find((d) => d.mn === 'LOSS')?.stats();
    expect(stats?.lost).toBeGreaterThan(0);
    expect(stats?.resent).toBeGreaterThan(0);
  });

  it('clock drift: the logger clock (QN) runs ahead of simulated time', () => {
    const last = of('DRIFT').at(-1);
    const qnTime = parseQn(last?.message.qn as string) as number;
    // 900 s per hour over ≥ 3 h: ≥ 40 minutes ahead (speed 3600 blurs the receipt time by a few minutes).
    expect(qnTime - fleet.clock.now(last?.at)).toBeGreaterThan(40 * 60_000);
  });

  it('parameter-tampering: 3020 announces slope 0.5 in the window and 1 after; values halve', () => {
    const info = of('TAMPER', '3020').map((f) => f.text);
    expect(info.some((t) => t.includes('PolId=w01018;i13008-Info=0.5'))).toBe(true);
    expect(info.at(-1)).toContain('i13008-Info=1');
    const hours = of('TAMPER', '2061');
    const avg = (t: number) =>
      values(hours.find((f) => dataTime(f) === t)?.message as never, 'w01018').Avg as number;
    const untouched = fleet.devices.find((d) => d.mn === 'TAMPER');
    expect(untouched).toBeDefined();
    expect(avg(START + HOUR)).toBeLessThan(avg(START) * 0.8);
  });

  it('maintenance: flag M in the window and the instrument state i12001 = 1', () => {
    const hours = of('MAINT', '2061');
    const flag = (t: number) => hours.find((f) => dataTime(f) === t)?.message.body;
    expect(JSON.stringify(flag(START + HOUR))).toContain('"dataFlag":"M"');
    expect(JSON.stringify(flag(START))).not.toContain('"dataFlag":"M"');
    expect(of('MAINT', '3020').some((f) => f.text.includes('i12001-Info=1'))).toBe(true);
  });
});
