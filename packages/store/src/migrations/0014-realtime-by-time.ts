import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

const OLD_KEY = 'primary key ("point_id", "factor_code", "period_start", "revision")';
const NEW_KEY = 'primary key ("point_id", "period_start", "factor_code", "revision")';

/**
 * Real-time observations keyed by point, then time, then factor: `obs_realtime`'s primary key becomes
 * (point_id, period_start, factor_code, revision); its two other indexes go: the partial (point_id,
 * period_start) one, which the key's prefix now serves, and the time-only one, which served only retention
 * (real-time retention now deletes point by point through the key: `ObservationRepository.deleteBefore`).
 *
 * Why: a 2011 upload writes one row per factor, all with the same point and instant. Keyed by factor first,
 * the six rows of a frame land in six places of the key's B-tree (and once more in the point-time index),
 * so every commit of a busy gateway dirtied about seven leaf pages per frame and wrote them whole to the
 * WAL. Keyed by time first, a frame's rows are neighbours in one leaf. Every read of real-time data names a
 * point and a time range (charts, exports, the clock rule) or the newest rows of a point (`latest`, bounded
 * to the point's last `REALTIME_LATEST_WINDOW_MS`), which this key serves directly. docs/benchmarks.md
 * (bench/gateway) has the measurements. Minute, hour and day tables keep their key: they are read per
 * factor over long ranges and written far less often.
 *
 * SQLite cannot change a primary key in place: the table is rebuilt from its own stored definition (so every
 * column stays exactly as 0002 made it), inside one transaction.
 */
export function realtimeByTime(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'postgres') {
        await sql`ALTER TABLE obs_realtime DROP CONSTRAINT obs_realtime_pk`.execute(db);
        await sql`ALTER TABLE obs_realtime ADD CONSTRAINT obs_realtime_pk PRIMARY KEY (point_id, period_start, factor_code, revision)`.execute(
          db,
        );
        await sql`DROP INDEX obs_realtime_point_time`.execute(db);
        await sql`DROP INDEX obs_realtime_period`.execute(db);
        return;
      }
      const stored = await sql<{
        sql: string;
      }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'obs_realtime'`.execute(db);
      const definition = stored.rows[0]?.sql;
      if (definition === undefined || !definition.includes(OLD_KEY))
        throw new Error(`0014: obs_realtime is not as migration 0002 created it: ${definition ?? 'missing'}`);
      const next = definition
        .replace(OLD_KEY, NEW_KEY)
        .replace(/^create table "obs_realtime"/i, 'CREATE TABLE "obs_realtime_next"');
      await sql`BEGIN`.execute(db);
      try {
        await sql`DROP TABLE IF EXISTS obs_realtime_next`.execute(db);
        await sql.raw(next).execute(db);
        await sql`INSERT INTO obs_realtime_next SELECT * FROM obs_realtime ORDER BY point_id, period_start, factor_code, revision`.execute(
          db,
        );
        await sql`DROP TABLE obs_realtime`.execute(db);
        await sql`ALTER TABLE obs_realtime_next RENAME TO obs_realtime`.execute(db);
        await sql`COMMIT`.execute(db);
      } catch (error) {
        await sql`ROLLBACK`.execute(db);
        throw error;
      }
    },
  };
}
