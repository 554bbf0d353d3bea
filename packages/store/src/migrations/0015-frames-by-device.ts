import { type Kysely, sql } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.js';

/**
 * The archive's per-device index, built in batches: `raw_frame_device` (mn, received_at, frame_id) replaces
 * the `raw_frame_mn_time` index, and `frame_index_state` ('device') records the last frame id it covers.
 *
 * Why: an index whose key starts with the MN takes each frame's entry at that device's place, so a group
 * commit of N devices' frames dirtied N leaf pages of it, written whole to the WAL — about a third of the
 * pages a busy gateway's commit wrote (docs/benchmarks.md, bench/gateway). Filled a second's frames at a
 * time, sorted by MN (`RawFrameRepository.indexDevices`, run by the gateway), each device's leaf takes many
 * entries per write. Reads by MN (`RawFrameRepository.find`) take the indexed frames from this table and
 * the few newer ones from the archive itself, so nothing is missed while the index catches up.
 */
export function framesByDevice(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      let table = db.schema
        .createTable('raw_frame_device')
        .addColumn('mn', 'text', (c) => c.notNull())
        .addColumn('received_at', t.instant, (c) => c.notNull())
        .addColumn('frame_id', t.ref, (c) => c.notNull())
        .addPrimaryKeyConstraint('raw_frame_device_pk', ['mn', 'received_at', 'frame_id']);
      if (dialect === 'sqlite') table = table.modifyEnd(sql`WITHOUT ROWID`);
      await table.execute();
      await db.schema
        .createTable('frame_index_state')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('through_id', t.ref, (c) => c.notNull())
        .execute();
      await sql`INSERT INTO raw_frame_device (mn, received_at, frame_id)
        SELECT mn, received_at, id FROM raw_frame WHERE mn IS NOT NULL ORDER BY mn, received_at, id`.execute(
        db,
      );
      await sql`INSERT INTO frame_index_state (name, through_id)
        SELECT 'device', coalesce(max(id), 0) FROM raw_frame`.execute(db);
      await db.schema.dropIndex('raw_frame_mn_time').execute();
    },
  };
}
