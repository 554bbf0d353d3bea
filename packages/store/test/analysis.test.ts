import { expect, it } from 'vitest';
import {
  AlarmRepository,
  inTransaction,
  JudgementRepository,
  MarkRepository,
  type TransmissionDay,
} from '../src/index.js';
import { describeEachDialect } from './dialects.js';
import { insertPoint } from './fixtures.js';
import { expectStoreError } from './registry-helpers.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 9, 31, 16); // 2026-11-01 00:00 Beijing

describeEachDialect('analysis results', (store) => {
  it('marks count only once approved; rejected and withdrawn ones never; overlap is by period', async () => {
    const { pointId } = await insertPoint(store());
    const marks = new MarkRepository(store());
    const base = {
      pointId,
      factorCode: '*',
      kind: 'stopped' as const,
      origin: 'manual' as const,
      madeBy: 'ent:7',
    };
    const stop = await marks.create({ ...base, from: T0, to: T0 + 5 * H, reason: '停产检修' }, T0 + 6 * H);
    const later = await marks.create(
      { ...base, from: T0 + 4 * H, to: T0 + 8 * H, reason: '停产' },
      T0 + 9 * H,
    );
    expect(stop.state).toBe('pending');
    expect(await marks.overlapping(pointId, T0, T0 + 24 * H)).toEqual([]);
    await marks.decide(stop.id, 'approved', 'city:1', T0 + 10 * H);
    await marks.decide(later.id, 'rejected', 'city:1', T0 + 10 * H);
    const approved = await marks.overlapping(pointId, T0 + 4 * H, T0 + 5 * H);
    expect(approved.map((m) => [m.id, m.state, m.decided_by])).toEqual([[stop.id, 'approved', 'city:1']]);
    expect(await marks.overlapping(pointId, T0 + 5 * H, T0 + 6 * H)).toEqual([]);
    // A decided mark cannot be decided again; an approved one can be withdrawn.
    await expectStoreError(marks.decide(later.id, 'approved', 'city:1', T0), 'STORE_E_INVALID');
    await marks.decide(stop.id, 'withdrawn', 'ent:7', T0 + 11 * H);
    expect(await marks.overlapping(pointId, T0, T0 + 24 * H)).toEqual([]);
    await expectStoreError(marks.create({ ...base, from: T0, to: T0, reason: 'x' }, T0), 'STORE_E_INVALID', {
      field: 'to',
    });
  });

  it('keeps one row per alarm episode: re-saving the same episode updates it; one open per key', async () => {
    const { pointId } = await insertPoint(store());
    const alarms = new AlarmRepository(store());
    const episode = {
      pointId,
      factorCode: 'a21026',
      type: 'exceedance',
      openedAt: T0 + 2 * H,
      closedAt: null,
      peakValue: 120,
      limitValue: 100,
      detail: { hours: 1 },
      ruleVersion: 'qy-rules-1',
    };
    const first = await alarms.save(episode, T0 + 3 * H);
    const again = await alarms.save({ ...episode, peakValue: 140, detail: { hours: 2 } }, T0 + 4 * H);
    expect(again.id).toBe(first.id);
    expect((await alarms.open(pointId, 'a21026', 'exceedance'))?.peak_value).toBe(140);
    const closed = await alarms.save({ ...episode, peakValue: 140, closedAt: T0 + 5 * H }, T0 + 5 * H);
    expect(closed.id).toBe(first.id);
    expect(await alarms.open(pointId, 'a21026', 'exceedance')).toBeUndefined();
    // A device alarm (no factor) and a second episode later.
    await alarms.save(
      { ...episode, factorCode: null, type: 'offline', peakValue: null, limitValue: null },
      T0,
    );
    await alarms.save({ ...episode, openedAt: T0 + 9 * H }, T0 + 9 * H);
    await expect(alarms.save({ ...episode, openedAt: T0 + 10 * H }, T0 + 10 * H)).rejects.toThrow();
    const listed = await alarms.list({ pointId, from: T0 + 6 * H });
    expect(listed.map((a) => [a.type, a.factor_code, a.opened_at])).toEqual([
      ['offline', null, T0 + 2 * H],
      ['exceedance', 'a21026', T0 + 9 * H],
    ]);
    expect(listed[1]?.detail).toEqual({ hours: 1 });
  });

  it('replaces judgements per period and view, and sums daily counts by point, enterprise and region', async () => {
    const a = await insertPoint(store());
    const b = await insertPoint(store());
    const repo = new JudgementRepository(store());
    const judged = (pointId: number, hour: number, validity: 'valid' | 'invalid') => ({
      point_id: pointId,
      factor_code: 'w01018',
      period: 'hour' as const,
      period_start: T0 + hour * H,
      view: 'amended' as const,
      validity,
      reason: validity === 'valid' ? 'N' : 'flag D',
      value: 30,
      corrected_value: null,
      rule_version: 'qy-rules-1',
      judged_at: T0 + 30 * H,
    });
    await repo.saveJudgements([judged(a.pointId, 0, 'valid'), judged(a.pointId, 1, 'valid')]);
    await repo.saveJudgements([{ ...judged(a.pointId, 1, 'invalid'), rule_version: 'qy-rules-2' }]);
    const rows = await repo.judgements(a.pointId, 'hour', T0, T0 + 24 * H, 'amended');
    expect(rows.map((r) => [r.validity, r.rule_version])).toEqual([
      ['valid', 'qy-rules-1'],
      ['invalid', 'qy-rules-2'],
    ]);
    // The same as columns per factor (charts), of this view only, also inside a transaction-scoped store.
    await repo.saveJudgements([
      { ...judged(a.pointId, 0, 'invalid'), view: 'first' },
      { ...judged(a.pointId, 0, 'valid'), factor_code: 'w01001' },
    ]);
    const columns = [
      { factorCode: 'w01001', periodStart: [T0], validity: ['valid'], reason: ['N'] },
      {
        factorCode: 'w01018',
        periodStart: [T0, T0 + H],
        validity: ['valid', 'invalid'],
        reason: ['N', 'flag D'],
      },
    ];
    expect(await repo.validityColumns(a.pointId, 'hour', T0, T0 + 24 * H, 'amended')).toEqual(columns);
    expect(
      await inTransaction(store(), (s) =>
        new JudgementRepository(s).validityColumns(a.pointId, 'hour', T0, T0 + 24 * H, 'amended'),
      ),
    ).toEqual(columns);
    expect(await repo.validityColumns(a.pointId, 'hour', T0 + H, T0 + 24 * H, 'first')).toEqual([]);
    const day = (
      pointId: number,
      d: string,
      factor: string,
      expected: number,
      received: number,
      valid: number,
    ) =>
      ({
        point_id: pointId,
        factor_code: factor,
        day: d,
        view: 'first',
        expected,
        received,
        valid,
        excluded: 24 - expected,
        rule_version: 'qy-rules-1',
        computed_at: T0,
      }) satisfies TransmissionDay;
    await repo.saveTransmissionDays([
      day(a.pointId, '2026-11-01', 'w01018', 24, 24, 20),
      day(a.pointId, '2026-11-02', 'w01018', 20, 10, 10),
      day(a.pointId, '2026-11-01', 'w21003', 24, 24, 24),
      day(b.pointId, '2026-11-01', 'w01018', 24, 0, 0),
      day(b.pointId, '2026-12-01', 'w01018', 24, 24, 24),
    ]);
    // Recomputing a day replaces it.
    await repo.saveTransmissionDays([day(a.pointId, '2026-11-02', 'w01018', 20, 12, 11)]);
    const byPoint = await repo.transmissionTotals({
      fromDay: '2026-11-01',
      toDay: '2026-11-30',
      view: 'first',
      groupBy: 'point',
      pointIds: [a.pointId, b.pointId],
    });
    expect(byPoint).toEqual([
      { key: String(a.pointId), expected: 68, received: 60, valid: 55, excluded: 4 },
      { key: String(b.pointId), expected: 24, received: 0, valid: 0, excluded: 0 },
    ]);
    const byFactor = await repo.transmissionTotals({
      fromDay: '2026-11-01',
      toDay: '2026-11-30',
      view: 'first',
      groupBy: 'region',
      byFactor: true,
      pointIds: [a.pointId, b.pointId],
    });
    expect(byFactor).toEqual([
      { key: '420100', factorCode: 'w01018', expected: 68, received: 36, valid: 31, excluded: 4 },
      { key: '420100', factorCode: 'w21003', expected: 24, received: 24, valid: 24, excluded: 0 },
    ]);
    expect(
      await repo.transmissionTotals({
        fromDay: '2026-11-01',
        toDay: '2026-11-30',
        view: 'amended',
        groupBy: 'point',
      }),
    ).toEqual([]);
  });
});
