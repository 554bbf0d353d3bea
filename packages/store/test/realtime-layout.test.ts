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

describe('migration 0014: real-time observations keyed by point, time, factor', () => {
  itFromMigration(
    '0013-internal-notes-and-cancellations',
    'keeps every row and revision and changes only the key',
    async (store, migrateTo) => {
      expect(await realtimeKey(store)).toEqual(['point_id', 'factor_code', 'period_start', 'revision']);
      const { pointId } = await insertPoint(store);
      const repo = new ObservationRepository(store);
      const rows: ObservationInput[] = [];
      for (let i = 0; i < 50; i++)
        for (const f of ['a21026', 'a21002', 'a34013']) rows.push(rtd(pointId, f, T0 + i * 30_000, i));
      await repo.write('realtime', rows);
      // A revision: the newest SO2 sent again with another value.
      await repo.write('realtime', [rtd(pointId, 'a21026', T0 + 49 * 30_000, 777)]);
      const held = await repo.range('realtime', pointId, T0, T0 + 3_600_000, { view: 'first' });
      const revisions = await repo.revisions('realtime', pointId, 'a21026', T0 + 49 * 30_000);

      expect(await migrateTo('0014-realtime-by-time')).toEqual(['0014-realtime-by-time']);
      expect(await realtimeKey(store)).toEqual(['point_id', 'period_start', 'factor_code', 'revision']);
      expect(await realtimeIndexes(store)).toEqual([]);
      expect(await repo.range('realtime', pointId, T0, T0 + 3_600_000, { view: 'first' })).toEqual(held);
      expect(await repo.revisions('realtime', pointId, 'a21026', T0 + 49 * 30_000)).toEqual(revisions);
      expect(revisions.map((r) => [r.revision, r.rtd, r.superseded_at !== null])).toEqual([
        [0, 49, true],
        [1, 777, false],
      ]);
      // The new key still refuses a second row for the same point, instant, factor and revision.
      await expect(
        store.db
          .insertInto('obs_realtime')
          .values({ ...(held[0] as object), frame_id: null } as never)
          .execute(),
      ).rejects.toThrow();
    },
  );
});

describeEachDialect('latest real-time values on the point-time key', (store) => {
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

  it('reads a point’s time range across factors and one factor’s revisions on the new key', async () => {
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
