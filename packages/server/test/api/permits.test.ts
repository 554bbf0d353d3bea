import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { type ApiFixture, apiFixture } from './harness.js';

for (const dialect of TEST_DIALECTS) {
  describe(`permits [${dialect}]`, () => {
    let fixture: ApiFixture;
    beforeAll(async () => {
      fixture = await apiFixture(dialect);
    }, 60_000);
    afterAll(async () => fixture?.dispose());

    const permit = {
      number: '91420100MA4KTEST01001P',
      validFrom: '2026-03-01',
      validTo: '2031-02-28',
      allowances: [
        { factorCode: 'a21026', annualKg: 8000 },
        { factorCode: 'a21002', annualKg: 15000 },
      ],
    };

    it('files a permit of an enterprise in scope, audited, and reads it back', async () => {
      const city = await fixture.client('city');
      const created = await city.request(
        'POST',
        `/api/v1/enterprises/${fixture.ids.home.enterprise}/permits`,
        {
          body: permit,
        },
      );
      expect(created.statusCode).toBe(201);
      const body = created.json();
      expect(body).toMatchObject({ enterpriseId: fixture.ids.home.enterprise, number: permit.number });
      expect(body.allowances).toEqual(expect.arrayContaining(permit.allowances));
      const read = await (await fixture.client('enterprise')).get(`/api/v1/permits/${body.id}`);
      expect(read.json().allowances).toHaveLength(2);
      const audit = await fixture.app.services.ctx.repos.audit.list({
        entity: 'permit',
        entityId: String(body.id),
      });
      expect(audit.map((a) => a.action)).toEqual(['permit.create']);
      expect(JSON.parse(audit[0]?.after_json as string).number).toBe(permit.number);
    });

    it('refuses an enterprise out of scope (404), a role without registry.write (403) and bad dates (400)', async () => {
      const city = await fixture.client('city');
      const away = await city.request('POST', `/api/v1/enterprises/${fixture.ids.away.enterprise}/permits`, {
        body: { ...permit, number: 'X-2' },
      });
      expect([away.statusCode, away.json().error.code]).toEqual([404, 'QY_E_NOT_FOUND']);
      const county = await fixture.client('county');
      const denied = await county.request(
        'POST',
        `/api/v1/enterprises/${fixture.ids.home.enterprise}/permits`,
        {
          body: { ...permit, number: 'X-3' },
        },
      );
      expect(denied.json().error.code).toBe('QY_E_FORBIDDEN');
      const reversed = await city.request(
        'POST',
        `/api/v1/enterprises/${fixture.ids.home.enterprise}/permits`,
        {
          body: { ...permit, number: 'X-4', validFrom: '2031-01-01', validTo: '2026-01-01' },
        },
      );
      expect([reversed.statusCode, reversed.json().error.code]).toEqual([400, 'STORE_E_INVALID']);
    });
  });
}
