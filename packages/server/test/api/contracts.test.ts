import { usccCheckCharacter } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { ROLE_PERMISSIONS } from '../../src/access/roles.js';
import { DEMO_PASSWORD } from '../../src/accounts/demo-users.js';
import { ApiClient, type ApiFixture, apiFixture } from './harness.js';

// PATCH /contracts/:id: ending an O&M contract early takes the contractor's access away at once, and a
// contract is corrected (enterprise, point, scope) only before it starts. NOW is 2026-11-20 (Beijing).
const API = '/api/v1';
let serial = 0;

function freshUscc(region: string): string {
  serial += 1;
  const first17 = `91${region}${String(720_000_000 + serial)}`;
  return first17 + usccCheckCharacter(first17);
}

for (const dialect of TEST_DIALECTS) {
  describe(`contracts API [${dialect}]`, () => {
    let fixture: ApiFixture;
    let province: ApiClient;
    let city: ApiClient;
    /** A fresh O&M contractor, its user, and its only contract: the `away` point, for 2026. */
    let contractorId: number;
    let contractId: number;
    let om: ApiClient;

    beforeAll(async () => {
      fixture = await apiFixture(dialect, { sessionPolicy: { loginsPerPeerPerMinute: 1000 } });
      province = await fixture.client('province');
      city = await fixture.client('city');
      const contractor = await province.request('POST', `${API}/contractors`, {
        body: { uscc: freshUscc('420100'), name: '提前终止测试运维公司', kind: 'om' },
      });
      expect(contractor.statusCode, contractor.body).toBe(201);
      contractorId = contractor.json().id;
      const contract = await province.request('POST', `${API}/contractors/${contractorId}/contracts`, {
        body: {
          enterpriseId: fixture.ids.away.enterprise,
          pointId: fixture.ids.away.point,
          scope: '自动监控设施运维',
          startsOn: '2026-01-01',
          endsOn: '2026-12-31',
        },
      });
      expect(contract.statusCode, contract.body).toBe(201);
      contractId = contract.json().id;
      await fixture.app.services.accounts.provision(
        { username: 'om.early', displayName: '运维测试', role: 'om_contractor', contractorId },
        DEMO_PASSWORD,
      );
      om = new ApiClient(fixture.app);
      expect((await om.login('om.early', DEMO_PASSWORD)).statusCode).toBe(200);
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    const patch = (client: ApiClient, id: number, body: unknown) =>
      client.request('PATCH', `${API}/contracts/${id}`, { body, headers: { 'accept-language': 'en' } });

    it('refuses bad dates and late corrections with their codes, and callers without reference.write', async () => {
      const before = await patch(province, contractId, { endsOn: '2025-12-31' });
      expect([before.statusCode, before.json().error.code]).toEqual([400, 'QY_E_CONTRACT_DATES']);
      expect(before.json().error).toMatchObject({
        detail: { field: 'endsOn', startsOn: '2026-01-01', problem: 'before-start' },
      });
      expect(before.json().error.message).toMatch(/start day/);
      const longer = await patch(province, contractId, { endsOn: '2027-06-30' });
      expect([longer.statusCode, longer.json().error.code]).toEqual([400, 'QY_E_CONTRACT_DATES']);
      expect(longer.json().error.detail).toMatchObject({ problem: 'extends-started', endsOn: '2026-12-31' });
      const moved = await patch(province, contractId, { pointId: null });
      expect([moved.statusCode, moved.json().error.code]).toEqual([409, 'QY_E_CONTRACT_STARTED']);
      const notDay = await patch(province, contractId, { endsOn: '2026-11' });
      expect([notDay.statusCode, notDay.json().error.code]).toEqual([400, 'QY_E_VALIDATION']);
      expect((await patch(city, contractId, { endsOn: '2026-11-19' })).json().error.code).toBe(
        'QY_E_FORBIDDEN',
      );
      expect((await patch(om, contractId, { endsOn: '2026-11-19' })).json().error.code).toBe(
        'QY_E_FORBIDDEN',
      );
      const unknown = await patch(province, 999_999, { endsOn: '2026-11-19' });
      expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'QY_E_NOT_FOUND']);
      // Nothing changed: the contractor still sees its point.
      expect((await om.get(`${API}/points/${fixture.ids.away.point}`)).statusCode).toBe(200);
    });

    it('treats a contract of an enterprise outside the caller’s scope as not found', async () => {
      // reference.write is the province's; a city-bound caller holding it must still not reach `away`.
      const services = fixture.app.services;
      const cityWriter = {
        kind: 'user' as const,
        userId: 0,
        username: 'city.writer',
        role: 'city' as const,
        regionCode: fixture.accounts.city.regionCode,
        enterpriseId: null,
        contractorId: null,
        permissions: new Set([...ROLE_PERMISSIONS.city, 'reference.write' as const]),
      };
      await expect(
        services.registry.contractors.updateContract(cityWriter, contractId, { endsOn: '2026-11-19' }),
      ).rejects.toMatchObject({ code: 'QY_E_NOT_FOUND', detail: { entity: 'contract', id: contractId } });
      await expect(
        services.registry.contractors.updateContract(cityWriter, fixture.ids.home.contract, {
          endsOn: '2026-12-30',
        }),
      ).resolves.toMatchObject({ endsOn: '2026-12-30' });
    });

    it('ends the contract early: the contractor loses the point at once, and the change is audited', async () => {
      expect((await om.get(`${API}/points/${fixture.ids.away.point}`)).statusCode).toBe(200);
      const ended = await patch(province, contractId, { endsOn: '2026-11-19' });
      expect(ended.statusCode, ended.body).toBe(200);
      expect(ended.json()).toMatchObject({ id: contractId, startsOn: '2026-01-01', endsOn: '2026-11-19' });

      // Same session, next request: the point is gone from the contractor's scope.
      expect((await om.get(`${API}/points/${fixture.ids.away.point}`)).statusCode).toBe(404);
      expect((await om.get(`${API}/points`)).json()).toEqual([]);
      const detail = (await province.get(`${API}/contractors/${contractorId}`)).json();
      expect(detail.contracts).toEqual([
        expect.objectContaining({ id: contractId, endsOn: '2026-11-19', inForce: false }),
      ]);

      const audit = await fixture.app.services.ctx.repos.audit.list({
        entity: 'contract',
        entityId: String(contractId),
      });
      const update = audit.find((a) => a.action === 'contract.update');
      expect(update).toBeDefined();
      expect(JSON.parse(update?.before_json as string)).toMatchObject({ endsOn: '2026-12-31' });
      expect(JSON.parse(update?.after_json as string)).toMatchObject({ endsOn: '2026-11-19' });
    });

    it('corrects the enterprise, point and scope of a contract that has not started', async () => {
      const created = await province.request('POST', `${API}/contractors/${contractorId}/contracts`, {
        body: {
          enterpriseId: fixture.ids.home.enterprise,
          scope: '运维',
          startsOn: '2027-01-01',
          endsOn: '2027-12-31',
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as number;
      // A point of another enterprise is refused by the store.
      const wrong = await patch(province, id, { pointId: fixture.ids.away.point });
      expect([wrong.statusCode, wrong.json().error.code]).toEqual([400, 'STORE_E_INVALID']);
      const fixed = await patch(province, id, {
        enterpriseId: fixture.ids.away.enterprise,
        pointId: fixture.ids.away.point,
        scope: '自动监控设施运维（废气）',
        endsOn: '2028-06-30',
      });
      expect(fixed.statusCode, fixed.body).toBe(200);
      expect(fixed.json()).toMatchObject({
        enterpriseId: fixture.ids.away.enterprise,
        pointId: fixture.ids.away.point,
        scope: '自动监控设施运维（废气）',
        startsOn: '2027-01-01',
        endsOn: '2028-06-30',
      });
      // Not yet in force: the contractor still sees nothing.
      expect((await om.get(`${API}/points/${fixture.ids.away.point}`)).statusCode).toBe(404);
      const unchanged = await patch(province, id, {});
      expect(unchanged.json()).toMatchObject({ endsOn: '2028-06-30' });
    });
  });
}
