import { dayStart, MINUTE_MS } from '@qingyuan/domain';
import { repositories, type Store } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { DEMO_PASSWORD } from '../../src/accounts/demo-users.js';
import { buildApp } from '../../src/http/app.js';
import type { LiveStatus } from '../../src/services/monitoring/live.js';
import type { Overview } from '../../src/services/monitoring/overview.js';
import { ApiClient, type ApiFixture, apiFixture, NOW } from './harness.js';

const API = '/api/v1';

/** Each enterprise of the city made to hold the facts of one state. */
type Case =
  | 'normal'
  | 'valueOver'
  | 'exceedanceAlarm'
  | 'anomaly'
  | 'warningOnly'
  | 'offline'
  | 'suspended'
  | 'allStopped';
const CASES: readonly Case[] = [
  'normal',
  'valueOver',
  'exceedanceAlarm',
  'anomaly',
  'warningOnly',
  'offline',
  'suspended',
  'allStopped',
];
const EXPECTED: Record<Case, string> = {
  normal: 'normal',
  valueOver: 'exceeding',
  exceedanceAlarm: 'exceeding',
  anomaly: 'anomaly',
  warningOnly: 'normal',
  offline: 'offline',
  suspended: 'stopped',
  allStopped: 'stopped',
};

async function pointsOf(store: Store, enterpriseId: number) {
  return store.db
    .selectFrom('monitoring_point as p')
    .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
    .select(['p.id', 'p.mn', 'o.kind'])
    .where('o.enterprise_id', '=', enterpriseId)
    .orderBy('p.id')
    .execute();
}

/** A factor of the point with an upper limit (the hourly one; water: the daily one), and that limit. */
async function limitedFactor(store: Store, pointId: number, kind: string) {
  const factors = await store.db
    .selectFrom('point_factor')
    .selectAll()
    .where('point_id', '=', pointId)
    .where('factor_code', '!=', 'w01001')
    .orderBy('factor_code')
    .execute();
  for (const f of factors) {
    const limit = f.hour_limit ?? (kind === 'water' ? f.day_limit : null);
    if (limit !== null) return { code: f.factor_code, limit };
  }
  return undefined;
}

for (const dialect of TEST_DIALECTS) {
  describe(`GET /overview [${dialect}]`, () => {
    let fixture: ApiFixture;
    let city: ApiClient;
    const cases = new Map<Case, number>();

    beforeAll(async () => {
      fixture = await apiFixture(dialect, { sessionPolicy: { loginsPerPeerPerMinute: 1000 } });
      city = await fixture.client('city');
      const { store } = fixture;
      const db = store.db;
      const repos = repositories(store);
      // Active enterprises with a limited factor (not the fixture's `home` or `away`), moved into the
      // city's region (home's county), each to hold the facts of one case.
      const candidates = await db
        .selectFrom('enterprise')
        .select('id')
        .where('status', '=', 'active')
        .where('id', 'not in', [fixture.ids.home.enterprise, fixture.ids.away.enterprise])
        .orderBy('id')
        .execute();
      for (const c of candidates) {
        if (cases.size === CASES.length) break;
        const id = Number(c.id);
        const points = await pointsOf(store, id);
        const first = points[0];
        if (first === undefined || (await limitedFactor(store, Number(first.id), first.kind)) === undefined)
          continue;
        await db
          .updateTable('enterprise')
          .set({ region_code: fixture.ids.home.region })
          .where('id', '=', id)
          .execute();
        cases.set(CASES[cases.size] as Case, id);
      }
      if (cases.size < CASES.length) throw new Error('the demo registry has too few enterprises with limits');

      const alarm = (pointId: number, type: string) =>
        repos.alarms.save(
          {
            pointId,
            factorCode: null,
            type,
            openedAt: NOW - 3_600_000,
            closedAt: null,
            peakValue: null,
            limitValue: null,
            detail: {},
            ruleVersion: 'test',
          },
          NOW,
        );
      for (const [kind, enterpriseId] of cases) {
        const points = await pointsOf(store, enterpriseId);
        const ids = points.map((p) => Number(p.id));
        await db.deleteFrom('alarm').where('point_id', 'in', ids).execute();
        await db
          .updateTable('monitoring_point')
          .set({ status: kind === 'allStopped' ? 'stopped' : 'running' })
          .where('id', 'in', ids)
          .execute();
        if (kind === 'suspended')
          await db
            .updateTable('enterprise')
            .set({ status: 'suspended' })
            .where('id', '=', enterpriseId)
            .execute();
        // Online (every point) except the offline case; its presence rows say offline.
        await repos.presence.upsert(
          points.map((p) => ({
            mn: p.mn,
            pointId: Number(p.id),
            online: kind !== 'offline',
            since: NOW - 3_600_000,
            lastSeenAt: NOW - MINUTE_MS,
            peer: '127.0.0.1:1',
            gateway: 'test',
            protocolVersion: '2017',
            framesReceived: 1,
            framesRejected: 0,
            duplicates: 0,
          })),
          NOW,
        );
        const first = points[0] as (typeof points)[number];
        const factor = await limitedFactor(store, Number(first.id), first.kind);
        if (factor === undefined) throw new Error('no limited factor');
        const value = kind === 'valueOver' ? factor.limit * 2 : factor.limit / 2;
        await repos.observations.write('realtime', [
          {
            pointId: Number(first.id),
            factorCode: factor.code,
            periodStart: NOW - 2 * MINUTE_MS,
            values: { rtd: value, zs_rtd: value },
            dataFlag: 'N',
            source: 'das',
            receivedAt: NOW - MINUTE_MS,
          },
        ]);
        if (kind === 'exceedanceAlarm') await alarm(Number(first.id), 'hourly-exceedance');
        if (kind === 'anomaly') await alarm(Number(first.id), 'constant-value');
        if (kind === 'warningOnly') await alarm(Number(first.id), 'hourly-early-warning');
        // 'offline' is a state of its own, not an anomaly.
        if (kind === 'offline') await alarm(Number(first.id), 'offline');
      }
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    it('gives every enterprise in scope its coordinates and the state its facts make', async () => {
      const response = await city.get(`${API}/overview`);
      expect(response.statusCode).toBe(200);
      const overview = response.json() as Overview;
      const byId = new Map(overview.enterprises.map((e) => [e.id, e]));
      expect(byId.has(fixture.ids.home.enterprise)).toBe(true);
      expect(byId.has(fixture.ids.away.enterprise)).toBe(false);
      for (const [kind, id] of cases) expect([kind, byId.get(id)?.state]).toEqual([kind, EXPECTED[kind]]);
      const one = byId.get(cases.get('normal') as number);
      expect(Object.keys(one ?? {}).sort()).toEqual([
        'id',
        'latitude',
        'longitude',
        'name',
        'regionCode',
        'state',
      ]);
      expect(one?.regionCode).toMatch(/^4201/);
      const registered = await fixture.store.db
        .selectFrom('enterprise')
        .select(['name', 'longitude', 'latitude'])
        .where('id', '=', one?.id as number)
        .executeTakeFirstOrThrow();
      expect(one).toMatchObject({
        name: registered.name,
        longitude: registered.longitude === null ? null : Number(registered.longitude),
        latitude: registered.latitude === null ? null : Number(registered.latitude),
      });
      // No factor values: a few dozen bytes per enterprise.
      expect(JSON.stringify(overview.enterprises).length / overview.enterprises.length).toBeLessThan(200);
    });

    it('agrees with GET /live on values over their limit, and with the alarm and registry answers on the figures', async () => {
      const overview = (await city.get(`${API}/overview`)).json() as Overview;
      const live = (await city.get(`${API}/live`)).json() as LiveStatus;
      const summary = (await city.get(`${API}/alarms/summary`)).json() as {
        total: { open: number };
        byType: { type: string; open: number }[];
      };
      const enterprises = (await city.get(`${API}/enterprises`, { limit: '5000' })).json() as unknown[];
      const alarms = (await city.get(`${API}/alarms`, { limit: '1000' })).json() as {
        type: string;
        openedAt: number;
      }[];
      const today = dayStart(NOW);
      const running = live.points.filter((p) => p.status === 'running');
      expect(overview.figures).toEqual({
        enterprises: enterprises.length,
        points: live.points.length,
        running: running.length,
        online: running.filter((p) => p.online).length,
        openAlarms: summary.total.open,
        openByType: summary.byType.filter((t) => t.open > 0).map(({ type, open }) => ({ type, open })),
        // Hourly and daily exceedances (not their early warnings) opened since the Beijing day began.
        exceedancesToday: alarms.filter(
          (a) => /^(hourly|daily)-exceedance$/.test(a.type) && a.openedAt >= today && a.openedAt < NOW,
        ).length,
      });
      expect(overview.figures.exceedancesToday).toBe(1);
      expect(overview.figures.online).toBeGreaterThan(0);
      expect(overview.figures.openAlarms).toBeGreaterThan(0);
      // Every enterprise with a running point whose live value is over its limit is exceeding.
      const over = new Set(
        running.filter((p) => p.factors.some((f) => f.exceeding === true)).map((p) => p.enterpriseId),
      );
      expect(over.has(cases.get('valueOver') as number)).toBe(true);
      for (const e of overview.enterprises)
        if (over.has(e.id)) expect([e.id, e.state]).toEqual([e.id, 'exceeding']);
    });

    it('keeps each caller to its scope: the enterprise its own, the province everything', async () => {
      const enterprise = (
        await (await fixture.client('enterprise')).get(`${API}/overview`)
      ).json() as Overview;
      expect(enterprise.enterprises.map((e) => e.id)).toEqual([fixture.ids.home.enterprise]);
      expect(enterprise.figures.enterprises).toBe(1);
      const province = (await (await fixture.client('province')).get(`${API}/overview`)).json() as Overview;
      const ids = province.enterprises.map((e) => e.id);
      expect(ids).toContain(fixture.ids.away.enterprise);
      const total = await fixture.store.db
        .selectFrom('enterprise')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(province.figures.enterprises).toBe(Number(total.n));
      // A contractor: the enterprises of its contracts in force, as the registry lists them.
      const om = await fixture.client('om_contractor');
      const contractor = (await om.get(`${API}/overview`)).json() as Overview;
      const listed = (await om.get(`${API}/enterprises`, { limit: '5000' })).json() as { id: number }[];
      expect(contractor.enterprises.map((e) => e.id)).toEqual(listed.map((e) => e.id).sort((a, b) => a - b));
      expect(contractor.enterprises.map((e) => e.id)).toContain(fixture.ids.home.enterprise);
      expect(contractor.enterprises.map((e) => e.id)).not.toContain(fixture.ids.away.enterprise);
    });

    it('refuses the public', async () => {
      const response = await (await fixture.client('public')).get(`${API}/overview`);
      expect([response.statusCode, response.json().error.code]).toEqual([401, 'QY_E_UNAUTHENTICATED']);
    });

    it('shares one answer per scope for the cache time, never across scopes', async () => {
      const app = await buildApp({ store: fixture.store, now: () => NOW, liveCacheMs: 60_000 });
      try {
        const get = async (role: 'city' | 'enterprise') => {
          const client = new ApiClient(app);
          await client.login(fixture.accounts[role].username, DEMO_PASSWORD);
          return (await client.get(`${API}/overview`)).json() as Overview;
        };
        const first = await get('city');
        const normal = cases.get('normal') as number;
        const [point] = await pointsOf(fixture.store, normal);
        const opened = await repositories(fixture.store).alarms.save(
          {
            pointId: Number(point?.id),
            factorCode: null,
            type: 'zero-value',
            openedAt: NOW - 60_000,
            closedAt: null,
            peakValue: null,
            limitValue: null,
            detail: {},
            ruleVersion: 'test',
          },
          NOW,
        );
        try {
          // Within the cache time the city gets the same answer; the enterprise its own scope's.
          expect(await get('city')).toEqual(first);
          expect((await get('enterprise')).enterprises.map((e) => e.id)).toEqual([
            fixture.ids.home.enterprise,
          ]);
          // Without the cache the new alarm shows at once.
          const fresh = (await city.get(`${API}/overview`)).json() as Overview;
          expect(fresh.enterprises.find((e) => e.id === normal)?.state).toBe('anomaly');
        } finally {
          await fixture.store.db.deleteFrom('alarm').where('id', '=', Number(opened.id)).execute();
        }
      } finally {
        await app.close();
      }
    });
  });
}
