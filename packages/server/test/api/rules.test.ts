import { beijingInstant, DEFAULT_RULES } from '@qingyuan/domain';
import { PresenceRepository, repositories } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { AnomalyConfigSource } from '../../src/analysis/anomaly-config-source.js';
import { LivenessSweep } from '../../src/analysis/liveness.js';
import { AnalysisWorker } from '../../src/analysis/worker.js';
import { writeConstantRun } from './data-helpers.js';
import { type ApiClient, type ApiFixture, apiFixture, NOW } from './harness.js';

const H = 3_600_000;
const M = 60_000;
const URL = '/api/v1/rules/anomaly-config';
/** 2026-11-19 (Beijing), the day before the fixture's now. */
const DAY = beijingInstant(2026, 11, 19);

for (const dialect of TEST_DIALECTS) {
  describe(`rule thresholds: /rules/anomaly-config [${dialect}]`, () => {
    let fixture: ApiFixture;
    let admin: ApiClient;
    beforeAll(async () => {
      fixture = await apiFixture(dialect);
      admin = await fixture.client('province_admin');
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    const put = (client: ApiClient, body: unknown) =>
      client.request('PUT', URL, { body, headers: { 'accept-language': 'en' } });
    const settings = (over: Record<string, unknown> = {}) => ({
      defaults: {},
      factors: {},
      disabled: {},
      ...over,
    });

    it('shows the built-in defaults to the authorities, each threshold with its range and [Proposal] tag', async () => {
      const city = await fixture.client('city');
      const answer = await city.get(URL);
      expect(answer.statusCode).toBe(200);
      const view = answer.json();
      expect(view).toMatchObject({
        revision: 0,
        updatedAt: null,
        settings: { defaults: {}, factors: {}, disabled: {} },
        effective: { constantHours: 6, offlineMs: 30 * M, recomputeTolerance: 0.05 },
      });
      const byName = new Map(view.thresholds.map((t: { name: string }) => [t.name, t]));
      expect(byName.get('constantHours')).toMatchObject({
        unit: 'hours',
        min: 2,
        max: 168,
        integer: true,
        proposal: true,
        builtIn: 6,
        detectors: ['constant-value'],
      });
      expect(byName.get('constantTolerance')).toMatchObject({ proposal: false, builtIn: 0 });
      expect(view.types).toContain('near-limit');
      for (const role of ['enterprise', 'om_contractor', 'public'] as const) {
        const denied = await (await fixture.client(role)).get(URL);
        expect(denied.json().error.code).toMatch(/QY_E_FORBIDDEN|QY_E_UNAUTHENTICATED/);
      }
    });

    it('lets only the province administrator change them', async () => {
      for (const role of ['province', 'city', 'county'] as const) {
        const answer = await put(await fixture.client(role), settings());
        expect(answer.statusCode).toBe(403);
        expect(answer.json().error.code).toBe('QY_E_FORBIDDEN');
      }
    });

    it('refuses values outside their range, contradicting ones, and unknown names, with stable codes', async () => {
      const cases: [unknown, number, string, Record<string, unknown>][] = [
        [
          settings({ defaults: { constantHours: 1 } }),
          400,
          'QY_E_RULE_RANGE',
          { field: 'constantHours', factor: null, min: 2, max: 168 },
        ],
        [
          settings({ defaults: { constantHours: 4.5 } }),
          400,
          'QY_E_RULE_RANGE',
          { field: 'constantHours', integer: true },
        ],
        [
          settings({ factors: { a21026: { dilutionOxygen: 25 } } }),
          400,
          'QY_E_RULE_RANGE',
          { field: 'dilutionOxygen', factor: 'a21026', max: 21 },
        ],
        [
          settings({ factors: { a21026: { nearLimitLow: 0.95, nearLimitHigh: 0.9 } } }),
          400,
          'QY_E_RULE_INCONSISTENT',
          { field: 'nearLimitLow', other: 'nearLimitHigh', factor: 'a21026' },
        ],
        [
          settings({ defaults: { suddenMinHistory: 30 } }),
          400,
          'QY_E_RULE_INCONSISTENT',
          { field: 'suddenMinHistory', other: 'suddenWindowHours', factor: null },
        ],
        [settings({ defaults: { nonsense: 3 } }), 400, 'QY_E_VALIDATION', {}],
        [settings({ disabled: { a21026: ['nonsense'] } }), 400, 'QY_E_VALIDATION', {}],
        [settings({ factors: { 'bad key!': { suddenK: 3 } } }), 400, 'QY_E_VALIDATION', {}],
      ];
      for (const [body, status, code, detail] of cases) {
        const answer = await put(admin, body);
        expect([answer.statusCode, answer.json().error.code], JSON.stringify(body)).toEqual([status, code]);
        expect(answer.json().error.detail).toMatchObject(detail);
      }
      // English with Accept-Language: en, Chinese otherwise.
      const en = await put(admin, settings({ defaults: { offlineMs: 1 } }));
      expect(en.json().error.message).toMatch(/outside its allowed range/);
      const zh = await admin.request('PUT', URL, { body: settings({ defaults: { offlineMs: 1 } }) });
      expect(zh.json().error.message).toMatch(/超出允许范围/);
      expect((await admin.get(URL)).json().revision).toBe(0);
    });

    it('saves a change from the revision read, audits it with before and after, and refuses a stale one', async () => {
      const change = settings({
        revision: 0,
        defaults: { suddenK: 6 },
        factors: { a21026: { constantTolerance: 0.5 }, w01018: {} },
        disabled: { a19001: ['sudden-change', 'sudden-change'], w00000: [] },
      });
      const answer = await put(admin, change);
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toMatchObject({
        revision: 1,
        updatedAt: NOW,
        updatedBy: fixture.accounts.province_admin.username,
        // Empty overrides and switches are dropped, each switch kept once.
        settings: {
          defaults: { suddenK: 6 },
          factors: { a21026: { constantTolerance: 0.5 } },
          disabled: { a19001: ['sudden-change'] },
        },
        effective: { suddenK: 6, constantHours: 6 },
      });
      expect(Object.keys(answer.json().settings.factors)).toEqual(['a21026']);
      const stale = await put(admin, { ...change, defaults: { suddenK: 7 } });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({ code: 'QY_E_CONFLICT', detail: { revision: 1 } });
      const audit = await fixture.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'rules.anomaly.update')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        entity: 'rule_setting',
        entity_id: 'anomaly',
        actor_name: 'root.admin',
      });
      expect(JSON.parse(audit[0]?.before_json ?? 'null')).toEqual({
        revision: 0,
        defaults: {},
        factors: {},
        disabled: {},
      });
      expect(JSON.parse(audit[0]?.after_json ?? 'null')).toMatchObject({
        revision: 1,
        defaults: { suddenK: 6 },
      });
      // Persisted: a new process loads it at start.
      const loaded = await new AnomalyConfigSource(fixture.store).load();
      expect(loaded.defaults.suddenK).toBe(6);
      expect(loaded.disabled).toEqual({ a19001: ['sudden-change'] });
    });

    it('judges with the thresholds in force: 恒值 of 5 hours fires once constantHours is 4, not with 6', async () => {
      const pointId = fixture.ids.home.point;
      const factor = 'qy001';
      // Five identical hourly values 02:00–06:00, between changing ones.
      await writeConstantRun(fixture.store, pointId, factor, DAY);
      const source = fixture.app.services.ctx.anomalies;
      const worker = new AnalysisWorker(fixture.store, {
        anomalies: () => source.config,
        now: () => NOW,
        delayMs: 10,
      });
      const constant = async () => {
        worker.markDirty(pointId, DAY + 3 * H);
        await worker.idle();
        const alarms = await repositories(fixture.store).alarms.list({ pointId, type: 'constant-value' });
        return alarms
          .filter((a) => a.factor_code === factor)
          .map((a) => [(a.opened_at - DAY) / H, a.closed_at === null ? null : (a.closed_at - DAY) / H]);
      };
      try {
        expect(await constant()).toEqual([]);
        const revision = (await admin.get(URL)).json().revision;
        const changed = await put(admin, settings({ revision, defaults: { constantHours: 4 } }));
        expect(changed.statusCode).toBe(200);
        expect(source.config.defaults.constantHours).toBe(4);
        expect(await constant()).toEqual([[2, 7]]);
        // Switched off for the factor: the episode is no longer produced.
        const off = await put(
          admin,
          settings({
            revision: revision + 1,
            defaults: { constantHours: 4 },
            disabled: { [factor]: ['constant-value'] },
          }),
        );
        expect(off.statusCode).toBe(200);
        expect(await constant()).toEqual([]);
        // A per-factor override wins over the default.
        await put(
          admin,
          settings({
            revision: revision + 2,
            defaults: { constantHours: 4 },
            factors: { [factor]: { constantHours: 6 } },
          }),
        );
        expect(await constant()).toEqual([]);
      } finally {
        await worker.stop();
      }
    });

    it('judges offline with the point-wide (*) threshold in force', async () => {
      const point = await fixture.store.db
        .selectFrom('monitoring_point')
        .select(['id', 'mn'])
        .where('id', '=', fixture.ids.away.point)
        .executeTakeFirstOrThrow();
      await new PresenceRepository(fixture.store).upsert(
        [
          {
            mn: point.mn,
            pointId: Number(point.id),
            online: true,
            since: NOW - H,
            lastSeenAt: NOW - 20 * M,
            peer: 'p',
            gateway: 'g',
            protocolVersion: '2017',
            framesReceived: 1,
            framesRejected: 0,
            duplicates: 0,
          },
        ],
        NOW - 20 * M,
      );
      const source = fixture.app.services.ctx.anomalies;
      const sweep = new LivenessSweep(fixture.store, {
        rules: DEFAULT_RULES,
        anomalies: () => source.config,
        now: () => NOW,
        lookBackMs: 0,
      });
      const open = () => repositories(fixture.store).alarms.open(Number(point.id), null, 'offline');
      await sweep.sweep();
      expect(await open()).toBeUndefined();
      const revision = (await admin.get(URL)).json().revision;
      const changed = await put(admin, settings({ revision, factors: { '*': { offlineMs: 10 * M } } }));
      expect(changed.statusCode).toBe(200);
      await sweep.sweep();
      expect((await open())?.opened_at).toBe(NOW - 10 * M);
    });
  });
}
