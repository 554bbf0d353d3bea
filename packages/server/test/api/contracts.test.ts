import { usccCheckCharacter } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import type { Principal } from '../../src/access/principal.js';
import { ROLE_PERMISSIONS } from '../../src/access/roles.js';
import { Scope } from '../../src/access/scope.js';
import { DEMO_PASSWORD } from '../../src/accounts/demo-users.js';
import { ApiClient, type ApiFixture, apiFixture, NOW } from './harness.js';

// PATCH /contracts/:id: ending an O&M contract early takes the contractor's access away at once, and a
// contract is corrected (enterprise, point, scope) only before it starts. POST /contracts/:id/cancellation
// cancels one that has not started: it never gives access. NOW is 2026-11-20 (Beijing).
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

    it('cancels a contract that has not started: audited, never in force, the contractor never gains access', async () => {
      const cancel = (client: ApiClient, id: number, body: unknown) =>
        client.request('POST', `${API}/contracts/${id}/cancellation`, {
          body,
          headers: { 'accept-language': 'en' },
        });
      const other = await province.request('POST', `${API}/contractors`, {
        body: { uscc: freshUscc('420100'), name: '取消测试运维公司', kind: 'om' },
      });
      expect(other.statusCode, other.body).toBe(201);
      const otherId = other.json().id as number;
      const contract = async (body: Record<string, unknown>) => {
        const created = await province.request('POST', `${API}/contractors/${otherId}/contracts`, {
          body: { scope: '自动监控设施运维', startsOn: '2027-01-01', endsOn: '2027-12-31', ...body },
        });
        expect(created.statusCode, created.body).toBe(201);
        return created.json().id as number;
      };
      // To cancel: the whole `away` enterprise from 2027; kept: the `home` point from 2027.
      const toCancel = await contract({ enterpriseId: fixture.ids.away.enterprise });
      const kept = await contract({
        enterpriseId: fixture.ids.home.enterprise,
        pointId: fixture.ids.home.point,
      });
      const user = await fixture.app.services.accounts.provision(
        { username: 'om.cancel', displayName: '取消测试', role: 'om_contractor', contractorId: otherId },
        DEMO_PASSWORD,
      );
      const principal: Principal = {
        kind: 'user',
        userId: user.id,
        username: 'om.cancel',
        role: 'om_contractor',
        regionCode: null,
        enterpriseId: null,
        contractorId: otherId,
        permissions: new Set(ROLE_PERMISSIONS.om_contractor),
      };
      /** The contractor's access as computed on a day in 2027, when both contracts would be in force. */
      const in2027 = new Scope(fixture.store.db, principal, Date.UTC(2027, 1, 1, 4));
      expect(await in2027.hasEnterprise(fixture.ids.away.enterprise)).toBe(true);
      expect(await in2027.hasPoint(fixture.ids.away.point)).toBe(true);

      // Refused: a started contract (ended early instead), no or a blank reason, other roles, unknown ids.
      const started = await cancel(province, contractId, { reason: '改选' });
      expect([started.statusCode, started.json().error.code]).toEqual([409, 'QY_E_CONTRACT_STARTED']);
      expect(started.json().error.detail).toMatchObject({ startsOn: '2026-01-01', action: 'cancel' });
      expect(started.json().error.message).toMatch(/End it early/);
      expect((await cancel(province, toCancel, {})).json().error.code).toBe('QY_E_VALIDATION');
      expect((await cancel(province, toCancel, { reason: '   ' })).json().error.code).toBe('QY_E_VALIDATION');
      expect((await cancel(city, toCancel, { reason: '改选' })).json().error.code).toBe('QY_E_FORBIDDEN');
      const unknown = await cancel(province, 999_999, { reason: '改选' });
      expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'QY_E_NOT_FOUND']);
      const cityWriter: Principal = {
        ...principal,
        userId: 0,
        username: 'city.writer',
        role: 'city',
        regionCode: fixture.accounts.city.regionCode,
        contractorId: null,
        permissions: new Set([...ROLE_PERMISSIONS.city, 'reference.write' as const]),
      };
      await expect(
        fixture.app.services.registry.contractors.cancelContract(cityWriter, toCancel, { reason: '改选' }),
      ).rejects.toMatchObject({ code: 'QY_E_NOT_FOUND' });

      const cancelled = await cancel(province, toCancel, { reason: '企业另选运维单位，合同未履行' });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json()).toMatchObject({
        id: toCancel,
        startsOn: '2027-01-01',
        endsOn: '2027-12-31',
        cancelledAt: NOW,
        cancelReason: '企业另选运维单位，合同未履行',
      });
      const again = await cancel(province, toCancel, { reason: '再次' });
      expect([again.statusCode, again.json().error.code]).toEqual([409, 'QY_E_CONTRACT_CANCELLED']);
      const revived = await patch(province, toCancel, { endsOn: '2027-06-30' });
      expect([revived.statusCode, revived.json().error.code]).toEqual([409, 'QY_E_CONTRACT_CANCELLED']);

      // The access computed for the contractor leaves the cancelled contract out, on any day.
      expect(await in2027.hasEnterprise(fixture.ids.away.enterprise)).toBe(false);
      expect(await in2027.hasPoint(fixture.ids.away.point)).toBe(false);
      expect(await in2027.hasPoint(fixture.ids.home.point)).toBe(true);
      const enterprises = await in2027.enterpriseIds().execute();
      expect(enterprises.map((r) => Number(r.id))).toEqual([fixture.ids.home.enterprise]);
      const om = new ApiClient(fixture.app);
      expect((await om.login('om.cancel', DEMO_PASSWORD)).statusCode).toBe(200);
      expect((await om.get(`${API}/points`)).json()).toEqual([]);

      const detail = (await province.get(`${API}/contractors/${otherId}`)).json();
      expect(detail.contracts).toEqual([
        expect.objectContaining({ id: toCancel, cancelledAt: NOW, inForce: false }),
        expect.objectContaining({ id: kept, cancelledAt: null, cancelReason: null, inForce: false }),
      ]);
      const audit = await fixture.app.services.ctx.repos.audit.list({
        entity: 'contract',
        entityId: String(toCancel),
      });
      const cancellation = audit.filter((a) => a.action === 'contract.cancel');
      expect(cancellation).toHaveLength(1);
      expect(JSON.parse(cancellation[0]?.before_json as string)).toMatchObject({ cancelledAt: null });
      expect(JSON.parse(cancellation[0]?.after_json as string)).toMatchObject({
        cancelledAt: NOW,
        cancelReason: '企业另选运维单位，合同未履行',
      });
      expect(audit.filter((a) => a.action === 'contract.update')).toEqual([]);
    });
  });
}
