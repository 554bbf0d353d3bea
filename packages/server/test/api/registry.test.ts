import { beijingDay, usccCheckCharacter } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { type ApiClient, type ApiFixture, apiFixture, NOW } from './harness.js';

const API = '/api/v1';
let serial = 0;

/** A valid USCC (GB 32100-2015) that no demo record holds. */
function freshUscc(region: string): string {
  serial += 1;
  const first17 = `91${region}${String(700_000_000 + serial)}`;
  return first17 + usccCheckCharacter(first17);
}

for (const dialect of TEST_DIALECTS) {
  describe(`registry API [${dialect}]`, () => {
    let fixture: ApiFixture;
    const clients: Record<string, ApiClient> = {};
    beforeAll(async () => {
      fixture = await apiFixture(dialect, { sessionPolicy: { loginsPerPeerPerMinute: 1000 } });
      for (const role of ['province', 'city', 'county', 'enterprise', 'om_contractor'] as const)
        clients[role] = await fixture.client(role);
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    const client = (role: string) => clients[role] as ApiClient;
    const audits = (entity: string, id: number) =>
      fixture.app.services.ctx.repos.audit.list({ entity, entityId: String(id) });

    /** The enterprise ids a contractor's contracts in force today cover, from the database. */
    async function contracted(contractorId: number): Promise<number[]> {
      const today = beijingDay(NOW);
      const rows = await fixture.store.db
        .selectFrom('contract')
        .select('enterprise_id')
        .where('contractor_id', '=', contractorId)
        .where('starts_on', '<=', today)
        .where('ends_on', '>=', today)
        .execute();
      return [...new Set(rows.map((r) => Number(r.enterprise_id)))].sort((a, b) => a - b);
    }

    it('lists enterprises and points within each role’s scope', async () => {
      const ids = (rows: { id: number }[]) => rows.map((r) => r.id);
      const province = (await client('province').get(`${API}/enterprises`)).json();
      expect(province.length).toBeGreaterThanOrEqual(40);
      expect(ids(province)).toContain(fixture.ids.away.enterprise);

      const city = (await client('city').get(`${API}/enterprises`)).json() as { regionCode: string }[];
      expect(city.length).toBeGreaterThan(0);
      expect(city.length).toBeLessThan(province.length);
      expect(city.every((e) => e.regionCode.startsWith('4201'))).toBe(true);
      expect(ids(city as never)).not.toContain(fixture.ids.away.enterprise);

      const countyRegion = fixture.accounts.county.regionCode as string;
      const county = (await client('county').get(`${API}/enterprises`)).json() as { regionCode: string }[];
      expect(county.every((e) => e.regionCode === countyRegion)).toBe(true);

      const own = (await client('enterprise').get(`${API}/enterprises`)).json();
      expect(ids(own)).toEqual([fixture.ids.home.enterprise]);
      const ownPoints = (await client('enterprise').get(`${API}/points`)).json() as {
        enterpriseId: number;
      }[];
      expect(ownPoints.length).toBeGreaterThan(0);
      expect(new Set(ownPoints.map((p) => p.enterpriseId))).toEqual(new Set([fixture.ids.home.enterprise]));

      const om = (await client('om_contractor').get(`${API}/enterprises`)).json();
      const expected = await contracted(fixture.accounts.om_contractor.contractorId as number);
      expect([...ids(om)].sort((a, b) => a - b)).toEqual(expected);
      const omPoints = (await client('om_contractor').get(`${API}/points`)).json() as {
        enterpriseId: number;
      }[];
      expect(omPoints.every((p) => expected.includes(p.enterpriseId))).toBe(true);

      const cityPoints = (await client('city').get(`${API}/points`)).json() as { regionCode: string }[];
      expect(cityPoints.every((p) => p.regionCode.startsWith('4201'))).toBe(true);
      const all = (await client('province').get(`${API}/points`, { limit: '5000' })).json() as unknown[];
      expect(cityPoints.length).toBeLessThan(all.length);
    });

    it('filters points and exports them as CSV with a header row', async () => {
      const query = { enterpriseId: String(fixture.ids.home.enterprise) };
      const json = (await client('city').get(`${API}/points`, query)).json() as { mn: string }[];
      expect(json.length).toBeGreaterThan(0);
      const csv = await client('city').get(`${API}/points`, { ...query, format: 'csv' });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      const lines = csv.body
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines[0]).toBe('id,MN,点位名称,状态,协议版本,企业,行政区划,排口编号,排口名称,排口类型,投运日期');
      expect(lines.length).toBe(json.length + 1);
      for (const p of json) expect(csv.body).toContain(p.mn);
      const byMn = (await client('city').get(`${API}/points`, { mn: fixture.ids.home.mn })).json();
      expect(byMn.map((p: { mn: string }) => p.mn)).toContain(fixture.ids.home.mn);
      const xlsx = await client('city').get(`${API}/points`, { ...query, format: 'xlsx' });
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    });

    it('creates and changes an enterprise in scope, auditing before and after', async () => {
      const region = fixture.ids.home.region;
      const uscc = freshUscc(region);
      const created = await client('city').request('POST', `${API}/enterprises`, {
        body: {
          uscc,
          name: '测试化工有限公司',
          regionCode: region,
          contactName: '李四',
          keyUnits: [{ year: 2026, categories: ['gas'] }],
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const enterprise = created.json();
      expect(enterprise).toMatchObject({
        uscc,
        regionCode: region,
        keyUnits: [{ year: 2026, categories: ['gas'] }],
      });
      const [create] = await audits('enterprise', enterprise.id);
      expect(create?.action).toBe('enterprise.create');
      expect(create?.actor_name).toBe(fixture.accounts.city.username);
      expect(create?.before_json).toBeNull();
      expect(JSON.parse(create?.after_json as string)).toMatchObject({ uscc, name: '测试化工有限公司' });

      const patched = await client('city').request('PATCH', `${API}/enterprises/${enterprise.id}`, {
        body: { contactPhone: '027-12345678' },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      const [update] = await audits('enterprise', enterprise.id);
      expect(update?.action).toBe('enterprise.update');
      expect(JSON.parse(update?.before_json as string).contactPhone).toBeNull();
      expect(JSON.parse(update?.after_json as string).contactPhone).toBe('027-12345678');

      const detail = (await client('city').get(`${API}/enterprises/${enterprise.id}`)).json();
      expect(detail).toMatchObject({ contactName: '李四', outletCount: 0, pointCount: 0 });
      // The county sees it only if it is in the county's region.
      const inCounty = region === fixture.accounts.county.regionCode;
      const seen = await client('county').get(`${API}/enterprises/${enterprise.id}`);
      expect(seen.statusCode).toBe(inCounty ? 200 : 404);
    });

    it('rejects a bad USCC, a region outside the caller’s and ids outside its scope', async () => {
      const bad = await client('city').request('POST', `${API}/enterprises`, {
        body: { uscc: '91420100MA4K0000X0', name: '坏代码', regionCode: fixture.ids.home.region },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('STORE_E_USCC_INVALID');

      const away = fixture.ids.away;
      const outside = await client('city').request('POST', `${API}/enterprises`, {
        body: { uscc: freshUscc(away.region), name: '越权', regionCode: away.region },
      });
      expect(outside.statusCode).toBe(404);
      expect(outside.json().error.code).toBe('QY_E_NOT_FOUND');

      const move = await client('city').request(
        'PATCH',
        `${API}/enterprises/${fixture.ids.home.enterprise}`,
        {
          body: { regionCode: away.region },
        },
      );
      expect(move.json().error.code).toBe('QY_E_NOT_FOUND');
      const writes = [
        ['PATCH', `/enterprises/${away.enterprise}`, { name: 'x' }],
        ['POST', `/enterprises/${away.enterprise}/outlets`, { kind: 'gas', code: 'DA900', name: 'x' }],
        ['PATCH', `/outlets/${away.outlet}`, { name: 'x' }],
        [
          'POST',
          `/outlets/${away.outlet}/points`,
          { name: 'x', mn: 'X1', password: '1', protocolVersion: '2017' },
        ],
        ['PATCH', `/points/${away.point}`, { name: 'x' }],
        ['PUT', `/points/${away.point}/factors`, { factors: [] }],
        ['POST', `/points/${away.point}/status`, { status: 'stopped', reason: 'x' }],
        ['PATCH', `/points/999999`, { name: 'x' }],
      ] as const;
      for (const [method, url, body] of writes) {
        const response = await client('city').request(method, `${API}${url}`, { body });
        expect(response.statusCode, `${method} ${url}`).toBe(404);
        expect(response.json().error.code).toBe('QY_E_NOT_FOUND');
      }
      const before = await fixture.app.services.ctx.repos.points.get(away.point);
      expect(before?.name).not.toBe('x');
      // The county may read but not write the registry.
      const county = await client('county').request('PATCH', `${API}/points/${fixture.ids.home.point}`, {
        body: { name: 'x' },
      });
      expect(county.json().error.code).toBe('QY_E_FORBIDDEN');
    });

    it('creates a point with a password that no read, export or audit record ever shows', async () => {
      const secret = 'Zq7#pw';
      const outlet = await client('city').request(
        'POST',
        `${API}/enterprises/${fixture.ids.home.enterprise}/outlets`,
        { body: { kind: 'gas', code: 'DA977', name: '测试排口' } },
      );
      expect(outlet.statusCode, outlet.body).toBe(201);
      const outletId = outlet.json().id;
      const mn = '88000000000000000TEST001';
      const created = await client('city').request('POST', `${API}/outlets/${outletId}/points`, {
        body: { name: '测试点位', mn: mn, password: secret, protocolVersion: '2017' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const point = created.json();
      expect(point.status).toBe('planned');
      const reads = [
        created,
        await client('city').get(`${API}/points/${point.id}`),
        await client('city').get(`${API}/points`, { outletId: String(outletId) }),
        await client('city').get(`${API}/points`, { outletId: String(outletId), format: 'csv' }),
        await client('city').get(`${API}/outlets/${outletId}`),
      ];
      for (const r of reads) {
        expect(r.statusCode).toBe(200 + (r === created ? 1 : 0));
        expect(r.body).not.toContain(secret);
        expect(r.body).not.toMatch(/password/i);
      }
      const repos = fixture.app.services.ctx.repos;
      expect((await repos.points.credentials(mn))?.password).toBe(secret);

      const changed = await client('city').request('PATCH', `${API}/points/${point.id}`, {
        body: { password: 'N3w#pw', name: '改名点位' },
      });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.body).not.toContain('N3w#pw');
      expect((await repos.points.credentials(mn))?.password).toBe('N3w#pw');
      const records = await audits('point', point.id);
      expect(records.map((r) => r.action)).toEqual(['point.password', 'point.update', 'point.create']);
      for (const r of records) expect(JSON.stringify(r)).not.toMatch(/Zq7#pw|N3w#pw/);
    });

    it('replaces factors and changes status with a reason, both audited', async () => {
      const id = fixture.ids.home.point;
      const factors = [
        { factorCode: 'a21026', unit: 'mg/m3', assessed: true, hourLimit: 35, rangeLow: 0, rangeHigh: 200 },
        { factorCode: 'a19001', unit: '%', assessed: false },
      ];
      const put = await client('city').request('PUT', `${API}/points/${id}/factors`, { body: { factors } });
      expect(put.statusCode, put.body).toBe(200);
      const detail = (await client('enterprise').get(`${API}/points/${id}`)).json();
      expect(detail.factors.map((f: { factorCode: string }) => f.factorCode)).toEqual(['a19001', 'a21026']);
      expect(detail.enterprise.id).toBe(fixture.ids.home.enterprise);
      const [factorAudit] = await audits('point', id);
      expect(factorAudit?.action).toBe('point.factors');
      expect(JSON.parse(factorAudit?.after_json as string)).toHaveLength(2);
      expect(JSON.parse(factorAudit?.before_json as string).length).toBeGreaterThan(0);

      const repeated = await client('city').request('PUT', `${API}/points/${id}/factors`, {
        body: { factors: [factors[0], factors[0]] },
      });
      expect(repeated.json().error.code).toBe('STORE_E_INVALID');

      const status = await client('city').request('POST', `${API}/points/${id}/status`, {
        body: { status: 'stopped', reason: '停产检修' },
      });
      expect(status.statusCode, status.body).toBe(200);
      expect(status.json()).toMatchObject({ changed: true, point: { status: 'stopped' } });
      const history = (await client('om_contractor').get(`${API}/points/${id}/status-history`)).json();
      expect(history.at(-1)).toMatchObject({ status: 'stopped', reason: '停产检修', changedAt: NOW });
      const [statusAudit] = await audits('point', id);
      expect(statusAudit?.action).toBe('point.status');
      expect(JSON.parse(statusAudit?.after_json as string)).toEqual({
        status: 'stopped',
        reason: '停产检修',
      });
      const again = await client('city').request('POST', `${API}/points/${id}/status`, {
        body: { status: 'stopped', reason: '重复' },
      });
      expect(again.json().changed).toBe(false);
    });

    it('keeps a null sent as null (no limit, no coordinate), never coerced to 0', async () => {
      const id = fixture.ids.home.point;
      const factor = {
        factorCode: 'a21002',
        code2005: null,
        unit: 'mg/m3',
        assessed: true,
        rangeLow: null,
        rangeHigh: null,
        hourLimit: null,
        dayLimit: null,
        alarmLow: null,
        alarmHigh: 200,
      };
      const put = await client('city').request('PUT', `${API}/points/${id}/factors`, {
        body: { factors: [factor] },
      });
      expect(put.statusCode, put.body).toBe(200);
      const detail = (await client('city').get(`${API}/points/${id}`)).json();
      expect(detail.factors).toEqual([factor]);

      const enterpriseId = fixture.ids.home.enterprise;
      const patched = await client('city').request('PATCH', `${API}/enterprises/${enterpriseId}`, {
        body: { longitude: null, latitude: null, contactPhone: null },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({ longitude: null, latitude: null, contactPhone: null });
      const outletId = fixture.ids.home.outlet;
      const outlet = await client('city').request('PATCH', `${API}/outlets/${outletId}`, {
        body: { referenceO2: null, stackHeightM: null },
      });
      expect(outlet.statusCode, outlet.body).toBe(200);
      expect(outlet.json()).toMatchObject({ referenceO2: null, stackHeightM: null });
    });

    it('shows regions as reference data, one region only within scope', async () => {
      const list = (await client('enterprise').get(`${API}/regions`, { level: 'city' })).json();
      expect(list.length).toBeGreaterThanOrEqual(17);
      const tree = (await client('enterprise').get(`${API}/regions`, { tree: 'true' })).json();
      expect(tree).toHaveLength(1);
      expect(tree[0].code).toBe('420000');
      expect(tree[0].children.length).toBe(list.length);

      const home = fixture.ids.home.region;
      const own = await client('enterprise').get(`${API}/regions/${home}`);
      expect(own.statusCode).toBe(200);
      expect(own.json().enterpriseCount).toBe(1);
      expect(own.json().path.map((r: { code: string }) => r.code)).toEqual([
        '420000',
        `${home.slice(0, 4)}00`,
      ]);
      expect((await client('enterprise').get(`${API}/regions/${fixture.ids.away.region}`)).statusCode).toBe(
        404,
      );
      expect((await client('city').get(`${API}/regions/420000`)).statusCode).toBe(404);
      expect((await client('province').get(`${API}/regions/420000`)).json().children.length).toBe(
        list.length,
      );
    });

    it('keeps standards and contractors as reference data, their writes for the province', async () => {
      const standards = (await client('enterprise').get(`${API}/standards`)).json();
      expect(standards.length).toBeGreaterThan(0);
      const one = (await client('enterprise').get(`${API}/standards/${standards[0].id}`)).json();
      expect(Array.isArray(one.limits)).toBe(true);

      const body = {
        code: 'DB42/TEST-1',
        name: '测试地方标准',
        kind: 'water',
        limits: [{ factorCode: 'w01018', period: 'day', limitValue: 50, unit: 'mg/L' }],
      };
      expect((await client('city').request('POST', `${API}/standards`, { body })).statusCode).toBe(403);
      const created = await client('province').request('POST', `${API}/standards`, { body });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({
        local: true,
        limits: [{ factorCode: 'w01018', limitValue: 50 }],
      });
      const patched = await client('province').request('PATCH', `${API}/standards/${created.json().id}`, {
        body: { limits: [{ factorCode: 'w01018', period: 'day', limitValue: 40, unit: 'mg/L' }] },
      });
      expect(patched.json().limits[0].limitValue).toBe(40);
      const [audit] = await audits('standard', created.json().id);
      expect(JSON.parse(audit?.before_json as string).limits[0].limitValue).toBe(50);
      expect(JSON.parse(audit?.after_json as string).limits[0].limitValue).toBe(40);

      const om = fixture.accounts.om_contractor.contractorId as number;
      const contractors = (await client('enterprise').get(`${API}/contractors`, { kind: 'om' })).json();
      expect(contractors.map((c: { id: number }) => c.id)).toContain(om);
      const seenByCity = (await client('city').get(`${API}/contractors/${om}`)).json();
      const cityEnterprises = new Set(
        ((await client('city').get(`${API}/enterprises`, { limit: '5000' })).json() as { id: number }[]).map(
          (e) => e.id,
        ),
      );
      expect(seenByCity.contracts.length).toBeGreaterThan(0);
      expect(
        seenByCity.contracts.every((c: { enterpriseId: number }) => cityEnterprises.has(c.enterpriseId)),
      ).toBe(true);

      const contractor = await client('province').request('POST', `${API}/contractors`, {
        body: { uscc: freshUscc('420100'), name: '测试运维公司', kind: 'om', serviceRegions: ['420100'] },
      });
      expect(contractor.statusCode, contractor.body).toBe(201);
      const contract = await client('province').request(
        'POST',
        `${API}/contractors/${contractor.json().id}/contracts`,
        {
          body: {
            enterpriseId: fixture.ids.away.enterprise,
            scope: '运维',
            startsOn: '2026-01-01',
            endsOn: '2026-12-31',
          },
        },
      );
      expect(contract.statusCode, contract.body).toBe(201);
      const inForce = (
        await client('province').get(`${API}/enterprises/${fixture.ids.away.enterprise}/contractors`)
      ).json();
      expect(inForce.map((c: { contractor: { name: string } }) => c.contractor.name)).toContain(
        '测试运维公司',
      );
      const [contractAudit] = await audits('contract', contract.json().id);
      expect(contractAudit?.action).toBe('contract.create');
    });

    it('shows permits and outlets through their enterprise', async () => {
      const home = fixture.ids.home;
      const permits = (
        await client('enterprise').get(`${API}/enterprises/${home.enterprise}/permits`)
      ).json();
      expect(permits.map((p: { id: number }) => p.id)).toContain(home.permit);
      const permit = (await client('enterprise').get(`${API}/permits/${home.permit}`)).json();
      expect(permit.enterpriseId).toBe(home.enterprise);
      expect(Array.isArray(permit.allowances)).toBe(true);
      const away = fixture.ids.away;
      if (away.permit !== null)
        expect((await client('enterprise').get(`${API}/permits/${away.permit}`)).statusCode).toBe(404);
      const outlets = (
        await client('om_contractor').get(`${API}/enterprises/${home.enterprise}/outlets`)
      ).json();
      expect(outlets.map((o: { id: number }) => o.id)).toContain(home.outlet);
      expect((await client('om_contractor').get(`${API}/outlets/${away.outlet}`)).statusCode).toBe(404);
      const contractors = (
        await client('enterprise').get(`${API}/enterprises/${home.enterprise}/contractors`)
      ).json();
      const ids = contractors.map((c: { contractorId: number }) => c.contractorId);
      expect(ids).toContain(fixture.accounts.om_contractor.contractorId);
    });
  });
}
