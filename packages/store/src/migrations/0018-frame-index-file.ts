import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';
import { FRAME_INDEX_SCHEMA } from '../frame-index-file.js';

/**
 * SQLite only: the archive's device index (`raw_frame_device`, `frame_index_state`, migration 0015) moves
 * into a file of its own, attached as `frame_index` (frame-index-file.ts: openStore attaches it and creates
 * its tables before migrating), so that a worker thread fills it without taking the database's write lock
 * from the gateway's group commit. The rows are copied, the mark with the hash of the frame it stands on,
 * and the database's own tables dropped; unqualified names then find the attached ones. Safe to run again
 * after a crash part-way (copies that exist are kept, the tables dropped only if still there). PostgreSQL
 * keeps the index in the database: its writers do not shut each other out.
 */
export function frameIndexFile(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'sqlite') return;
      const left = await sql<{ name: string }>`SELECT name FROM main.sqlite_master
        WHERE type = 'table' AND name IN ('raw_frame_device', 'frame_index_state')`.execute(db);
      const names = new Set(left.rows.map((r) => r.name));
      if (names.has('raw_frame_device'))
        await sql`INSERT OR IGNORE INTO ${sql.raw(FRAME_INDEX_SCHEMA)}.raw_frame_device (mn, received_at, frame_id)
          SELECT mn, received_at, frame_id FROM main.raw_frame_device ORDER BY mn, received_at, frame_id`.execute(
          db,
        );
      if (names.has('frame_index_state'))
        await sql`INSERT OR REPLACE INTO ${sql.raw(FRAME_INDEX_SCHEMA)}.frame_index_state (name, through_id, through_hash)
          SELECT s.name, s.through_id, (SELECT r.sha256 FROM main.raw_frame r WHERE r.id = s.through_id)
          FROM main.frame_index_state s`.execute(db);
      await sql`DROP TABLE IF EXISTS main.raw_frame_device`.execute(db);
      await sql`DROP TABLE IF EXISTS main.frame_index_state`.execute(db);
    },
  };
}
