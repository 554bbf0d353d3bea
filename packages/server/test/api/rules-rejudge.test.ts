import { beijingInstant, DAY_MS, DEFAULT_RULES, dayStart } from '@qingyuan/domain';
import { repositories } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { rejudgeDays } from '../../src/analysis/rejudge.js';
import { writeConstantRun } from './data-helpers.js';
import { type ApiClient, type ApiFixture, apiFixture, NOW } from './harness.js';

const H = 3_600_000;
const URL = '/api/v1/rules/anomaly-config';
/** 2026-11-17 (Beijing): three whole days before the fixture's today (2026-11-20). */
const DAY = beijingInstant(2026, 11, 17);
const FACTOR = 'qy001';

for (const dialect of TEST_DIALECTS) {
  describe(`rule thresholds applied to past days: rejudgeDays [${dialect}]`, () => {
    let fixture: ApiFixture;
    let admin: ApiClient;
    let pointId: number;
    beforeAll(async () => {
      fixture = await apiFixture(dialect);
      admin = await fixture.client('province_admin');
      pointId = fixture.ids.home.point;
      // Five identical hourly values 02:00–06:00 of DAY, between changing ones, judged with the built-in
      // thresholds (恒值 from 6 hours: nothing) as the worker judged them when they arrived.
      await writeConstantRun(fixture.store, pointId, FACTOR, DAY);
      await rejudgeDays(
        fixture.store,
        pointId,
        { from: DAY, to: DAY + DAY_MS },
        DEFAULT_RULES,
        NOW,
        await fixture.app.services.ctx.anomalies.current(),
      );
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    const put = (client: ApiClient, body: unknown) =>
      client.request('PUT', URL, { body, headers: { 'accept-language': 'en' } });
    const revision = async () => (await admin.get(URL)).json().revision as number;
    const change = async (constantHours: number, days?: number) =>
      put(admin, {
        revision: await revision(),
        defaults: { constantHours },
        factors: {},
        disabled: {},
        ...(days === undefined ? {} : { rejudgeDays: days }),
      });
    /** The stored 恒值 episodes of the factor on DAY, as [opened, closed] hours of the day. */
    const constant = async () =>
      (await repositories(fixture.store).alarms.list({ pointId, type: 'constant-value' }))
        .filter((a) => a.factor_code === FACTOR && a.opened_at >= DAY && a.opened_at < DAY + DAY_MS)
        .map((a) => [(a.opened_at - DAY) / H, a.closed_at === null ? null : (a.closed_at - DAY) / H]);
    const settled = () => fixture.app.services.rules.rejudgeSettled();

    it('leaves past days as they were without rejudgeDays (or with 0)', async () => {
      expect(await constant()).toEqual([]);
      const answer = await change(4);
      expect(answer.statusCode).toBe(200);
      expect(answer.json().rejudge).toBeNull();
      await settled();
      expect(await constant()).toEqual([]);
      const zero = await change(4, 0);
      expect(zero.statusCode).toBe(200);
      expect(zero.json().rejudge).toBeNull();
      await settled();
      expect(await constant()).toEqual([]);
      expect((await admin.get(URL)).json().rejudge).toBeNull();
    });

    it('re-judges the last N whole days of every point in the background: the episode the old threshold missed opens', async () => {
      const points = await fixture.store.db.selectFrom('monitoring_point').select('id').execute();
      const answer = await change(4, 3);
      expect(answer.statusCode).toBe(200);
      const view = answer.json();
      // Answered at once with what was scheduled.
      expect(view.rejudge).toMatchObject({
        state: 'running',
        days: 3,
        from: dayStart(NOW) - 3 * DAY_MS,
        to: NOW,
        revision: view.revision,
        requestedBy: 'root.admin',
        pointsDone: 0,
        startedAt: NOW,
        finishedAt: null,
        error: null,
      });
      await settled();
      expect(await constant()).toEqual([[2, 7]]);
      // Progress for every reader of the thresholds (the city reads them too).
      const shown = (await (await fixture.client('city')).get(URL)).json().rejudge;
      expect(shown).toMatchObject({
        state: 'finished',
        days: 3,
        pointsTotal: points.length,
        pointsDone: points.length,
        pointsFailed: 0,
        finishedAt: NOW,
        error: null,
      });
      // Four days (three whole ones and today so far) of each point with a registry context at least.
      expect(shown.daysAnalysed).toBeGreaterThanOrEqual(4);
      // Audited with the change.
      const audit = await fixture.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'rules.anomaly.update')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(audit.after_json ?? 'null')).toMatchObject({
        revision: view.revision,
        defaults: { constantHours: 4 },
        rejudgeDays: 3,
        rejudge: { from: dayStart(NOW) - 3 * DAY_MS, to: NOW },
      });
    });

    it('withdraws the episode the old threshold found once the new one no longer finds it', async () => {
      // Back to 6 hours for days judged from now on only: the past episode stays.
      expect((await change(6)).statusCode).toBe(200);
      await settled();
      expect(await constant()).toEqual([[2, 7]]);
      // Applied to the last 2 days only: DAY is older and stays as judged.
      expect((await change(6, 2)).statusCode).toBe(200);
      await settled();
      expect(await constant()).toEqual([[2, 7]]);
      expect((await change(6, 3)).statusCode).toBe(200);
      await settled();
      expect(await constant()).toEqual([]);
    });

    it('runs one re-judgement at a time: a second one meanwhile is refused and saves nothing', async () => {
      const first = await change(5, 3);
      expect(first.statusCode).toBe(200);
      const held = first.json().revision;
      const second = await put(admin, {
        revision: held,
        defaults: { constantHours: 4 },
        factors: {},
        disabled: {},
        rejudgeDays: 1,
      });
      expect(second.statusCode).toBe(409);
      expect(second.json().error).toMatchObject({
        code: 'QY_E_CONFLICT',
        detail: { rejudge: { state: 'running', days: 3, revision: held } },
      });
      await settled();
      expect(await revision()).toBe(held);
      expect((await admin.get(URL)).json()).toMatchObject({
        effective: { constantHours: 5 },
        rejudge: { state: 'finished', days: 3, revision: held },
      });
      // 恒值 of 5 hours with a 5-hour threshold: the episode is back.
      expect(await constant()).toEqual([[2, 7]]);
    });

    it('refuses rejudgeDays outside 0–31 or not whole with QY_E_VALIDATION, saving and scheduling nothing', async () => {
      const before = (await admin.get(URL)).json();
      for (const days of [-1, 32, 1.5, 'seven', 365]) {
        const answer = await put(admin, {
          revision: before.revision,
          defaults: { constantHours: 4 },
          factors: {},
          disabled: {},
          rejudgeDays: days,
        });
        expect([answer.statusCode, answer.json().error?.code], String(days)).toEqual([
          400,
          'QY_E_VALIDATION',
        ]);
      }
      const after = (await admin.get(URL)).json();
      expect(after.revision).toBe(before.revision);
      expect(after.rejudge).toEqual(before.rejudge);
    });

    it('lets only the province administrator schedule one', async () => {
      const before = (await admin.get(URL)).json();
      for (const role of ['province', 'city', 'county', 'enterprise', 'om_contractor', 'public'] as const) {
        const answer = await put(await fixture.client(role), {
          revision: before.revision,
          defaults: { constantHours: 4 },
          factors: {},
          disabled: {},
          rejudgeDays: 7,
        });
        expect(answer.json().error.code, role).toMatch(/QY_E_FORBIDDEN|QY_E_UNAUTHENTICATED/);
      }
      const after = (await admin.get(URL)).json();
      expect(after.revision).toBe(before.revision);
      expect(after.rejudge).toEqual(before.rejudge);
    });

    // Last: the service does not re-judge again once stopped.
    it('stops a run at shutdown after the point in hand, and says so', async () => {
      const answer = await change(4, 31);
      expect(answer.statusCode).toBe(200);
      await fixture.app.services.rules.stop();
      const run = (await admin.get(URL)).json().rejudge;
      expect(run).toMatchObject({ state: 'stopped', days: 31, finishedAt: NOW });
      expect(run.error).toMatch(/shut down/);
      expect(run.pointsDone).toBeLessThan(run.pointsTotal);
    });
  });
}
