import { type Kysely, sql } from 'kysely';
import { columnTypes, type DialectName, tableWithId } from '../dialect.js';

/**
 * What the gateway records besides observations: device events (online, offline, restart, clock skew…),
 * presence (the connection registry), treatment-facility run state and run time (CN 2021/2041), and
 * downlink commands with their results (the audit of every command sent to a device).
 */
export function gateway(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const pk = (table: string) => tableWithId(db, dialect, table);

      await pk('device_event')
        .addColumn('point_id', t.ref, (c) => c.references('monitoring_point.id'))
        .addColumn('mn', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('at', t.instant, (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('frame_id', t.ref)
        .execute();
      await db.schema
        .createIndex('device_event_point')
        .on('device_event')
        .columns(['point_id', 'at'])
        .execute();
      await db.schema.createIndex('device_event_kind').on('device_event').columns(['kind', 'at']).execute();

      await db.schema
        .createTable('device_presence')
        .addColumn('mn', 'text', (c) => c.primaryKey())
        .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
        .addColumn('online', 'integer', (c) => c.notNull().check(sql`online in (0, 1)`))
        .addColumn('since', t.instant, (c) => c.notNull())
        .addColumn('last_seen_at', t.instant)
        .addColumn('peer', 'text')
        .addColumn('gateway', 'text')
        .addColumn('protocol_version', 'text')
        .addColumn('frames_received', t.counter, (c) => c.notNull().defaultTo(0))
        .addColumn('frames_rejected', t.counter, (c) => c.notNull().defaultTo(0))
        .addColumn('duplicates', t.counter, (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();

      for (const [table, value, type] of [
        ['facility_run_state', 'state', 'integer'],
        ['facility_run_time', 'hours', t.real],
      ] as const) {
        await db.schema
          .createTable(table)
          .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
          .addColumn('facility', 'text', (c) => c.notNull())
          .addColumn('data_time', t.instant, (c) => c.notNull())
          .addColumn(value, type, (c) => c.notNull())
          .addColumn('received_at', t.instant, (c) => c.notNull())
          .addColumn('frame_id', t.ref)
          .addPrimaryKeyConstraint(`${table}_pk`, ['point_id', 'facility', 'data_time'])
          .execute();
        await db.schema.createIndex(`${table}_time`).on(table).column('data_time').execute();
      }

      await pk('downlink_command')
        .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
        .addColumn('mn', 'text', (c) => c.notNull())
        .addColumn('command', 'text', (c) => c.notNull())
        .addColumn('cn', 'text', (c) => c.notNull())
        .addColumn('qn', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('requested_at', t.instant, (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('qn_rtn', 'integer')
        .addColumn('exe_rtn', 'integer')
        .addColumn('result', 'text')
        .addColumn('error_code', 'text')
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addColumn('finished_at', t.instant)
        .addUniqueConstraint('downlink_command_mn_qn', ['mn', 'qn'])
        .execute();
      await db.schema
        .createIndex('downlink_command_point')
        .on('downlink_command')
        .columns(['point_id', 'requested_at'])
        .execute();

      await (db as Kysely<{ retention_policy: { table_name: string; keep_days: number | null } }>)
        .insertInto('retention_policy')
        .values([
          { table_name: 'facility_run_state', keep_days: 3 * 366 },
          { table_name: 'facility_run_time', keep_days: null },
          { table_name: 'device_event', keep_days: null },
          { table_name: 'downlink_command', keep_days: null },
        ])
        .execute();
    },
  };
}
