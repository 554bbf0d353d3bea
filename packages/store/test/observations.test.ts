import { expect, it } from 'vitest';
import { type ObservationInput, ObservationRepository } from '../src/repositories/observations.js';
import { inTransaction } from '../src/transaction-scope.js';
import { describeEachDialect } from './dialects.js';
import { insertPoint } from './fixtures.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

const row = (
  pointId: number,
  factorCode: string,
  hour: number,
  avg: number,
  extra: Partial<ObservationInput> = {},
): ObservationInput => ({
  pointId,
  factorCode,
  periodStart: T0 + hour * HOUR,
  values: { avg, min: avg - 1, max: avg + 1 },
  dataFlag: 'N',
  source: 'das',
  receivedAt: T0 + (hour + 1) * HOUR,
  ...extra,
});

describeEachDialect('observation bulk writer', (store) => {
  it('reports inserted, duplicate and revision, and never overwrites', async () => {
    const { pointId } = await insertPoint(store());
    const repo = new ObservationRepository(store());
    expect(await repo.write('hour', [row(pointId, 'a21026', 0, 10), row(pointId, 'a21002', 0, 20)])).toEqual([
      'inserted',
      'inserted',
    ]);
    // The same values again (a re-sent upload): nothing written.
    expect(await repo.write('hour', [row(pointId, 'a21026', 0, 10, { receivedAt: T0 + 5 * HOUR })])).toEqual([
      'duplicate',
    ]);
    // Other values for the same period (补传 with corrections): a new revision; the first receipt is kept.
    expect(
      await repo.write('hour', [
        row(pointId, 'a21026', 0, 11, { source: 'backfill', receivedAt: T0 + 6 * HOUR }),
      ]),
    ).toEqual(['revision']);
    expect(
      await repo.write('hour', [row(pointId, 'a21026', 0, 12, { dataFlag: 'M', receivedAt: T0 + 7 * HOUR })]),
    ).toEqual(['revision']);
    const trail = await repo.revisions('hour', pointId, 'a21026', T0);
    expect(trail.map((r) => [r.revision, r.avg, r.superseded_at])).toEqual([
      [0, 10, T0 + 6 * HOUR],
      [1, 11, T0 + 7 * HOUR],
      [2, 12, null],
    ]);
    const latest = await repo.range('hour', pointId, T0, T0 + HOUR);
    expect(latest.map((r) => [r.factor_code, r.avg, r.data_flag])).toEqual([
      ['a21002', 20, 'N'],
      ['a21026', 12, 'M'],
    ]);
    const first = await repo.range('hour', pointId, T0, T0 + HOUR, { view: 'first' });
    expect(first.find((r) => r.factor_code === 'a21026')?.avg).toBe(10);
  });

  it('reads chart samples as columns: the current revision only, in range, by factor then time', async () => {
    const { pointId } = await insertPoint(store());
    const repo = new ObservationRepository(store());
    await repo.write(
      'hour',
      [0, 1, 2, 3].flatMap((h) => [row(pointId, 'a21026', h, 10 + h), row(pointId, 'a21002', h, 20 + h)]),
    );
    await repo.write('hour', [
      row(pointId, 'a21026', 1, 99, {
        dataFlag: 'M',
        receivedAt: T0 + 9 * HOUR,
        values: { avg: 99, zs_avg: 120 },
      }),
    ]);
    const samples = await repo.samples('hour', pointId, T0 + HOUR, T0 + 3 * HOUR);
    expect(samples).toEqual([
      {
        factorCode: 'a21002',
        periodStart: [T0 + HOUR, T0 + 2 * HOUR],
        value: [21, 22],
        min: [20, 21],
        max: [22, 23],
        cou: [null, null],
        corrected: [null, null],
        flag: ['N', 'N'],
      },
      {
        factorCode: 'a21026',
        periodStart: [T0 + HOUR, T0 + 2 * HOUR],
        value: [99, 12],
        min: [null, 11],
        max: [null, 13],
        cou: [null, null],
        corrected: [120, null],
        flag: ['M', 'N'],
      },
    ]);
    // The same rows `range` reads, projected; and a factor filter (one and two factors).
    const full = await repo.range('hour', pointId, T0 + HOUR, T0 + 3 * HOUR);
    expect(samples.flatMap((f) => f.value)).toEqual(full.map((r) => r.avg));
    const one = await repo.samples('hour', pointId, T0, T0 + 4 * HOUR, ['a21026']);
    expect(one.map((f) => [f.factorCode, f.value])).toEqual([['a21026', [10, 99, 12, 13]]]);
    const two = await repo.samples('hour', pointId, T0, T0 + 2 * HOUR, ['a21026', 'a21002']);
    expect(two.map((f) => [f.factorCode, f.value])).toEqual([
      ['a21002', [20, 21]],
      ['a21026', [10, 99]],
    ]);
    expect(await repo.samples('hour', pointId, T0 + 10 * HOUR, T0 + 11 * HOUR)).toEqual([]);
  });

  it('reads real-time samples with Rtd and ZsRtd as the value, also inside a transaction-scoped store', async () => {
    const { pointId } = await insertPoint(store());
    const repo = new ObservationRepository(store());
    await repo.write('realtime', [
      row(pointId, 'a21026', 0, 0, { values: { rtd: 31.5, zs_rtd: 40.2 } }),
      row(pointId, 'a21026', 1, 0, { values: { rtd: 32 } }),
    ]);
    const expected = [
      {
        factorCode: 'a21026',
        periodStart: [T0, T0 + HOUR],
        value: [31.5, 32],
        min: [null, null],
        max: [null, null],
        cou: [null, null],
        corrected: [40.2, null],
        flag: ['N', 'N'],
      },
    ];
    expect(await repo.samples('realtime', pointId, T0, T0 + 2 * HOUR)).toEqual(expected);
    // PostgreSQL: a scoped store has no pool, so the read goes through its Kysely connection.
    const scoped = await inTransaction(store(), async (s) =>
      new ObservationRepository(s).samples('realtime', pointId, T0, T0 + 2 * HOUR, ['a21026']),
    );
    expect(scoped).toEqual(expected);
  });

  it('handles repeats of one period inside a batch in order', async () => {
    const { pointId } = await insertPoint(store());
    const repo = new ObservationRepository(store());
    const outcomes = await repo.write('minute', [
      row(pointId, 'w01018', 0, 40),
      row(pointId, 'w01018', 0, 40),
      row(pointId, 'w01018', 0, 41),
      row(pointId, 'w01018', 1, 42),
    ]);
    expect(outcomes).toEqual(['inserted', 'duplicate', 'revision', 'inserted']);
    expect(await repo.count('minute', pointId)).toBe(2);
  });

  it('keeps every value kind, flags, sample time, source, receipt time and frame', async () => {
    const { pointId } = await insertPoint(store(), { kind: 'water' });
    const repo = new ObservationRepository(store());
    const full: ObservationInput = {
      pointId,
      factorCode: 'w01018',
      periodStart: T0,
      values: { rtd: 1.5, min: 1, avg: 2, max: 3, cou: 4.25, zs_rtd: 5, zs_min: 6, zs_avg: 7, zs_max: 8 },
      dataFlag: 'N',
      eFlag: 'A01',
      sampleTime: T0 - 60_000,
      source: 'das',
      receivedAt: T0 + 1000,
      frameId: null,
    };
    await repo.write('realtime', [full]);
    const [stored] = await repo.range('realtime', pointId, T0, T0 + 1);
    expect(stored).toMatchObject({
      rtd: 1.5,
      min: 1,
      avg: 2,
      max: 3,
      cou: 4.25,
      zs_rtd: 5,
      zs_min: 6,
      zs_avg: 7,
      zs_max: 8,
      data_flag: 'N',
      e_flag: 'A01',
      sample_time: T0 - 60_000,
      source: 'das',
      received_at: T0 + 1000,
      revision: 0,
    });
    expect(typeof stored?.period_start).toBe('number');
  });

  it('writes large batches in one call (several statement chunks) and reads the latest per factor', async () => {
    const { pointId } = await insertPoint(store());
    const other = await insertPoint(store());
    const repo = new ObservationRepository(store());
    const rows: ObservationInput[] = [];
    for (let h = 0; h < 1200; h++) rows.push(row(pointId, 'a34013', h, h));
    rows.push(row(other.pointId, 'a34013', 5, 99));
    const outcomes = await repo.write('hour', rows);
    expect(outcomes.every((o) => o === 'inserted')).toBe(true);
    expect(await repo.count('hour', pointId)).toBe(1200);
    // `latest` covers registered factors (point_factor): register a34013 on both points.
    for (const id of [pointId, other.pointId]) {
      await store()
        .db.insertInto('point_factor')
        .values({
          point_id: id,
          factor_code: 'a34013',
          code_2005: null,
          unit: 'mg/m3',
          range_low: null,
          range_high: null,
          hour_limit: null,
          day_limit: null,
          assessed: 1,
          alarm_low: null,
          alarm_high: null,
        })
        .execute();
    }
    // A revision of the newest hour: latest shows the current revision only.
    await repo.write('hour', [row(pointId, 'a34013', 1199, 5000)]);
    const latest = await repo.latest('hour', [pointId, other.pointId]);
    expect(latest.map((r) => [r.point_id, r.factor_code, r.avg])).toEqual([
      [pointId, 'a34013', 5000],
      [other.pointId, 'a34013', 99],
    ]);
  });

  it('rolls the whole batch back when a row fails (no half-written batch)', async () => {
    const { pointId } = await insertPoint(store());
    const repo = new ObservationRepository(store());
    await expect(
      repo.write('day', [row(pointId, 'a21026', 0, 1), row(999_999, 'a21026', 0, 1)]),
    ).rejects.toThrow();
    expect(await repo.count('day', pointId)).toBe(0);
    await expect(
      repo.write('day', [{ ...row(pointId, 'a21026', 0, 1), factorCode: '' }]),
    ).rejects.toMatchObject({
      code: 'STORE_E_INVALID',
    });
  });
});
