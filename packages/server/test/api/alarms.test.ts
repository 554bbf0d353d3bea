import { repositories } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { HOUR, writeHours } from './data-helpers.js';
import { type ApiFixture, apiFixture, NOW } from './harness.js';

for (const dialect of TEST_DIALECTS) {
  describe(`alarms API [${dialect}]`, () => {
    let fixture: ApiFixture;
    let exceedance: number;
    beforeAll(async () => {
      fixture = await apiFixture(dialect, { sessionPolicy: { loginsPerPeerPerMinute: 1000 } });
      const { home } = fixture.ids;
      // A closed SO₂ exceedance on `home` with hourly records around it.
      const opened = NOW - 10 * HOUR;
      const saved = await repositories(fixture.store).alarms.save(
        {
          pointId: home.point,
          factorCode: 'a21026',
          type: 'hourly-exceedance',
          openedAt: opened,
          closedAt: opened + 2 * HOUR,
          peakValue: 130,
          limitValue: 100,
          detail: { hours: 2 },
          ruleVersion: 'test',
        },
        NOW,
      );
      exceedance = Number(saved.id);
      await writeHours(fixture.store, home.point, ['a21026', 'a21002'], opened - 5 * HOUR, 12);
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    it('lists the episodes of the points in scope only, with point, enterprise, factor and values', async () => {
      const { home, away } = fixture.ids;
      const city = await fixture.client('city');
      const response = await city.get('/api/v1/alarms');
      expect(response.statusCode).toBe(200);
      const ids = response.json().map((a: { id: number }) => a.id);
      expect(ids).toContain(home.alarm);
      expect(ids).toContain(exceedance);
      expect(ids).not.toContain(away.alarm);
      const row = response.json().find((a: { id: number }) => a.id === exceedance);
      expect(row).toMatchObject({
        type: 'hourly-exceedance',
        pointId: home.point,
        mn: home.mn,
        enterpriseId: home.enterprise,
        factorCode: 'a21026',
        open: false,
        peakValue: 130,
        limitValue: 100,
        detail: { hours: 2 },
      });
      expect(typeof row.enterpriseName).toBe('string');
      const province = await fixture.client('province');
      const all = (await province.get('/api/v1/alarms')).json().map((a: { id: number }) => a.id);
      expect(all).toEqual(expect.arrayContaining([home.alarm, away.alarm, exceedance]));
    });

    it('filters by state, type, factor, point, enterprise, region and time', async () => {
      const { home, away } = fixture.ids;
      const province = await fixture.client('province');
      const ids = async (query: Record<string, string>) =>
        (await province.get('/api/v1/alarms', query)).json().map((a: { id: number }) => a.id);
      expect(await ids({ state: 'closed' })).toEqual([exceedance]);
      expect(await ids({ state: 'open', pointId: String(home.point) })).toEqual([home.alarm]);
      expect(await ids({ type: 'offline', enterpriseId: String(away.enterprise) })).toEqual([away.alarm]);
      expect(await ids({ factor: 'a21026' })).toEqual([exceedance]);
      expect(await ids({ regionCode: away.region, type: 'offline' })).toContain(away.alarm);
      expect(await ids({ regionCode: away.region })).not.toContain(home.alarm);
      // Episodes overlapping [from, to): the exceedance ended 8 h before NOW, the offline ones are open.
      expect(await ids({ from: String(NOW - 4 * HOUR), to: String(NOW) })).toEqual(
        expect.not.arrayContaining([exceedance]),
      );
      expect(await ids({ from: String(NOW - 12 * HOUR), to: String(NOW - 9 * HOUR) })).toEqual([exceedance]);
      // An enterprise asking for another's point gets nothing.
      const enterprise = await fixture.client('enterprise');
      const foreign = await enterprise.get('/api/v1/alarms', { pointId: String(away.point) });
      expect(foreign.json()).toEqual([]);
    });

    it('shows one episode with the hourly records of its factor around it; out of scope it does not exist', async () => {
      const enterprise = await fixture.client('enterprise');
      const response = await enterprise.get(`/api/v1/alarms/${exceedance}`, { hours: '2' });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      const opened = NOW - 10 * HOUR;
      expect(body.window).toEqual({ from: opened - 2 * HOUR, to: opened + 4 * HOUR });
      expect(body.series.map((s: { factorCode: string }) => s.factorCode)).toEqual(Array(6).fill('a21026'));
      expect(body.series.map((s: { periodStart: number }) => s.periodStart)).toEqual(
        [-2, -1, 0, 1, 2, 3].map((h) => opened + h * HOUR),
      );
      expect(body.series[0]).toMatchObject({ avg: 13, flag: 'N' });
      const away = await enterprise.get(`/api/v1/alarms/${fixture.ids.away.alarm}`);
      expect([away.statusCode, away.json().error.code]).toEqual([404, 'QY_E_NOT_FOUND']);
    });

    it('counts episodes by type, open and closed, within scope', async () => {
      const city = await fixture.client('city');
      const summary = (await city.get('/api/v1/alarms/summary')).json();
      expect(summary).toEqual({
        total: { open: 1, closed: 1 },
        byType: [
          { type: 'hourly-exceedance', open: 0, closed: 1 },
          { type: 'offline', open: 1, closed: 0 },
        ],
      });
      const province = await fixture.client('province');
      const wide = (await province.get('/api/v1/alarms/summary', { type: 'offline' })).json();
      expect(wide).toEqual({
        total: { open: 2, closed: 0 },
        byType: [{ type: 'offline', open: 2, closed: 0 }],
      });
    });

    it('exports the list as CSV and XLSX', async () => {
      const city = await fixture.client('city');
      const csv = await city.get('/api/v1/alarms', { format: 'csv' });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      const lines = csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe('id,报警类型,企业,MN,监测点,因子,开始,结束,峰值,限值,详情');
      expect(lines).toHaveLength(3);
      expect(csv.body).toContain(fixture.ids.home.mn);
      // 2026-11-20 02:00 Beijing = NOW − 10 h.
      expect(csv.body).toContain('2026-11-20 02:00');
      const xlsx = await city.get('/api/v1/alarms', { format: 'xlsx' });
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    });
  });
}
