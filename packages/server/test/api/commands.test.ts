import { Gateway } from '@qingyuan/gateway';
import { encodeMessage, formatBeijingTime } from '@qingyuan/hj212';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameOf, TestLogger, upload } from '../../../gateway/test/helpers.js';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { DEMO_PASSWORD } from '../../src/accounts/demo-users.js';
import { buildApp } from '../../src/http/app.js';
import { auditRows } from './data-helpers.js';
import { ApiClient, type ApiFixture, apiFixture, NOW } from './harness.js';

const PW = '123456';

/** The data logger's answer to a request (same QN), HJ 212-2017 style. */
const answer = (mn: string, qn: string | undefined, cn: string, key: string, value: string) =>
  encodeMessage({
    ...(qn === undefined ? {} : { qn }),
    st: '91',
    cn,
    pw: PW,
    mn,
    flag: 4,
    cp: [[{ key, value }]],
  });

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    value = await probe();
  }
  return value;
}

for (const dialect of TEST_DIALECTS) {
  describe(`commands API [${dialect}]`, () => {
    let fixture: ApiFixture;
    let gateway: Gateway;
    let logger: TestLogger;
    /** The same store, with a gateway running in the process. */
    let live: FastifyInstance;
    const session = async (role: 'city' | 'om_contractor' | 'province' | 'enterprise') => {
      const client = new ApiClient(live);
      const response = await client.login(fixture.accounts[role].username, DEMO_PASSWORD);
      expect(response.statusCode).toBe(200);
      return client;
    };

    beforeAll(async () => {
      fixture = await apiFixture(dialect, { sessionPolicy: { loginsPerPeerPerMinute: 1000 } });
      const { home } = fixture.ids;
      await fixture.store.db
        .updateTable('monitoring_point')
        .set({
          status: 'running',
          password: PW,
          protocol_version: '2017',
          crc_variants: 'hj212',
          allowed_peers: null,
        })
        .where('id', '=', home.point)
        .execute();
      gateway = new Gateway(fixture.store, { port: 0, host: '127.0.0.1', backfill: false });
      await gateway.start();
      live = await buildApp({
        store: fixture.store,
        gateway,
        now: () => NOW,
        sessionPolicy: { loginsPerPeerPerMinute: 1000 },
      });
      logger = await TestLogger.connect(gateway.port);
      logger.send(frameOf(upload(home.mn, PW)));
      await logger.waitForReplies(1);
    }, 120_000);
    afterAll(async () => {
      logger?.close();
      await live?.close();
      await gateway?.stop();
      await fixture?.dispose();
    });

    it('checks permission and scope before the gateway; without a gateway the device is unreachable (409)', async () => {
      const { home, away } = fixture.ids;
      const city = await fixture.client('city');
      const url = (point: number) => `/api/v1/points/${point}/commands`;
      const offline = await city.request('POST', url(home.point), { body: { command: 'get-system-time' } });
      expect([offline.statusCode, offline.json().error.code]).toEqual([409, 'QY_E_DEVICE_OFFLINE']);
      const foreign = await city.request('POST', url(away.point), { body: { command: 'get-system-time' } });
      expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'QY_E_NOT_FOUND']);
      const enterprise = await fixture.client('enterprise');
      const denied = await enterprise.request('POST', url(home.point), {
        body: { command: 'get-system-time' },
      });
      expect(denied.statusCode).toBe(403);
      const unknown = await city.request('POST', url(home.point), { body: { command: 'set-password' } });
      expect([unknown.statusCode, unknown.json().error.code]).toEqual([400, 'QY_E_VALIDATION']);
    });

    it('sends a command to an online device, answers 202 at once, then shows its 9011 and 9012', async () => {
      const { home } = fixture.ids;
      const city = await session('city');
      const response = await city.request('POST', `/api/v1/points/${home.point}/commands`, {
        body: { command: 'get-system-time' },
      });
      expect(response.statusCode, response.body).toBe(202);
      const sent = response.json();
      expect(sent).toMatchObject({
        pointId: home.point,
        mn: home.mn,
        command: 'get-system-time',
        cn: '1011',
        purpose: 'operator',
        requestedBy: expect.stringMatching(/^user:\d+$/),
      });
      expect(['pending', 'sent']).toContain(sent.state);
      const request = (await logger.waitForReplies(2))[1]?.message;
      expect([request?.cn, request?.qn]).toEqual(['1011', sent.qn]);
      const clock = Date.UTC(2026, 10, 20, 3, 59, 30);
      logger.send(answer(home.mn, sent.qn, '9011', 'QnRtn', '1'));
      logger.send(answer(home.mn, sent.qn, '1011', 'SystemTime', formatBeijingTime(clock)));
      logger.send(answer(home.mn, sent.qn, '9012', 'ExeRtn', '1'));
      const done = await until(
        async () => (await city.get(`/api/v1/commands/${sent.id}`)).json(),
        (c) => c.state === 'succeeded' && c.result?.['1011'] !== undefined,
      );
      expect(done).toMatchObject({ state: 'succeeded', attempts: 1, qnRtn: 1, exeRtn: 1 });
      expect(done.result['1011']).toEqual({ systemTime: clock, polId: null });
      const audit = await auditRows(fixture.store, 'command.send', sent.id);
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]?.after_json ?? '{}')).toMatchObject({
        mn: home.mn,
        command: 'get-system-time',
        cn: '1011',
        params: {},
      });
    });

    it('lets a contractor command the points of its contracts only, with valid parameters', async () => {
      const { home, away } = fixture.ids;
      const contractor = await session('om_contractor');
      const url = (point: number) => `/api/v1/points/${point}/commands`;
      const begin = Date.UTC(2026, 10, 19, 16);
      const history = await contractor.request('POST', url(home.point), {
        body: { command: 'get-hour-data', params: { BeginTime: begin, EndTime: begin + 6 * 3_600_000 } },
      });
      expect(history.statusCode, history.body).toBe(202);
      expect(history.json()).toMatchObject({ cn: '2061', params: { BeginTime: begin } });
      const request = (await logger.waitForReplies(3))[2]?.message;
      expect(request?.cn).toBe('2061');
      expect(
        JSON.parse(
          (await auditRows(fixture.store, 'command.send', history.json().id))[0]?.after_json ?? '{}',
        ),
      ).toMatchObject({ command: 'get-hour-data', params: { BeginTime: begin } });
      const invalid = await contractor.request('POST', url(home.point), {
        body: { command: 'set-realtime-interval', params: { RtdInterval: 5 } },
      });
      expect([invalid.statusCode, invalid.json().error.code]).toEqual([400, 'QY_E_VALIDATION']);
      const foreign = await contractor.request('POST', url(away.point), {
        body: { command: 'get-system-time' },
      });
      expect(foreign.statusCode).toBe(404);
      // The province may command `away`, but its logger is not connected.
      const province = await session('province');
      const offline = await province.request('POST', url(away.point), {
        body: { command: 'get-system-time' },
      });
      expect([offline.statusCode, offline.json().error.code]).toEqual([409, 'QY_E_DEVICE_OFFLINE']);
    });

    it('lists and shows only the commands of points in scope', async () => {
      const { home, away } = fixture.ids;
      const contractor = await session('om_contractor');
      const list = (await contractor.get('/api/v1/commands')).json();
      const ids = list.map((c: { id: number }) => c.id);
      expect(ids).toContain(home.command);
      expect(ids).not.toContain(away.command);
      expect(list.every((c: { pointId: number }) => c.pointId === home.point)).toBe(true);
      const succeeded = (await contractor.get('/api/v1/commands', { state: 'succeeded' })).json();
      expect(succeeded.map((c: { command: string }) => c.command)).toEqual(['get-system-time']);
      const theirs = await contractor.get(`/api/v1/commands/${away.command}`);
      expect([theirs.statusCode, theirs.json().error.code]).toEqual([404, 'QY_E_NOT_FOUND']);
      const province = await session('province');
      expect((await province.get(`/api/v1/commands/${away.command}`)).json().mn).toBe(away.mn);
      const enterprise = await session('enterprise');
      expect((await enterprise.get('/api/v1/commands')).statusCode).toBe(403);
    });
  });
}
