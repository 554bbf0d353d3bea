import { hourStart } from '@qingyuan/domain';
import { repositories } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { HOUR } from './data-helpers.js';
import { type ApiFixture, apiFixture, NOW } from './harness.js';

interface Enterprise {
  id: number;
  state: string;
  points: number;
  [key: string]: unknown;
}

for (const dialect of TEST_DIALECTS) {
  describe(`public portal API [${dialect}]`, () => {
    let fixture: ApiFixture;
    let suspended: number;
    let factor: string;
    beforeAll(async () => {
      fixture = await apiFixture(dialect, { sessionPolicy: { loginsPerPeerPerMinute: 1000 } });
      const { home, away } = fixture.ids;
      const db = fixture.store.db;
      const other = await db
        .selectFrom('enterprise')
        .select('id')
        .where('id', 'not in', [home.enterprise, away.enterprise])
        .orderBy('id')
        .executeTakeFirstOrThrow();
      suspended = Number(other.id);
      await db.updateTable('enterprise').set({ status: 'suspended' }).where('id', '=', suspended).execute();
      const pf = await db
        .selectFrom('point_factor')
        .select('factor_code')
        .where('point_id', '=', home.point)
        .orderBy('factor_code')
        .executeTakeFirstOrThrow();
      factor = pf.factor_code;
      await db
        .updateTable('point_factor')
        .set({ hour_limit: 25 })
        .where('point_id', '=', home.point)
        .where('factor_code', '=', factor)
        .execute();
      // The last 24 hours: 10, 11, … 33 (avg and 折算 alike), of which 26 … 33 exceed 25.
      const from = hourStart(NOW) - 24 * HOUR;
      await repositories(fixture.store).observations.write(
        'hour',
        Array.from({ length: 24 }, (_, h) => ({
          pointId: home.point,
          factorCode: factor,
          periodStart: from + h * HOUR,
          values: { avg: 10 + h, zs_avg: 10 + h },
          dataFlag: 'N',
          source: 'das' as const,
          receivedAt: from + (h + 1) * HOUR,
        })),
      );
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    it('lists the published enterprises without login, without contact data, with their state', async () => {
      const { home } = fixture.ids;
      const anonymous = await fixture.client('public');
      const first = await anonymous.get('/api/v1/public/enterprises');
      expect(first.statusCode).toBe(200);
      const list = first.json() as Enterprise[];
      expect(list.length).toBeGreaterThan(10);
      expect(list.map((e) => e.id)).not.toContain(suspended);
      expect(first.body).not.toMatch(/contact|phone|uscc|address/i);
      const homeRow = list.find((e) => e.id === home.enterprise) as Enterprise;
      expect(Object.keys(homeRow).sort()).toEqual(
        ['id', 'name', 'regionCode', 'longitude', 'latitude', 'industryCode', 'points', 'state'].sort(),
      );
      expect(homeRow.points).toBeGreaterThan(0);
      // No device online anywhere (no gateway, no presence rows).
      expect(homeRow.state).toBe('offline');

      // One point online → normal; an open exceedance alarm → exceeding.
      await repositories(fixture.store).presence.upsert(
        [
          {
            mn: home.mn,
            pointId: home.point,
            online: true,
            since: NOW - HOUR,
            lastSeenAt: NOW,
            peer: '10.0.0.1:5000',
            gateway: 'test',
            protocolVersion: '2017',
            framesReceived: 1,
            framesRejected: 0,
            duplicates: 0,
          },
        ],
        NOW,
      );
      const state = async () =>
        ((await anonymous.get('/api/v1/public/enterprises')).json() as Enterprise[]).find(
          (e) => e.id === home.enterprise,
        )?.state;
      expect(await state()).toBe('normal');
      await repositories(fixture.store).alarms.save(
        {
          pointId: home.point,
          factorCode: factor,
          type: 'hourly-exceedance',
          openedAt: NOW - HOUR,
          closedAt: null,
          peakValue: 33,
          limitValue: 25,
          detail: {},
          ruleVersion: 'test',
        },
        NOW,
      );
      expect(await state()).toBe('exceeding');
    });

    it('shows one enterprise with its last 24 hourly values and open exceedances; unpublished → 404', async () => {
      const { home } = fixture.ids;
      const anonymous = await fixture.client('public');
      const response = await anonymous.get(`/api/v1/public/enterprises/${home.enterprise}`);
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toMatch(/contact|phone/i);
      const detail = response.json();
      expect(detail.enterprise.id).toBe(home.enterprise);
      const point = detail.points.find((p: { pointId: number }) => p.pointId === home.point);
      const f = point.factors.find((x: { factorCode: string }) => x.factorCode === factor);
      expect(f.hourLimit).toBe(25);
      // Columns, as the series answer: entry i of each array is the hour starting at t[i].
      const hours = f.hours as { t: number[]; value: (number | null)[]; exceeding: (boolean | null)[] };
      expect(Object.keys(hours).sort()).toEqual(['exceeding', 't', 'value']);
      expect(hours.t).toEqual(Array.from({ length: 24 }, (_, i) => hourStart(NOW) - (24 - i) * HOUR));
      expect(hours.value[0]).toBe(10);
      expect(hours.exceeding[0]).toBe(false);
      expect(hours.value.filter((_, i) => hours.exceeding[i] === true)).toEqual([
        26, 27, 28, 29, 30, 31, 32, 33,
      ]);
      expect(detail.exceedances).toEqual(
        expect.arrayContaining([expect.objectContaining({ pointId: home.point, type: 'hourly-exceedance' })]),
      );
      // The offline alarm of the harness is not an exceedance.
      expect(detail.exceedances.every((a: { type: string }) => a.type !== 'offline')).toBe(true);

      const missing = await anonymous.get(`/api/v1/public/enterprises/${suspended}`);
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('QY_E_NOT_FOUND');
      // The same for a logged-in authority that may see the enterprise elsewhere.
      const province = await fixture.client('province');
      expect((await province.get(`/api/v1/public/enterprises/${suspended}`)).statusCode).toBe(404);
    });

    it('reports 有效传输率 per published enterprise', async () => {
      const anonymous = await fixture.client('public');
      const response = await anonymous.get('/api/v1/public/transmission', { period: 'month', at: '2026-11' });
      expect(response.statusCode).toBe(200);
      const report = response.json();
      expect(report.target).toBe(0.95);
      expect(report.rows.length).toBeGreaterThan(0);
      expect(report.rows.map((r: { enterpriseId: number }) => r.enterpriseId)).not.toContain(suspended);
      for (const row of report.rows) {
        expect(Object.keys(row).sort()).toEqual(
          ['enterpriseId', 'name', 'expected', 'valid', 'effectiveTransmissionRate', 'meetsTarget'].sort(),
        );
        expect(row.valid).toBeLessThanOrEqual(row.expected);
        if (row.expected > 0) {
          expect(row.effectiveTransmissionRate).toBeCloseTo(row.valid / row.expected, 9);
          expect(row.meetsTarget).toBe(row.effectiveTransmissionRate > 0.95);
        }
      }
      const csv = await anonymous.get('/api/v1/public/transmission', {
        period: 'month',
        at: '2026-11',
        format: 'csv',
      });
      expect(csv.statusCode).toBe(200);
      expect(
        csv.body
          .replace(/^\uFEFF/, '')
          .trimEnd()
          .split('\r\n'),
      ).toHaveLength(report.rows.length + 1);
      const bad = await anonymous.get('/api/v1/public/transmission', { period: 'month', at: '2026' });
      expect(bad.statusCode).toBe(400);
    });
  });
}
