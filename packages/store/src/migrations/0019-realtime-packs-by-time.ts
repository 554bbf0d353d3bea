import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * SQLite: real-time packs keyed by time first. `obs_realtime_pack` is rebuilt with an explicit row id
 * (`pack_id`, so that VACUUM keeps it) and its key (point, time, seq) turned into (time, point, seq): a group
 * commit of 500 uploads from 500 points then writes its new key entries into a few index pages at the
 * table's end, where the point-first key dirtied one page per point — about 500 of the ≈ 630 pages each
 * commit wrote to the log (docs/benchmarks.md, bench/gateway, eleventh look).
 *
 * Reads by point go through `obs_realtime_pack_by_point`: here a plain view of the table (correct on any
 * connection, but it scans by time); the store's own connections shadow it with a temporary view that reads
 * the packs through the per-point index the DeviceIndexWorker keeps in the index file beside the database
 * (`realtime_pack_point`, frame-index-file.ts) plus the packs written since its mark
 * (realtime-point-index.ts). `obs_realtime` is recreated unchanged over the rebuilt table. The index file's
 * entries for the old row ids are dropped: the worker indexes the table again from its first pack.
 *
 * PostgreSQL keeps its point-first key (its writers do not share one log page by page) and gets the same
 * `obs_realtime_pack_by_point`, a plain view, so that readers are written once.
 */
export function realtimePacksByTime(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'postgres') {
        await sql`CREATE VIEW obs_realtime_pack_by_point AS SELECT point_id, period_start, seq, entries, factors,
          source, received_at, frame_id FROM obs_realtime_pack`.execute(db);
        return;
      }
      // SQLite runs migrations outside a transaction: this one is all or nothing by itself.
      await sql`BEGIN`.execute(db);
      try {
        const view = await sql<{ sql: string }>`SELECT sql FROM main.sqlite_master
          WHERE type = 'view' AND name = 'obs_realtime'`.execute(db);
        const viewSql = view.rows[0]?.sql;
        if (viewSql === undefined) throw new Error('0019: the view obs_realtime is missing');
        await sql`CREATE TABLE obs_realtime_pack_by_time (
          pack_id integer PRIMARY KEY,
          point_id integer NOT NULL REFERENCES monitoring_point (id),
          period_start integer NOT NULL,
          seq integer NOT NULL,
          entries text NOT NULL,
          factors integer NOT NULL,
          source text NOT NULL,
          received_at integer NOT NULL,
          frame_id integer,
          CONSTRAINT obs_realtime_pack_key UNIQUE (period_start, point_id, seq))`.execute(db);
        await sql`INSERT INTO obs_realtime_pack_by_time
          (point_id, period_start, seq, entries, factors, source, received_at, frame_id)
          SELECT point_id, period_start, seq, entries, factors, source, received_at, frame_id
          FROM obs_realtime_pack ORDER BY rowid`.execute(db);
        await sql`DROP VIEW main.obs_realtime`.execute(db);
        await sql`DROP TABLE main.obs_realtime_pack`.execute(db);
        await sql`ALTER TABLE obs_realtime_pack_by_time RENAME TO obs_realtime_pack`.execute(db);
        await sql.raw(viewSql).execute(db);
        await sql`CREATE VIEW obs_realtime_pack_by_point AS SELECT point_id, period_start, seq, entries, factors,
          source, received_at, frame_id FROM obs_realtime_pack`.execute(db);
        // The index file is attached before migrating (openStore); a test may migrate a bare connection.
        const attached = await sql<{ name: string }>`SELECT name FROM pragma_database_list
          WHERE name = 'frame_index'`.execute(db);
        if (attached.rows.length > 0) {
          await sql`DELETE FROM frame_index.realtime_pack_point`.execute(db);
          await sql`DELETE FROM frame_index.frame_index_state WHERE name = 'realtime'`.execute(db);
        }
        await sql`COMMIT`.execute(db);
      } catch (error) {
        await sql`ROLLBACK`.execute(db);
        throw error;
      }
    },
  };
}
