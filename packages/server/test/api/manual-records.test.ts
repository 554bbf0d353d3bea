import { beijingInstant, DEFAULT_RULES } from '@qingyuan/domain';
import { repositories } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { rejudgeDays } from '../../src/analysis/rejudge.js';
import { assessedFactors, auditRows, HOUR, writeHours } from './data-helpers.js';
import { type ApiFixture, apiFixture, NOW } from './harness.js';

const DAY = beijingInstant(2026, 11, 18);
/** The hour (03:00–04:00 Beijing) the logger reported with flag S. */
const S_HOUR = DAY + 3 * HOUR;

for (const dialect of TEST_DIALECTS) {
  describe(`manual-monitoring records API [${dialect}]`, () => {
    let fixture: ApiFixture;
    let factor: string;
    beforeAll(async () => {
      fixture = await apiFixture(dialect, { sessionPolicy: { loginsPerPeerPerMinute: 1000 } });
      const { home } = fixture.ids;
      const factors = await assessedFactors(fixture.store, home.point);
      factor = factors[0] as string;
      await writeHours(fixture.store, home.point, factors.slice(1), DAY, 24);
      await writeHours(fixture.store, home.point, [factor], DAY, 3);
      await writeHours(fixture.store, home.point, [factor], S_HOUR + HOUR, 20);
      // One hour of one factor reported with flag S (手工输入的设定值).
      await repositories(fixture.store).observations.write('hour', [
        {
          pointId: home.point,
          factorCode: factor,
          periodStart: S_HOUR,
          values: { avg: 31 },
          dataFlag: 'S',
          source: 'das' as const,
          receivedAt: S_HOUR + HOUR,
        },
      ]);
      await rejudgeDays(fixture.store, home.point, { from: DAY, to: DAY + 1 }, DEFAULT_RULES, NOW);
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    const body = (pointId: number, over: Record<string, unknown> = {}) => ({
      pointId,
      factorCode: factor,
      period: 'hour',
      from: S_HOUR,
      value: 30.8,
      unit: 'mg/m3',
      method: 'HJ 75-2017 手工比对 (GB/T 16157-1996)',
      agency: '湖北省环境监测有限公司',
      sampledAt: S_HOUR + 600_000,
      reportNo: 'HBJC-2026-1118-01',
      ...over,
    });

    /** The amended and first judgements of the S hour, and the day's 有效 count per view. */
    async function judged() {
      const db = fixture.store.db;
      const hours = await db
        .selectFrom('period_judgement')
        .select(['view', 'validity', 'reason'])
        .where('point_id', '=', fixture.ids.home.point)
        .where('factor_code', '=', factor)
        .where('period_start', '=', S_HOUR)
        .execute();
      const days = await db
        .selectFrom('transmission_day')
        .select(['view', 'valid'])
        .where('point_id', '=', fixture.ids.home.point)
        .where('factor_code', '=', factor)
        .where('day', '=', '2026-11-18')
        .execute();
      return {
        hour: Object.fromEntries(hours.map((h) => [h.view, { validity: h.validity, reason: h.reason }])),
        valid: Object.fromEntries(days.map((d) => [d.view, Number(d.valid)])),
      };
    }

    it('lets an enterprise file records for its own points only, pending and audited', async () => {
      const { home, away } = fixture.ids;
      const enterprise = await fixture.client('enterprise');
      const created = await enterprise.request('POST', '/api/v1/manual-records', { body: body(home.point) });
      expect(created.statusCode, created.body).toBe(201);
      const record = created.json();
      expect(record).toMatchObject({
        pointId: home.point,
        mn: home.mn,
        enterpriseId: home.enterprise,
        factorCode: factor,
        period: 'hour',
        from: S_HOUR,
        to: S_HOUR + HOUR,
        value: 30.8,
        reportNo: 'HBJC-2026-1118-01',
        state: 'pending',
        filedBy: expect.stringMatching(/^user:\d+$/),
        filedAt: NOW,
        decidedBy: null,
      });
      const audit = await auditRows(fixture.store, 'manual-record.create', record.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]?.actor_name).toBe(fixture.accounts.enterprise.username);
      expect(audit[0]?.entity).toBe('manual-record');

      const foreign = await enterprise.request('POST', '/api/v1/manual-records', { body: body(away.point) });
      expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'QY_E_NOT_FOUND']);
      const cases: [Record<string, unknown>, string][] = [
        [{ factorCode: 'w99999' }, 'factorCode'],
        [{ from: S_HOUR + 60_000 }, 'from'],
        [{ period: 'day', from: S_HOUR }, 'from'],
        [{ from: NOW }, 'from'],
      ];
      for (const [over, field] of cases) {
        const bad = await enterprise.request('POST', '/api/v1/manual-records', {
          body: body(home.point, over),
        });
        expect([bad.statusCode, bad.json().error.code, bad.json().error.detail?.field]).toEqual([
          400,
          'QY_E_VALIDATION',
          field,
        ]);
      }
      const city = await fixture.client('city');
      const denied = await city.request('POST', '/api/v1/manual-records', { body: body(home.point) });
      expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'QY_E_FORBIDDEN']);
    });

    it('an approval makes the S hour valid in the amended view, names the record, and raises 有效', async () => {
      const { home } = fixture.ids;
      const before = await judged();
      expect(before.hour.amended?.validity).toBe('suspect');
      expect(before.valid).toEqual({ first: 23, amended: 23 });

      const enterprise = await fixture.client('enterprise');
      const record = (
        await enterprise.request('POST', '/api/v1/manual-records', { body: body(home.point) })
      ).json();
      const refused = await enterprise.request('POST', `/api/v1/manual-records/${record.id}/decision`, {
        body: { decision: 'approve' },
      });
      expect(refused.statusCode).toBe(403);
      const city = await fixture.client('city');
      const approved = await city.request('POST', `/api/v1/manual-records/${record.id}/decision`, {
        body: { decision: 'approve' },
      });
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json()).toMatchObject({
        record: {
          id: record.id,
          state: 'approved',
          decidedBy: expect.stringMatching(/^user:\d+$/),
          decidedAt: NOW,
        },
      });
      expect(approved.json().rejudgedDays).toBeGreaterThanOrEqual(1);

      const after = await judged();
      expect(after.hour.amended).toEqual({
        validity: 'valid',
        reason: `flag S: manually entered set value, backed by manual-monitoring record #${record.id} (report HBJC-2026-1118-01)`,
      });
      // The first view keeps the flags as received.
      expect(after.hour.first?.validity).toBe('suspect');
      expect(after.valid).toEqual({ first: 23, amended: 24 });

      // The transmission report (counted from flags, with manual-record days re-counted) agrees.
      const report = async (view: string) =>
        (
          await enterprise.get('/api/v1/reports/transmission', {
            period: 'month',
            at: '2026-11',
            subject: 'point',
            view,
          })
        )
          .json()
          .rows.find((r: { subject: { key: string } }) => r.subject.key === String(home.point));
      const amended = await report('amended');
      const first = await report('first');
      expect(amended.valid - first.valid).toBe(1);

      const audit = await auditRows(fixture.store, 'manual-record.approve', record.id);
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]?.before_json ?? '{}').state).toBe('pending');
      expect(JSON.parse(audit[0]?.after_json ?? '{}').state).toBe('approved');
      const again = await city.request('POST', `/api/v1/manual-records/${record.id}/decision`, {
        body: { decision: 'reject' },
      });
      expect([again.statusCode, again.json().error.code]).toEqual([409, 'QY_E_CONFLICT']);
    });

    it('rejects without re-judging, keeps other scopes’ records out of reach, lists and exports', async () => {
      const { home, away } = fixture.ids;
      const enterprise = await fixture.client('enterprise');
      const record = (
        await enterprise.request('POST', '/api/v1/manual-records', {
          body: body(home.point, { period: 'day', from: DAY, reportNo: 'R-DAY' }),
        })
      ).json();
      const city = await fixture.client('city');
      const rejected = await city.request('POST', `/api/v1/manual-records/${record.id}/decision`, {
        body: { decision: 'reject' },
      });
      expect(rejected.json()).toMatchObject({
        record: { state: 'rejected', to: DAY + 24 * HOUR },
        rejudgedDays: 0,
      });
      expect(await auditRows(fixture.store, 'manual-record.reject', record.id)).toHaveLength(1);
      const foreign = await city.request('POST', `/api/v1/manual-records/${away.manualRecord}/decision`, {
        body: { decision: 'approve' },
      });
      expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'QY_E_NOT_FOUND']);

      const ids = (response: { json(): unknown }) => (response.json() as { id: number }[]).map((r) => r.id);
      const mine = await enterprise.get('/api/v1/manual-records');
      expect(ids(mine)).toContain(record.id);
      expect(ids(mine)).toContain(home.manualRecord);
      expect(ids(mine)).not.toContain(away.manualRecord);
      expect(ids(await enterprise.get('/api/v1/manual-records', { state: 'rejected' }))).toEqual([record.id]);
      const window = await enterprise.get('/api/v1/manual-records', {
        pointId: String(home.point),
        from: String(DAY),
        to: String(DAY + 24 * HOUR),
      });
      expect(ids(window)).toContain(record.id);
      expect(ids(window)).not.toContain(home.manualRecord);
      const province = await fixture.client('province');
      expect(ids(await province.get('/api/v1/manual-records', { pointId: String(away.point) }))).toEqual([
        away.manualRecord,
      ]);
      const csv = await enterprise.get('/api/v1/manual-records', { format: 'csv', state: 'rejected' });
      expect(csv.statusCode).toBe(200);
      expect(csv.body).toContain('报告编号');
      expect(csv.body).toContain('R-DAY');
      expect(csv.body).toContain('2026-11-18 00:00');
    });
  });
}
