import { expect, it } from 'vitest';
import { type ObservationInput, ObservationRepository } from '../src/repositories/observations.js';
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

  it('reads chart samples: the current revision only, in range, by factor then time, values and flag', async () => {
    const { pointId } = await insertPoint(store());
    const repo = new ObservationRepository(store());
    await repo.write(
      'hour',
      [0, 1, 2, 3].flatMap((h) => [row(pointId, 'a21026', h, 10 + h), row(pointId, 'a21002', h, 20 + h)]),
    );
    await repo.write('hour', [row(pointId, 'a21026', 1, 99, { dataFlag: 'M', receivedAt: T0 + 9 * HOUR })]);
    const samples = await repo.samples('hour', pointId, T0 + HOUR, T0 + 3 * HOUR);
    expect(samples.map((r) => [r.factor_code, Number(r.period_start), r.avg, r.min, r.data_flag])).toEqual([
      ['a21002', T0 + HOUR, 21, 20, 'N'],
      ['a21002', T0 + 2 * HOUR, 22, 21, 'N'],
      ['a21026', T0 + HOUR, 99, 98, 'M'],
      ['a21026', T0 + 2 * HOUR, 12, 11, 'N'],
    ]);
    // The same rows `range` reads, projected; and a factor filter.
    const full = await repo.range('hour', pointId, T0 + HOUR, T0 + 3 * HOUR);
    expect(samples.map((r) => r.avg)).toEqual(full.map((r) => r.avg));
    expect((await repo.samples('hour', pointId, T0, T0 + 4 * HOUR, ['a21026'])).map((r) => r.avg)).toEqual([
      10, 99, 12, 13,
    ]);
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
