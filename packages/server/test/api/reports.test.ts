import { beijingInstant } from '@qingyuan/domain';
import type { Store } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { assessedFactors, HOUR, writeHours } from './data-helpers.js';
import { type ApiFixture, apiFixture, NOW } from './harness.js';

const DAY = beijingInstant(2026, 11, 2);
const MONTH = { period: 'month', at: '2026-11' };

async function writeEmissions(store: Store, pointId: number, kg: number[]): Promise<void> {
  await store.db
    .insertInto('emission_hour')
    .values(
      kg.map((value, h) => ({
        point_id: pointId,
        factor_code: 'a21026',
        period_start: DAY + h * HOUR,
        kg: value,
        basis: 'measured' as const,
        volume_m3: null,
        rule_version: 'test',
        computed_at: NOW,
      })),
    )
    .execute();
}

interface Row {
  subject: { key: string; label: string };
  expected: number;
  received: number;
  valid: number;
  transmissionRate: number | null;
  meetsTarget: boolean | null;
  belowTarget: boolean;
}

for (const dialect of TEST_DIALECTS) {
  describe(`reports API [${dialect}]`, () => {
    let fixture: ApiFixture;
    let factors: string[];
    beforeAll(async () => {
      fixture = await apiFixture(dialect, { sessionPolicy: { loginsPerPeerPerMinute: 1000 } });
      const { home, away } = fixture.ids;
      factors = await assessedFactors(fixture.store, home.point);
      await assessedFactors(fixture.store, away.point);
      await writeHours(fixture.store, home.point, factors, DAY, 10);
      await writeHours(fixture.store, away.point, await assessedFactors(fixture.store, away.point), DAY, 24);
      await writeEmissions(fixture.store, home.point, [1.5, 1.5, 2, 1]);
      await writeEmissions(fixture.store, away.point, [9, 9]);
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    it('counts 应传/实传/有效 and the rates per point in scope, flagging those below 95 %', async () => {
      expect(factors.length).toBeGreaterThan(0);
      const { home, away } = fixture.ids;
      const city = await fixture.client('city');
      const response = await city.get('/api/v1/reports/transmission', { ...MONTH, subject: 'point' });
      expect(response.statusCode).toBe(200);
      const report = response.json();
      expect(report).toMatchObject({
        period: 'month',
        at: '2026-11',
        from: beijingInstant(2026, 11),
        to: beijingInstant(2026, 12),
        // NOW is 2026-11-20 12:00 Beijing: the running month is counted through the 19th.
        countedTo: beijingInstant(2026, 11, 20),
        complete: false,
        subject: 'point',
        view: 'amended',
        target: 0.95,
      });
      const rows = report.rows as Row[];
      const mine = rows.find((r) => r.subject.key === String(home.point));
      expect(mine).toMatchObject({
        subject: { key: String(home.point), label: home.mn },
        expected: 19 * 24 * factors.length,
        received: 10 * factors.length,
        meetsTarget: false,
        belowTarget: true,
      });
      expect(mine?.transmissionRate).toBeCloseTo(10 / (19 * 24));
      expect(rows.map((r) => r.subject.key)).not.toContain(String(away.point));
      // The province sees `away` too; its day is complete, the month is not.
      const province = await fixture.client('province');
      const wide = (
        await province.get('/api/v1/reports/transmission', { ...MONTH, subject: 'point' })
      ).json();
      const theirs = (wide.rows as Row[]).find((r) => r.subject.key === String(away.point));
      expect(theirs?.received).toBe(theirs ? theirs.expected / 19 : -1);
      // A past month is complete: counted to its end.
      const october = (
        await province.get('/api/v1/reports/transmission', {
          period: 'month',
          at: '2026-10',
          subject: 'point',
        })
      ).json();
      expect(october).toMatchObject({ countedTo: beijingInstant(2026, 11), complete: true });
      expect((october.rows as Row[])[0]?.expected).toBe(31 * 24 * factors.length);
    });

    it('sums an enterprise’s points for the enterprise (its own only), in either view, and checks the period', async () => {
      const { home } = fixture.ids;
      const enterprise = await fixture.client('enterprise');
      const first = await enterprise.get('/api/v1/reports/transmission', { ...MONTH, view: 'first' });
      expect(first.statusCode).toBe(200);
      const rows = first.json().rows as Row[];
      expect(rows.map((r) => r.subject.key)).toEqual([String(home.enterprise)]);
      expect(rows[0]?.received).toBe(10 * factors.length);
      const year = await enterprise.get('/api/v1/reports/transmission', { period: 'year', at: '2026' });
      expect((year.json().rows as Row[])[0]?.received).toBe(10 * factors.length);
      const wrong = await enterprise.get('/api/v1/reports/transmission', {
        period: 'quarter',
        at: '2026-11',
      });
      expect([wrong.statusCode, wrong.json().error.code]).toEqual([400, 'QY_E_VALIDATION']);
      const quarter = await enterprise.get('/api/v1/reports/transmission', {
        period: 'quarter',
        at: '2026-Q4',
      });
      expect(quarter.json()).toMatchObject({ from: beijingInstant(2026, 10), to: beijingInstant(2027, 1) });
    });

    it('exports the transmission report as CSV and XLSX', async () => {
      const city = await fixture.client('city');
      const csv = await city.get('/api/v1/reports/transmission', {
        ...MONTH,
        subject: 'point',
        format: 'csv',
      });
      expect(csv.headers['content-type']).toContain('text/csv');
      const lines = csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe('point,监测点 MN,应传,实传,有效,传输率 %,有效率 %,有效传输率 %,低于 95%');
      const home = lines.find((l) => l.startsWith(`${fixture.ids.home.point},`));
      expect(home?.split(',').slice(1, 4)).toEqual([
        fixture.ids.home.mn,
        String(19 * 24 * factors.length),
        String(10 * factors.length),
      ]);
      expect(home?.endsWith(',是')).toBe(true);
      const xlsx = await city.get('/api/v1/reports/transmission', { ...MONTH, format: 'xlsx' });
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    });

    it('sums emitted kg per subject in scope and pollutant', async () => {
      const { home, away } = fixture.ids;
      const city = await fixture.client('city');
      const response = await city.get('/api/v1/reports/emissions', MONTH);
      expect(response.statusCode).toBe(200);
      const rows = response.json().rows;
      expect(rows).toEqual([
        {
          subject: { key: String(home.enterprise), label: expect.any(String) },
          factor: 'a21026',
          kg: 6,
          hours: 4,
          invalidHours: 0,
        },
      ]);
      const province = await fixture.client('province');
      const byRegion = (
        await province.get('/api/v1/reports/emissions', { ...MONTH, subject: 'region' })
      ).json();
      expect(byRegion.rows.map((r: { subject: { key: string } }) => r.subject.key)).toEqual(
        expect.arrayContaining([home.region, away.region]),
      );
      const csv = await city.get('/api/v1/reports/emissions', { ...MONTH, format: 'csv' });
      expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')[1]).toBe(
        `${home.enterprise},${rows[0].subject.label},a21026,6,4,0`,
      );
    });
  });
}
