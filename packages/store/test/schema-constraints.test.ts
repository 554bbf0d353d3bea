import { describe, expect, it } from 'vitest';
import { oneOf } from '../src/dialect.js';
import { repositories } from '../src/index.js';
import { describeEachDialect } from './dialects.js';
import { NOW, validUscc } from './registry-helpers.js';

describe('oneOf', () => {
  it('refuses values that are not plain enum words (nothing is quoted into SQL)', () => {
    expect(() => oneOf('kind', ["water' or 1=1 --"])).toThrow(/not a plain enum value/);
  });
});

/**
 * The repositories validate every field, but the database is the last line: a row written past them (a
 * script, another tool, a bug) still cannot hold a value outside the registry's enums.
 */
describeEachDialect('schema constraints', (store) => {
  async function enterprise(): Promise<number> {
    const created = await repositories(store()).enterprises.create(
      { uscc: validUscc(7001), name: '约束测试企业', regionCode: '420100' },
      NOW,
    );
    return created.id;
  }

  it('refuse enum values outside the lists, on both dialects', async () => {
    const db = store().db;
    await expect(
      db
        .insertInto('region')
        .values({ code: '429999', name: 'x', level: 'planet' as 'city', parent_code: '420000' })
        .execute(),
    ).rejects.toThrow(/check|constraint/i);
    const enterpriseId = await enterprise();
    await expect(
      db
        .insertInto('outlet')
        .values({
          enterprise_id: enterpriseId,
          kind: 'air' as 'gas',
          code: 'DA001',
          name: 'x',
          longitude: null,
          latitude: null,
          standard_id: null,
          reference_o2: null,
          stack_height_m: null,
          key_unit_category: null,
          status: 'active',
        })
        .execute(),
    ).rejects.toThrow(/check|constraint/i);
    await expect(
      db
        .updateTable('enterprise')
        .set({ status: 'gone' as 'closed' })
        .where('id', '=', enterpriseId)
        .execute(),
    ).rejects.toThrow(/check|constraint/i);
    // The allowed values still go in.
    await db.updateTable('enterprise').set({ status: 'suspended' }).where('id', '=', enterpriseId).execute();
  });

  it('refuse a contract that ends before it starts, and a permit valid to before valid from', async () => {
    const db = store().db;
    const enterpriseId = (await db.selectFrom('enterprise').select('id').executeTakeFirstOrThrow()).id;
    const contractor = await db
      .insertInto('contractor')
      .values({
        uscc: validUscc(7002),
        name: '运维',
        kind: 'om',
        qualifications: '[]',
        service_regions: '[]',
        filing_status: 'filed',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('contract')
        .values({
          contractor_id: Number(contractor.id),
          enterprise_id: Number(enterpriseId),
          point_id: null,
          scope: 'om',
          starts_on: '2026-06-01',
          ends_on: '2026-05-31',
        })
        .execute(),
    ).rejects.toThrow(/check|constraint/i);
    await expect(
      db
        .insertInto('permit')
        .values({
          enterprise_id: Number(enterpriseId),
          number: 'P-1',
          valid_from: '2026-01-01',
          valid_to: '2025-12-31',
        })
        .execute(),
    ).rejects.toThrow(/check|constraint/i);
  });
});
