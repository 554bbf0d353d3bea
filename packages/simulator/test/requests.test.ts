import { encodeMessage, formatQn, parseBeijingTime } from '@qingyuan/hj212';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { cpValue, dataTime, device, HOUR } from './helpers.js';
import { type Received, TestPlatform } from './platform.js';

const MN = 'REQ0001';
const PW = '123456';
const START = Date.parse('2026-03-02T06:00:00+08:00');

/** The frames answering a request QN: 9011 … 9012, and what came between them from this MN. */
function exchange(platform: TestPlatform, qn: string) {
  const frames = platform.frames.filter((f) => f.message.mn === MN);
  const reply = frames.findIndex(
    (f) =>
      f.message.cn === '9011' && f.message.body.type === 'request-reply' && f.message.body.requestQn === qn,
  );
  const result = frames.findIndex(
    (f) =>
      f.message.cn === '9012' &&
      f.message.body.type === 'execution-result' &&
      f.message.body.requestQn === qn,
  );
  const body = (f: Received | undefined) =>
    f?.message.body as { qnRtn?: number; exeRtn?: number } | undefined;
  return {
    qnRtn: body(frames[reply])?.qnRtn,
    exeRtn: result < 0 ? undefined : body(frames[result])?.exeRtn,
    between: reply < 0 || result < 0 ? [] : frames.slice(reply + 1, result),
    done: result >= 0,
  };
}

describe('answers to platform requests (HJ 212-2017 附录 C)', () => {
  const platform = new TestPlatform();
  let fleet: Fleet;
  const ask = async (name: string, params: Record<string, string | number> = {}, pw = PW) => {
    const qn = platform.command(MN, name, params, { pw });
    await platform.waitFor(
      () =>
        exchange(platform, qn).done ||
        (exchange(platform, qn).qnRtn !== undefined && exchange(platform, qn).qnRtn !== 1),
      5000,
      name,
    );
    return { qn, ...exchange(platform, qn) };
  };

  beforeAll(async () => {
    const port = await platform.listen();
    fleet = await startFleet({
      devices: [device(MN)],
      port,
      speed: 3600,
      start: START,
      realtime: false,
      seed: 2,
    });
    await platform.waitFor(() => platform.of('2061', MN).length >= 3, 10_000, 'three hours');
  });
  afterAll(async () => {
    await fleet.stop();
    await platform.close();
  });

  it('2061 history: the buffered hours of [BeginTime, EndTime], one upload each, then 9012', async () => {
    const uploaded = platform.of('2061', MN).map(dataTime) as number[];
    const begin = uploaded[0] as number;
    const end = uploaded[2] as number;
    const answer = await ask('get-hour-data', { BeginTime: begin, EndTime: end });
    expect(answer.qnRtn).toBe(1);
    expect(answer.exeRtn).toBe(1);
    const history = answer.between.filter((f) => f.message.cn === '2061' && !f.message.ackRequested);
    expect(history.map(dataTime)).toEqual([begin, begin + HOUR, end]);
    // The same values as the live upload of that hour.
    const live = platform.of('2061', MN).find((f) => f.message.ackRequested && dataTime(f) === begin);
    expect(history[0]?.text.split('CP=')[1]?.slice(0, -6)).toBe(live?.text.split('CP=')[1]?.slice(0, -6));
    const none = await ask('get-hour-data', {
      BeginTime: Date.parse('2020-01-01T00:00:00Z'),
      EndTime: Date.parse('2020-01-02T00:00:00Z'),
    });
    expect(none.exeRtn).toBe(100);
  });

  it('1011 reads the clock; 1012 sets it', async () => {
    const read = await ask('get-system-time');
    const time = read.between.find((f) => f.message.cn === '1011');
    expect(time?.message.qn).toBe(read.qn); // 表 C.2: the upload carries the request QN
    const systemTime = parseBeijingTime(cpValue(time?.message as never, 'SystemTime') as string) as number;
    expect(Math.abs(systemTime - fleet.clock.now(time?.at))).toBeLessThan(10 * 60_000); // speed 3600: ±10 min
    const target = Date.parse('2030-06-01T00:00:00+08:00');
    const set = await ask('set-system-time', { SystemTime: target });
    expect([set.qnRtn, set.exeRtn]).toEqual([1, 1]);
    expect(fleet.devices[0]?.deviceTime()).toBeGreaterThanOrEqual(target);
    expect(fleet.devices[0]?.deviceTime()).toBeLessThan(target + HOUR);
    const again = await ask('get-system-time');
    const after = parseBeijingTime(
      cpValue(again.between.find((f) => f.message.cn === '1011')?.message as never, 'SystemTime') as string,
    ) as number;
    expect(after).toBeGreaterThanOrEqual(target);
    expect(after).toBeLessThan(target + HOUR);
    // Later uploads carry the new time.
    await platform.waitFor(
      () => platform.of('2051', MN).some((f) => (dataTime(f) as number) >= target),
      5000,
      'uploads in 2030',
    );
  });

  it('1061/1062 and 1063/1064 read and set the intervals', async () => {
    expect((await ask('set-realtime-interval', { RtdInterval: 60 })).exeRtn).toBe(1);
    const rtd = await ask('get-realtime-interval');
    expect(cpValue(rtd.between.find((f) => f.message.cn === '1061')?.message as never, 'RtdInterval')).toBe(
      '60',
    );
    expect((await ask('set-minute-interval', { MinInterval: 5 })).exeRtn).toBe(1);
    const minute = await ask('get-minute-interval');
    expect(
      cpValue(minute.between.find((f) => f.message.cn === '1063')?.message as never, 'MinInterval'),
    ).toBe('5');
    const count = platform.of('2051', MN).length;
    await platform.waitFor(() => platform.of('2051', MN).length >= count + 3, 5000, 'minute data');
    const times = platform.of('2051', MN).slice(-2).map(dataTime) as number[];
    expect((times[1] as number) - (times[0] as number)).toBe(300_000);
  });

  it('3021 sets a parameter: 9011, 9012, then a 3020 upload with the new value; 3020 reads it', async () => {
    const set = await ask('set-device-parameter', { PolId: 'w01018', InfoId: 'i13008', Info: '0.5' });
    expect([set.qnRtn, set.exeRtn]).toEqual([1, 1]);
    await platform.waitFor(
      () =>
        platform
          .of('3020', MN)
          .some((f) => f.message.ackRequested && f.text.includes('PolId=w01018;i13008-Info=0.5')),
      5000,
      '3020 upload',
    );
    const read = await ask('get-device-info', { PolId: 'w01018', InfoId: 'i13008' });
    const info = read.between.find((f) => f.message.cn === '3020');
    expect(info?.message.body).toMatchObject({
      entries: [{ polId: 'w01018', items: [{ code: 'i13008', value: '0.5' }] }],
    });
  });

  it('refuses a wrong PW (QnRtn 3) and an unknown CN (QnRtn 8); calibration and sampling just succeed', async () => {
    const wrong = await ask('get-system-time', {}, '999999');
    expect(wrong.qnRtn).toBe(3);
    const qn = formatQn(platform.nextQnTime());
    platform.write(MN, encodeMessage({ qn, st: '32', cn: '3999', pw: PW, mn: MN, flag: 5, cp: [] }));
    await platform.waitFor(() => exchange(platform, qn).qnRtn !== undefined, 5000, 'refusal');
    expect(exchange(platform, qn).qnRtn).toBe(8);
    for (const name of ['calibrate', 'sample-now']) {
      expect(await ask(name, { PolId: 'w01018' })).toMatchObject({ qnRtn: 1, exeRtn: 1 });
    }
    expect((await ask('set-timeout-retries', { OverTime: 5, ReCount: 2 })).exeRtn).toBe(1);
  });

  it('1072 changes the password used from then on; 2012 is a notice answered by 9013', async () => {
    expect((await ask('set-password', { NewPW: 'n3wpw1' })).exeRtn).toBe(1);
    const count = platform.frames.length;
    await platform.waitFor(
      () => platform.frames.slice(count).some((f) => f.message.cn === '2051'),
      5000,
      'upload',
    );
    expect(platform.frames.slice(count).find((f) => f.message.cn === '2051')?.message.pw).toBe('n3wpw1');
    const qn = platform.command(MN, 'stop-realtime-data', {}, { pw: 'n3wpw1' });
    await platform.waitFor(
      () => platform.frames.some((f) => f.message.cn === '9013' && f.message.qn === qn),
      5000,
      '9013',
    );
  });
});
