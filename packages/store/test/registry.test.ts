import { describe, expect, it } from 'vitest';
import { repositories, usccCheckCharacter } from '../src/index.js';
import { describeEachDialect } from './dialects.js';
import { expectStoreError, NOW, validUscc } from './registry-helpers.js';

describe('validUscc (test helper)', () => {
  it('agrees with a real published code', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
  });
});

describeEachDialect('regions', (store) => {
  it('are seeded by the migrations: 湖北省 and its 17 cities', async () => {
    const regions = repositories(store()).regions;
    expect(await regions.get('420000')).toEqual({
      code: '420000',
      name: '湖北省',
      level: 'province',
      parentCode: null,
    });
    const cities = await regions.children('420000');
    expect(cities).toHaveLength(17);
    expect(cities.every((c) => c.level === 'city' && c.parentCode === '420000')).toBe(true);
    expect(cities.map((c) => c.code)).toEqual(
      expect.arrayContaining(['420100', '420200', '422800', '429021']),
    );
    expect(await regions.list('province')).toHaveLength(1);
    expect(await regions.list('city')).toHaveLength(17);
    const all = await regions.list();
    expect(all.length).toBeGreaterThan(100);
    expect(all.map((r) => r.code)).toEqual([...all.map((r) => r.code)].sort());
    expect(await regions.get('999999')).toBeUndefined();
  });

  it('subtree(420100) holds 武汉 and its districts and nothing of 黄石', async () => {
    const regions = repositories(store()).regions;
    const wuhan = await regions.subtree('420100');
    expect(wuhan).toContain('420100');
    expect(wuhan).toContain('420102');
    expect(wuhan).not.toContain('420200');
    expect(wuhan).not.toContain('420000');
    expect(wuhan).toHaveLength(1 + (await regions.children('420100')).length);
    const province = await regions.subtree('420000');
    expect(province).toHaveLength((await regions.list()).length);
    expect(await regions.subtree('429004')).toEqual(['429004']);
    expect(await regions.subtree('999999')).toEqual([]);
  });

  it('contains() follows the parent chain', async () => {
    const regions = repositories(store()).regions;
    expect(await regions.contains('420000', '420102')).toBe(true);
    expect(await regions.contains('420100', '420102')).toBe(true);
    expect(await regions.contains('420102', '420102')).toBe(true);
    expect(await regions.contains('420200', '420102')).toBe(false);
    expect(await regions.contains('420102', '420100')).toBe(false);
    expect(await regions.contains('420000', '999999')).toBe(false);
    expect(await regions.ancestors('420102')).toEqual(['420102', '420100', '420000']);
  });
});

describeEachDialect('enterprises', (store) => {
  const base = { name: '武汉钢铁有限公司', regionCode: '420107' };

  it('creates, reads back and updates an enterprise', async () => {
    const { enterprises } = repositories(store());
    const uscc = validUscc(1);
    const created = await enterprises.create(
      { ...base, uscc: uscc.toLowerCase(), industryCode: 'C3110', longitude: 114.4, latitude: 30.6 },
      NOW,
    );
    expect(created).toMatchObject({
      uscc,
      name: '武汉钢铁有限公司',
      regionCode: '420107',
      industryCode: 'C3110',
      address: null,
      longitude: 114.4,
      latitude: 30.6,
      status: 'active',
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(typeof created.id).toBe('number');
    expect(await enterprises.get(created.id)).toEqual(created);
    expect(await enterprises.byUscc(uscc)).toEqual(created);
    expect(await enterprises.byUscc(` ${uscc.toLowerCase()} `)).toEqual(created);
    expect(await enterprises.get(created.id + 1000)).toBeUndefined();

    const updated = await enterprises.update(
      created.id,
      { status: 'suspended', address: '青山区', longitude: null },
      NOW + 5000,
    );
    expect(updated).toMatchObject({
      status: 'suspended',
      address: '青山区',
      longitude: null,
      createdAt: NOW,
      updatedAt: NOW + 5000,
    });
    expect(await enterprises.get(created.id)).toEqual(updated);
    await expectStoreError(enterprises.update(created.id + 1000, { name: 'x' }, NOW), 'STORE_E_NOT_FOUND');
    await expectStoreError(
      enterprises.update(created.id, { regionCode: '999999' }, NOW),
      'STORE_E_REFERENCE',
      {
        field: 'regionCode',
      },
    );
    await expectStoreError(enterprises.update(created.id, { name: '  ' }, NOW), 'STORE_E_INVALID', {
      field: 'name',
    });
  });

  it('rejects USCCs of the wrong length, with a bad character or a bad check character', async () => {
    const { enterprises } = repositories(store());
    const good = validUscc(2);
    await expectStoreError(
      enterprises.create({ ...base, uscc: good.slice(0, 17) }, NOW),
      'STORE_E_USCC_INVALID',
      {
        field: 'uscc',
        problem: 'length',
      },
    );
    await expectStoreError(enterprises.create({ ...base, uscc: `${good}0` }, NOW), 'STORE_E_USCC_INVALID', {
      problem: 'length',
    });
    await expectStoreError(
      enterprises.create({ ...base, uscc: `I${good.slice(1)}` }, NOW),
      'STORE_E_USCC_INVALID',
      {
        problem: 'character',
      },
    );
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    await expectStoreError(enterprises.create({ ...base, uscc: wrongCheck }, NOW), 'STORE_E_USCC_INVALID', {
      field: 'uscc',
      value: wrongCheck,
      problem: 'check',
    });
    expect(await enterprises.list({ nameContains: '武汉钢铁' })).toHaveLength(1);
    // The real code from the GB 32100 examples is accepted.
    const real = await enterprises.create(
      { ...base, name: '福建样例', regionCode: '420100', uscc: '91350100M000100Y43' },
      NOW,
    );
    expect(real.uscc).toBe('91350100M000100Y43');
  });

  it('rejects a duplicate USCC, a missing region and missing fields', async () => {
    const { enterprises } = repositories(store());
    const uscc = validUscc(3);
    await enterprises.create({ ...base, name: '甲', uscc }, NOW);
    await expectStoreError(enterprises.create({ ...base, name: '乙', uscc }, NOW), 'STORE_E_DUPLICATE', {
      field: 'uscc',
    });
    await expectStoreError(
      enterprises.create({ ...base, name: '乙', uscc: uscc.toLowerCase() }, NOW),
      'STORE_E_DUPLICATE',
    );
    await expectStoreError(
      enterprises.create({ ...base, uscc: validUscc(4), regionCode: '990000' }, NOW),
      'STORE_E_REFERENCE',
      {
        field: 'regionCode',
        value: '990000',
      },
    );
    await expectStoreError(
      enterprises.create({ ...base, uscc: validUscc(4), name: '' }, NOW),
      'STORE_E_INVALID',
      {
        field: 'name',
      },
    );
    const noRegion = { uscc: validUscc(4), name: '丙' } as unknown as Parameters<
      typeof enterprises.create
    >[0];
    await expectStoreError(enterprises.create(noRegion, NOW), 'STORE_E_INVALID', { field: 'regionCode' });
    const noUscc = { name: '丙', regionCode: '420100' } as unknown as Parameters<
      typeof enterprises.create
    >[0];
    await expectStoreError(enterprises.create(noUscc, NOW), 'STORE_E_INVALID', { field: 'uscc' });
    await expectStoreError(
      enterprises.create({ ...base, uscc: validUscc(4), latitude: 91 }, NOW),
      'STORE_E_INVALID',
      {
        field: 'latitude',
      },
    );
    // Changing to a USCC another enterprise holds is a duplicate too.
    const other = await enterprises.create({ ...base, name: '丁', uscc: validUscc(5) }, NOW);
    await expectStoreError(enterprises.update(other.id, { uscc }, NOW), 'STORE_E_DUPLICATE', {
      field: 'uscc',
    });
    expect((await enterprises.update(other.id, { uscc: validUscc(5) }, NOW)).uscc).toBe(validUscc(5));
  });
});

describeEachDialect('enterprise lists', (store) => {
  it('lists by name, scoped to a region subtree, by status and by part of the name, with paging', async () => {
    const { enterprises } = repositories(store());
    const make = (n: number, name: string, regionCode: string, status: 'active' | 'closed' = 'active') =>
      enterprises.create(
        { uscc: validUscc(100 + n, '91420200'), name: `列表 ${name}`, regionCode, status },
        NOW,
      );
    await make(1, 'C 汉阳', '420105');
    await make(2, 'A 武汉市直', '420100');
    await make(3, 'B 黄石', '420202');
    await make(4, 'D 江岸 Closed', '420102', 'closed');
    await make(5, 'E 湖北省直', '420000');

    const names = async (query: Parameters<typeof enterprises.list>[0]) =>
      (await enterprises.list(query)).map((e) => e.name.slice(3));
    expect(await names({})).toEqual(['A 武汉市直', 'B 黄石', 'C 汉阳', 'D 江岸 Closed', 'E 湖北省直']);
    expect(await names({ regionCode: '420100' })).toEqual(['A 武汉市直', 'C 汉阳', 'D 江岸 Closed']);
    expect(await names({ regionCode: '420102' })).toEqual(['D 江岸 Closed']);
    expect(await names({ regionCode: '420200' })).toEqual(['B 黄石']);
    expect(await names({ regionCode: '420000' })).toHaveLength(5);
    expect(await names({ regionCode: '420100', status: 'active' })).toEqual(['A 武汉市直', 'C 汉阳']);
    expect(await names({ nameContains: 'closed' })).toEqual(['D 江岸 Closed']);
    expect(await names({ nameContains: '汉' })).toEqual(['A 武汉市直', 'C 汉阳']);
    expect(await names({ nameContains: '%' })).toEqual([]);
    expect(await names({ limit: 2 })).toEqual(['A 武汉市直', 'B 黄石']);
    expect(await names({ limit: 2, offset: 2 })).toEqual(['C 汉阳', 'D 江岸 Closed']);
    expect(await names({ offset: 4 })).toEqual(['E 湖北省直']);
  });
});

describeEachDialect('key units', (store) => {
  it('keeps the key-unit list per year, replacing a year’s categories', async () => {
    const { enterprises } = repositories(store());
    const a = await enterprises.create({ uscc: validUscc(201), name: '名录 甲', regionCode: '420102' }, NOW);
    const b = await enterprises.create({ uscc: validUscc(202), name: '名录 乙', regionCode: '420202' }, NOW);
    await enterprises.setKeyUnits(a.id, 2025, ['water']);
    await enterprises.setKeyUnits(a.id, 2026, ['water', 'gas']);
    await enterprises.setKeyUnits(a.id, 2026, ['gas', 'environmental-risk', 'gas']);
    await enterprises.setKeyUnits(b.id, 2026, ['water']);
    expect(await enterprises.keyUnits(a.id)).toEqual([
      { year: 2025, categories: ['water'] },
      { year: 2026, categories: ['environmental-risk', 'gas'] },
    ]);
    const list2026 = await enterprises.keyUnitsOfYear(2026);
    expect(list2026.map((l) => [l.enterprise.name, l.categories])).toEqual([
      ['名录 乙', ['water']],
      ['名录 甲', ['environmental-risk', 'gas']],
    ]);
    expect((await enterprises.keyUnitsOfYear(2026, '420100')).map((l) => l.enterprise.id)).toEqual([a.id]);
    expect(await enterprises.keyUnitsOfYear(2024)).toEqual([]);
    await enterprises.setKeyUnits(a.id, 2025, []);
    expect(await enterprises.keyUnits(a.id)).toEqual([
      { year: 2026, categories: ['environmental-risk', 'gas'] },
    ]);
    await expectStoreError(enterprises.setKeyUnits(a.id + 1000, 2026, ['water']), 'STORE_E_NOT_FOUND');
    await expectStoreError(
      enterprises.setKeyUnits(a.id, 2026, ['air' as unknown as 'water']),
      'STORE_E_INVALID',
      { field: 'categories' },
    );
  });
});
