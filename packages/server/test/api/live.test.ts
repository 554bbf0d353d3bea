import { repositories } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { DEMO_PASSWORD } from '../../src/accounts/demo-users.js';
import { buildApp } from '../../src/http/app.js';
import type { LiveHub } from '../../src/live/live-hub.js';
import { ApiClient, type ApiFixture, apiFixture, NOW } from './harness.js';

/** The `data:` payloads of an SSE body, per event name. */
function events(body: string): { event: string; data: { pointId: number; alarm?: { type: string } } }[] {
  return body
    .split('\n\n')
    .filter((block) => block.startsWith('event: '))
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return { event: (eventLine as string).slice(7), data: JSON.parse((dataLine as string).slice(6)) };
    });
}

for (const dialect of TEST_DIALECTS) {
  describe(`live updates and metrics [${dialect}]`, () => {
    let fixture: ApiFixture;
    beforeAll(async () => {
      fixture = await apiFixture(dialect);
    }, 60_000);
    afterAll(async () => fixture?.dispose());

    it('streams alarm changes of in-scope points only, as Server-Sent Events', async () => {
      const hub = fixture.app.services.ctx.live as LiveHub;
      const city = await fixture.client('city');
      const pending = city.get('/api/v1/live/events', { timeoutMs: '1500' });
      for (let i = 0; i < 100 && hub.listeners === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(hub.listeners).toBe(1);
      const alarms = repositories(fixture.store).alarms;
      for (const side of [fixture.ids.home, fixture.ids.away])
        await alarms.save(
          {
            pointId: side.point,
            factorCode: 'w01018',
            type: 'exceedance',
            openedAt: NOW - 3_600_000,
            closedAt: null,
            peakValue: 120,
            limitValue: 100,
            detail: {},
            ruleVersion: 't',
          },
          Date.now() + 1000,
        );
      await hub.pollAlarms();
      const response = await pending;
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
      const received = events(response.body).filter((e) => e.event === 'alarm');
      // The fixture's own alarms (changed a moment before) come too — but only the home point's.
      expect(new Set(received.map((e) => e.data.pointId))).toEqual(new Set([fixture.ids.home.point]));
      expect(received.map((e) => e.data.alarm?.type)).toContain('exceedance');
      expect(hub.listeners).toBe(0);
    });

    it('shares a live answer only between callers of the same scope', async () => {
      const app = await buildApp({ store: fixture.store, now: () => NOW, liveCacheMs: 60_000 });
      try {
        const pointsSeen = async (role: 'city' | 'enterprise' | 'county') => {
          const client = new ApiClient(app);
          await client.login(fixture.accounts[role].username, DEMO_PASSWORD);
          const body = (await client.get('/api/v1/live')).json() as { points: { pointId: number }[] };
          return body.points.map((p) => p.pointId).sort((a, b) => a - b);
        };
        const city = await pointsSeen('city');
        const enterprise = await pointsSeen('enterprise');
        const county = await pointsSeen('county');
        expect(city).toContain(fixture.ids.home.point);
        expect(enterprise.length).toBeLessThan(city.length);
        expect(county.length).toBeLessThanOrEqual(city.length);
        expect(enterprise).toEqual(await pointsSeen('enterprise'));
      } finally {
        await app.close();
      }
    });

    it('refuses the stream to the public and to roles without data.read', async () => {
      const publicClient = await fixture.client('public');
      const response = await publicClient.get('/api/v1/live/events', { timeoutMs: '10' });
      expect([response.statusCode, response.json().error.code]).toEqual([401, 'QY_E_UNAUTHENTICATED']);
    });

    it('serves Prometheus metrics with HTTP latency and errors by code', async () => {
      const client = await fixture.client('public');
      await client.get('/api/v1/no-such-route');
      const metrics = (await client.get('/metrics')).body;
      expect(metrics).toMatch(/qingyuan_http_errors_total\{code="QY_E_NOT_FOUND"\} [1-9]/);
      expect(metrics).toMatch(
        /qingyuan_http_request_seconds_count\{method="POST",route="\/api\/v1\/auth\/login",status="200"\} [1-9]/,
      );
    });
  });
}
