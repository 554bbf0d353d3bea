import { type Kysely, sql } from 'kysely';
import { columnTypes, type DialectName, tableWithId } from '../dialect.js';
import { OBSERVATION_TABLES } from '../schema.js';

/** Observations per period, the raw frame archive with its hash chain, device information, retention. */
export function timeseries(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const table of Object.values(OBSERVATION_TABLES)) {
        await db.schema
          .createTable(table)
          .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
          .addColumn('factor_code', 'text', (c) => c.notNull())
          .addColumn('period_start', t.instant, (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('rtd', t.real)
          .addColumn('min', t.real)
          .addColumn('avg', t.real)
          .addColumn('max', t.real)
          .addColumn('cou', t.real)
          .addColumn('zs_rtd', t.real)
          .addColumn('zs_min', t.real)
          .addColumn('zs_avg', t.real)
          .addColumn('zs_max', t.real)
          .addColumn('data_flag', 'text')
          .addColumn('e_flag', 'text')
          .addColumn('sample_time', t.instant)
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('received_at', t.instant, (c) => c.notNull())
          .addColumn('frame_id', t.ref)
          .addColumn('superseded_at', t.instant)
          .addPrimaryKeyConstraint(`${table}_pk`, ['point_id', 'factor_code', 'period_start', 'revision'])
          .execute();
        // Time-range reads of current values (one point, a period, any factors) and retention by time.
        await db.schema
          .createIndex(`${table}_point_time`)
          .on(table)
          .columns(['point_id', 'period_start'])
          .where(sql.ref('superseded_at'), 'is', null)
          .execute();
        await db.schema.createIndex(`${table}_period`).on(table).column('period_start').execute();
      }

      await tableWithId(db, dialect, 'raw_frame')
        .addColumn('received_at', t.instant, (c) => c.notNull())
        .addColumn('peer', 'text', (c) => c.notNull())
        .addColumn('mn', 'text')
        .addColumn('cn', 'text')
        .addColumn('qn', 'text')
        .addColumn('bytes', t.bytes, (c) => c.notNull())
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('chain_day', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('raw_frame_day').on('raw_frame').columns(['chain_day', 'id']).execute();
      await db.schema
        .createIndex('raw_frame_mn_time')
        .on('raw_frame')
        .columns(['mn', 'received_at'])
        .execute();

      await db.schema
        .createTable('frame_chain_head')
        .addColumn('chain_day', 'text', (c) => c.primaryKey())
        .addColumn('last_hash', 'text', (c) => c.notNull())
        .addColumn('frames', 'integer', (c) => c.notNull())
        .execute();

      await tableWithId(db, dialect, 'device_info')
        .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
        .addColumn('pol_id', 'text', (c) => c.notNull())
        .addColumn('info_code', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('observed_at', t.instant)
        .addColumn('received_at', t.instant, (c) => c.notNull())
        .addColumn('frame_id', t.ref)
        .execute();
      await db.schema
        .createIndex('device_info_point')
        .on('device_info')
        .columns(['point_id', 'pol_id', 'info_code', 'received_at'])
        .execute();

      await db.schema
        .createTable('device_param_baseline')
        .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
        .addColumn('pol_id', 'text', (c) => c.notNull())
        .addColumn('info_code', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('filed_at', t.instant, (c) => c.notNull())
        .addColumn('filed_by', 'text')
        .addPrimaryKeyConstraint('device_param_baseline_pk', ['point_id', 'pol_id', 'info_code'])
        .execute();

      await db.schema
        .createTable('retention_policy')
        .addColumn('table_name', 'text', (c) => c.primaryKey())
        .addColumn('keep_days', 'integer')
        .execute();
    },
  };
}
