import { connect, type Socket } from 'node:net';
import { encodeMessage, encodeMessageSplit, formatBeijingTime, formatQn } from '@qingyuan/hj212';
import { FrameDeviceIndex, PresenceRepository, RawFrameRepository, repositories } from '@qingyuan/store';
import { afterEach, expect, it } from 'vitest';
import type { Gateway } from '../src/index.js';
import {
  describeEachDialect,
  frameOf,
  insertPoint,
  sleep,
  startGateway,
  TestLogger,
  upload,
} from './helpers.js';

const PW = '123456';

/** An hourly upload (CN 2061) of 40 factors, split into sub-packets of at most 400 data characters. */
function splitHourly(mn: string, dataTime: number) {
  const values: Record<string, number> = {};
  for (let i = 0; i < 40; i++) values[`a9${String(i).padStart(4, '0')}`] = i + 0.5;
  const parts = encodeMessageSplit(upload(mn, PW, { cn: '2061', dataTime, values }), { maxDataLength: 400 });
  return { values, parts };
}

describeEachDialect('gateway over TCP', (store) => {
  let gateway: Gateway | undefined;
  const loggers: TestLogger[] = [];
  const open = async () => {
    const logger = await TestLogger.connect((gateway as Gateway).port);
    loggers.push(logger);
    return logger;
  };
  afterEach(async () => {
    for (const l of loggers.splice(0)) l.close();
    await gateway?.stop();
    gateway = undefined;
  });

  it('acknowledges a 2017 upload with 9014 only after its frame and observations are stored', async () => {
    const { mn, pointId } = await insertPoint(store());
    gateway = await startGateway(store());
    const logger = await open();
    const dataTime = Date.UTC(2026, 10, 28, 2, 0, 0);
    const input = upload(mn, PW, { cn: '2061', dataTime, values: { a21026: 35.5, a21002: 80 } });
    logger.send(frameOf(input));
    const [ack] = await logger.waitForReplies(1);
    expect(ack?.ok).toBe(true);
    expect(ack?.message?.cn).toBe('9014');
    expect(ack?.message?.qn).toBe(input.qn);
    expect(ack?.message?.mn).toBe(mn);
    // The ack came after the commit: the data is readable now.
    const rows = await repositories(store()).observations.range('hour', pointId, dataTime, dataTime + 1);
    expect(rows.map((r) => [r.factor_code, r.avg])).toEqual([
      ['a21002', 80],
      ['a21026', 35.5],
    ]);
    const frames = await new RawFrameRepository(store()).list({ mn });
    expect(frames).toHaveLength(1);
    expect(frames[0]?.verdict).toBe('accepted');
    expect(rows[0]?.frame_id).toBe(frames[0]?.id);
  });

  it('stores what each CN means: observations per period, run state and time, device information, restart', async () => {
    const { mn, pointId } = await insertPoint(store());
    gateway = await startGateway(store());
    const logger = await open();
    const at = Date.UTC(2026, 10, 28, 2, 0, 0);
    const time = formatBeijingTime(at);
    const message = (cn: string, cp: { key: string; value: string }[][]) =>
      frameOf({ qn: formatQn(at + Number(cn)), st: '22', cn, pw: PW, mn, flag: 5, cp });
    const frames = [
      frameOf(upload(mn, PW, { cn: '2051', dataTime: at, values: { a21026: 1.5 } })),
      frameOf(upload(mn, PW, { cn: '2061', dataTime: at, values: { a21026: 2.5 } })),
      frameOf(upload(mn, PW, { cn: '2031', dataTime: at, values: { a21026: 3.5 } })),
      message('2021', [[{ key: 'DataTime', value: time }], [{ key: 'SB1-RS', value: '1' }]]),
      message('2041', [[{ key: 'DataTime', value: time }], [{ key: 'SB1-RT', value: '23.5' }]]),
      message('3020', [
        [{ key: 'DataTime', value: time }],
        [{ key: 'PolId', value: 'w01018' }],
        [{ key: 'i13004-Info', value: '168.0' }],
      ]),
      message('2081', [[{ key: 'RestartTime', value: time }]]),
    ];
    for (const frame of frames) logger.send(frame);
    const acks = await logger.waitForReplies(frames.length);
    expect(acks.map((a) => a.message?.cn)).toEqual(frames.map(() => '9014'));
    const observations = repositories(store()).observations;
    for (const [period, value] of [
      ['minute', 1.5],
      ['hour', 2.5],
      ['day', 3.5],
    ] as const) {
      const rows = await observations.range(period, pointId, at, at + 1);
      expect(rows.map((r) => [r.factor_code, r.avg])).toEqual([['a21026', value]]);
    }
    const db = store().db;
    const state = await db
      .selectFrom('facility_run_state')
      .selectAll()
      .where('point_id', '=', pointId)
      .execute();
    expect(state.map((r) => [r.facility, Number(r.data_time), Number(r.state)])).toEqual([['SB1', at, 1]]);
    const hours = await db
      .selectFrom('facility_run_time')
      .selectAll()
      .where('point_id', '=', pointId)
      .execute();
    expect(hours.map((r) => [r.facility, Number(r.data_time), Number(r.hours)])).toEqual([['SB1', at, 23.5]]);
    const info = await db.selectFrom('device_info').selectAll().where('point_id', '=', pointId).execute();
    expect(info.map((r) => [r.pol_id, r.info_code, Number(r.value), Number(r.observed_at)])).toEqual([
      ['w01018', 'i13004', 168, at],
    ]);
    const restarts = await db
      .selectFrom('device_event')
      .selectAll()
      .where('point_id', '=', pointId)
      .where('kind', '=', 'restart')
      .execute();
    expect(restarts.map((r) => JSON.parse(String(r.detail)))).toEqual([{ restartTime: at }]);
    // Each record points at the frame it was read from.
    const archived = await new RawFrameRepository(store()).list({ mn });
    const frameOfCn = new Map(archived.map((f) => [f.cn, Number(f.id)]));
    expect(Number(state[0]?.frame_id)).toBe(frameOfCn.get('2021'));
    expect(Number(hours[0]?.frame_id)).toBe(frameOfCn.get('2041'));
    expect(Number(info[0]?.frame_id)).toBe(frameOfCn.get('3020'));
    expect(Number(restarts[0]?.frame_id)).toBe(frameOfCn.get('2081'));
  });

  it('answers a 2005 logger in its own dialect (QN and CN inside CP)', async () => {
    const { mn, pointId } = await insertPoint(store());
    await store()
      .db.updateTable('monitoring_point')
      .set({ protocol_version: '2005' })
      .where('id', '=', pointId)
      .execute();
    gateway = await startGateway(store());
    const logger = await open();
    const input = upload(mn, PW, { cn: '2011', version: '2005' });
    logger.send(frameOf(input));
    const [ack] = await logger.waitForReplies(1);
    expect(ack?.message?.cn).toBe('9014');
    expect(ack?.message?.version).toBe('2005');
    expect(ack?.message?.qn).toBeUndefined();
    const raw = new TextDecoder().decode(ack?.frame.bytes);
    expect(raw).toContain(`CP=&&QN=${input.qn};CN=2011&&`);
  });

  it('answers 2025 loggers in the 2017 style (QN in the header, Flag version bits of 2025)', async () => {
    const { mn, pointId } = await insertPoint(store());
    await store()
      .db.updateTable('monitoring_point')
      .set({ protocol_version: '2025' })
      .where('id', '=', pointId)
      .execute();
    gateway = await startGateway(store());
    const logger = await open();
    const input = upload(mn, PW, { version: '2025' });
    logger.send(frameOf(input));
    const [ack] = await logger.waitForReplies(1);
    expect([ack?.message?.cn, ack?.message?.qn, ack?.message?.version]).toEqual(['9014', input.qn, '2025']);
  });

  it('does not acknowledge a frame that could not be committed; its neighbours are acknowledged', async () => {
    const failing = await insertPoint(store(), { mn: `FAILMN${Date.now()}` });
    const { mn } = await insertPoint(store());
    const db = store();
    if (db.dialect === 'sqlite') {
      db.sqlite?.exec(
        `CREATE TRIGGER refuse_frame BEFORE INSERT ON raw_frame WHEN NEW.mn = '${failing.mn}' BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
      );
    } else {
      await db.pool?.query(`CREATE FUNCTION refuse_frame() RETURNS trigger AS $$ BEGIN
        IF NEW.mn = '${failing.mn}' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await db.pool?.query(
        'CREATE TRIGGER refuse_frame BEFORE INSERT ON raw_frame FOR EACH ROW EXECUTE FUNCTION refuse_frame()',
      );
    }
    try {
      gateway = await startGateway(store());
      const good = await open();
      const bad = await open();
      const before = upload(mn, PW);
      good.send(frameOf(before));
      bad.send(frameOf(upload(failing.mn, PW)));
      const after = upload(mn, PW);
      good.send(frameOf(after));
      await good.waitForReplies(2);
      await sleep(300);
      expect(good.replies.map((r) => r.message?.qn)).toEqual([before.qn, after.qn]);
      expect(bad.replies).toEqual([]);
      expect(gateway.stats().commitFailures).toBe(1);
      expect(await new RawFrameRepository(store()).list({ mn: failing.mn })).toEqual([]);
    } finally {
      if (db.dialect === 'sqlite') db.sqlite?.exec('DROP TRIGGER refuse_frame');
      else {
        await db.pool?.query('DROP TRIGGER refuse_frame ON raw_frame');
        await db.pool?.query('DROP FUNCTION refuse_frame()');
      }
    }
  });

  it('tells listeners which observations became durable: new periods and revisions, not duplicates', async () => {
    const { mn, pointId } = await insertPoint(store());
    gateway = await startGateway(store());
    const written: unknown[] = [];
    gateway.onIngested((rows) =>
      written.push(...rows.map((r) => [r.pointId, r.factorCode, r.period, r.periodStart, r.outcome])),
    );
    const logger = await open();
    const dataTime = Date.UTC(2026, 10, 28, 5, 0, 0);
    logger.send(frameOf(upload(mn, PW, { cn: '2061', dataTime, values: { a21026: 10 } })));
    logger.send(frameOf(upload(mn, PW, { cn: '2061', dataTime, values: { a21026: 10 } })));
    logger.send(frameOf(upload(mn, PW, { cn: '2061', dataTime, values: { a21026: 12 } })));
    await logger.waitForReplies(3);
    expect(written).toEqual([
      [pointId, 'a21026', 'hour', dataTime, 'inserted'],
      [pointId, 'a21026', 'hour', dataTime, 'revision'],
    ]);
  });

  it('acknowledges a re-sent frame again but stores it once, and counts it', async () => {
    const { mn, pointId } = await insertPoint(store());
    gateway = await startGateway(store());
    const logger = await open();
    const dataTime = Date.UTC(2026, 10, 28, 3, 0, 0);
    const bytes = frameOf(upload(mn, PW, { cn: '2061', dataTime }));
    logger.send(bytes);
    await logger.waitForReplies(1);
    logger.send(bytes);
    const replies = await logger.waitForReplies(2);
    expect(replies.map((r) => r.message?.cn)).toEqual(['9014', '9014']);
    const frames = await new RawFrameRepository(store()).list({ mn });
    expect(frames.map((f) => f.verdict)).toEqual(['accepted', 'duplicate']);
    const rows = await repositories(store()).observations.revisions('hour', pointId, 'a21026', dataTime);
    expect(rows).toHaveLength(1);
    expect(gateway.online().find((l) => l.mn === mn)?.duplicates).toBe(1);
  });

  it('refuses an unknown MN (9011 QnRtn 4) and a wrong password (QnRtn 3), archiving both, acking neither', async () => {
    const { mn } = await insertPoint(store());
    gateway = await startGateway(store());
    const logger = await open();
    const unknown = upload('NOSUCHMN0000000001', PW);
    const wrongPw = upload(mn, 'wrong!');
    logger.send(frameOf(unknown));
    logger.send(frameOf(wrongPw));
    const replies = await logger.waitForReplies(2);
    expect(replies.map((r) => [r.message?.cn, r.message?.cp])).toEqual([
      ['9011', [[{ key: 'QnRtn', value: '4' }]]],
      ['9011', [[{ key: 'QnRtn', value: '3' }]]],
    ]);
    const archive = new RawFrameRepository(store());
    expect((await archive.list({ mn: 'NOSUCHMN0000000001' })).map((f) => [f.verdict, f.error_code])).toEqual([
      ['unknown_device', 'GATEWAY_E_UNKNOWN_DEVICE'],
    ]);
    expect((await archive.list({ mn })).map((f) => [f.verdict, f.error_code])).toEqual([
      ['auth_failed', 'GATEWAY_E_PASSWORD'],
    ]);
    expect(gateway.online().some((l) => l.mn === mn)).toBe(false);
  });

  it('checks the password of every frame: a wrong one after good ones on the same connection is refused', async () => {
    const { mn } = await insertPoint(store());
    gateway = await startGateway(store());
    const logger = await open();
    logger.send(frameOf(upload(mn, PW)));
    await logger.waitForReplies(1);
    logger.send(frameOf(upload(mn, 'wrong!')));
    await logger.waitForReplies(2);
    logger.send(frameOf(upload(mn, PW)));
    const replies = await logger.waitForReplies(3);
    expect(replies.map((r) => r.message?.cn)).toEqual(['9014', '9011', '9014']);
    expect(
      (await new RawFrameRepository(store()).list({ mn })).map((f) => [f.verdict, f.error_code]),
    ).toEqual([
      ['accepted', null],
      ['auth_failed', 'GATEWAY_E_PASSWORD'],
      ['accepted', null],
    ]);
  });

  it('judges a connection’s frames in arrival order while a device is looked up: acks follow the sending order', async () => {
    // A logger multiplexing two MNs: B is in the credential cache, A is not yet, so A's frame waits for the
    // registry; B's frame, sent right behind it, must wait too, or its ack would overtake A's.
    const a = await insertPoint(store());
    const b = await insertPoint(store());
    gateway = await startGateway(store());
    const logger = await open();
    logger.send(frameOf(upload(b.mn, PW)));
    await logger.waitForReplies(1);
    const first = upload(a.mn, PW);
    const second = upload(b.mn, PW);
    const third = upload(a.mn, PW);
    logger.send(Buffer.concat([frameOf(first), frameOf(second), frameOf(third)]));
    const replies = await logger.waitForReplies(4);
    expect(replies.slice(1).map((r) => [r.message?.mn, r.message?.qn])).toEqual([
      [a.mn, first.qn],
      [b.mn, second.qn],
      [a.mn, third.qn],
    ]);
    const archive = new RawFrameRepository(store());
    expect((await archive.list({ mn: a.mn })).map((f) => f.qn)).toEqual([first.qn, third.qn]);
    expect((await archive.list({ mn: b.mn })).map((f) => f.qn)).toEqual([replies[0]?.message?.qn, second.qn]);
  });

  it('closes a connection whose device cannot be looked up, acks nothing of it, and goes on with others', async () => {
    const { mn } = await insertPoint(store());
    gateway = await startGateway(store());
    const live = gateway;
    const lookup = live.credentials.lookup.bind(live.credentials);
    let failing = true;
    live.credentials.lookup = (asked: string) =>
      failing ? Promise.reject(new Error('registry down')) : lookup(asked);
    const logger = await open();
    logger.send(frameOf(upload(mn, PW)));
    expect(await logger.waitClosed()).toBe(true);
    expect(logger.replies).toEqual([]);
    expect(live.counters.commitFailures).toBe(1);
    failing = false;
    const next = await open();
    next.send(frameOf(upload(mn, PW)));
    expect((await next.waitForReplies(1)).map((r) => r.message?.cn)).toEqual(['9014']);
  });

  it('archives a frame with a bad CRC, and garbage between frames, without an answer; the next frame is acked', async () => {
    const { mn } = await insertPoint(store());
    gateway = await startGateway(store());
    const logger = await open();
    const good = new TextDecoder().decode(frameOf(upload(mn, PW)));
    const badCrc = `${good.slice(0, -6)}${good.slice(-6, -2) === 'FFFF' ? '0000' : 'FFFF'}\r\n`;
    logger.send(badCrc);
    logger.send('GARBAGE\x00\x01 no frame here ');
    const next = upload(mn, PW);
    logger.send(frameOf(next));
    const replies = await logger.waitForReplies(1);
    await sleep(100);
    expect(replies.map((r) => r.message?.qn)).toEqual([next.qn]);
    const verdicts = (await new RawFrameRepository(store()).list({})).filter(
      (f) => f.mn === mn || f.mn === null,
    );
    expect(verdicts.map((f) => f.verdict)).toEqual(
      expect.arrayContaining(['crc_error', 'discarded', 'accepted']),
    );
    const discarded = verdicts.find((f) => f.verdict === 'discarded');
    expect(new TextDecoder().decode(discarded?.bytes)).toContain('GARBAGE');
  });

  it('acks every sub-packet of a split upload and stores the whole message once the last part arrives', async () => {
    const { mn, pointId } = await insertPoint(store());
    gateway = await startGateway(store());
    const logger = await open();
    const dataTime = Date.UTC(2026, 10, 28, 4, 0, 0);
    const { parts } = splitHourly(mn, dataTime);
    expect(parts.length).toBeGreaterThan(2);
    // Out of order, as real networks deliver them.
    for (const part of [...parts].reverse()) logger.send(part);
    const replies = await logger.waitForReplies(parts.length);
    expect(replies.filter((r) => r.message?.cn === '9014')).toHaveLength(parts.length);
    const rows = await repositories(store()).observations.range('hour', pointId, dataTime, dataTime + 1);
    expect(rows).toHaveLength(40);
  });

  for (const how of ['drops', 'stays quiet', 'is still connected when the gateway stops'] as const)
    it(`stores the acknowledged parts of a split upload when the logger ${how} before the rest come`, async () => {
      // A logger that loses its connection halfway through a split upload, or stops sending, has our 9014
      // for the parts that arrived: their values are stored as far as the message got (at once when the
      // connection closes, after subPacketTimeoutMs when it stays open), not held for parts that never come.
      const { mn, pointId } = await insertPoint(store());
      gateway = await startGateway(store(), { subPacketTimeoutMs: 300 });
      const logger = await open();
      const dataTime = Date.UTC(2026, 10, 28, 5, 0, 0);
      const { values, parts } = splitHourly(mn, dataTime);
      const sent = parts.slice(1);
      for (const part of sent) logger.send(part);
      expect(await logger.waitForReplies(sent.length)).toHaveLength(sent.length);
      const observations = repositories(store()).observations;
      expect(await observations.range('hour', pointId, dataTime, dataTime + 1)).toEqual([]);
      if (how === 'drops') logger.close();
      if (how === 'is still connected when the gateway stops') {
        // Read at once: once stop() has resolved, everything is stored.
        await gateway.stop();
        gateway = undefined;
      }
      const deadline = how === 'is still connected when the gateway stops' ? 0 : Date.now() + 5000;
      let rows = await observations.range('hour', pointId, dataTime, dataTime + 1);
      while (rows.length === 0 && Date.now() < deadline) {
        await sleep(20);
        rows = await observations.range('hour', pointId, dataTime, dataTime + 1);
      }
      const inFirst = new Set(
        [...new TextDecoder().decode(parts[0]).matchAll(/(a9\d{4})-Avg/g)].map((m) => m[1] as string),
      );
      expect(inFirst.size).toBeGreaterThan(0);
      expect(rows.map((r) => r.factor_code).sort()).toEqual(
        Object.keys(values)
          .filter((code) => !inFirst.has(code))
          .sort(),
      );
      expect(rows.every((r) => r.frame_id === null)).toBe(true);
    });

  it('stores an unfinished split upload under its own point on a connection that carries several MNs', async () => {
    // One logger multiplexing two outlets: outlet A's split upload stops halfway; when it times out, the
    // frame that closes it is outlet B's — A's values still belong to A's point.
    const a = await insertPoint(store());
    const b = await insertPoint(store());
    gateway = await startGateway(store(), { subPacketTimeoutMs: 100 });
    const logger = await open();
    const dataTime = Date.UTC(2026, 10, 28, 6, 0, 0);
    const { parts } = splitHourly(a.mn, dataTime);
    logger.send(parts[1] as Uint8Array);
    await logger.waitForReplies(1);
    await sleep(150);
    logger.send(frameOf(upload(b.mn, PW, { cn: '2061', dataTime, values: { a21026: 7 } })));
    await logger.waitForReplies(2);
    const observations = repositories(store()).observations;
    const ofA = await observations.range('hour', a.pointId, dataTime, dataTime + 1);
    const ofB = await observations.range('hour', b.pointId, dataTime, dataTime + 1);
    expect(ofA.length).toBeGreaterThan(0);
    expect(ofA.every((r) => r.factor_code.startsWith('a9'))).toBe(true);
    expect(ofB.map((r) => [r.factor_code, r.avg])).toEqual([['a21026', 7]]);
  });

  it('answers the frames a logger sent before it half-closed, then ends the connection', async () => {
    // A logger (or a script with `nc -N`) may send its upload and shut its side down at once, reading the
    // 9014 on the half that is still open: the frame is stored and answered, and only then does the
    // gateway end its side.
    const { mn, pointId } = await insertPoint(store());
    gateway = await startGateway(store());
    const logger = await open();
    const dataTime = Date.UTC(2026, 10, 28, 3, 0, 0);
    const input = upload(mn, PW, { cn: '2061', dataTime, values: { a21026: 12.5 } });
    logger.socket.end(frameOf(input));
    const [ack] = await logger.waitForReplies(1);
    expect(ack?.message?.cn).toBe('9014');
    expect(ack?.message?.qn).toBe(input.qn);
    expect(await logger.waitClosed()).toBe(true);
    const rows = await repositories(store()).observations.range('hour', pointId, dataTime, dataTime + 1);
    expect(rows.map((r) => [r.factor_code, r.avg])).toEqual([['a21026', 12.5]]);
  });

  it('closes a connection that sends half a frame and stops (slowloris), and one that stays silent', async () => {
    gateway = await startGateway(store(), { partialFrameTimeoutMs: 300, idleTimeoutMs: 1500 });
    const slow = await open();
    slow.send('##0200QN=2026');
    const idle = await open();
    expect(await slow.waitClosed(4000)).toBe(true);
    expect(idle.closed).toBe(false);
    expect(await idle.waitClosed(4000)).toBe(true);
  });

  it('throttles an address that keeps failing authentication, and refuses its new connections', async () => {
    const { mn } = await insertPoint(store());
    gateway = await startGateway(store(), { authFailureLimit: 3, throttleMs: 60_000 });
    const logger = await open();
    for (let i = 0; i < 3; i++) logger.send(frameOf(upload(mn, 'bad')));
    expect(await logger.waitClosed()).toBe(true);
    const again = await open();
    expect(await again.waitClosed()).toBe(true);
    const events = await new PresenceRepository(store()).events({ mn });
    expect(events.filter((e) => e.kind === 'auth-failed').length).toBeGreaterThanOrEqual(3);
    expect(events.some((e) => e.kind === 'throttled')).toBe(true);
    expect(gateway.stats().refused).toBeGreaterThanOrEqual(1);
  });

  it('keeps the connection registry: online on the first trusted frame, offline on close, both recorded', async () => {
    const { mn, pointId } = await insertPoint(store());
    gateway = await startGateway(store());
    const logger = await open();
    logger.send(frameOf(upload(mn, PW)));
    await logger.waitForReplies(1);
    const link = gateway.online().find((l) => l.mn === mn);
    expect(link?.pointId).toBe(pointId);
    expect(link?.protocolVersion).toBe('2017');
    logger.close();
    await sleep(200);
    expect(gateway.online().some((l) => l.mn === mn)).toBe(false);
    await gateway.flushPresence();
    const presence = new PresenceRepository(store());
    const row = await presence.get(mn);
    expect(row?.online).toBe(0);
    expect(row?.frames_received).toBe(1);
    const kinds = (await presence.events({ mn })).map((e) => e.kind);
    expect(kinds).toEqual(['online', 'offline']);
  });

  it('keeps the newest connection: a late frame on the one it replaced does not take the device back', async () => {
    const { mn } = await insertPoint(store());
    gateway = await startGateway(store());
    const port = gateway.port;
    // The old connection's logger does not notice the gateway ending it and sends on (its side stays open).
    const old = await new Promise<Socket>((resolve) => {
      const s = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => resolve(s));
    });
    let oldEnded = false;
    old.on('end', () => {
      oldEnded = true;
    });
    old.on('error', () => undefined);
    old.on('data', () => undefined);
    old.write(frameOf(upload(mn, PW)));
    await sleep(200);
    const fresh = await open();
    fresh.send(frameOf(upload(mn, PW)));
    await fresh.waitForReplies(1);
    const deadline = Date.now() + 3000;
    while (!oldEnded && Date.now() < deadline) await sleep(10);
    expect(oldEnded).toBe(true);
    old.write(frameOf(upload(mn, PW)));
    await sleep(300);
    expect(fresh.closed).toBe(false);
    expect(gateway.online().find((l) => l.mn === mn)?.peer).toBe(
      `${fresh.socket.localAddress}:${fresh.socket.localPort}`,
    );
    fresh.send(frameOf(upload(mn, PW)));
    expect(await fresh.waitForReplies(2)).toHaveLength(2);
    old.destroy();
  });

  it('keeps a device offline whose connection closed while its first frame waited for the registry', async () => {
    const { mn } = await insertPoint(store());
    gateway = await startGateway(store());
    const live = gateway;
    const lookup = live.credentials.lookup.bind(live.credentials);
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    live.credentials.lookup = async (asked: string) => {
      await released;
      return lookup(asked);
    };
    const logger = await open();
    logger.send(frameOf(upload(mn, PW)));
    await sleep(100);
    logger.close();
    await sleep(200);
    release();
    await sleep(300);
    // The frame is still judged and kept (it was received), but the device is not left online.
    const archived = await new RawFrameRepository(store()).list({ mn });
    expect(archived.map((f) => f.verdict)).toEqual(['accepted']);
    expect(live.online().some((l) => l.mn === mn)).toBe(false);
    await live.flushPresence();
    const presence = new PresenceRepository(store());
    expect((await presence.get(mn))?.online).toBe(0);
    expect((await presence.events({ mn })).map((e) => e.kind)).toEqual(['online', 'offline']);
  });

  it('adds archived frames to the archive’s device index about every deviceIndexMs, and all of them on stop', async () => {
    const { mn } = await insertPoint(store());
    gateway = await startGateway(store(), { deviceIndexMs: 50 });
    // On SQLite (a file) a worker thread keeps the index, in a file of its own; on PostgreSQL the gateway.
    expect(gateway.stats().deviceIndexWorker).toBe(store().dialect === 'sqlite');
    const logger = await open();
    const index = new FrameDeviceIndex(store());
    for (let i = 0; i < 3; i++) {
      logger.send(frameOf(upload(mn, PW, { dataTime: Math.floor(Date.now() / 1000) * 1000 - i * 60_000 })));
      await logger.waitForReplies(i + 1);
    }
    const archived = await new RawFrameRepository(store()).list({ mn });
    expect(archived).toHaveLength(3);
    const last = archived.at(-1)?.id ?? Number.POSITIVE_INFINITY;
    for (let waited = 0; (await index.mark()) < last && waited < 2000; waited += 25) await sleep(25);
    expect(await index.mark()).toBeGreaterThanOrEqual(last);
    logger.send(frameOf(upload(mn, PW, { dataTime: Math.floor(Date.now() / 1000) * 1000 - 5 * 60_000 })));
    await logger.waitForReplies(4);
    await gateway.stop();
    gateway = undefined;
    const all = await new RawFrameRepository(store()).list({ mn });
    expect(await index.mark()).toBeGreaterThanOrEqual(all.at(-1)?.id ?? Number.POSITIVE_INFINITY);
    const indexed = await store()
      .db.selectFrom('raw_frame_device')
      .select('frame_id')
      .where('mn', '=', mn)
      .execute();
    expect(indexed.map((r) => Number(r.frame_id))).toEqual(all.map((f) => f.id));
  });

  it('records a wrong clock once when it goes wrong, not on every upload, and again after it was right', async () => {
    const { mn } = await insertPoint(store());
    gateway = await startGateway(store());
    const logger = await open();
    const H = 3_600_000;
    const base = Math.floor(Date.now() / 1000) * 1000;
    // Five real-time uploads 3 h behind (the logger's clock is wrong), one on time, two behind again.
    const dataTimes = [0, 1, 2, 3, 4].map((i) => base - 3 * H + i * 1000);
    dataTimes.push(base, base - 3 * H + 10_000, base - 3 * H + 11_000);
    for (const [i, dataTime] of dataTimes.entries()) {
      logger.send(frameOf(upload(mn, PW, { dataTime })));
      await logger.waitForReplies(i + 1);
    }
    const skews = (await new PresenceRepository(store()).events({ mn })).filter(
      (e) => e.kind === 'clock-skew',
    );
    expect(skews).toHaveLength(2);
    for (const e of skews) expect(e.detail?.skewMs).toBeLessThan(-3 * H + 20_000);
    // Every upload is still archived with its DataTime and receipt time.
    expect(gateway.stats().accepted).toBe(dataTimes.length);
    // Automatic time sync is off by default: the clock is recorded as wrong, not set.
    expect(await repositories(store()).downlinkCommands.list({ mn })).toEqual([]);
  });

  it('records clock skew on real-time data and answers a 1013 time request with 9013 then 1012', async () => {
    const { mn } = await insertPoint(store());
    gateway = await startGateway(store());
    const logger = await open();
    logger.send(frameOf(upload(mn, PW, { dataTime: Date.now() - 3 * 3_600_000 })));
    await logger.waitForReplies(1);
    const request = { qn: formatQn(Date.now()), st: '22', cn: '1013', pw: PW, mn, flag: 5, cp: [] };
    logger.send(encodeMessage(request));
    const replies = await logger.waitForReplies(3);
    expect(replies[1]?.message?.cn).toBe('9013');
    const setTime = replies[2]?.message;
    expect(setTime?.cn).toBe('1012');
    expect(setTime?.body.type).toBe('command');
    // The logger accepts and executes.
    const answer = (cn: string, key: string, value: string) =>
      encodeMessage({ qn: setTime?.qn, st: '91', cn, pw: PW, mn, flag: 4, cp: [[{ key, value }]] });
    logger.send(answer('9011', 'QnRtn', '1'));
    logger.send(answer('9012', 'ExeRtn', '1'));
    await sleep(300);
    const events = await new PresenceRepository(store()).events({ mn });
    expect(events.find((e) => e.kind === 'clock-skew')?.detail?.skewMs).toBeLessThan(-3_599_000 * 3 + 10_000);
    const [command] = await repositories(store()).downlinkCommands.list({ mn });
    expect([command?.command, command?.purpose, command?.state]).toEqual([
      'set-system-time',
      'time-sync',
      'succeeded',
    ]);
  });
});
