import { HOUR_MS, MINUTE_MS } from '@qingyuan/domain';
import { encodeFrame } from '@qingyuan/hj212';
import { type ObservationInput, repositories } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { DEMO_PASSWORD } from '../../src/accounts/demo-users.js';
import { buildApp } from '../../src/http/app.js';
import type { LiveStatus } from '../../src/services/monitoring/live.js';
import type { SeriesResult } from '../../src/services/monitoring/series.js';
import { ApiClient, type ApiFixture, apiFixture, NOW } from './harness.js';

const API = '/api/v1';
const HOUR0 = NOW - 6 * HOUR_MS; // six hours before NOW, on the hour

interface Factor {
  readonly code: string;
  readonly limit: number;
}

for (const dialect of TEST_DIALECTS) {
  describe(`monitoring API [${dialect}]`, () => {
    let fixture: ApiFixture;
    let city: ApiClient;
    let admin: ApiClient;
    let factor: Factor;
    let other: string;
    let markId: number;

    beforeAll(async () => {
      fixture = await apiFixture(dialect, { sessionPolicy: { loginsPerPeerPerMinute: 1000 } });
      city = await fixture.client('city');
      admin = await fixture.client('province_admin');
      const { store } = fixture;
      const home = fixture.ids.home.point;
      const point = await store.db
        .selectFrom('monitoring_point as p')
        .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
        .select('o.kind')
        .where('p.id', '=', home)
        .executeTakeFirstOrThrow();
      const factors = await store.db
        .selectFrom('point_factor')
        .selectAll()
        .where('point_id', '=', home)
        .where('factor_code', '!=', 'w01001')
        .orderBy('factor_code')
        .execute();
      const limited = factors.find(
        (f) => (f.hour_limit ?? (point.kind === 'water' ? f.day_limit : null)) !== null,
      );
      if (limited === undefined) throw new Error('the home point has no limited factor');
      factor = {
        code: limited.factor_code,
        limit: (limited.hour_limit ?? limited.day_limit) as number,
      };
      other = (factors.find((f) => f.factor_code !== factor.code) ?? limited).factor_code;
      const repos = repositories(store);
      const row = (factorCode: string, periodStart: number, value: number, flag = 'N'): ObservationInput => ({
        pointId: home,
        factorCode,
        periodStart,
        values: { rtd: value, zs_rtd: value, avg: value, zs_avg: value, min: value - 1, max: value + 1 },
        dataFlag: flag,
        source: 'das',
        receivedAt: periodStart + 30_000,
      });
      // Real-time: the latest value of `factor` over its limit, of `other` under any limit.
      await repos.observations.write('realtime', [
        row(factor.code, NOW - 10 * MINUTE_MS, factor.limit / 2),
        row(factor.code, NOW - 2 * MINUTE_MS, factor.limit * 2),
        row(other, NOW - 2 * MINUTE_MS, 0),
      ]);
      // Hours: three values, the second flagged D (fault) and judged invalid.
      await repos.observations.write('hour', [
        row(factor.code, HOUR0, 1),
        row(factor.code, HOUR0 + HOUR_MS, 2, 'D'),
        row(factor.code, HOUR0 + 2 * HOUR_MS, 3),
        row(other, HOUR0, 9),
      ]);
      await repos.judgements.saveJudgements(
        [0, 1, 2].map((i) => ({
          point_id: home,
          factor_code: factor.code,
          period: 'hour' as const,
          period_start: HOUR0 + i * HOUR_MS,
          view: 'amended' as const,
          validity: i === 1 ? ('invalid' as const) : ('valid' as const),
          reason: i === 1 ? 'flag D' : 'ok',
          value: i + 1,
          corrected_value: i + 1,
          rule_version: 'test',
          judged_at: NOW,
        })),
      );
      const mark = await repos.marks.create(
        {
          pointId: home,
          factorCode: '*',
          from: HOUR0 + HOUR_MS,
          to: HOUR0 + 2 * HOUR_MS,
          kind: 'invalid',
          origin: 'manual',
          reason: '维护',
          madeBy: 'test',
        },
        NOW - HOUR_MS,
        'approved',
      );
      markId = Number(mark.id);
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    describe('GET /live', () => {
      it('lists the points in scope with their latest values, limits and exceedance', async () => {
        const response = await city.get(`${API}/live`);
        expect(response.statusCode).toBe(200);
        const live = response.json() as LiveStatus;
        const ids = live.points.map((p) => p.pointId);
        expect(ids).toContain(fixture.ids.home.point);
        expect(ids).not.toContain(fixture.ids.away.point);
        const home = live.points.find((p) => p.pointId === fixture.ids.home.point);
        expect(home?.online).toBe(false);
        const f = home?.factors.find((x) => x.factorCode === factor.code);
        expect(f).toMatchObject({
          value: factor.limit * 2,
          flag: 'N',
          dataTime: NOW - 2 * MINUTE_MS,
          ageMs: 2 * MINUTE_MS,
          exceeding: true,
        });
        expect(f?.limit.upper).toBe(factor.limit);
        const o = home?.factors.find((x) => x.factorCode === other);
        expect(o?.value).toBe(0);
        expect(o?.exceeding === true).toBe(false);
      });

      it('reads presence from the device_presence table without an in-process gateway', async () => {
        await repositories(fixture.store).presence.upsert(
          [
            {
              mn: fixture.ids.home.mn,
              pointId: fixture.ids.home.point,
              online: true,
              since: NOW - HOUR_MS,
              lastSeenAt: NOW - 5_000,
              peer: '10.0.0.1:5000',
              gateway: 'gw-1',
              protocolVersion: '2017',
              framesReceived: 10,
              framesRejected: 0,
              duplicates: 0,
            },
          ],
          NOW,
        );
        const live = (await city.get(`${API}/live`, { pointId: String(fixture.ids.home.point) })).json();
        expect(live.points).toHaveLength(1);
        expect(live.points[0]).toMatchObject({ online: true, since: NOW - HOUR_MS, lastSeenAt: NOW - 5_000 });
      });

      it('filters within the scope only: an out-of-scope point filter gives nothing', async () => {
        const response = await city.get(`${API}/live`, { pointId: String(fixture.ids.away.point) });
        expect(response.statusCode).toBe(200);
        expect(response.json().points).toEqual([]);
        const province = await admin.get(`${API}/live`, {
          enterpriseId: String(fixture.ids.away.enterprise),
        });
        expect(province.json().points.map((p: { enterpriseId: number }) => p.enterpriseId)).toContain(
          fixture.ids.away.enterprise,
        );
      });

      it('exports CSV (header + one row per point × factor) and XLSX', async () => {
        const csv = await city.get(`${API}/live`, { pointId: String(fixture.ids.home.point), format: 'csv' });
        expect(csv.statusCode).toBe(200);
        expect(csv.headers['content-type']).toContain('text/csv');
        const lines = csv.body
          .replace(/^\uFEFF/, '')
          .trim()
          .split('\r\n');
        expect(lines[0]?.startsWith('企业,行政区划,排口,点位,MN,在线状态')).toBe(true);
        const registered = await fixture.store.db
          .selectFrom('point_factor')
          .select('factor_code')
          .where('point_id', '=', fixture.ids.home.point)
          .execute();
        expect(lines).toHaveLength(1 + registered.length);
        expect(lines.find((l) => l.includes(`,${factor.code},`))).toContain(',是');
        const xlsx = await city.get(`${API}/live`, { format: 'xlsx' });
        expect(xlsx.statusCode).toBe(200);
        expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
      });
    });

    describe('GET /points/:id/series', () => {
      const series = (client: ApiClient, pointId: number, query: Record<string, string>) =>
        client.get(`${API}/points/${pointId}/series`, query);

      it('gives hourly values with flags, validity, approved marks and alarms in the range', async () => {
        const response = await series(city, fixture.ids.home.point, {
          period: 'hour',
          from: String(HOUR0),
          to: String(NOW),
          factors: factor.code,
        });
        expect(response.statusCode).toBe(200);
        const result = response.json() as SeriesResult;
        expect(result.factors.map((f) => f.factorCode)).toEqual([factor.code]);
        const [f] = result.factors;
        expect(f?.downsampled).toBe(false);
        // Columns: entry i of every array is the hour starting at t[i].
        expect(f?.t).toEqual([HOUR0, HOUR0 + HOUR_MS, HOUR0 + 2 * HOUR_MS]);
        expect(f?.value).toEqual([1, 2, 3]);
        expect(f?.flag).toEqual(['N', 'D', 'N']);
        expect(f?.validity).toEqual(['valid', 'invalid', 'valid']);
        expect(f?.reason?.[1]).toBe('flag D');
        for (const column of [f?.min, f?.max, f?.cou, f?.corrected, f?.exceeding, f?.reason])
          expect(column).toHaveLength(3);
        // A period without a judgement has null validity (the other factor's hour is not judged).
        const all = (
          await series(city, fixture.ids.home.point, { period: 'hour', from: String(HOUR0), to: String(NOW) })
        ).json() as SeriesResult;
        const unjudged = all.factors.find((x) => x.factorCode === other);
        expect([unjudged?.value, unjudged?.validity, unjudged?.reason]).toEqual([[9], [null], [null]]);
        expect(all.factors.find((x) => x.factorCode === factor.code)?.validity).toEqual([
          'valid',
          'invalid',
          'valid',
        ]);
        // The harness's own mark is pending: only the approved one is shown.
        expect(result.marks.map((m) => m.id)).toEqual([markId]);
        expect(result.alarms.map((a) => a.id)).toEqual([fixture.ids.home.alarm]);
      });

      it('leaves out annotations outside the range', async () => {
        const result = (
          await series(city, fixture.ids.home.point, {
            period: 'hour',
            from: String(HOUR0 - 10 * HOUR_MS),
            to: String(HOUR0 - 5 * HOUR_MS),
          })
        ).json() as SeriesResult;
        expect(result.factors).toEqual([]);
        expect(result.marks).toEqual([]);
        expect(result.alarms).toEqual([]);
      });

      it('hides a point out of scope (404) and bounds the range by period (400 naming the field)', async () => {
        const away = await series(city, fixture.ids.away.point, { period: 'hour' });
        expect(away.statusCode).toBe(404);
        expect(away.json().error.code).toBe('QY_E_NOT_FOUND');
        const long = await series(city, fixture.ids.home.point, {
          period: 'realtime',
          from: String(NOW - 3 * 86_400_000),
          to: String(NOW),
        });
        expect(long.statusCode).toBe(400);
        expect(long.json().error).toMatchObject({ code: 'QY_E_VALIDATION', detail: { field: 'from' } });
        const reversed = await series(city, fixture.ids.home.point, {
          from: String(NOW),
          to: String(NOW - 1),
        });
        expect(reversed.json().error).toMatchObject({ code: 'QY_E_VALIDATION', detail: { field: 'to' } });
      });

      it('shares one answer per query for seriesCacheMs, checking access first on every call', async () => {
        const app = await buildApp({ store: fixture.store, now: () => NOW, seriesCacheMs: 60_000 });
        try {
          const client = async (role: 'city' | 'enterprise' | 'province_admin') => {
            const c = new ApiClient(app);
            await c.login(fixture.accounts[role].username, DEMO_PASSWORD);
            return c;
          };
          const cityClient = await client('city');
          const query = { period: 'hour', from: String(HOUR0), to: String(NOW), factors: factor.code };
          const url = `${API}/points/${fixture.ids.home.point}/series`;
          const first = (await cityClient.get(url, query)).json() as SeriesResult;
          expect(first.factors[0]?.value).toEqual([1, 2, 3]);
          // A value written meanwhile is not seen while the answer is held…
          await repositories(fixture.store).observations.write('hour', [
            {
              pointId: fixture.ids.home.point,
              factorCode: factor.code,
              periodStart: HOUR0 + 3 * HOUR_MS,
              values: { avg: 4 },
              dataFlag: 'N',
              source: 'das',
              receivedAt: NOW,
            },
          ]);
          expect((await cityClient.get(url, query)).json()).toEqual(first);
          // …but another query computes afresh, and so does an export (never held).
          const other = (await cityClient.get(url, { ...query, maxPoints: '500' })).json() as SeriesResult;
          expect(other.factors[0]?.value).toEqual([1, 2, 3, 4]);
          const csv = await cityClient.get(url, { ...query, format: 'csv' });
          expect(csv.body.trim().split('\r\n')).toHaveLength(5);
          // An answer held for the province is not handed to a caller whose scope lacks the point.
          const awayUrl = `${API}/points/${fixture.ids.away.point}/series`;
          const awayQuery = { period: 'hour', from: String(HOUR0), to: String(NOW) };
          expect((await (await client('province_admin')).get(awayUrl, awayQuery)).statusCode).toBe(200);
          const refused = await (await client('enterprise')).get(awayUrl, awayQuery);
          expect([refused.statusCode, refused.json().error.code]).toEqual([404, 'QY_E_NOT_FOUND']);
        } finally {
          await app.close();
          await fixture.store.db
            .deleteFrom('obs_hour')
            .where('point_id', '=', fixture.ids.home.point)
            .where('period_start', '=', HOUR0 + 3 * HOUR_MS)
            .execute();
        }
      });

      it('downsamples long series keeping min and max, and exports every sample', async () => {
        const start = NOW - 30 * HOUR_MS;
        const rows: ObservationInput[] = Array.from({ length: 3000 }, (_, i) => ({
          pointId: fixture.ids.home.point,
          factorCode: other,
          periodStart: start + i * 30_000,
          values: { rtd: i === 1234 ? 999 : i === 2345 ? -5 : 10 + (i % 7) },
          dataFlag: 'N',
          source: 'das',
          receivedAt: start + i * 30_000,
        }));
        await repositories(fixture.store).observations.write('realtime', rows);
        const query = {
          period: 'realtime',
          from: String(start),
          to: String(start + 3000 * 30_000),
          factors: other,
        };
        const result = (
          await series(city, fixture.ids.home.point, { ...query, maxPoints: '100' })
        ).json() as SeriesResult;
        const [f] = result.factors;
        expect(f?.total).toBe(3000);
        expect(f?.downsampled).toBe(true);
        expect(f?.t.length).toBeLessThanOrEqual(100);
        for (const column of [f?.value, f?.min, f?.max, f?.cou, f?.corrected, f?.flag, f?.exceeding])
          expect(column).toHaveLength(f?.t.length ?? -1);
        // Real-time values are not judged: no validity columns.
        expect(f?.validity).toBeUndefined();
        expect(f?.reason).toBeUndefined();
        const values = (f?.value ?? []) as number[];
        expect(Math.max(...values)).toBe(999);
        expect(Math.min(...values)).toBe(-5);
        // The columns stay aligned: the extremes keep their own instants.
        expect(f?.t[values.indexOf(999)]).toBe(start + 1234 * 30_000);
        expect(f?.t[values.indexOf(-5)]).toBe(start + 2345 * 30_000);
        const times = f?.t ?? [];
        expect(times).toEqual([...times].sort((a, b) => a - b));

        const csv = await series(city, fixture.ids.home.point, { ...query, maxPoints: '100', format: 'csv' });
        expect(csv.statusCode).toBe(200);
        const lines = csv.body
          .replace(/^\uFEFF/, '')
          .trim()
          .split('\r\n');
        expect(lines[0]).toBe(
          '因子,时间,实时值,最小值,最大值,累计值,折算值,单位,数据标记,有效性,判定依据,限值,是否超标',
        );
        expect(lines).toHaveLength(3001);
        expect(lines[1]?.startsWith(`${other},`)).toBe(true);
        // The columns transposed into rows, in time order.
        expect(lines[1 + 1234]?.split(',').slice(2, 3)).toEqual(['999']);
        expect(lines[1 + 2345]?.split(',').slice(2, 3)).toEqual(['-5']);
        const xlsx = await series(city, fixture.ids.home.point, { ...query, format: 'xlsx' });
        expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
      });
    });

    describe('frames', () => {
      it('lists the frames of points in scope; unknown devices only for the whole province', async () => {
        await repositories(fixture.store).rawFrames.append([
          {
            receivedAt: NOW - 60_000,
            peer: '10.9.9.9:4000',
            mn: 'UNKNOWN0000000000000001',
            cn: '2011',
            qn: null,
            bytes: new TextEncoder().encode('##0010garbage\r\n'),
            verdict: 'unknown_device',
          },
        ]);
        const mine = (await city.get(`${API}/frames`)).json() as { id: number; mn: string | null }[];
        expect(mine.map((f) => f.id)).toContain(fixture.ids.home.frame);
        expect(mine.map((f) => f.id)).not.toContain(fixture.ids.away.frame);
        expect(mine.some((f) => f.mn === 'UNKNOWN0000000000000001')).toBe(false);
        const all = (await admin.get(`${API}/frames`, { verdict: 'unknown_device' })).json() as {
          mn: string;
        }[];
        expect(all.map((f) => f.mn)).toEqual(['UNKNOWN0000000000000001']);
        const byMn = (await city.get(`${API}/frames`, { mn: fixture.ids.home.mn, cn: '2011' })).json();
        expect(byMn.map((f: { id: number }) => f.id)).toEqual([fixture.ids.home.frame]);
        const csv = await city.get(`${API}/frames`, { mn: fixture.ids.home.mn, format: 'csv' });
        const lines = csv.body
          .replace(/^\uFEFF/, '')
          .trim()
          .split('\r\n');
        expect(lines[0]).toBe('id,接收时间,来源地址,MN,CN,QN,结论,错误码,报文');
        expect(lines[1]?.startsWith(`${fixture.ids.home.frame},`)).toBe(true);
      });

      it('shows one frame beside its decoded view and its chain check', async () => {
        const response = await city.get(`${API}/frames/${fixture.ids.home.frame}`);
        expect(response.statusCode).toBe(200);
        const frame = response.json();
        const expected = new TextDecoder().decode(
          encodeFrame(
            `QN=20261120110000000;ST=31;CN=2011;PW=123456;MN=${fixture.ids.home.mn};Flag=5;CP=&&DataTime=20261120110000;a21026-Rtd=12.5,a21026-Flag=N&&`,
          ),
        );
        // The device password is masked in what is shown (frames.ts); the rest is the frame as received.
        expect(frame.text).toBe(expected.replace('PW=123456', 'PW=******'));
        expect(frame.decoded).toMatchObject({
          ok: true,
          cn: '2011',
          st: '31',
          mn: fixture.ids.home.mn,
          qn: '20261120110000000',
          crc: { ok: true },
          dataTime: '2026-11-20T03:00:00.000Z',
        });
        expect(JSON.stringify(frame.decoded.body)).toContain('12.5');
        expect(frame.chain).toMatchObject({ recordIntact: true, linkIntact: true, day: '2026-11-20' });
        expect(frame.chain.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect((await city.get(`${API}/frames/${fixture.ids.away.frame}`)).statusCode).toBe(404);
        expect((await admin.get(`${API}/frames/${fixture.ids.away.frame}`)).statusCode).toBe(200);
      });

      it('is denied to the enterprise role', async () => {
        const enterprise = await fixture.client('enterprise');
        const response = await enterprise.get(`${API}/frames`);
        expect(response.statusCode).toBe(403);
      });
    });

    describe('device information', () => {
      beforeAll(async () => {
        const info = repositories(fixture.store).deviceInfo;
        const point = fixture.ids.home.point;
        await info.record([
          {
            pointId: point,
            polId: factor.code,
            infoCode: 'i12001',
            value: '0',
            receivedAt: NOW - 3 * HOUR_MS,
          },
          {
            pointId: point,
            polId: factor.code,
            infoCode: 'i13001',
            value: '100',
            receivedAt: NOW - 3 * HOUR_MS,
          },
          { pointId: point, polId: factor.code, infoCode: 'i13001', value: '200', receivedAt: NOW - HOUR_MS },
        ]);
        await info.fileBaseline(
          point,
          [{ polId: factor.code, infoCode: 'i13001', value: '100' }],
          NOW - 86_400_000,
          'test',
        );
      });

      it('gives the current states and parameters with their names', async () => {
        const response = await city.get(`${API}/points/${fixture.ids.home.point}/device-info`);
        expect(response.statusCode).toBe(200);
        const now = response.json();
        expect(now.states).toEqual([
          expect.objectContaining({ infoCode: 'i12001', name: '工作状态', value: '0', valueName: '运行' }),
        ]);
        expect(now.parameters).toEqual([
          expect.objectContaining({
            polId: factor.code,
            infoCode: 'i13001',
            value: '200',
            receivedAt: NOW - HOUR_MS,
          }),
        ]);
        expect((await city.get(`${API}/points/${fixture.ids.away.point}/device-info`)).statusCode).toBe(404);
      });

      it('gives the history of one code, oldest first', async () => {
        const response = await city.get(`${API}/points/${fixture.ids.home.point}/device-info/history`, {
          code: 'i13001',
        });
        expect(response.json().map((i: { value: string }) => i.value)).toEqual(['100', '200']);
      });

      it('gives parameter changes against the filed baseline and the previous value', async () => {
        const response = await city.get(`${API}/points/${fixture.ids.home.point}/parameter-changes`);
        expect(response.statusCode).toBe(200);
        const result = response.json();
        expect(result.differences).toEqual([
          expect.objectContaining({ polId: factor.code, infoCode: 'i13001', filed: '100', current: '200' }),
        ]);
        expect(result.changes).toEqual([
          expect.objectContaining({
            infoCode: 'i13001',
            at: NOW - HOUR_MS,
            previous: '100',
            value: '200',
            baseline: '100',
            changed: true,
            offBaseline: true,
          }),
        ]);
        const csv = await city.get(`${API}/points/${fixture.ids.home.point}/parameter-changes`, {
          format: 'csv',
        });
        expect(
          csv.body
            .replace(/^\uFEFF/, '')
            .trim()
            .split('\r\n'),
        ).toHaveLength(2);
      });
    });
  });
}
