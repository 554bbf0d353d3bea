import { expect, it } from 'vitest';
import { repositories } from '../src/index.js';
import { describeEachDialect } from './dialects.js';
import { expectStoreError, NOW, validUscc } from './registry-helpers.js';

describeEachDialect('contractors and contracts', (store) => {
  it('creates, lists and updates contractors', async () => {
    const { contractors } = repositories(store());
    const om = await contractors.create({
      uscc: validUscc(401, '91420100'),
      name: 'B 运维公司',
      kind: 'om',
      qualifications: ['环境污染治理设施运营资质'],
      serviceRegions: ['420100'],
      filingStatus: 'filed',
    });
    expect(om).toMatchObject({
      kind: 'om',
      qualifications: ['环境污染治理设施运营资质'],
      serviceRegions: ['420100'],
      filingStatus: 'filed',
    });
    const province = await contractors.create({
      uscc: validUscc(402),
      name: 'A 全省运维',
      kind: 'om',
      serviceRegions: ['420000'],
    });
    expect(province).toMatchObject({ qualifications: [], filingStatus: 'not-filed' });
    await contractors.create({
      uscc: validUscc(403),
      name: 'C 巡查单位',
      kind: 'inspection',
      serviceRegions: ['420200'],
    });
    expect(await contractors.get(om.id)).toEqual(om);

    const names = async (query: Parameters<typeof contractors.list>[0]) =>
      (await contractors.list(query)).map((c) => c.name);
    expect(await names({})).toEqual(['A 全省运维', 'B 运维公司', 'C 巡查单位']);
    expect(await names({ kind: 'om' })).toEqual(['A 全省运维', 'B 运维公司']);
    expect(await names({ filingStatus: 'filed' })).toEqual(['B 运维公司']);
    expect(await names({ serviceRegion: '420102' })).toEqual(['A 全省运维', 'B 运维公司']);
    expect(await names({ serviceRegion: '420202' })).toEqual(['A 全省运维', 'C 巡查单位']);
    expect(await names({ serviceRegion: '420000' })).toEqual(['A 全省运维']);

    await expectStoreError(
      contractors.create({ uscc: om.uscc, name: 'x', kind: 'om' }),
      'STORE_E_DUPLICATE',
      { field: 'uscc' },
    );
    await expectStoreError(
      contractors.create({
        uscc: `${om.uscc.slice(0, 17)}${om.uscc[17] === '0' ? '1' : '0'}`,
        name: 'x',
        kind: 'om',
      }),
      'STORE_E_USCC_INVALID',
      { problem: 'check' },
    );
    await expectStoreError(
      contractors.create({ uscc: validUscc(404), name: 'x', kind: 'cleaning' as 'om' }),
      'STORE_E_INVALID',
      {
        field: 'kind',
      },
    );
    await expectStoreError(
      contractors.create({ uscc: validUscc(404), name: 'x', kind: 'om', serviceRegions: ['990000'] }),
      'STORE_E_REFERENCE',
      { field: 'serviceRegions', value: '990000' },
    );
    const updated = await contractors.update(om.id, {
      filingStatus: 'revoked',
      serviceRegions: ['420100', '420200'],
    });
    expect(updated).toMatchObject({
      filingStatus: 'revoked',
      serviceRegions: ['420100', '420200'],
      name: 'B 运维公司',
    });
    await expectStoreError(contractors.update(om.id, { uscc: province.uscc }), 'STORE_E_DUPLICATE');
    await expectStoreError(contractors.update(999_999, { name: 'x' }), 'STORE_E_NOT_FOUND');
  });

  it('records contracts with dates in order and answers who serves a point on a date', async () => {
    const repos = repositories(store());
    const { contractors } = repos;
    const enterpriseId = (
      await repos.enterprises.create({ uscc: validUscc(410), name: '合同企业', regionCode: '420102' }, NOW)
    ).id;
    const otherId = (
      await repos.enterprises.create({ uscc: validUscc(411), name: '别家企业', regionCode: '420102' }, NOW)
    ).id;
    const outletId = (await repos.outlets.create({ enterpriseId, kind: 'gas', code: 'DA001', name: '排口' }))
      .id;
    const pointA = (
      await repos.points.create(
        { outletId, name: 'A', mn: 'C-MN-A', password: 'p', protocolVersion: '2017', status: 'running' },
        NOW,
      )
    ).id;
    const pointB = (
      await repos.points.create(
        { outletId, name: 'B', mn: 'C-MN-B', password: 'p', protocolVersion: '2017', status: 'running' },
        NOW,
      )
    ).id;
    const [omWide, omA, builder] = await Promise.all([
      contractors.create({ uscc: validUscc(420), name: '全厂运维', kind: 'om' }),
      contractors.create({ uscc: validUscc(421), name: 'A点运维', kind: 'om' }),
      contractors.create({ uscc: validUscc(422), name: '承建', kind: 'construction' }),
    ]);

    const wide = await contractors.createContract({
      contractorId: omWide.id,
      enterpriseId,
      scope: '全厂自动监控设施运维',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
    });
    expect(wide).toMatchObject({
      contractorId: omWide.id,
      enterpriseId,
      pointId: null,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
    });
    const onA = await contractors.createContract({
      contractorId: omA.id,
      enterpriseId,
      pointId: pointA,
      scope: 'A 点运维',
      startsOn: '2026-03-01',
      endsOn: '2026-03-01',
    });
    const build = await contractors.createContract({
      contractorId: builder.id,
      enterpriseId,
      pointId: pointB,
      scope: '建设',
      startsOn: '2025-06-01',
      endsOn: '2025-12-31',
    });

    const bad = {
      contractorId: omA.id,
      enterpriseId,
      scope: 'x',
      startsOn: '2026-05-01',
      endsOn: '2026-04-30',
    };
    await expectStoreError(contractors.createContract(bad), 'STORE_E_INVALID', {
      field: 'endsOn',
      problem: 'order',
    });
    await expectStoreError(contractors.createContract({ ...bad, endsOn: '2026-13-01' }), 'STORE_E_INVALID', {
      field: 'endsOn',
    });
    await expectStoreError(
      contractors.createContract({ ...bad, endsOn: '2026-06-01', contractorId: 999_999 }),
      'STORE_E_REFERENCE',
      {
        field: 'contractorId',
      },
    );
    await expectStoreError(
      contractors.createContract({ ...bad, endsOn: '2026-06-01', enterpriseId: 999_999 }),
      'STORE_E_REFERENCE',
      {
        field: 'enterpriseId',
      },
    );
    await expectStoreError(
      contractors.createContract({ ...bad, endsOn: '2026-06-01', pointId: 999_999 }),
      'STORE_E_REFERENCE',
      {
        field: 'pointId',
      },
    );
    await expectStoreError(
      contractors.createContract({ ...bad, endsOn: '2026-06-01', enterpriseId: otherId, pointId: pointA }),
      'STORE_E_INVALID',
      { field: 'pointId' },
    );

    const ids = (contracts: { id: number }[]) => contracts.map((c) => c.id);
    expect(ids(await contractors.contractsForEnterprise(enterpriseId))).toEqual([build.id, wide.id, onA.id]);
    expect(ids(await contractors.contractsForEnterprise(enterpriseId, '2026-03-01'))).toEqual([
      wide.id,
      onA.id,
    ]);
    expect(ids(await contractors.contractsForEnterprise(otherId))).toEqual([]);
    expect(ids(await contractors.contractsForPoint(pointA))).toEqual([wide.id, onA.id]);
    expect(ids(await contractors.contractsForPoint(pointB))).toEqual([build.id, wide.id]);
    expect(ids(await contractors.contractsForPoint(pointB, '2025-07-01'))).toEqual([build.id]);
    expect(ids(await contractors.contractsForPoint(999_999))).toEqual([]);

    const who = async (
      target: Parameters<typeof contractors.contractorsFor>[0],
      kind: 'om' | 'construction',
      day: string,
    ) => (await contractors.contractorsFor(target, kind, day)).map((c) => c.name);
    expect(await who({ pointId: pointA }, 'om', '2026-03-01')).toEqual(['A点运维', '全厂运维']);
    expect(await who({ pointId: pointA }, 'om', '2026-03-02')).toEqual(['全厂运维']);
    expect(await who({ pointId: pointB }, 'om', '2026-03-01')).toEqual(['全厂运维']);
    expect(await who({ pointId: pointB }, 'construction', '2025-12-31')).toEqual(['承建']);
    expect(await who({ pointId: pointB }, 'construction', '2026-01-01')).toEqual([]);
    expect(await who({ enterpriseId }, 'om', '2026-03-01')).toEqual(['A点运维', '全厂运维']);
    expect(await who({ enterpriseId }, 'om', '2027-01-01')).toEqual([]);
    expect(wide).toMatchObject({ cancelledAt: null, cancelReason: null });

    // Cancelling: only a contract that has not started, once; it is kept but never in force.
    const later = await contractors.createContract({
      contractorId: omA.id,
      enterpriseId,
      pointId: pointB,
      scope: 'B 点运维',
      startsOn: '2026-04-01',
      endsOn: '2026-12-31',
    });
    expect(await who({ pointId: pointB }, 'om', '2026-04-01')).toEqual(['A点运维', '全厂运维']);
    await expectStoreError(
      contractors.cancelContract(later.id, '改选', NOW, '2026-04-01'),
      'STORE_E_INVALID',
      {
        problem: 'started',
        startsOn: '2026-04-01',
      },
    );
    await expectStoreError(contractors.cancelContract(later.id, '  ', NOW, '2026-03-01'), 'STORE_E_INVALID', {
      field: 'reason',
    });
    await expectStoreError(
      contractors.cancelContract(999_999, '改选', NOW, '2026-03-01'),
      'STORE_E_NOT_FOUND',
    );
    const cancelled = await contractors.cancelContract(later.id, ' 企业改选运维单位 ', NOW, '2026-03-31');
    expect(cancelled).toMatchObject({ id: later.id, cancelledAt: NOW, cancelReason: '企业改选运维单位' });
    expect(await contractors.getContract(later.id)).toEqual(cancelled);
    await expectStoreError(
      contractors.cancelContract(later.id, '再次', NOW, '2026-03-01'),
      'STORE_E_INVALID',
      {
        problem: 'cancelled',
      },
    );
    await expectStoreError(contractors.updateContract(later.id, { scope: '改' }), 'STORE_E_INVALID', {
      problem: 'cancelled',
    });
    expect(await who({ pointId: pointB }, 'om', '2026-04-01')).toEqual(['全厂运维']);
    expect(ids(await contractors.contractsForPoint(pointB, '2026-04-01'))).toEqual([wide.id]);
    expect(ids(await contractors.contractsForEnterprise(enterpriseId, '2026-04-01'))).toEqual([wide.id]);
    // Still listed with the enterprise's contracts, as cancelled.
    expect(ids(await contractors.contractsForEnterprise(enterpriseId))).toContain(later.id);
  });
});
