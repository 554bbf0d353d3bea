import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { DEMO_PASSWORD } from '../../src/accounts/demo-users.js';
import { QY_ERRORS } from '../../src/errors.js';
import { route } from '../../src/http/route.js';
import { ApiClient, type ApiFixture, apiFixture, NOW } from './harness.js';

const MINUTE = 60_000;
const STRONG = 'Sturdy#Pass2026';

/** A route that fails as a bug would: its message and stack must not reach the caller. */
const BROKEN = route({
  method: 'GET',
  url: '/test/broken',
  permission: 'public.read',
  summary: 'fails',
  tags: ['test'],
  handler: async () => {
    throw new Error('SELECT secret FROM user_account failed at /work/main/x.ts:1:2');
  },
});

const code = (r: LightMyRequestResponse) => (r.json() as { error?: { code?: string } }).error?.code;

let peerSeq = 0;
/** A distinct peer address per login, so the per-peer login throttle only bites where a test wants it. */
const nextPeer = () => `10.77.${Math.floor(peerSeq / 250)}.${(peerSeq++ % 250) + 1}`;

function login(app: FastifyInstance, username: string, password: string, peer = nextPeer()) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: peer,
    payload: { username, password },
  });
}

/** A client logged in as `username`, or the failed login's response. */
async function clientOf(app: FastifyInstance, username: string, password = STRONG): Promise<ApiClient> {
  const response = await login(app, username, password);
  if (response.statusCode !== 200) throw new Error(`login of ${username} failed: ${response.body}`);
  const client = new ApiClient(app);
  client.cookie = `qy_session=${response.cookies.find((c) => c.name === 'qy_session')?.value}`;
  client.csrfToken = response.json().csrfToken;
  return client;
}

for (const dialect of TEST_DIALECTS) {
  describe(`API security [${dialect}]`, () => {
    let fixture: ApiFixture;
    let app: FastifyInstance;
    let admin: ApiClient;
    let clock = NOW;
    let userSeq = 0;

    beforeAll(async () => {
      fixture = await apiFixture(dialect, {
        now: () => clock,
        sessionPolicy: { loginsPerPeerPerMinute: 5 },
        extraRoutes: [BROKEN],
      });
      app = fixture.app;
      admin = await clientOf(app, fixture.accounts.province_admin.username, DEMO_PASSWORD);
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    /** Moves the clock on, keeping the administrator's session alive. */
    async function advance(ms: number) {
      clock += ms;
      admin = await clientOf(app, fixture.accounts.province_admin.username, DEMO_PASSWORD);
    }

    /** A fresh county user with a known strong password. */
    async function newUser(): Promise<{ id: number; username: string }> {
      const username = `sec.user${userSeq++}`;
      const user = await app.services.accounts.provision(
        { username, displayName: '测试', role: 'county', regionCode: fixture.ids.home.region },
        STRONG,
      );
      return { id: user.id, username };
    }

    describe('malformed requests', () => {
      it('a body over the limit is 413 QY_E_PAYLOAD_TOO_LARGE', async () => {
        const big = JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1_048_576) });
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'content-type': 'application/json' },
          payload: big,
        });
        expect(response.statusCode).toBe(413);
        expect(code(response)).toBe('QY_E_PAYLOAD_TOO_LARGE');
      });

      it('malformed or empty JSON is 400 QY_E_MALFORMED_JSON', async () => {
        for (const payload of ['{"username":', '{username: "a"}', '', '[1,2', '\u0000']) {
          const response = await app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            headers: { 'content-type': 'application/json' },
            payload,
          });
          expect(response.statusCode, JSON.stringify(payload)).toBe(400);
          expect(code(response)).toBe('QY_E_MALFORMED_JSON');
        }
      });

      it('a body that is not JSON is 415 QY_E_UNSUPPORTED_MEDIA_TYPE', async () => {
        for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
          const response = await app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            headers: { 'content-type': type },
            payload: 'username=a&password=b',
          });
          expect(response.statusCode, type).toBe(415);
          expect(code(response)).toBe('QY_E_UNSUPPORTED_MEDIA_TYPE');
        }
      });

      it('a bad or over-long URL gets the catalogued error shape', async () => {
        const bad = await app.inject({ url: '/api/v1/enterprises/%E0%A4%A' });
        expect(bad.statusCode).toBe(400);
        expect(code(bad)).toBe('QY_E_VALIDATION');
        const long = await app.inject({ url: `/api/v1/enterprises/${'9'.repeat(500)}` });
        expect(long.statusCode).toBe(414);
        expect(code(long)).toBe('QY_E_VALIDATION');
      });

      it('an internal failure is 500 QY_E_INTERNAL, never its message or stack trace', async () => {
        const response = await app.inject({
          url: '/api/v1/test/broken',
          headers: { 'accept-language': 'en' },
        });
        expect(response.statusCode).toBe(500);
        expect(response.json()).toEqual({
          error: { code: 'QY_E_INTERNAL', message: QY_ERRORS.QY_E_INTERNAL.message },
        });
      });
    });

    describe('sessions', () => {
      it('session fixation: a cookie chosen before login is never a session; login issues a new id', async () => {
        const { username } = await newUser();
        const planted = 'attacker-chosen-session-id-0123456789';
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: nextPeer(),
          headers: { cookie: `qy_session=${planted}` },
          payload: { username, password: STRONG },
        });
        expect(response.statusCode).toBe(200);
        const issued = response.cookies.find((c) => c.name === 'qy_session')?.value;
        expect(issued).toBeDefined();
        expect(issued).not.toBe(planted);
        const fixated = await app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { cookie: `qy_session=${planted}` },
        });
        expect(fixated.statusCode).toBe(401);
        expect(code(fixated)).toBe('QY_E_UNAUTHENTICATED');
        // A second login gets yet another id; both are distinct, unguessable values.
        const again = await login(app, username, STRONG);
        const second = again.cookies.find((c) => c.name === 'qy_session')?.value;
        expect(second).not.toBe(issued);
        expect((issued as string).length).toBeGreaterThanOrEqual(40);
      });

      it('after logout the old cookie is dead', async () => {
        const { username } = await newUser();
        const client = await clientOf(app, username);
        expect((await client.get('/api/v1/auth/me')).statusCode).toBe(200);
        expect((await client.request('POST', '/api/v1/auth/logout')).statusCode).toBe(200);
        const after = await client.get('/api/v1/auth/me');
        expect(after.statusCode).toBe(401);
        expect(code(after)).toBe('QY_E_UNAUTHENTICATED');
      });

      it('the session cookie is HttpOnly, SameSite=Strict and path /', async () => {
        const { username } = await newUser();
        const response = await login(app, username, STRONG);
        const header = [response.headers['set-cookie']].flat().find((c) => c?.startsWith('qy_session='));
        expect(header).toMatch(/;\s*HttpOnly/i);
        expect(header).toMatch(/;\s*SameSite=Strict/i);
        expect(header).toMatch(/;\s*Path=\//i);
      });

      it('a session ends after 30 minutes idle, and 12 hours after login at the latest', async () => {
        const { username } = await newUser();
        const idle = await clientOf(app, username);
        clock += 29 * MINUTE;
        expect((await idle.get('/api/v1/auth/me')).statusCode).toBe(200);
        clock += 29 * MINUTE; // 58 min after login, 29 after the last request: the expiry slid
        expect((await idle.get('/api/v1/auth/me')).statusCode).toBe(200);
        clock += 31 * MINUTE;
        expect((await idle.get('/api/v1/auth/me')).statusCode).toBe(401);

        const busy = await clientOf(app, username);
        const start = clock;
        while (clock + 20 * MINUTE < start + 12 * 60 * MINUTE) {
          clock += 20 * MINUTE;
          expect((await busy.get('/api/v1/auth/me')).statusCode).toBe(200);
        }
        clock = start + 12 * 60 * MINUTE + 1;
        expect((await busy.get('/api/v1/auth/me')).statusCode).toBe(401);
        await advance(0);
      });
    });

    describe('CSRF', () => {
      it('a cookie-authenticated write without or with a wrong X-CSRF-Token is 403 QY_E_CSRF', async () => {
        const body = { name: 'csrf', permissions: ['registry.read'] };
        const missing = await admin.request('POST', '/api/v1/auth/tokens', { body, noCsrf: true });
        expect(missing.statusCode).toBe(403);
        expect(code(missing)).toBe('QY_E_CSRF');
        const wrong = await admin.request('POST', '/api/v1/auth/tokens', {
          body,
          noCsrf: true,
          headers: { 'x-csrf-token': 'not-the-token' },
        });
        expect(wrong.statusCode).toBe(403);
        expect(code(wrong)).toBe('QY_E_CSRF');
        // Another session's token is wrong too.
        const other = await clientOf(app, fixture.accounts.province.username, DEMO_PASSWORD);
        const crossed = await admin.request('POST', '/api/v1/auth/tokens', {
          body,
          noCsrf: true,
          headers: { 'x-csrf-token': other.csrfToken as string },
        });
        expect(code(crossed)).toBe('QY_E_CSRF');
        expect((await admin.request('POST', '/api/v1/auth/tokens', { body })).statusCode).toBe(201);
      });

      it('a token created with expiresAt null never expires (null is not read as 0)', async () => {
        const created = await admin.request('POST', '/api/v1/auth/tokens', {
          body: { name: 'no expiry', permissions: ['registry.read'], expiresAt: null },
        });
        expect(created.statusCode, created.body).toBe(201);
        expect(created.json().expiresAt ?? null).toBeNull();
        const bearer = { authorization: `Bearer ${created.json().token as string}` };
        expect((await app.inject({ url: '/api/v1/enterprises', headers: bearer })).statusCode).toBe(200);
      });

      it('reads need no CSRF token, and bearer-token calls need none', async () => {
        expect((await admin.get('/api/v1/auth/me')).statusCode).toBe(200);
        const created = await admin.request('POST', '/api/v1/auth/tokens', {
          body: { name: 'machine', permissions: ['users.manage'] },
        });
        const token = created.json().token as string;
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: { authorization: `Bearer ${token}` },
          payload: {
            username: `bearer.${userSeq++}`,
            displayName: '令牌创建',
            role: 'county',
            regionCode: fixture.ids.home.region,
          },
        });
        expect(response.statusCode, response.body).toBe(201);
      });
    });

    describe('logins', () => {
      it('5 wrong passwords lock the account, even against the right password, until the lock time passes', async () => {
        const { username } = await newUser();
        for (let i = 1; i <= 4; i++) {
          const wrong = await login(app, username, `Wrong#Pass${i}x`);
          expect(code(wrong)).toBe('QY_E_LOGIN_FAILED');
        }
        const fifth = await login(app, username, 'Wrong#Pass5x');
        expect(fifth.statusCode).toBe(423);
        expect(code(fifth)).toBe('QY_E_ACCOUNT_LOCKED');
        expect(code(await login(app, username, STRONG))).toBe('QY_E_ACCOUNT_LOCKED');
        clock += 14 * MINUTE;
        expect(code(await login(app, username, STRONG))).toBe('QY_E_ACCOUNT_LOCKED');
        clock += 1 * MINUTE + 1;
        expect((await login(app, username, STRONG)).statusCode).toBe(200);
        await advance(0);
      });

      it('an unknown user and a wrong password answer alike', async () => {
        const { username } = await newUser();
        const unknown = await login(app, 'no.such.user', 'Wrong#Pass1x');
        const wrong = await login(app, username, 'Wrong#Pass1x');
        expect([unknown.statusCode, code(unknown)]).toEqual([401, 'QY_E_LOGIN_FAILED']);
        expect([wrong.statusCode, code(wrong)]).toEqual([401, 'QY_E_LOGIN_FAILED']);
        expect(unknown.json().error.message).toBe(wrong.json().error.message);
      });

      it('logins are throttled per peer address (QY_E_RATE_LIMITED), not for other peers', async () => {
        const peer = '10.99.0.1';
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++)
          statuses.push((await login(app, `no.such.${i}`, 'Wrong#Pass1x', peer)).statusCode);
        expect(statuses).toEqual([401, 401, 401, 401, 401]);
        const limited = await login(app, fixture.accounts.city.username, DEMO_PASSWORD, peer);
        expect(limited.statusCode).toBe(429);
        expect(code(limited)).toBe('QY_E_RATE_LIMITED');
        expect(
          (await login(app, fixture.accounts.city.username, DEMO_PASSWORD, '10.99.0.2')).statusCode,
        ).toBe(200);
        clock += MINUTE + 1;
        expect((await login(app, fixture.accounts.city.username, DEMO_PASSWORD, peer)).statusCode).toBe(200);
        await advance(0);
      });

      it('a disabled user cannot log in and their sessions and tokens end', async () => {
        const { id, username } = await newUser();
        const client = await clientOf(app, username);
        const token = (
          await client.request('POST', '/api/v1/auth/tokens', {
            body: { name: 't', permissions: ['registry.read'] },
          })
        ).json().token as string;
        const bearer = { authorization: `Bearer ${token}` };
        expect((await app.inject({ url: '/api/v1/enterprises', headers: bearer })).statusCode).toBe(200);
        const disabled = await admin.request('PATCH', `/api/v1/users/${id}`, {
          body: { status: 'disabled' },
        });
        expect(disabled.statusCode, disabled.body).toBe(200);
        expect((await client.get('/api/v1/auth/me')).statusCode).toBe(401);
        expect((await app.inject({ url: '/api/v1/enterprises', headers: bearer })).statusCode).toBe(401);
        const again = await login(app, username, STRONG);
        expect([again.statusCode, code(again)]).toEqual([403, 'QY_E_ACCOUNT_DISABLED']);
      });
    });

    describe('passwords', () => {
      it('the password policy is enforced (QY_E_PASSWORD_POLICY)', async () => {
        const { username } = await newUser();
        const client = await clientOf(app, username);
        for (const next of ['Sh0rt#', 'alllowercase123', `Xx#1${username}`, STRONG, 'ONLYUPPER#####']) {
          const response = await client.request('POST', '/api/v1/auth/password', {
            body: { current: STRONG, next },
          });
          expect([response.statusCode, code(response)], next).toEqual([400, 'QY_E_PASSWORD_POLICY']);
        }
        const wrong = await client.request('POST', '/api/v1/auth/password', {
          body: { current: 'Not#TheCurrent1', next: 'Another#Passw0rd' },
        });
        expect(code(wrong)).toBe('QY_E_PASSWORD_WRONG');
        expect((await client.get('/api/v1/auth/me')).statusCode).toBe(200);
      });

      it('a password change ends the other sessions; only the new password logs in', async () => {
        const { username } = await newUser();
        const a = await clientOf(app, username);
        const b = await clientOf(app, username);
        const next = 'Changed#Passw0rd';
        const changed = await a.request('POST', '/api/v1/auth/password', { body: { current: STRONG, next } });
        expect(changed.statusCode, changed.body).toBe(200);
        expect((await b.get('/api/v1/auth/me')).statusCode).toBe(401);
        expect(code(await login(app, username, STRONG))).toBe('QY_E_LOGIN_FAILED');
        expect((await login(app, username, next)).statusCode).toBe(200);
      });
    });

    describe('API tokens', () => {
      it('a revoked token is refused at once', async () => {
        const created = await admin.request('POST', '/api/v1/auth/tokens', {
          body: { name: 'revoke me', permissions: ['registry.read'] },
        });
        const { token, view } = created.json() as { token: string; view: { id: number } };
        const bearer = { authorization: `Bearer ${token}` };
        expect((await app.inject({ url: '/api/v1/enterprises', headers: bearer })).statusCode).toBe(200);
        const revoked = await admin.request('DELETE', `/api/v1/auth/tokens/${view.id}`);
        expect(revoked.statusCode).toBe(200);
        const after = await app.inject({ url: '/api/v1/enterprises', headers: bearer });
        expect([after.statusCode, code(after)]).toEqual([401, 'QY_E_UNAUTHENTICATED']);
        const forged = await app.inject({
          url: '/api/v1/enterprises',
          headers: { authorization: `Bearer ${token.slice(0, -2)}xx` },
        });
        expect(forged.statusCode).toBe(401);
      });

      it('a token cannot carry permissions its user lacks, nor self.manage', async () => {
        const county = await clientOf(app, fixture.accounts.county.username, DEMO_PASSWORD);
        for (const permissions of [['users.manage'], ['registry.read', 'audit.read'], ['self.manage']]) {
          const response = await county.request('POST', '/api/v1/auth/tokens', {
            body: { name: 'escalate', permissions },
          });
          expect([response.statusCode, code(response)], permissions.join()).toEqual([400, 'QY_E_VALIDATION']);
        }
      });

      it("a token's permissions narrow its user's", async () => {
        const created = await admin.request('POST', '/api/v1/auth/tokens', {
          body: { name: 'narrow', permissions: ['registry.read'] },
        });
        const bearer = { authorization: `Bearer ${created.json().token}` };
        expect((await app.inject({ url: '/api/v1/enterprises', headers: bearer })).statusCode).toBe(200);
        for (const url of ['/api/v1/users', '/api/v1/audit', '/api/v1/auth/me']) {
          const response = await app.inject({ url, headers: bearer });
          expect([response.statusCode, code(response)], url).toEqual([403, 'QY_E_FORBIDDEN']);
        }
      });
    });

    describe('audit log', () => {
      it('a row changed behind the API breaks verification at that row', async () => {
        const before = await admin.get('/api/v1/audit/verify');
        expect(before.json()).toMatchObject({ ok: true });
        const row = await fixture.store.db
          .selectFrom('audit_log')
          .select(['id', 'actor_name'])
          .orderBy('id')
          .offset(2)
          .limit(1)
          .executeTakeFirstOrThrow();
        const tamper = (actorName: string) =>
          fixture.store.db
            .updateTable('audit_log')
            .set({ actor_name: actorName })
            .where('id', '=', row.id)
            .execute();
        await tamper('someone else');
        const broken = await admin.get('/api/v1/audit/verify');
        expect(broken.json()).toMatchObject({ ok: false, brokenAt: Number(row.id), reason: 'hash' });
        await tamper(row.actor_name);
        expect((await admin.get('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
      });
    });

    describe('responses', () => {
      it('carry the security headers', async () => {
        for (const url of ['/api/v1/auth/me', '/api/v1/nowhere', '/healthz']) {
          const { headers } = await admin.get(url);
          expect(headers['content-security-policy'], url).toContain("default-src 'self'");
          expect(headers['x-content-type-options']).toBe('nosniff');
          expect(headers['x-frame-options']).toBe('SAMEORIGIN');
          expect(headers['strict-transport-security']).toBeDefined();
          expect(headers['referrer-policy']).toBe('no-referrer');
          expect(headers['x-powered-by']).toBeUndefined();
        }
      });

      it('errors are in Chinese by default and in English on Accept-Language: en', async () => {
        const zh = await app.inject({ url: '/api/v1/users' });
        expect(zh.json()).toEqual({
          error: { code: 'QY_E_UNAUTHENTICATED', message: QY_ERRORS.QY_E_UNAUTHENTICATED.zh },
        });
        const en = await app.inject({
          url: '/api/v1/users',
          headers: { 'accept-language': 'en-GB,en;q=0.9' },
        });
        expect(en.json().error.message).toBe(QY_ERRORS.QY_E_UNAUTHENTICATED.message);
        const zhFirst = await app.inject({
          url: '/api/v1/users',
          headers: { 'accept-language': 'zh-CN,en;q=0.5' },
        });
        expect(zhFirst.json().error.message).toBe(QY_ERRORS.QY_E_UNAUTHENTICATED.zh);
      });

      it('never include a password hash, token hash or session secret', async () => {
        const made = await admin.request('POST', '/api/v1/users', {
          body: {
            username: `nohash.${userSeq++}`,
            displayName: '无哈希',
            role: 'county',
            regionCode: fixture.ids.home.region,
          },
        });
        const token = await admin.request('POST', '/api/v1/auth/tokens', {
          body: { name: 'nohash', permissions: ['registry.read'] },
        });
        const bodies = [
          made,
          token,
          await admin.get('/api/v1/auth/me'),
          await admin.get('/api/v1/users'),
          await admin.get('/api/v1/auth/tokens'),
          await admin.get('/api/v1/audit'),
        ].map((r) => r.body);
        for (const body of bodies) {
          expect(body).not.toMatch(/password_?hash|token_?hash|id_?hash|scrypt\$/i);
          expect(body).not.toContain(admin.cookie?.replace('qy_session=', '') as string);
        }
      });
    });
  });
}
