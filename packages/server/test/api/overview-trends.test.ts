import { beijingInstant, DAY_MS, DEFAULT_RULES } from '@qingyuan/domain';
import { beijingDay, repositories, type Store } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import type { Principal } from '../../src/access/principal.js';
import { ROLE_PERMISSIONS } from '../../src/access/roles.js';
import { DEMO_PASSWORD } from '../../src/accounts/demo-users.js';
import { rejudgeDays } from '../../src/analysis/rejudge.js';
import { buildApp } from '../../src/http/app.js';
import type { Overview } from '../../src/services/monitoring/overview.js';
import type { OverviewTrends } from '../../src/services/monitoring/overview-trends.js';
import { OverviewService } from '../../src/services/overview-service.js';
import { assessedFactors, HOUR, writeHours } from './data-helpers.js';
import { type ApiClient, type ApiFixture, apiFixture, ApiClient as Client, NOW } from './harness.js';

const API = '/api/v1';
/** 2026-11-17 and 2026-11-18, Beijing (NOW is 2026-11-20 12:00). */
const NOV17 = beijingInstant(2026, 11, 17);
const NOV18 = beijingInstant(2026, 11, 18);
const TODAY = beijingInstant(2026, 11, 20);

/** Assessed point × factor pairs of the points, by the day each went into service (null: always). */
async function assessedPairs(store: Store, pointIds: readonly number[]) {
  return store.db
    .selectFrom('point_factor as f')
    .innerJoin('monitoring_point as p', 'p.id', 'f.point_id')
    .select(['p.id', 'p.in_service_on'])
    .where('f.assessed', '=', 1)
    .where('p.id', 'in', [...pointIds, -1])
    .execute();
}

/** The points of the enterprises whose region is one of `regions`. */
async function pointsIn(store: Store, regions: readonly string[]): Promise<number[]> {
  const rows = await store.db
    .selectFrom('monitoring_point as p')
    .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
    .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
    .select('p.id')
    .where('e.region_code', 'in', [...regions, ''])
    .execute();
  return rows.map((r) => Number(r.id));
}

for (const dialect of TEST_DIALECTS) {
  describe(`GET /overview?region and GET /overview/trends [${dialect}]`, () => {
    let fixture: ApiFixture;
    let city: ApiClient;
    let province: ApiClient;
    let factors: string[];
    /** The city's regions (Wuhan and its counties). */
    let cityRegions: string[];

    beforeAll(async () => {
      fixture = await apiFixture(dialect, { sessionPolicy: { loginsPerPeerPerMinute: 1000 } });
      city = await fixture.client('city');
      province = await fixture.client('province');
      const { store } = fixture;
      const { home, away } = fixture.ids;
      cityRegions = (await repositories(store).regions.subtree('420100')).filter(Boolean);
      // home: every assessed factor all day on the 17th, for 12 hours on the 18th; away: all day on the 18th.
      factors = await assessedFactors(store, home.point);
      const awayFactors = await assessedFactors(store, away.point);
      await writeHours(store, home.point, factors, NOV17, 24);
      await writeHours(store, home.point, factors, NOV18, 12);
      await writeHours(store, away.point, awayFactors, NOV18, 24);
      await rejudgeDays(store, home.point, { from: NOV17, to: NOV18 + DAY_MS }, DEFAULT_RULES, NOW);
      await rejudgeDays(store, away.point, { from: NOV18, to: NOV18 + DAY_MS }, DEFAULT_RULES, NOW);
      // Another point of the city goes into service on the 18th: its factors are expected from then on.
      const others = (await pointsIn(store, cityRegions)).filter((p) => p !== home.point);
      const late = (await assessedPairs(store, others))[0];
      if (late === undefined) throw new Error('the demo city has no other assessed point');
      await store.db
        .updateTable('monitoring_point')
        .set({ in_service_on: '2026-11-18' })
        .where('id', '=', Number(late.id))
        .execute();
      // The episodes of the window are ours alone: what the analysis of the data opened goes.
      await store.db
        .deleteFrom('alarm')
        .where('opened_at', '>=', TODAY - 30 * DAY_MS)
        .where('opened_at', '<', TODAY)
        .execute();
      const alarm = (pointId: number, type: string, openedAt: number) =>
        repositories(store).alarms.save(
          {
            pointId,
            factorCode: null,
            type,
            openedAt,
            // The past ones closed: one episode per point and type may be open.
            closedAt: openedAt < TODAY ? openedAt + HOUR : null,
            peakValue: null,
            limitValue: null,
            detail: {},
            ruleVersion: 'test',
          },
          NOW,
        );
      const at10 = NOV18 + 10 * HOUR;
      await alarm(home.point, 'hourly-exceedance', at10);
      await alarm(home.point, 'daily-exceedance', at10 + 5 * HOUR);
      await alarm(home.point, 'constant-value', at10);
      // Neither an exceedance nor an anomaly.
      await alarm(home.point, 'hourly-early-warning', at10);
      await alarm(home.point, 'offline', at10);
      // The city's last minute of the 18th, and away's (another city).
      await alarm(home.point, 'zero-value', NOV18 + DAY_MS - 60_000);
      await alarm(away.point, 'hourly-exceedance', at10);
      // Today: not in the trends (whole days only), in today's figure.
      await alarm(home.point, 'hourly-exceedance', TODAY + HOUR);
      await alarm(away.point, 'hourly-exceedance', TODAY + HOUR);
    }, 180_000);
    afterAll(async () => fixture?.dispose());

    it('starts each caller at its region and narrows the answer to the region drilled into', async () => {
      const root = (await city.get(`${API}/overview`)).json() as Overview;
      expect([root.root, root.region]).toEqual(['420100', '420100']);
      expect(root.regions.map((r) => r.code).sort()).toEqual([...cityRegions].sort());
      expect(root.regions.find((r) => r.code === '420100')).toMatchObject({ name: '武汉市', level: 'city' });
      for (const r of root.regions.filter((r) => r.code !== '420100')) expect(r.parentCode).toBe('420100');

      const county = fixture.ids.home.region;
      const response = await city.get(`${API}/overview`, { region: county });
      expect(response.statusCode).toBe(200);
      const narrowed = response.json() as Overview;
      expect([narrowed.root, narrowed.region]).toEqual(['420100', county]);
      const inCounty = root.enterprises.filter((e) => e.regionCode === county);
      expect(narrowed.enterprises).toEqual(inCounty);
      expect(narrowed.enterprises.map((e) => e.id)).toContain(fixture.ids.home.enterprise);
      expect(narrowed.figures.enterprises).toBe(inCounty.length);
      expect(narrowed.figures.enterprises).toBeLessThan(root.figures.enterprises);
      expect(narrowed.figures.points).toBe((await pointsIn(fixture.store, [county])).length);
      // Today's exceedances: home's (in the county); away's is another city's.
      expect([root.figures.exceedancesToday, narrowed.figures.exceedancesToday]).toEqual([1, 1]);

      // The province starts at Hubei, with every region; away's exceedance today is its too.
      const all = (await province.get(`${API}/overview`)).json() as Overview;
      expect([all.root, all.region]).toEqual(['420000', '420000']);
      const regions = await repositories(fixture.store).regions.list();
      expect(all.regions.length).toBe(regions.length);
      expect(all.figures.exceedancesToday).toBe(2);
      const wuhan = (await province.get(`${API}/overview`, { region: '420100' })).json() as Overview;
      expect(wuhan.enterprises.map((e) => e.id)).toEqual(root.enterprises.map((e) => e.id));
      expect(wuhan.figures).toEqual(root.figures);

      // An enterprise user starts at its enterprise's county.
      const own = (await (await fixture.client('enterprise')).get(`${API}/overview`)).json() as Overview;
      expect([own.root, own.regions.map((r) => r.code)]).toEqual([county, [county]]);
    });

    it('refuses regions outside the caller’s and malformed ones', async () => {
      const away = fixture.ids.away.region;
      for (const [client, region] of [
        [city, away],
        [city, '420000'],
        [city, '999999'],
        [await fixture.client('enterprise'), '420100'],
      ] as const) {
        for (const url of [`${API}/overview`, `${API}/overview/trends`]) {
          const response = await client.get(url, { region });
          expect([url, region, response.statusCode, response.json().error.code]).toEqual([
            url,
            region,
            404,
            'QY_E_NOT_FOUND',
          ]);
        }
      }
      const malformed: Record<string, string>[] = [
        { region: '4201' },
        { days: '0' },
        { days: '32' },
        { days: 'x' },
      ];
      for (const query of malformed) {
        const response = await city.get(`${API}/overview/trends`, query);
        expect([query, response.statusCode, response.json().error.code]).toEqual([
          query,
          400,
          'QY_E_VALIDATION',
        ]);
      }
      const response = await (await fixture.client('public')).get(`${API}/overview/trends`);
      expect([response.statusCode, response.json().error.code]).toEqual([401, 'QY_E_UNAUTHENTICATED']);
    });

    it('counts 有效传输率 per whole Beijing day from the stored daily counts, silent points as 24 h expected', async () => {
      const response = await city.get(`${API}/overview/trends`);
      expect(response.statusCode).toBe(200);
      const trends = response.json() as OverviewTrends;
      expect(trends).toMatchObject({ region: '420100', days: 7, view: 'amended', target: 0.95 });
      expect([trends.from, trends.to]).toEqual([TODAY - 7 * DAY_MS, TODAY]);
      expect(trends.series.map((d) => d.day)).toEqual([
        '2026-11-13',
        '2026-11-14',
        '2026-11-15',
        '2026-11-16',
        '2026-11-17',
        '2026-11-18',
        '2026-11-19',
      ]);
      // Expected: 24 h for every assessed factor of the city's points in service that day.
      const pairs = await assessedPairs(fixture.store, await pointsIn(fixture.store, cityRegions));
      const valid: Record<string, number> = {
        '2026-11-17': 24 * factors.length,
        '2026-11-18': 12 * factors.length,
      };
      for (const d of trends.series) {
        const expected =
          24 * pairs.filter((p) => p.in_service_on === null || p.in_service_on <= d.day).length;
        expect(d).toMatchObject({ expected, valid: valid[d.day] ?? 0 });
        expect(d.effectiveTransmissionRate).toBeCloseTo((valid[d.day] ?? 0) / expected, 12);
      }
      expect(trends.series[4]?.expected).toBeLessThan(trends.series[5]?.expected as number);
      // Episodes opened per day: two exceedances and two anomalies (constant value, zero value) on the 18th.
      expect(trends.series.map((d) => [d.exceedances, d.anomalies])).toEqual([
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
        [2, 2],
        [0, 0],
      ]);
      // The province counts away's exceedance too.
      const all = (await province.get(`${API}/overview/trends`)).json() as OverviewTrends;
      expect(all.series[5]).toMatchObject({ exceedances: 3, anomalies: 2 });
      // A county of the city: its own points only.
      const county = (
        await city.get(`${API}/overview/trends`, { region: fixture.ids.home.region })
      ).json() as OverviewTrends;
      expect(county.region).toBe(fixture.ids.home.region);
      expect(county.series[4]?.valid).toBe(24 * factors.length);
      expect(county.series[4]?.expected).toBeLessThan(trends.series[4]?.expected as number);
      const thirty = (await city.get(`${API}/overview/trends`, { days: '30' })).json() as OverviewTrends;
      expect(thirty.series.length).toBe(30);
      expect(thirty.series.slice(-7)).toEqual(trends.series);
    });

    it('shares one scope’s trends for trendsCacheMs, independently of the overview’s cache', async () => {
      const account = fixture.accounts.city;
      const principal: Principal = {
        kind: 'user',
        userId: 1,
        username: account.username,
        role: 'city',
        regionCode: account.regionCode,
        enterpriseId: null,
        contractorId: null,
        permissions: new Set(ROLE_PERMISSIONS.city),
      };
      const ctx = fixture.app.services.ctx;
      const kept = new OverviewService(ctx, { trendsCacheMs: 60_000 });
      const first = await kept.trends(principal);
      expect(first.region).toBe('420100');
      expect(await kept.trends(principal)).toBe(first);
      // Another question (30 days) is its own answer; the overview itself is not kept (cacheMs 0).
      expect(await kept.trends(principal, { days: 30 })).not.toBe(first);
      expect(await kept.overview(principal)).not.toBe(await kept.overview(principal));
      // Without a TTL every call computes afresh (same facts, a new answer).
      const fresh = new OverviewService(ctx);
      const again = await fresh.trends(principal);
      expect(again).not.toBe(await fresh.trends(principal));
      expect(again).toEqual(first);
    });

    it('gives this month’s 有效传输率 so far as GET /reports/transmission counts it', async () => {
      const report = async (client: ApiClient) => {
        const body = (
          await client.get(`${API}/reports/transmission`, {
            period: 'month',
            at: '2026-11',
            subject: 'region',
          })
        ).json() as { countedTo: number; complete: boolean; rows: { expected: number; valid: number }[] };
        return {
          countedTo: body.countedTo,
          complete: body.complete,
          expected: body.rows.reduce((s, r) => s + r.expected, 0),
          valid: body.rows.reduce((s, r) => s + r.valid, 0),
        };
      };
      const trends = (await city.get(`${API}/overview/trends`)).json() as OverviewTrends;
      const expected = await report(city);
      expect(expected.valid).toBe(36 * factors.length);
      expect(trends.month).toEqual({
        month: '2026-11',
        from: beijingInstant(2026, 11),
        ...expected,
        effectiveTransmissionRate: expected.valid / expected.expected,
      });
      const all = (await province.get(`${API}/overview/trends`)).json() as OverviewTrends;
      const reported = await report(province);
      expect([all.month.expected, all.month.valid]).toEqual([reported.expected, reported.valid]);

      // On the 1st of December: November, whole.
      const app = await buildApp({ store: fixture.store, now: () => beijingInstant(2026, 12, 1, 9) });
      try {
        const client = new Client(app);
        await client.login(fixture.accounts.city.username, DEMO_PASSWORD);
        const december = (await client.get(`${API}/overview/trends`)).json() as OverviewTrends;
        const november = await report(client);
        expect(november.complete).toBe(true);
        expect(december.month).toEqual({
          month: '2026-11',
          from: beijingInstant(2026, 11),
          ...november,
          effectiveTransmissionRate: november.valid / november.expected,
        });
        expect(december.series.at(-1)?.day).toBe(beijingDay(beijingInstant(2026, 11, 30)));
      } finally {
        await app.close();
      }
    });
  });
}
