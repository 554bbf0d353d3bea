import { expect, it } from 'vitest';
import { type PointInput, type Repositories, repositories } from '../src/index.js';
import { describeEachDialect } from './dialects.js';
import { expectStoreError, NOW, validUscc } from './registry-helpers.js';

async function enterprise(repos: Repositories, serial: number): Promise<number> {
  const created = await repos.enterprises.create(
    { uscc: validUscc(serial), name: `点位企业 ${serial}`, regionCode: '420102' },
    NOW,
  );
  return created.id;
}

describeEachDialect('outlets', (store) => {
  it('creates outlets with codes unique per enterprise, reads and updates them', async () => {
    const repos = repositories(store());
    const { outlets } = repos;
    const a = await enterprise(repos, 1);
    const b = await enterprise(repos, 2);
    const gas = await outlets.create({
      enterpriseId: a,
      kind: 'gas',
      code: 'DA001',
      name: '1号锅炉排口',
      stackHeightM: 80,
    });
    expect(gas).toMatchObject({
      enterpriseId: a,
      kind: 'gas',
      code: 'DA001',
      name: '1号锅炉排口',
      stackHeightM: 80,
      standardId: null,
      referenceO2: null,
      status: 'active',
    });
    const water = await outlets.create({ enterpriseId: a, kind: 'water', code: 'DW001', name: '总排口' });
    await outlets.create({ enterpriseId: b, kind: 'gas', code: 'DA001', name: '另一家的 DA001' });
    await expectStoreError(
      outlets.create({ enterpriseId: a, kind: 'gas', code: 'DA001', name: '重复' }),
      'STORE_E_DUPLICATE',
      {
        field: 'code',
      },
    );
    await expectStoreError(
      outlets.create({ enterpriseId: a + 1000, kind: 'gas', code: 'DA009', name: 'x' }),
      'STORE_E_REFERENCE',
      {
        field: 'enterpriseId',
      },
    );
    await expectStoreError(
      outlets.create({ enterpriseId: a, kind: 'noise' as unknown as 'gas', code: 'N1', name: 'x' }),
      'STORE_E_INVALID',
      { field: 'kind' },
    );
    expect(await outlets.get(gas.id)).toEqual(gas);
    expect((await outlets.byEnterprise(a)).map((o) => o.code)).toEqual(['DA001', 'DW001']);

    const standard = await repos.standards.byCode('GB 13223-2011');
    const updated = await outlets.update(gas.id, {
      standardId: standard?.id ?? null,
      referenceO2: 6,
      status: 'stopped',
    });
    expect(updated).toMatchObject({
      standardId: standard?.id,
      referenceO2: 6,
      status: 'stopped',
      code: 'DA001',
    });
    await expectStoreError(outlets.update(water.id, { code: 'DA001' }), 'STORE_E_DUPLICATE');
    await expectStoreError(outlets.update(water.id, { standardId: 999_999 }), 'STORE_E_REFERENCE', {
      field: 'standardId',
    });
    expect(await outlets.update(water.id, { code: 'DW001' })).toMatchObject({ code: 'DW001' });
    await expectStoreError(outlets.update(water.id + 1000, { name: 'x' }), 'STORE_E_NOT_FOUND');
  });
});

describeEachDialect('monitoring points', (store) => {
  let outletId = 0;
  const point = (mn: string, extra: Partial<PointInput> = {}): PointInput => ({
    outletId,
    name: `点位 ${mn}`,
    mn,
    password: 'secret-123456',
    protocolVersion: '2017',
    status: 'building',
    ...extra,
  });

  it('creates points with unique MNs and never returns the password from ordinary reads', async () => {
    const repos = repositories(store());
    const id = await enterprise(repos, 10);
    outletId = (await repos.outlets.create({ enterpriseId: id, kind: 'gas', code: 'DA001', name: '排口' }))
      .id;
    const { points } = repos;
    const created = await points.create(
      point('MN0001', {
        crcVariants: ['hj212', 'modbus'],
        allowedPeers: ['10.0.0.1', '10.0.0.2'],
        inServiceOn: '2025-12-01',
      }),
      NOW,
    );
    expect(created).toMatchObject({
      outletId,
      mn: 'MN0001',
      protocolVersion: '2017',
      crcVariants: ['hj212', 'modbus'],
      realtimeIntervalS: 30,
      minuteIntervalMin: 10,
      inServiceOn: '2025-12-01',
      acceptedOn: null,
      status: 'building',
      allowedPeers: ['10.0.0.1', '10.0.0.2'],
      createdAt: NOW,
      updatedAt: NOW,
    });
    const second = await points.create(
      point('MN0002', { protocolVersion: '2005', realtimeIntervalS: 60 }),
      NOW,
    );
    expect(second).toMatchObject({ crcVariants: ['hj212'], allowedPeers: null, realtimeIntervalS: 60 });

    for (const view of [
      created,
      await points.get(created.id),
      await points.byMn('MN0001'),
      ...(await points.byOutlet(outletId)),
    ]) {
      expect(view).toBeDefined();
      expect(Object.keys(view as object)).not.toContain('password');
      expect(JSON.stringify(view)).not.toContain('secret-123456');
    }
    expect(await points.get(created.id)).toEqual(created);
    expect((await points.byOutlet(outletId)).map((p) => p.mn)).toEqual(['MN0001', 'MN0002']);
    expect(await points.byMn('nope')).toBeUndefined();

    await expectStoreError(points.create(point('MN0001'), NOW), 'STORE_E_DUPLICATE', {
      field: 'mn',
      value: 'MN0001',
    });
    await expectStoreError(
      points.create(point('MN0003', { outletId: outletId + 1000 }), NOW),
      'STORE_E_REFERENCE',
      {
        field: 'outletId',
      },
    );
    await expectStoreError(points.create(point('MN0003', { password: '' }), NOW), 'STORE_E_INVALID', {
      field: 'password',
    });
    await expectStoreError(
      points.create(point('MN0003', { crcVariants: ['crc32' as 'hj212'] }), NOW),
      'STORE_E_INVALID',
      {
        field: 'crcVariants',
      },
    );
    await expectStoreError(
      points.create(point('MN0003', { acceptedOn: '2025-02-30' }), NOW),
      'STORE_E_INVALID',
      {
        field: 'acceptedOn',
      },
    );
    const noStatus = { ...point('MN0003'), status: undefined } as unknown as PointInput;
    await expectStoreError(points.create(noStatus, NOW), 'STORE_E_INVALID', { field: 'status' });
  });

  it('gives the gateway the credentials, and changes the password only through setPassword', async () => {
    const { points } = repositories(store());
    expect(await points.credentials('MN0001')).toEqual({
      pointId: (await points.byMn('MN0001'))?.id,
      mn: 'MN0001',
      password: 'secret-123456',
      protocolVersion: '2017',
      crcVariants: ['hj212', 'modbus'],
      allowedPeers: ['10.0.0.1', '10.0.0.2'],
      status: 'building',
    });
    expect(await points.credentials('nope')).toBeUndefined();
    const id = (await points.byMn('MN0002'))?.id as number;
    await points.setPassword(id, 'new-pw', NOW + 1000);
    expect((await points.credentials('MN0002'))?.password).toBe('new-pw');
    expect((await points.get(id))?.updatedAt).toBe(NOW + 1000);
    await expectStoreError(points.setPassword(id, ' ', NOW), 'STORE_E_INVALID', { field: 'password' });
    await expectStoreError(points.setPassword(id + 1000, 'x', NOW), 'STORE_E_NOT_FOUND');

    // update() changes the non-secret fields and ignores a smuggled password or status.
    const smuggled = { name: '改名', allowedPeers: null, password: 'hacked', status: 'removed' } as never;
    const updated = await points.update(id, smuggled, NOW + 2000);
    expect(updated).toMatchObject({
      name: '改名',
      allowedPeers: null,
      status: 'building',
      updatedAt: NOW + 2000,
    });
    expect((await points.credentials('MN0002'))?.password).toBe('new-pw');
    await expectStoreError(points.update(id, { mn: 'MN0001' }, NOW), 'STORE_E_DUPLICATE', { field: 'mn' });
    expect((await points.update(id, { mn: 'MN0002B', crcVariants: ['modbus-swapped'] }, NOW + 3000)).mn).toBe(
      'MN0002B',
    );
    expect((await points.credentials('MN0002B'))?.crcVariants).toEqual(['modbus-swapped']);
    await expectStoreError(points.update(id + 1000, { name: 'x' }, NOW), 'STORE_E_NOT_FOUND');
  });

  it('appends to the status history on every status change', async () => {
    const { points } = repositories(store());
    const id = (await points.byMn('MN0001'))?.id as number;
    expect(await points.setStatus(id, 'running', NOW + 10_000, '验收通过')).toBe(true);
    expect(await points.setStatus(id, 'running', NOW + 11_000, '重复')).toBe(false);
    expect(await points.setStatus(id, 'stopped', NOW + 20_000, null)).toBe(true);
    expect((await points.get(id))?.status).toBe('stopped');
    expect((await points.credentials('MN0001'))?.status).toBe('stopped');
    const history = await points.statusHistory(id);
    expect(history.map(({ status, changedAt, reason }) => ({ status, changedAt, reason }))).toEqual([
      { status: 'building', changedAt: NOW, reason: null },
      { status: 'running', changedAt: NOW + 10_000, reason: '验收通过' },
      { status: 'stopped', changedAt: NOW + 20_000, reason: null },
    ]);
    await expectStoreError(points.setStatus(id, 'gone' as 'running', NOW, null), 'STORE_E_INVALID', {
      field: 'status',
    });
    await expectStoreError(points.setStatus(id + 1000, 'running', NOW, null), 'STORE_E_NOT_FOUND');
  });

  it('replaces a point’s factors as a whole', async () => {
    const { points } = repositories(store());
    const id = (await points.byMn('MN0001'))?.id as number;
    await points.setFactors(id, [
      {
        factorCode: 'a21026',
        code2005: '02',
        unit: 'mg/m³',
        rangeLow: 0,
        rangeHigh: 500,
        hourLimit: 35,
        assessed: true,
      },
      { factorCode: 'a21002', unit: 'mg/m³', hourLimit: 50, assessed: true, alarmHigh: 45 },
      { factorCode: 'a19001', unit: '%', assessed: false },
    ]);
    expect(await points.factors(id)).toEqual([
      {
        factorCode: 'a19001',
        code2005: null,
        unit: '%',
        rangeLow: null,
        rangeHigh: null,
        hourLimit: null,
        dayLimit: null,
        assessed: false,
        alarmLow: null,
        alarmHigh: null,
      },
      expect.objectContaining({ factorCode: 'a21002', hourLimit: 50, assessed: true, alarmHigh: 45 }),
      expect.objectContaining({
        factorCode: 'a21026',
        code2005: '02',
        rangeLow: 0,
        rangeHigh: 500,
        hourLimit: 35,
      }),
    ]);
    await points.setFactors(id, [{ factorCode: 'a34013', unit: 'mg/m³', dayLimit: 10, assessed: true }]);
    expect((await points.factors(id)).map((f) => [f.factorCode, f.dayLimit])).toEqual([['a34013', 10]]);

    // A bad list changes nothing.
    await expectStoreError(
      points.setFactors(id, [
        { factorCode: 'a21026', unit: 'mg/m³', assessed: true },
        { factorCode: 'a21026', unit: 'mg/m³', assessed: false },
      ]),
      'STORE_E_INVALID',
      { field: 'factorCode', problem: 'repeated' },
    );
    await expectStoreError(
      points.setFactors(id, [
        { factorCode: 'a21026', unit: 'mg/m³', rangeLow: 10, rangeHigh: 1, assessed: true },
      ]),
      'STORE_E_INVALID',
      { field: 'rangeHigh' },
    );
    await expectStoreError(
      points.setFactors(id, [{ factorCode: 'a21026', unit: 'mg/m³' } as never]),
      'STORE_E_INVALID',
      { field: 'assessed' },
    );
    expect((await points.factors(id)).map((f) => f.factorCode)).toEqual(['a34013']);
    await points.setFactors(id, []);
    expect(await points.factors(id)).toEqual([]);
    await expectStoreError(points.setFactors(id + 1000, []), 'STORE_E_NOT_FOUND');
  });
});
