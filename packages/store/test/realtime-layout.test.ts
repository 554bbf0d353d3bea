import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Store } from '../src/database.js';
import {
  type ObservationInput,
  ObservationRepository,
  REALTIME_LATEST_WINDOW_MS,
} from '../src/repositories/observations.js';
import { describeEachDialect, itFromMigration } from './dialects.js';
import { insertFactors, insertPoint } from './fixtures.js';

const T0 = Date.UTC(2026, 10, 1, 2);
const MINUTE = 60_000;

const rtd = (pointId: number, factorCode: string, at: number, value: number): ObservationInput => ({
  pointId,
  factorCode,
  periodStart: at,
  values: { rtd: value },
  dataFlag: 'N',
  source: 'das',
  receivedAt: at + 1000,
});

/** The columns of obs_realtime's primary key, in key order. */
async function realtimeKey(store: Store): Promise<string[]> {
  if (store.dialect === 'sqlite') {
    const indexes = await sql<{ name: string; origin: string }>`PRAGMA index_list(obs_realtime)`.execute(
      store.db,
    );
    const pk = indexes.rows.find((i) => i.origin === 'pk');
    if (pk === undefined) return [];
    const columns = await sql<{
      seqno: number;
      name: string;
    }>`SELECT seqno, name FROM pragma_index_info(${pk.name})`.execute(store.db);
    return columns.rows.sort((a, b) => a.seqno - b.seqno).map((c) => c.name);
  }
  const columns = await sql<{ attname: string }>`
    SELECT a.attname FROM pg_index i
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
    WHERE i.indexrelid = 'obs_realtime_pk'::regclass
    ORDER BY array_position(i.indkey::int2[], a.attnum)`.execute(store.db);
  return columns.rows.map((c) => c.attname);
}

async function realtimeIndexes(store: Store): Promise<string[]> {
  const rows =
    store.dialect === 'sqlite'
      ? await sql<{
          name: string;
        }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'obs_realtime' AND sql IS NOT NULL`.execute(
          store.db,
        )
      : await sql<{
          name: string;
        }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'obs_realtime' AND indexname <> 'obs_realtime_pk'`.execute(
          store.db,
        );
  return rows.rows.map((r) => r.name).sort();
}

/** A row of the unpacked `obs_realtime` table (before migration 0016), written directly. */
interface UnpackedRow {
  factor: string;
  at: number;
  revision?: number;
  values: Partial<Record<'rtd' | 'min' | 'avg' | 'max' | 'cou' | 'zs_rtd', number | null>>;
  flag?: string | null;
  eFlag?: string | null;
  sampleTime?: number | null;
  receivedAt?: number;
  frameId?: number | null;
  supersededAt?: number | null;
}

async function insertUnpacked(store: Store, pointId: number, rows: readonly UnpackedRow[]): Promise<void> {
  for (const r of rows)
    await sql`INSERT INTO obs_realtime (point_id, factor_code, period_start, revision, rtd, min, avg, max, cou,
      zs_rtd, data_flag, e_flag, sample_time, source, received_at, frame_id, superseded_at)
      VALUES (${pointId}, ${r.factor}, ${r.at}, ${r.revision ?? 0}, ${r.values.rtd ?? null}, ${r.values.min ?? null},
      ${r.values.avg ?? null}, ${r.values.max ?? null}, ${r.values.cou ?? null}, ${r.values.zs_rtd ?? null},
      ${r.flag ?? 'N'}, ${r.eFlag ?? null}, ${r.sampleTime ?? null}, 'das', ${r.receivedAt ?? r.at + 1000},
      ${r.frameId ?? null}, ${r.supersededAt ?? null})`.execute(store.db);
}

/** Rows with every number a number (PostgreSQL's bigint columns arrive as strings from plain SQL). */
const plain = (rows: readonly object[]): Record<string, unknown>[] =>
  rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, v === null ? null : typeof v === 'string' ? v : Number(v)]),
    ),
  );

/** Every real-time row, as plain SQL reads it, in key order. */
async function allRealtime(store: Store): Promise<Record<string, unknown>[]> {
  const rows = await sql<Record<string, unknown>>`SELECT * FROM obs_realtime
    ORDER BY point_id, period_start, factor_code, revision`.execute(store.db);
  return plain(rows.rows);
}

describe('migration 0014: real-time observations keyed by point, time, factor', () => {
  itFromMigration(
    '0013-internal-notes-and-cancellations',
    'keeps every row and revision and changes only the key',
    async (store, migrateTo) => {
      expect(await realtimeKey(store)).toEqual(['point_id', 'factor_code', 'period_start', 'revision']);
      const { pointId } = await insertPoint(store);
      const rows: UnpackedRow[] = [];
      for (let i = 0; i < 50; i++)
        for (const factor of ['a21026', 'a21002', 'a34013'])
          rows.push({ factor, at: T0 + i * 30_000, values: { rtd: i } });
      // A revision: the newest SO2 sent again with another value.
      const newest = T0 + 49 * 30_000;
      (rows.at(-3) as UnpackedRow).supersededAt = newest + 5000;
      rows.push({
        factor: 'a21026',
        at: newest,
        revision: 1,
        values: { rtd: 777 },
        receivedAt: newest + 5000,
      });
      await insertUnpacked(store, pointId, rows);
      const held = await allRealtime(store);

      expect(await migrateTo('0014-realtime-by-time')).toEqual(['0014-realtime-by-time']);
      expect(await realtimeKey(store)).toEqual(['point_id', 'period_start', 'factor_code', 'revision']);
      expect(await realtimeIndexes(store)).toEqual([]);
      expect(await allRealtime(store)).toEqual(held);
      // The new key still refuses a second row for the same point, instant, factor and revision.
      await expect(
        insertUnpacked(store, pointId, [{ factor: 'a21026', at: newest, revision: 1, values: {} }]),
      ).rejects.toThrow();
    },
  );
});

describe('migration 0016: real-time observations packed, one row per upload', () => {
  itFromMigration(
    '0015-frames-by-device',
    'keeps every row, value and revision, read through the view',
    async (store, migrateTo) => {
      const { pointId } = await insertPoint(store);
      const other = await insertPoint(store);
      const rows: UnpackedRow[] = [];
      // Two days of three factors, with values SQLite would print shorter than they are in JSON.
      for (let i = 0; i < 40; i++)
        for (const factor of ['a21026', 'a21002', 'a34013'])
          rows.push({
            factor,
            at: T0 - 86_400_000 + i * 3_600_000,
            values: { rtd: i + 0.1 + 0.2, zs_rtd: i / 3 },
            frameId: 100 + i,
          });
      // Every column once, and an upload of one instant split over two frames.
      const at = T0 + 5 * MINUTE;
      rows.push({
        factor: 'w01018',
        at,
        values: { rtd: 1, min: 0.5, avg: 0.75, max: 1.25, cou: 3e-7 },
        flag: 'M',
        eFlag: 'E1',
        sampleTime: at - 5000,
        frameId: 7,
      });
      rows.push({
        factor: 'w21003',
        at,
        values: { rtd: null },
        flag: 'D',
        receivedAt: at + 9000,
        frameId: 8,
      });
      // A revision: superseded first receipt, then the current one from a later frame.
      rows.push({
        factor: 'a21026',
        at: at + MINUTE,
        values: { rtd: 5 },
        supersededAt: at + MINUTE + 7000,
        frameId: 9,
      });
      rows.push({
        factor: 'a21026',
        at: at + MINUTE,
        revision: 1,
        values: { rtd: 6 },
        receivedAt: at + MINUTE + 7000,
        frameId: 10,
      });
      await insertUnpacked(store, pointId, rows);
      await insertUnpacked(store, other.pointId, [{ factor: 'a21026', at, values: { rtd: 42 } }]);
      const held = await allRealtime(store);
      const repo = new ObservationRepository(store);
      // What the repository's first-receipt view must show after: the point's revision-0 rows by factor, time.
      const first = held
        .filter((r) => r.point_id === pointId && r.revision === 0)
        .sort(
          (a, b) =>
            String(a.factor_code).localeCompare(String(b.factor_code)) ||
            Number(a.period_start) - Number(b.period_start),
        );
      const revisions = held.filter(
        (r) => r.point_id === pointId && r.factor_code === 'a21026' && r.period_start === at + MINUTE,
      );

      expect(await migrateTo('0016-realtime-packs')).toEqual(['0016-realtime-packs']);
      expect(await allRealtime(store)).toEqual(held);
      // The repository reads the packs as the later migrations leave them (0019: by time, read by point).
      await migrateTo('0019-realtime-packs-by-time');
      expect(await allRealtime(store)).toEqual(held);
      expect(held).toHaveLength(rows.length + 1);
      expect(
        plain(await repo.range('realtime', pointId, T0 - 2 * 86_400_000, T0 + 86_400_000, { view: 'first' })),
      ).toEqual(first);
      expect(first).toHaveLength(rows.length - 1);
      expect(plain(await repo.revisions('realtime', pointId, 'a21026', at + MINUTE))).toEqual(revisions);
      expect(revisions).toHaveLength(2);
      // Rows that arrived together share a pack: 40 + 2 (the split upload) + 2 (the revision) + 1 (the other point).
      const packs = await store.db
        .selectFrom('obs_realtime_pack')
        .select(['point_id', 'period_start', 'seq', 'factors'])
        .execute();
      expect(packs).toHaveLength(45);
      expect(
        packs
          .filter((p) => Number(p.period_start) === at + MINUTE)
          .map((p) => Number(p.seq))
          .sort(),
      ).toEqual([0, 1]);
      // Written after the migration, a revision of a migrated value goes on from the migrated revision.
      expect(
        await repo.write('realtime', [
          {
            pointId,
            factorCode: 'a21026',
            periodStart: at + MINUTE,
            values: { rtd: 8 },
            dataFlag: 'N',
            source: 'das',
            receivedAt: at + 2 * MINUTE,
          },
        ]),
      ).toEqual(['revision']);
      expect(
        (await repo.revisions('realtime', pointId, 'a21026', at + MINUTE)).map((r) => [
          r.revision,
          r.rtd,
          r.superseded_at,
        ]),
      ).toEqual([
        [0, 5, at + MINUTE + 7000],
        [1, 6, at + 2 * MINUTE],
        [2, 8, null],
      ]);
      // The view cannot be written.
      await expect(
        insertUnpacked(store, pointId, [{ factor: 'a21026', at: T0 + 3_600_000, values: { rtd: 1 } }]),
      ).rejects.toThrow();
    },
  );
});

describeEachDialect('latest real-time values from the packs', (store) => {
  it('finds each factor within the window before the point’s newest upload, and no older', async () => {
    const { pointId } = await insertPoint(store());
    await insertFactors(store(), pointId, [{ code: 'a21026' }, { code: 'a21002' }, { code: 'a34013' }]);
    const repo = new ObservationRepository(store());
    const newest = T0 + 60 * MINUTE;
    await repo.write('realtime', [
      // SO2 every frame; NOx last sent 10 minutes before the newest frame; dust only long before.
      rtd(pointId, 'a21026', newest - MINUTE, 1),
      rtd(pointId, 'a21026', newest, 2),
      rtd(pointId, 'a21002', newest - 10 * MINUTE, 3),
      rtd(pointId, 'a34013', newest - REALTIME_LATEST_WINDOW_MS - MINUTE, 4),
    ]);
    const latest = await repo.latest('realtime', [pointId]);
    expect(latest.map((r) => [r.factor_code, r.period_start, r.rtd])).toEqual([
      ['a21002', newest - 10 * MINUTE, 3],
      ['a21026', newest, 2],
    ]);
    // Dust sent again: now it is live, and a revision of the newest SO2 replaces the value shown.
    await repo.write('realtime', [rtd(pointId, 'a34013', newest, 5), rtd(pointId, 'a21026', newest, 6)]);
    expect((await repo.latest('realtime', [pointId])).map((r) => [r.factor_code, r.rtd, r.revision])).toEqual(
      [
        ['a21002', 3, 0],
        ['a21026', 6, 1],
        ['a34013', 5, 0],
      ],
    );
  });

  it('reads a point’s time range across factors from the packs', async () => {
    const { pointId } = await insertPoint(store());
    const repo = new ObservationRepository(store());
    const rows: ObservationInput[] = [];
    for (let i = 0; i < 20; i++)
      for (const f of ['a21026', 'a34013']) rows.push(rtd(pointId, f, T0 + i * 30_000, i));
    await repo.write('realtime', rows);
    const samples = await repo.samples('realtime', pointId, T0 + 5 * 30_000, T0 + 10 * 30_000);
    expect(samples.map((s) => [s.factorCode, s.value])).toEqual([
      ['a21026', [5, 6, 7, 8, 9]],
      ['a34013', [5, 6, 7, 8, 9]],
    ]);
    expect(await repo.periodStarts('realtime', pointId, T0, T0 + 3 * 30_000)).toEqual([
      T0,
      T0 + 30_000,
      T0 + 60_000,
    ]);
  });

  it('deletes real-time rows before a time on every point, and nothing after it', async () => {
    const a = await insertPoint(store());
    const b = await insertPoint(store());
    const repo = new ObservationRepository(store());
    const rows: ObservationInput[] = [];
    for (const { pointId } of [a, b])
      for (let i = 0; i < 10; i++) rows.push(rtd(pointId, 'a21026', T0 - 5 * 86_400_000 + i * MINUTE, i));
    await repo.write('realtime', rows);
    const before = await repo.count('realtime');
    expect(await repo.deleteBefore('realtime', T0 - 5 * 86_400_000 + 4 * MINUTE)).toBe(8);
    expect(await repo.count('realtime')).toBe(before - 8);
    for (const { pointId } of [a, b])
      expect(
        await repo.periodStarts('realtime', pointId, T0 - 6 * 86_400_000, T0 - 4 * 86_400_000),
      ).toHaveLength(6);
  });
});
