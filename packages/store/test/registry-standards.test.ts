import { expect, it } from 'vitest';
import { repositories } from '../src/index.js';
import { describeEachDialect } from './dialects.js';
import { expectStoreError, NOW, validUscc } from './registry-helpers.js';

describeEachDialect('emission standards', (store) => {
  it('are seeded: GB 13223-2011 with its limits, as a national (non-local) standard', async () => {
    const { standards } = repositories(store());
    const gb13223 = await standards.byCode('GB 13223-2011');
    expect(gb13223).toMatchObject({ code: 'GB 13223-2011', kind: 'gas', local: false });
    expect(gb13223?.limits.length).toBeGreaterThan(10);
    expect(gb13223?.limits).toContainEqual(
      expect.objectContaining({
        factorCode: 'a21026',
        period: 'hour',
        limitValue: 100,
        unit: 'mg/m³',
        appliesTo: '燃煤锅炉 新建锅炉',
      }),
    );
    expect(await standards.get(gb13223?.id as number)).toEqual(gb13223);
    const gas = await standards.list('gas');
    expect(gas.map((s) => s.code)).toContain('GB 13223-2011');
    expect(gas.every((s) => s.kind === 'gas')).toBe(true);
    expect((await standards.list('water')).map((s) => s.code)).toContain('GB 8978-1996');
    expect(await standards.list()).toHaveLength(gas.length + (await standards.list('water')).length);
    expect(await standards.byCode('GB 0000-0000')).toBeUndefined();
  });

  it('finds the limit for a factor, period and source category', async () => {
    const { standards } = repositories(store());
    const id = (await standards.byCode('GB 13223-2011'))?.id as number;
    expect(await standards.limitFor(id, 'a21026', 'hour', '燃煤锅炉 新建锅炉')).toMatchObject({
      standardId: id,
      limitValue: 100,
      referenceO2: 6,
      effectiveReferenceO2: 6,
    });
    // A sub-category falls back to its category's row where it has none of its own.
    expect((await standards.limitFor(id, 'a34013', 'hour', '燃煤锅炉 新建锅炉'))?.appliesTo).toBe('燃煤锅炉');
    // GB 13223 has no row for all categories.
    expect(await standards.limitFor(id, 'a21026', 'hour')).toBeUndefined();
    expect(await standards.limitFor(id, 'a21026', 'day', '燃煤锅炉 新建锅炉')).toBeUndefined();
    expect(await standards.limitFor(999_999, 'a21026', 'hour')).toBeUndefined();
  });

  it('is editable: a local standard with limits, its fields and limits changed', async () => {
    const { standards } = repositories(store());
    const local = await standards.create({
      code: 'DB42/ 168-2099',
      name: '湖北省某地方标准',
      kind: 'gas',
      referenceO2: 9,
      limits: [
        { factorCode: 'a21026', period: 'hour', limitValue: 50, unit: 'mg/m³' },
        {
          factorCode: 'a21026',
          period: 'hour',
          limitValue: 35,
          unit: 'mg/m³',
          appliesTo: '新建',
          referenceO2: 6,
        },
      ],
    });
    expect(local).toMatchObject({ code: 'DB42/ 168-2099', local: true, referenceO2: 9, notes: null });
    expect(local.limits.map((l) => [l.appliesTo, l.limitValue])).toEqual([
      [null, 50],
      ['新建', 35],
    ]);
    expect(await standards.limitFor(local.id, 'a21026', 'hour')).toMatchObject({
      limitValue: 50,
      effectiveReferenceO2: 9,
    });
    expect(await standards.limitFor(local.id, 'a21026', 'hour', '新建')).toMatchObject({
      limitValue: 35,
      effectiveReferenceO2: 6,
    });
    expect(await standards.limitFor(local.id, 'a21026', 'hour', '现有')).toMatchObject({ limitValue: 50 });

    await expectStoreError(
      standards.create({ code: 'GB 13223-2011', name: 'x', kind: 'gas', limits: [] }),
      'STORE_E_DUPLICATE',
      { field: 'code' },
    );
    await expectStoreError(
      standards.create({
        code: 'X-1',
        name: 'x',
        kind: 'gas',
        limits: [{ factorCode: 'a21026', period: 'week' as 'day', limitValue: 1, unit: 'mg/m³' }],
      }),
      'STORE_E_INVALID',
      { field: 'period' },
    );
    expect(await standards.byCode('X-1')).toBeUndefined();

    const renamed = await standards.update(local.id, { name: '改名', notes: '试行' });
    expect(renamed).toMatchObject({ name: '改名', notes: '试行', code: 'DB42/ 168-2099', local: true });
    await expectStoreError(standards.update(local.id, { code: 'GB 13223-2011' }), 'STORE_E_DUPLICATE');
    await expectStoreError(standards.update(999_999, { name: 'x' }), 'STORE_E_NOT_FOUND');

    const limits = await standards.setLimits(local.id, [
      { factorCode: 'a34013', period: 'day', limitValue: 10, unit: 'mg/m³' },
    ]);
    expect(limits.map((l) => [l.factorCode, l.period, l.limitValue])).toEqual([['a34013', 'day', 10]]);
    expect((await standards.get(local.id))?.limits).toEqual(limits);
    await expectStoreError(
      standards.setLimits(local.id, [
        { factorCode: 'a34013', period: 'day', limitValue: 10, unit: 'mg/m³' },
        { factorCode: 'a34013', period: 'day', limitValue: 20, unit: 'mg/m³' },
      ]),
      'STORE_E_INVALID',
      { problem: 'repeated' },
    );
    await expectStoreError(standards.setLimits(999_999, []), 'STORE_E_NOT_FOUND');
  });

  it('lets a seeded standard’s limits be edited too (every seeded library round-trips)', async () => {
    const { standards } = repositories(store());
    for (const summary of await standards.list()) {
      const standard = await standards.get(summary.id);
      const again = await standards.setLimits(summary.id, standard?.limits ?? []);
      expect(again.map(({ id: _id, ...rest }) => rest)).toEqual(
        standard?.limits.map(({ id: _id, ...rest }) => rest),
      );
    }
  });
});

describeEachDialect('permits', (store) => {
  it('are found by the date they are valid on', async () => {
    const { enterprises, permits } = repositories(store());
    const id = (
      await enterprises.create({ uscc: validUscc(301), name: '许可企业', regionCode: '420102' }, NOW)
    ).id;
    const old = await permits.create({
      enterpriseId: id,
      number: '91420100000000301X001P',
      validFrom: '2020-01-01',
      validTo: '2024-12-31',
      allowances: [{ factorCode: 'a21026', annualKg: 12_000 }],
    });
    const renewed = await permits.create({
      enterpriseId: id,
      number: '91420100000000301X002P',
      validFrom: '2025-01-01',
      validTo: '2029-12-31',
      allowances: [
        { factorCode: 'a21026', annualKg: 10_000.5 },
        { factorCode: 'a21002', annualKg: 20_000 },
      ],
    });
    expect(renewed).toEqual({
      id: renewed.id,
      enterpriseId: id,
      number: '91420100000000301X002P',
      validFrom: '2025-01-01',
      validTo: '2029-12-31',
    });
    expect(await permits.current(id, '2024-12-31')).toEqual(old);
    expect(await permits.current(id, '2025-01-01')).toEqual(renewed);
    expect(await permits.current(id, '2019-12-31')).toBeUndefined();
    expect(await permits.current(id, '2030-01-01')).toBeUndefined();
    expect((await permits.byEnterprise(id)).map((p) => p.id)).toEqual([renewed.id, old.id]);
    expect(await permits.allowances(renewed.id)).toEqual([
      { factorCode: 'a21002', annualKg: 20_000 },
      { factorCode: 'a21026', annualKg: 10_000.5 },
    ]);
    expect(await permits.get(old.id)).toEqual(old);

    const bad = {
      enterpriseId: id,
      number: 'P-3',
      validFrom: '2025-01-01',
      validTo: '2029-12-31',
      allowances: [],
    };
    await expectStoreError(permits.create({ ...bad, validTo: '2024-12-31' }), 'STORE_E_INVALID', {
      field: 'validTo',
    });
    await expectStoreError(permits.create({ ...bad, validFrom: '2025/01/01' }), 'STORE_E_INVALID', {
      field: 'validFrom',
    });
    await expectStoreError(permits.create({ ...bad, enterpriseId: id + 1000 }), 'STORE_E_REFERENCE', {
      field: 'enterpriseId',
    });
    await expectStoreError(permits.create({ ...bad, number: old.number }), 'STORE_E_DUPLICATE', {
      field: 'number',
    });
    await expectStoreError(permits.current(id, 'today'), 'STORE_E_INVALID', { field: 'onDate' });
  });
});
