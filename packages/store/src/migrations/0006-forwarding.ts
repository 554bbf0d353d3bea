import { type Kysely, sql } from 'kysely';
import { columnTypes, type DialectName, oneOf, tableWithId } from '../dialect.js';

/**
 * CNs of the data uploads that are forwarded upstream, spelled out here (a migration never changes): the
 * `raw_frame_forward` index covers exactly these, and `FORWARDED_CNS` in repositories/forwarding.ts must
 * list the same codes in the same order, or the planner cannot use the index (a test checks the plans).
 */
export const FORWARDED_CNS = [
  '2011',
  '2013',
  '2021',
  '2031',
  '2041',
  '2051',
  '2052',
  '2061',
  '2062',
  '2071',
  '2072',
  '2081',
  '2111',
  '3019',
  '3020',
];

/**
 * Upstream forwarding (转发): targets (an upstream platform's address and which devices or regions go to
 * it), each target's durable cursor in the raw frame archive, and the frames given up on after too many
 * unacknowledged attempts. A partial index over the forwardable frames (accepted data uploads) lets every
 * target scan the archive in id order without touching replies, heartbeats or rejected frames.
 */
export function forwarding(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await tableWithId(db, dialect, 'forward_target')
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('port', 'integer', (c) => c.notNull().check(sql`port between 1 and 65535`))
        .addColumn('wait_ack', 'integer', (c) => c.notNull().defaultTo(0).check(sql`wait_ack in (0, 1)`))
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1).check(sql`enabled in (0, 1)`))
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();

      // What a target forwards: monitoring points (given by MN) and regions (every point of the
      // enterprises in the region's subtree). A point is kept by id, so a replaced data logger's new MN
      // is followed.
      await db.schema
        .createTable('forward_target_point')
        .addColumn('target_id', t.ref, (c) => c.notNull().references('forward_target.id').onDelete('cascade'))
        .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
        .addPrimaryKeyConstraint('forward_target_point_pk', ['target_id', 'point_id'])
        .execute();
      await db.schema
        .createTable('forward_target_region')
        .addColumn('target_id', t.ref, (c) => c.notNull().references('forward_target.id').onDelete('cascade'))
        .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
        .addPrimaryKeyConstraint('forward_target_region_pk', ['target_id', 'region_code'])
        .execute();

      // Every forwardable frame with id <= last_frame_id has been dealt with for the target (forwarded,
      // given up, or not one of its devices).
      await db.schema
        .createTable('forward_cursor')
        .addColumn('target_id', t.ref, (c) =>
          c.primaryKey().references('forward_target.id').onDelete('cascade'),
        )
        .addColumn('last_frame_id', t.ref, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();

      // No foreign key to raw_frame: retention deletes whole days of frames, the record stays.
      await db.schema
        .createTable('forward_given_up')
        .addColumn('target_id', t.ref, (c) => c.notNull().references('forward_target.id').onDelete('cascade'))
        .addColumn('frame_id', t.ref, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text', (c) => c.notNull())
        .addColumn('at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('forward_given_up_pk', ['target_id', 'frame_id'])
        .execute();

      await db.schema
        .createIndex('raw_frame_forward')
        .on('raw_frame')
        .columns(['id', 'mn', 'received_at'])
        .where(sql<boolean>`verdict = 'accepted' and ${oneOf('cn', FORWARDED_CNS)}`)
        .execute();
    },
  };
}
