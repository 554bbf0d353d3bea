import { expect, it } from 'vitest';
import { ManualRecordRepository, manualRecordEnd, type NewManualRecord, repositories } from '../src/index.js';
import { describeEachDialect } from './dialects.js';
import { insertPoint } from './fixtures.js';
import { expectStoreError } from './registry-helpers.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 9, 31, 16); // 2026-11-01 00:00 Beijing

describeEachDialect('manual-monitoring records', (store) => {
  const record = (pointId: number, over: Partial<NewManualRecord> = {}): NewManualRecord => ({
    pointId,
    factorCode: 'a21026',
    period: 'hour',
    from: T0 + 3 * H,
    value: 42.5,
    unit: 'mg/m3',
    method: 'HJ 75 手工比对 (HJ 57-2017)',
    agency: '湖北某检测有限公司',
    sampledAt: T0 + 3 * H + 600_000,
    reportNo: 'HBJC-2026-0001',
    filedBy: 'user:7',
    ...over,
  });

  it('count once approved; rejected ones never; overlap is by period; a decision is final', async () => {
    const { pointId } = await insertPoint(store());
    const repo = new ManualRecordRepository(store());
    const hour = await repo.create(record(pointId), T0 + 5 * H);
    const day = await repo.create(record(pointId, { period: 'day', from: T0, reportNo: 'R-2' }), T0 + 5 * H);
    expect(hour).toMatchObject({ period: 'hour', state: 'pending', decided_by: null, note: null });
    expect(Number(hour.to_at) - Number(hour.from_at)).toBe(H);
    expect(Number(day.to_at) - Number(day.from_at)).toBe(24 * H);
    expect(await repo.overlapping(pointId, T0, T0 + 24 * H)).toEqual([]);
    expect((await repo.overlapping(pointId, T0, T0 + 24 * H, false)).map((r) => r.id)).toEqual([
      day.id,
      hour.id,
    ]);

    const approved = await repo.decide(hour.id, 'approved', 'user:1', T0 + 6 * H);
    expect(approved).toMatchObject({ state: 'approved', decided_by: 'user:1' });
    expect(Number(approved.decided_at)).toBe(T0 + 6 * H);
    await repo.decide(day.id, 'rejected', 'user:1', T0 + 6 * H);
    expect((await repo.overlapping(pointId, T0 + 3 * H, T0 + 4 * H)).map((r) => r.id)).toEqual([hour.id]);
    expect(await repo.overlapping(pointId, T0 + 4 * H, T0 + 5 * H)).toEqual([]);
    expect(await repo.pointsWithApproved(T0, T0 + 24 * H)).toEqual([pointId]);
    expect(await repo.pointsWithApproved(T0, T0 + 24 * H, [pointId + 1])).toEqual([]);

    await expectStoreError(repo.decide(hour.id, 'rejected', 'user:1', T0), 'STORE_E_INVALID');
    await expectStoreError(repo.decide(99_999, 'approved', 'user:1', T0), 'STORE_E_NOT_FOUND');
    // Reachable through the repositories bundle too.
    expect((await repositories(store()).manualRecords.get(hour.id))?.report_no).toBe('HBJC-2026-0001');
  });

  it('rejects periods that do not begin on an hour or a Beijing midnight, and blank fields', async () => {
    const { pointId } = await insertPoint(store());
    const repo = new ManualRecordRepository(store());
    await expectStoreError(repo.create(record(pointId, { from: T0 + 1 }), T0), 'STORE_E_INVALID', {
      field: 'from',
    });
    await expectStoreError(
      repo.create(record(pointId, { period: 'day', from: T0 + H }), T0),
      'STORE_E_INVALID',
      {
        field: 'from',
      },
    );
    await expectStoreError(repo.create(record(pointId, { agency: ' ' }), T0), 'STORE_E_INVALID', {
      field: 'agency',
    });
    await expectStoreError(repo.create(record(pointId, { value: Number.NaN }), T0), 'STORE_E_INVALID', {
      field: 'value',
    });
    expect(manualRecordEnd('day', T0)).toBe(T0 + 24 * H);
  });
});
