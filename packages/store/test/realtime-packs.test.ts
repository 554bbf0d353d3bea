import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { FrameDeviceIndex } from '../src/repositories/frames-by-device.js';
import {
  type ObservationInput,
  type ObservationRecord,
  ObservationRepository,
  REALTIME_LATEST_WINDOW_MS,
} from '../src/repositories/observations.js';
import type { ObservationSource } from '../src/schema.js';
import { createTestStore, describeEachDialect, TEST_DIALECTS } from './dialects.js';
import { insertFactors, insertPoint } from './fixtures.js';

const T0 = Date.UTC(2026, 10, 1, 2);
const SECOND = 1000;
const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------------------
// Packed real-time against the unpacked minute table, on both dialects.

const FACTORS = ['a21026', 'a21002', 'a34013', 'w01018'] as const;
/** Registered on both points (point_factor); w01018 is sent but not registered. */
const REGISTERED = ['a21026', 'a21002', 'a34013'] as const;
/**
 * Instants: a few close together (collisions), and some 15 minutes and more after T0 so the newest upload of a
 * point can leave earlier instants just inside or just outside the real-time latest window.
 */
const INSTANTS = [
  0,
  30 * SECOND,
  MINUTE,
  90 * SECOND,
  15 * MINUTE,
  16 * MINUTE,
  16 * MINUTE + 30 * SECOND,
].map((d) => T0 + d);
const VALUES = [null, 0, 1, 2.5, 0.1 + 0.2, 1 / 3, -7.25, 1234.5678] as const;
const SOURCES: readonly ObservationSource[] = ['das', 'backfill'];

interface Measurement {
  v: number | null | undefined;
  zs: number | null | undefined;
  min: number | null | undefined;
  max: number | null | undefined;
  cou: number | null | undefined;
  dataFlag: string | null | undefined;
  eFlag: string | null | undefined;
  sampleTime: number | null | undefined;
}

const valueArb = fc.option(fc.constantFrom(...VALUES), { nil: undefined });
const measurementArb: fc.Arbitrary<Measurement> = fc.record({
  v: valueArb,
  zs: valueArb,
  min: fc.option(fc.constantFrom(null, 0, 0.5), { nil: undefined }),
  max: fc.option(fc.constantFrom(null, 3, 0.30000000000000004), { nil: undefined }),
  cou: fc.option(fc.constantFrom(null, 10.125), { nil: undefined }),
  dataFlag: fc.option(fc.constantFrom(null, 'N', 'T', 'D'), { nil: undefined }),
  eFlag: fc.option(fc.constantFrom(null, 'E1'), { nil: undefined }),
  sampleTime: fc.option(fc.constantFrom(null, T0 - 5 * SECOND, T0 + 7 * SECOND), { nil: undefined }),
});

interface GenRow {
  factor: number;
  instant: number;
  measurement: number;
}
interface GenGroup {
  /** Added to the previous group's receipt (0: the same receipt, so rows may join one upload). */
  delay: number;
  source: ObservationSource;
  frameId: number | null | undefined;
  rows: GenRow[];
}
interface GenCall {
  point: number;
  groups: GenGroup[];
}

const rowArb: fc.Arbitrary<GenRow> = fc.record({
  factor: fc.nat(FACTORS.length - 1),
  // Biased to few instants so one upload usually shares its instant.
  instant: fc.oneof(
    { weight: 3, arbitrary: fc.constant(-1) },
    { weight: 2, arbitrary: fc.nat(INSTANTS.length - 1) },
  ),
  measurement: fc.nat(4),
});
const groupArb: fc.Arbitrary<GenGroup> = fc.record({
  delay: fc.constantFrom(0, 1, 1000, 45_000),
  source: fc.constantFrom(...SOURCES),
  frameId: fc.option(fc.nat(50), { nil: undefined }),
  rows: fc.array(rowArb, { minLength: 1, maxLength: 6 }),
});
const callArb: fc.Arbitrary<GenCall> = fc.record({
  point: fc.nat(1),
  groups: fc.array(groupArb, { minLength: 1, maxLength: 3 }),
});
interface Scenario {
  measurements: Measurement[];
  calls: GenCall[];
  groupInstant: number[];
  cut: number;
  /** After each write call, how many packs (and frames) to index by point (SQLite's index file); 0: none. */
  index: number[];
}
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  measurements: fc.array(measurementArb, { minLength: 1, maxLength: 4 }),
  calls: fc.array(callArb, { minLength: 1, maxLength: 8 }),
  groupInstant: fc.array(fc.nat(INSTANTS.length - 1), { minLength: 8 * 3, maxLength: 8 * 3 }),
  cut: fc.nat(INSTANTS.length),
  index: fc.array(fc.nat(3), { minLength: 9, maxLength: 9 }),
});

/** The write calls of a scenario: rows carry rtd = avg and zs_rtd = zs_avg, so both periods hold the same row. */
function callsOf(s: Scenario, points: readonly number[]): { pointId: number; rows: ObservationInput[] }[] {
  let receivedAt = T0 + 20 * MINUTE;
  let g = 0;
  return s.calls.map((call) => {
    const pointId = points[call.point] as number;
    const rows: ObservationInput[] = [];
    for (const group of call.groups) {
      receivedAt += group.delay;
      const groupInstant = INSTANTS[s.groupInstant[g++ % s.groupInstant.length] as number] as number;
      for (const r of group.rows) {
        const m = s.measurements[r.measurement % s.measurements.length] as Measurement;
        const values: ObservationInput['values'] = {};
        if (m.v !== undefined) {
          values.rtd = m.v;
          values.avg = m.v;
        }
        if (m.zs !== undefined) {
          values.zs_rtd = m.zs;
          values.zs_avg = m.zs;
        }
        if (m.min !== undefined) values.min = m.min;
        if (m.max !== undefined) values.max = m.max;
        if (m.cou !== undefined) values.cou = m.cou;
        const input: {
          -readonly [K in keyof ObservationInput]: ObservationInput[K];
        } = {
          pointId,
          factorCode: FACTORS[r.factor] as string,
          periodStart: r.instant < 0 ? groupInstant : (INSTANTS[r.instant] as number),
          values,
          source: group.source,
          receivedAt,
        };
        if (m.dataFlag !== undefined) input.dataFlag = m.dataFlag;
        if (m.eFlag !== undefined) input.eFlag = m.eFlag;
        if (m.sampleTime !== undefined) input.sampleTime = m.sampleTime;
        if (group.frameId !== undefined) input.frameId = group.frameId;
        rows.push(input);
      }
    }
    return { pointId, rows };
  });
}

/**
 * What `latest` must return, from the current rows of the reference (all time): per registered factor its
 * newest current row, if within `windowMs` before the point's newest row of any factor.
 */
function latestModel(current: readonly ObservationRecord[], windowMs: number): ObservationRecord[] {
  const out: ObservationRecord[] = [];
  const points = [...new Set(current.map((r) => r.point_id))].sort((a, b) => a - b);
  for (const point of points) {
    const mine = current.filter((r) => r.point_id === point);
    const newest = Math.max(...mine.map((r) => r.period_start));
    for (const factor of [...REGISTERED].sort()) {
      const rows = mine.filter((r) => r.factor_code === factor);
      if (rows.length === 0) continue;
      const last = rows.reduce((a, b) => (b.period_start > a.period_start ? b : a));
      if (last.period_start >= newest - windowMs) out.push(last);
    }
  }
  return out;
}

describeEachDialect('packed real-time rows behave as the unpacked minute table', (store) => {
  const points: number[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const { pointId } = await insertPoint(store());
      await insertFactors(
        store(),
        pointId,
        REGISTERED.map((code) => ({ code })),
      );
      points.push(pointId);
    }
  });

  it('property: outcomes, range, revisions, samples, count, latest and deleteBefore agree', async () => {
    const repo = new ObservationRepository(store());
    const FAR = T0 + 86_400_000;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        await repo.deleteBefore('realtime', Number.MAX_SAFE_INTEGER);
        await sql`DELETE FROM obs_minute`.execute(store().db);
        const keys = new Set<string>();
        const calls = callsOf(scenario, points);
        // Some packs read through SQLite's index by point, the newer ones after its mark (any split).
        const index = async (step: number) => {
          const limit = scenario.index[step % scenario.index.length] as number;
          if (limit > 0) await new FrameDeviceIndex(store()).indexDevices(limit);
        };
        for (const [step, call] of calls.entries()) {
          const realtime = await repo.write('realtime', call.rows);
          const minute = await repo.write('minute', call.rows);
          expect(realtime).toEqual(minute);
          for (const r of call.rows) keys.add(`${r.pointId}|${r.factorCode}|${r.periodStart}`);
          await index(step);
        }

        const current: ObservationRecord[] = [];
        for (const pointId of points) {
          for (const view of ['latest', 'first'] as const) {
            const rt = await repo.range('realtime', pointId, T0 - MINUTE, FAR, { view });
            expect(rt).toEqual(await repo.range('minute', pointId, T0 - MINUTE, FAR, { view }));
            if (view === 'latest') current.push(...rt);
          }
          // Bounds: [from, to) of a part of the instants, and a factor filter.
          const from = INSTANTS[1] as number;
          const to = INSTANTS[4] as number;
          const factors = ['w01018', 'a21026'];
          expect(await repo.range('realtime', pointId, from, to, { factors })).toEqual(
            await repo.range('minute', pointId, from, to, { factors }),
          );
          expect(await repo.samples('realtime', pointId, T0 - MINUTE, FAR)).toEqual(
            await repo.samples('minute', pointId, T0 - MINUTE, FAR),
          );
          expect(await repo.samples('realtime', pointId, from, to, factors)).toEqual(
            await repo.samples('minute', pointId, from, to, factors),
          );
          expect(await repo.periodStarts('realtime', pointId, T0, FAR)).toEqual(
            await repo.periodStarts('minute', pointId, T0, FAR),
          );
          expect(await repo.count('realtime', pointId)).toBe(await repo.count('minute', pointId));
        }
        for (const key of keys) {
          const [pointId, factor, at] = key.split('|') as [string, string, string];
          expect(await repo.revisions('realtime', Number(pointId), factor, Number(at))).toEqual(
            await repo.revisions('minute', Number(pointId), factor, Number(at)),
          );
        }
        expect(await repo.count('realtime')).toBe(await repo.count('minute'));

        // latest: the minute table has no window; real-time keeps what is within the window.
        const current2 = current.sort((a, b) => a.point_id - b.point_id);
        expect(await repo.latest('minute', points)).toEqual(latestModel(current2, Number.POSITIVE_INFINITY));
        expect(await repo.latest('realtime', points)).toEqual(
          latestModel(current2, REALTIME_LATEST_WINDOW_MS),
        );
        expect(await repo.latest('realtime')).toEqual(latestModel(current2, REALTIME_LATEST_WINDOW_MS));
        expect(await repo.latest('realtime', [points[1] as number])).toEqual(
          latestModel(
            current2.filter((r) => r.point_id === points[1]),
            REALTIME_LATEST_WINDOW_MS,
          ),
        );

        // Retention: the same number of rows (revisions included) deleted, and the same rows left.
        const before = INSTANTS[scenario.cut] ?? FAR;
        expect(await repo.deleteBefore('realtime', before)).toBe(await repo.deleteBefore('minute', before));
        for (const pointId of points)
          expect(await repo.range('realtime', pointId, T0 - MINUTE, FAR)).toEqual(
            await repo.range('minute', pointId, T0 - MINUTE, FAR),
          );
        expect(await repo.count('realtime')).toBe(await repo.count('minute'));

        // Written again after retention (new packs may take the ids it freed), then partly indexed.
        const again = calls[0] as (typeof calls)[number];
        expect(await repo.write('realtime', again.rows)).toEqual(await repo.write('minute', again.rows));
        await index(calls.length);
        for (const pointId of points)
          expect(await repo.range('realtime', pointId, T0 - MINUTE, FAR)).toEqual(
            await repo.range('minute', pointId, T0 - MINUTE, FAR),
          );
        expect(await repo.latest('realtime', points)).toEqual(
          latestModel(
            (await repo.range('minute', points[0] as number, T0 - MINUTE, FAR))
              .concat(await repo.range('minute', points[1] as number, T0 - MINUTE, FAR))
              .sort((a, b) => a.point_id - b.point_id),
            REALTIME_LATEST_WINDOW_MS,
          ),
        );
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('property: many uploads in one call have the outcomes and rows of the minute table', async () => {
    // A batch as the group commit writes it: dozens of uploads, instants held twice, repeats of whole uploads.
    const repo = new ObservationRepository(store());
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.integer({ min: 6, max: 14 }), async (scenario, copies) => {
        await repo.deleteBefore('realtime', Number.MAX_SAFE_INTEGER);
        await sql`DELETE FROM obs_minute`.execute(store().db);
        const calls = callsOf(scenario, points);
        const rows = Array.from({ length: copies }, (_, c) =>
          calls.flatMap((call) =>
            call.rows.map((r) => ({ ...r, receivedAt: r.receivedAt + (c % 3) * SECOND })),
          ),
        ).flat();
        expect(await repo.write('realtime', rows)).toEqual(await repo.write('minute', rows));
        for (const pointId of points)
          for (const view of ['latest', 'first'] as const)
            expect(await repo.range('realtime', pointId, T0 - MINUTE, T0 + 86_400_000, { view })).toEqual(
              await repo.range('minute', pointId, T0 - MINUTE, T0 + 86_400_000, { view }),
            );
      }),
      { numRuns: 25 },
    );
  }, 60_000);

  it('a row written through the repository reads back the same through the view and range', async () => {
    const { pointId } = await insertPoint(store());
    const repo = new ObservationRepository(store());
    const at = T0 + 3 * MINUTE;
    const input: ObservationInput = {
      pointId,
      factorCode: 'a21026',
      periodStart: at,
      values: {
        rtd: 0.1 + 0.2,
        min: -1 / 3,
        avg: 12.5,
        max: 5e-324,
        cou: 1e21,
        zs_rtd: 123456789.12345679,
        zs_min: 0,
        zs_avg: null,
        zs_max: 2 ** 53 + 2,
      },
      dataFlag: 'N',
      eFlag: 'E1',
      sampleTime: at - 7 * SECOND,
      source: 'backfill',
      receivedAt: at + 2 * SECOND,
      frameId: 4242,
    };
    expect(
      await repo.write('realtime', [input, { ...input, factorCode: 'a34013', values: { rtd: 1 } }]),
    ).toEqual(['inserted', 'inserted']);
    const expected: ObservationRecord = {
      point_id: pointId,
      factor_code: 'a21026',
      period_start: at,
      revision: 0,
      rtd: 0.1 + 0.2,
      min: -1 / 3,
      avg: 12.5,
      max: 5e-324,
      cou: 1e21,
      zs_rtd: 123456789.12345679,
      zs_min: 0,
      zs_avg: null,
      zs_max: 2 ** 53 + 2,
      data_flag: 'N',
      e_flag: 'E1',
      sample_time: at - 7 * SECOND,
      source: 'backfill',
      received_at: at + 2 * SECOND,
      frame_id: 4242,
      superseded_at: null,
    };
    const viewRows = await sql<ObservationRecord>`SELECT * FROM obs_realtime WHERE point_id = ${pointId}
      ORDER BY factor_code`.execute(store().db);
    const normalised = viewRows.rows.map((r) => ({
      ...r,
      point_id: Number(r.point_id),
      period_start: Number(r.period_start),
      sample_time: r.sample_time === null ? null : Number(r.sample_time),
      received_at: Number(r.received_at),
      frame_id: r.frame_id === null ? null : Number(r.frame_id),
      superseded_at: r.superseded_at === null ? null : Number(r.superseded_at),
    }));
    expect(normalised[0]).toEqual(expected);
    expect(Object.keys(normalised[0] as object).sort()).toEqual(Object.keys(expected).sort());
    expect(normalised[1]).toMatchObject({ factor_code: 'a34013', rtd: 1, data_flag: 'N', frame_id: 4242 });
    const ranged = await repo.range('realtime', pointId, at, at + 1, { factors: ['a21026'] });
    expect(ranged).toEqual([expected]);
    // The same row in the unpacked minute table reads the same.
    await repo.write('minute', [input]);
    expect(await repo.range('minute', pointId, at, at + 1, { factors: ['a21026'] })).toEqual([expected]);

    // A revision: the superseded entry carries the new receipt, both read back through the view.
    const revised = {
      ...input,
      values: { ...input.values, rtd: 0.7 },
      receivedAt: at + 9 * SECOND,
      frameId: null,
    };
    expect(await repo.write('realtime', [revised])).toEqual(['revision']);
    expect(await repo.revisions('realtime', pointId, 'a21026', at)).toEqual([
      { ...expected, superseded_at: at + 9 * SECOND },
      { ...expected, revision: 1, rtd: 0.7, received_at: at + 9 * SECOND, frame_id: null },
    ]);
    const view2 = await sql<{
      n: number;
    }>`SELECT count(*) AS n FROM obs_realtime WHERE point_id = ${pointId}`.execute(store().db);
    expect(Number(view2.rows[0]?.n)).toBe(3);
  });

  it('a factor code `__proto__` is stored, merged and read back as a plain factor', async () => {
    const { pointId } = await insertPoint(store());
    const repo = new ObservationRepository(store());
    const at = T0 + 5 * MINUTE;
    const input = (rtd: number, receivedAt: number): ObservationInput => ({
      pointId,
      factorCode: '__proto__',
      periodStart: at,
      values: { rtd, avg: rtd },
      source: 'das',
      receivedAt,
    });
    for (const period of ['realtime', 'minute'] as const) {
      expect(await repo.write(period, [input(1, at + 1), input(1, at + 2)])).toEqual([
        'inserted',
        'duplicate',
      ]);
      expect(await repo.write(period, [input(1, at + 3), input(2, at + 4)])).toEqual([
        'duplicate',
        'revision',
      ]);
    }
    const read = async (period: 'realtime' | 'minute') => ({
      range: await repo.range(period, pointId, at, at + 1),
      revisions: await repo.revisions(period, pointId, '__proto__', at),
      samples: await repo.samples(period, pointId, at, at + 1, ['__proto__']),
    });
    const realtime = await read('realtime');
    expect(realtime).toEqual(await read('minute'));
    expect(realtime.revisions.map((r) => [r.revision, r.rtd, r.superseded_at])).toEqual([
      [0, 1, at + 4],
      [1, 2, null],
    ]);
  });
});

// PostgreSQL only: SQLite has one writer, and its ingest transactions run synchronously.
for (const dialect of TEST_DIALECTS.filter((d) => d === 'postgres'))
  describe(`two transactions writing one held real-time instant at once [${dialect}]`, () => {
    it('queue, and the second sees the pack the first added (no seq taken twice)', async () => {
      const { store, dispose } = await createTestStore(dialect);
      try {
        const { pointId } = await insertPoint(store);
        const repo = new ObservationRepository(store);
        const at = T0 + 5 * MINUTE;
        const rtd = (factorCode: string, value: number, receivedAt: number): ObservationInput => ({
          pointId,
          factorCode,
          periodStart: at,
          values: { rtd: value },
          source: 'das',
          receivedAt,
        });
        expect(await repo.write('realtime', [rtd('a21026', 1, at + 1)])).toEqual(['inserted']);
        const client = await (store.pool as NonNullable<typeof store.pool>).connect();
        try {
          await client.query('BEGIN');
          // A factor new to the instant: a pack added, none of the held ones touched (so none locked).
          expect(await repo.writeOn(client, 'realtime', [rtd('a34013', 2, at + 2)])).toEqual(['inserted']);
          // The second writer must wait for the first, then merge with what it committed.
          const second = repo.write('realtime', [rtd('a21026', 3, at + 3), rtd('a21002', 4, at + 3)]);
          await new Promise((resolve) => setTimeout(resolve, 200));
          await client.query('COMMIT');
          expect(await second).toEqual(['revision', 'inserted']);
        } finally {
          client.release();
        }
        expect(
          (await repo.revisions('realtime', pointId, 'a21026', at)).map((r) => [
            r.revision,
            r.rtd,
            r.superseded_at,
          ]),
        ).toEqual([
          [0, 1, at + 3],
          [1, 3, null],
        ]);
        const packs = await store.db
          .selectFrom('obs_realtime_pack')
          .select(['seq', 'factors'])
          .orderBy('seq')
          .execute();
        expect(packs.map((p) => [p.seq, p.factors])).toEqual([
          [0, 1],
          [1, 1],
          [2, 2],
        ]);
        expect(
          (await repo.range('realtime', pointId, at, at + 1)).map((r) => [r.factor_code, r.rtd]),
        ).toEqual([
          ['a21002', 4],
          ['a21026', 3],
          ['a34013', 2],
        ]);
      } finally {
        await dispose();
      }
    });
  });
