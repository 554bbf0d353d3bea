import { type DecodedFrame, encodeMessage, formatBeijingTime } from '@qingyuan/hj212';
import { repositories } from '@qingyuan/store';
import { afterEach, expect, it } from 'vitest';
import { findGaps, type Gateway, GatewayError } from '../src/index.js';
import {
  describeEachDialect,
  frameOf,
  insertPoint,
  sleep,
  startGateway,
  TestLogger,
  upload,
  waitFor,
} from './helpers.js';

const PW = '123456';
const HOUR = 3_600_000;

/** The logger's answer to a request (same QN), 2017 style. */
function answer(mn: string, qn: string | undefined, cn: string, cp: { key: string; value: string }[][]) {
  return encodeMessage({ ...(qn === undefined ? {} : { qn }), st: '91', cn, pw: PW, mn, flag: 4, cp });
}

async function nextRequest(logger: TestLogger, index: number): Promise<DecodedFrame> {
  const replies = await logger.waitForReplies(index + 1);
  const frame = replies[index];
  if (frame === undefined) throw new Error(`no request #${index}`);
  return frame;
}

describeEachDialect('downlink commands and backfill', (store) => {
  let gateway: Gateway | undefined;
  let logger: TestLogger | undefined;
  afterEach(async () => {
    logger?.close();
    await gateway?.stop();
    gateway = undefined;
  });

  async function online(options: Parameters<typeof startGateway>[1] = {}) {
    const point = await insertPoint(store());
    gateway = await startGateway(store(), options);
    logger = await TestLogger.connect(gateway.port);
    logger.send(frameOf(upload(point.mn, PW)));
    await logger.waitForReplies(1);
    return point;
  }

  it('sends a request, follows 9011, the data answer and 9012 by QN, and audits every step', async () => {
    const { mn } = await online();
    const g = gateway as Gateway;
    const l = logger as TestLogger;
    const done = g.sendCommand({ mn, command: 'get-system-time', requestedBy: 'user:42' });
    const request = (await nextRequest(l, 1)).message;
    expect(request?.cn).toBe('1011');
    expect(request?.pw).toBe(PW);
    expect(request?.ackRequested).toBe(true);
    const clock = Date.UTC(2026, 10, 28, 6, 30, 0);
    l.send(answer(mn, request?.qn, '9011', [[{ key: 'QnRtn', value: '1' }]]));
    l.send(answer(mn, request?.qn, '1011', [[{ key: 'SystemTime', value: formatBeijingTime(clock) }]]));
    l.send(answer(mn, request?.qn, '9012', [[{ key: 'ExeRtn', value: '1' }]]));
    const outcome = await done;
    expect(outcome.state).toBe('succeeded');
    expect([outcome.qnRtn, outcome.exeRtn]).toEqual([1, 1]);
    expect(outcome.result['1011']).toEqual({ systemTime: clock, polId: null });
    // The final state is written right after the outcome resolves: wait for it (a loaded machine is slow).
    const commands = repositories(store()).downlinkCommands;
    let audit = await commands.get(outcome.id);
    for (let i = 0; i < 100 && audit?.state !== 'succeeded'; i++) {
      await sleep(50);
      audit = await commands.get(outcome.id);
    }
    expect(audit).toMatchObject({
      mn,
      command: 'get-system-time',
      cn: '1011',
      qn: request?.qn,
      requested_by: 'user:42',
      purpose: 'operator',
      state: 'succeeded',
      attempts: 1,
      qn_rtn: 1,
      exe_rtn: 1,
    });
    expect(audit?.finished_at).not.toBeNull();
  });

  it('re-sends after OverTime up to ReCount, then times out; a refusal ends the command as rejected', async () => {
    const { mn } = await online();
    const g = gateway as Gateway;
    const l = logger as TestLogger;
    const outcome = await g.sendCommand({
      mn,
      command: 'get-realtime-interval',
      requestedBy: 'user:1',
      overTimeMs: 100,
      reCount: 2,
    });
    expect(outcome.state).toBe('timed-out');
    const sent = l.replies.slice(1).map((r) => [r.message?.cn, r.message?.qn]);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => s[1])).size).toBe(1);
    const refused = g.sendCommand({
      mn,
      command: 'calibrate',
      params: { PolId: 'a21026' },
      requestedBy: 'user:1',
    });
    const request = (await nextRequest(l, 4)).message;
    l.send(answer(mn, request?.qn, '9011', [[{ key: 'QnRtn', value: '2' }]]));
    expect((await refused).state).toBe('rejected');
    expect((await refused).qnRtn).toBe(2);
  });

  it('takes the records of a history request sent under new QNs (as the standard has them) as its answer', async () => {
    const { mn, pointId } = await online();
    const g = gateway as Gateway;
    const l = logger as TestLogger;
    const hour = (h: number) => Date.UTC(2026, 10, 28, h);
    const done = g.sendCommand({
      mn,
      command: 'get-hour-data',
      params: { BeginTime: hour(3), EndTime: hour(4) },
      purpose: 'backfill',
      requestedBy: 'gateway',
    });
    const request = (await nextRequest(l, 1)).message;
    l.send(answer(mn, request?.qn, '9011', [[{ key: 'QnRtn', value: '1' }]]));
    // One upload per record, each under its own QN (HJ 212-2017 表 C.21); a live hour of another time and
    // a minute record of a requested hour arrive meanwhile: neither answers the request. Hour 3 comes twice
    // (the logger repeats itself): one record.
    for (const h of [3, 4, 3])
      l.send(frameOf(upload(mn, PW, { cn: '2061', dataTime: hour(h), values: { a21026: h } })));
    l.send(frameOf(upload(mn, PW, { cn: '2061', dataTime: hour(9), values: { a21026: 9 } })));
    l.send(frameOf(upload(mn, PW, { cn: '2051', dataTime: hour(3), values: { a21026: 30 } })));
    await l.waitForReplies(7);
    l.send(answer(mn, request?.qn, '9012', [[{ key: 'ExeRtn', value: '1' }]]));
    const outcome = await done;
    expect(outcome.state).toBe('succeeded');
    expect(outcome.result.records).toEqual({ '2061': 2 });
    const observations = repositories(store()).observations;
    const hours = await observations.range('hour', pointId, hour(0), hour(12));
    expect(hours.map((r) => [new Date(r.period_start).getUTCHours(), r.source])).toEqual([
      [3, 'backfill'],
      [4, 'backfill'],
      [9, 'das'],
    ]);
    const minutes = await observations.range('minute', pointId, hour(0), hour(12));
    expect(minutes.map((r) => r.source)).toEqual(['das']);
    // Once the request is done, a record of its range is an ordinary upload again.
    l.send(frameOf(upload(mn, PW, { cn: '2061', dataTime: hour(2), values: { a21026: 2 } })));
    await l.waitForReplies(8);
    const after = await observations.range('hour', pointId, hour(2), hour(3));
    expect(after.map((r) => r.source)).toEqual(['das']);
  });

  /** The logger redials: a new connection whose first upload brings the device back online. */
  async function redial(mn: string): Promise<TestLogger> {
    (logger as TestLogger).close();
    await (logger as TestLogger).waitClosed();
    await waitFor('the device offline', () => (gateway as Gateway).online().every((link) => link.mn !== mn));
    const again = await TestLogger.connect((gateway as Gateway).port);
    logger = again;
    again.send(frameOf(upload(mn, PW)));
    await again.waitForReplies(1);
    return again;
  }

  async function finalAudit(id: number, state: string) {
    const commands = repositories(store()).downlinkCommands;
    let audit = await commands.get(id);
    for (let i = 0; i < 100 && audit?.state !== state; i++) {
      await sleep(50);
      audit = await commands.get(id);
    }
    return audit;
  }

  it('sends a request lost with a dropped connection again on the new one, and completes it there', async () => {
    const { mn } = await online();
    const g = gateway as Gateway;
    const done = g.sendCommand({ mn, command: 'get-system-time', requestedBy: 'user:7', overTimeMs: 60_000 });
    const first = (await nextRequest(logger as TestLogger, 1)).message;
    // The connection drops before the logger answers; it redials well within OverTime.
    const again = await redial(mn);
    const resent = (await again.waitForReplies(2)).find((r) => r.message?.cn === '1011')?.message;
    expect(resent?.qn).toBe(first?.qn);
    again.send(answer(mn, resent?.qn, '9011', [[{ key: 'QnRtn', value: '1' }]]));
    again.send(answer(mn, resent?.qn, '9012', [[{ key: 'ExeRtn', value: '1' }]]));
    const outcome = await done;
    expect(outcome.state).toBe('succeeded');
    expect(await finalAudit(outcome.id, 'succeeded')).toMatchObject({ state: 'succeeded', attempts: 2 });
  });

  it('completes a command accepted before the connection dropped with the 9012 sent after the redial', async () => {
    const { mn } = await online();
    const g = gateway as Gateway;
    const done = g.sendCommand({
      mn,
      command: 'set-system-time',
      params: { SystemTime: Date.UTC(2026, 10, 28, 6) },
      requestedBy: 'user:7',
    });
    const request = (await nextRequest(logger as TestLogger, 1)).message;
    (logger as TestLogger).send(answer(mn, request?.qn, '9011', [[{ key: 'QnRtn', value: '1' }]]));
    await waitFor(
      'the command accepted',
      async () => (await repositories(store()).downlinkCommands.list({ mn }))[0]?.state === 'accepted',
    );
    // The logger sets its clock while its link is down, and reports when it is back.
    const again = await redial(mn);
    again.send(answer(mn, request?.qn, '9012', [[{ key: 'ExeRtn', value: '1' }]]));
    const outcome = await done;
    expect([outcome.state, outcome.qnRtn, outcome.exeRtn]).toEqual(['succeeded', 1, 1]);
    // An accepted request is not sent again: the device has it.
    expect(again.replies.filter((r) => r.message?.cn === '1012')).toEqual([]);
    expect(await finalAudit(outcome.id, 'succeeded')).toMatchObject({ attempts: 1, exe_rtn: 1 });
  });

  it('ends a command whose device does not come back in time as offline, not timed out', async () => {
    const { mn } = await online();
    const g = gateway as Gateway;
    const done = g.sendCommand({
      mn,
      command: 'get-system-time',
      requestedBy: 'u',
      overTimeMs: 150,
      reCount: 2,
    });
    await nextRequest(logger as TestLogger, 1);
    (logger as TestLogger).close();
    const outcome = await done;
    expect(outcome.state).toBe('offline');
    const audit = await finalAudit(outcome.id, 'offline');
    expect(audit).toMatchObject({ state: 'offline', error_code: 'GATEWAY_E_NOT_ONLINE', attempts: 1 });
  });

  it('refuses commands to an offline device and invalid commands, with their codes', async () => {
    const { mn } = await online();
    const g = gateway as Gateway;
    const other = await insertPoint(store());
    await expect(
      g.sendCommand({ mn: other.mn, command: 'get-system-time', requestedBy: 'u' }),
    ).rejects.toMatchObject({
      code: 'GATEWAY_E_NOT_ONLINE',
    });
    const audit = await repositories(store()).downlinkCommands.list({ mn: other.mn });
    expect(audit.map((c) => c.state)).toEqual(['offline']);
    await expect(
      g.sendCommand({ mn, command: 'set-realtime-interval', params: { RtdInterval: 5 }, requestedBy: 'u' }),
    ).rejects.toBeInstanceOf(GatewayError);
    await expect(
      g.sendCommand({ mn: 'NOPE', command: 'get-system-time', requestedBy: 'u' }),
    ).rejects.toMatchObject({
      code: 'GATEWAY_E_UNKNOWN_DEVICE',
    });
  });

  it('finds the missing hours of an online device, asks for them, and stores the answers as backfill', async () => {
    const now = Date.UTC(2026, 10, 28, 12, 0, 0);
    const { mn, pointId } = await online({
      now: () => now,
      backfill: { intervalMs: 3_600_000, lookBackMs: 12 * HOUR, graceMs: 2 * HOUR, periods: ['hour'] },
    });
    const g = gateway as Gateway;
    const l = logger as TestLogger;
    // Hours 0..9 of the window except 5 and 6.
    for (let h = 2; h <= 9; h++) {
      if (h === 5 || h === 6) continue;
      l.send(
        frameOf(upload(mn, PW, { cn: '2061', dataTime: Date.UTC(2026, 10, 28, h), values: { a21026: h } })),
      );
    }
    await l.waitForReplies(7);
    await g.backfillNow();
    const request = (await nextRequest(l, 7)).message;
    expect(request?.cn).toBe('2061');
    const params = request?.body.type === 'command' ? request.body.params : {};
    expect(params.BeginTime).toBe(Date.UTC(2026, 10, 28, 5));
    expect(params.EndTime).toBe(Date.UTC(2026, 10, 28, 6));
    // The logger answers with its buffered hours (same QN), then 9012.
    l.send(answer(mn, request?.qn, '9011', [[{ key: 'QnRtn', value: '1' }]]));
    for (const h of [5, 6]) {
      const data = upload(mn, PW, { cn: '2061', dataTime: Date.UTC(2026, 10, 28, h), values: { a21026: h } });
      l.send(frameOf({ ...data, qn: request?.qn }));
    }
    l.send(answer(mn, request?.qn, '9012', [[{ key: 'ExeRtn', value: '1' }]]));
    await sleep(300);
    const rows = await repositories(store()).observations.range('hour', pointId, Date.UTC(2026, 10, 28), now);
    expect(rows.map((r) => [new Date(r.period_start).getUTCHours(), r.source])).toEqual([
      [2, 'das'],
      [3, 'das'],
      [4, 'das'],
      [5, 'backfill'],
      [6, 'backfill'],
      [7, 'das'],
      [8, 'das'],
      [9, 'das'],
    ]);
    // The same range is not asked for again within retryAfter.
    await g.backfillNow();
    await sleep(100);
    expect(l.replies.filter((r) => r.message?.cn === '2061')).toHaveLength(1);
  });
});

it('finds gaps as whole periods, merged into ranges', () => {
  const h = (n: number) => n * HOUR;
  expect(findGaps([h(1), h(2), h(5)], h(0), h(7), HOUR)).toEqual([
    { from: h(0), to: h(1) },
    { from: h(3), to: h(5) },
    { from: h(6), to: h(7) },
  ]);
  expect(findGaps([], h(0) + 1, h(2), HOUR)).toEqual([{ from: h(1), to: h(2) }]);
  expect(findGaps([h(0), h(1)], h(0), h(2), HOUR)).toEqual([]);
});
