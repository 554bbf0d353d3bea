import { beijingInstant, DEFAULT_RULES } from '@qingyuan/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { rejudgeDays } from '../../src/analysis/rejudge.js';
import { assessedFactors, auditRows, HOUR, writeHours } from './data-helpers.js';
import { type ApiFixture, apiFixture, NOW } from './harness.js';

const DAY = beijingInstant(2026, 11, 18);

for (const dialect of TEST_DIALECTS) {
  describe(`marks API [${dialect}]`, () => {
    let fixture: ApiFixture;
    let factors: string[];
    beforeAll(async () => {
      fixture = await apiFixture(dialect, { sessionPolicy: { loginsPerPeerPerMinute: 1000 } });
      const { home } = fixture.ids;
      factors = await assessedFactors(fixture.store, home.point);
      await writeHours(fixture.store, home.point, factors, DAY, 24);
      await rejudgeDays(fixture.store, home.point, { from: DAY, to: DAY + 1 }, DEFAULT_RULES, NOW);
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    /** 应传 of the first assessed factor on DAY, per view, as the analysis stored it. */
    async function expected(): Promise<Record<string, number>> {
      const rows = await fixture.store.db
        .selectFrom('transmission_day')
        .select(['view', 'expected'])
        .where('point_id', '=', fixture.ids.home.point)
        .where('factor_code', '=', factors[0] as string)
        .where('day', '=', '2026-11-18')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.view, Number(r.expected)]));
    }

    const stopped = (pointId: number, factorCode = '*') => ({
      pointId,
      factorCode,
      kind: 'stopped',
      from: DAY,
      to: DAY + 6 * HOUR,
      reason: '停产检修',
    });

    it('lets an enterprise file marks on its own points only, pending and audited', async () => {
      const { home, away } = fixture.ids;
      const enterprise = await fixture.client('enterprise');
      const created = await enterprise.request('POST', '/api/v1/marks', { body: stopped(home.point) });
      expect(created.statusCode).toBe(201);
      const mark = created.json();
      expect(mark).toMatchObject({
        pointId: home.point,
        mn: home.mn,
        enterpriseId: home.enterprise,
        factorCode: '*',
        kind: 'stopped',
        origin: 'manual',
        state: 'pending',
        from: DAY,
        to: DAY + 6 * HOUR,
        madeBy: expect.stringMatching(/^user:\d+$/),
        madeAt: NOW,
      });
      const audit = await auditRows(fixture.store, 'mark.create', mark.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]?.actor_name).toBe(fixture.accounts.enterprise.username);
      const foreign = await enterprise.request('POST', '/api/v1/marks', { body: stopped(away.point) });
      expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'QY_E_NOT_FOUND']);
      const badFactor = await enterprise.request('POST', '/api/v1/marks', {
        body: stopped(home.point, 'w99999'),
      });
      expect([badFactor.statusCode, badFactor.json().error.code]).toEqual([400, 'QY_E_VALIDATION']);
      const backwards = await enterprise.request('POST', '/api/v1/marks', {
        body: { ...stopped(home.point), to: DAY - HOUR },
      });
      expect(backwards.statusCode).toBe(400);
      const city = await fixture.client('city');
      const denied = await city.request('POST', '/api/v1/marks', { body: stopped(home.point) });
      expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'QY_E_FORBIDDEN']);
    });

    it('lists the marks in scope, by point and state', async () => {
      const { home, away } = fixture.ids;
      const city = await fixture.client('city');
      const all = (await city.get('/api/v1/marks')).json().map((m: { id: number }) => m.id);
      expect(all).toContain(home.mark);
      expect(all).not.toContain(away.mark);
      const province = await fixture.client('province');
      const pending = (
        await province.get('/api/v1/marks', { state: 'pending', pointId: String(away.point) })
      ).json();
      expect(pending.map((m: { id: number }) => m.id)).toEqual([away.mark]);
    });

    it('re-judges the days of a mark when an authority approves it and when the enterprise withdraws it', async () => {
      const { home } = fixture.ids;
      expect(await expected()).toEqual({ first: 24, amended: 24 });
      const enterprise = await fixture.client('enterprise');
      const mark = (await enterprise.request('POST', '/api/v1/marks', { body: stopped(home.point) })).json();
      const refused = await enterprise.request('POST', `/api/v1/marks/${mark.id}/decision`, {
        body: { decision: 'approve' },
      });
      expect(refused.statusCode).toBe(403);
      const county = await fixture.client('county');
      const approved = await county.request('POST', `/api/v1/marks/${mark.id}/decision`, {
        body: { decision: 'approve' },
      });
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json()).toMatchObject({
        mark: {
          id: mark.id,
          state: 'approved',
          decidedBy: expect.stringMatching(/^user:\d+$/),
          decidedAt: NOW,
        },
      });
      expect(approved.json().rejudgedDays).toBeGreaterThanOrEqual(1);
      // 停产 hours are not 应传 in the amended view; the first view keeps what arrived in time.
      expect(await expected()).toEqual({ first: 24, amended: 18 });
      const audit = await auditRows(fixture.store, 'mark.approve', mark.id);
      expect(JSON.parse(audit[0]?.before_json ?? '{}').state).toBe('pending');
      expect(JSON.parse(audit[0]?.after_json ?? '{}').state).toBe('approved');
      const again = await county.request('POST', `/api/v1/marks/${mark.id}/decision`, {
        body: { decision: 'reject' },
      });
      expect([again.statusCode, again.json().error.code]).toEqual([409, 'QY_E_CONFLICT']);

      const withdrawn = await enterprise.request('POST', `/api/v1/marks/${mark.id}/withdraw`);
      expect(withdrawn.statusCode).toBe(200);
      expect(withdrawn.json().mark.state).toBe('withdrawn');
      expect(withdrawn.json().rejudgedDays).toBeGreaterThanOrEqual(1);
      expect(await expected()).toEqual({ first: 24, amended: 24 });
      expect(await auditRows(fixture.store, 'mark.withdraw', mark.id)).toHaveLength(1);
    });

    it('rejects without re-judging, and keeps other scopes’ marks out of reach', async () => {
      const { home, away } = fixture.ids;
      const enterprise = await fixture.client('enterprise');
      const mark = (await enterprise.request('POST', '/api/v1/marks', { body: stopped(home.point) })).json();
      const city = await fixture.client('city');
      const rejected = await city.request('POST', `/api/v1/marks/${mark.id}/decision`, {
        body: { decision: 'reject' },
      });
      expect(rejected.json()).toMatchObject({ mark: { state: 'rejected' }, rejudgedDays: 0 });
      expect(await auditRows(fixture.store, 'mark.reject', mark.id)).toHaveLength(1);
      const late = await enterprise.request('POST', `/api/v1/marks/${mark.id}/withdraw`);
      expect(late.statusCode).toBe(409);
      const foreign = await city.request('POST', `/api/v1/marks/${away.mark}/decision`, {
        body: { decision: 'approve' },
      });
      expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'QY_E_NOT_FOUND']);
      const theirs = await enterprise.request('POST', `/api/v1/marks/${away.mark}/withdraw`);
      expect(theirs.statusCode).toBe(404);
    });
  });
}
