import { type Kysely, sql } from 'kysely';
import { columnTypes, type DialectName, oneOf, tableWithId } from '../dialect.js';

/**
 * Manual-monitoring results (人工监测 / 手工监测): what a qualified monitoring agency measured by hand for one
 * factor of a point over an hour or a Beijing day — during an outage of the automatic system (湖北省办法
 * 第十五条: 设施不能正常运行期间，要采取人工采样监测的方式报送数据), or to back values flagged S. Filed by the
 * enterprise, they count only once an authority approves them (like marks).
 */
export function manualMonitoring(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await tableWithId(db, dialect, 'manual_record')
        .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
        .addColumn('factor_code', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull().check(oneOf('period', ['hour', 'day'])))
        .addColumn('from_at', t.instant, (c) => c.notNull())
        .addColumn('to_at', t.instant, (c) => c.notNull())
        .addColumn('value', t.real, (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        // The method or standard followed, e.g. 'HJ 75 手工比对', 'GB/T 16157-1996', 'HJ 828-2017'.
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('agency', 'text', (c) => c.notNull())
        .addColumn('sampled_at', t.instant, (c) => c.notNull())
        .addColumn('report_no', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('filed_by', 'text', (c) => c.notNull())
        .addColumn('filed_at', t.instant, (c) => c.notNull())
        .addColumn('state', 'text', (c) =>
          c.notNull().check(oneOf('state', ['pending', 'approved', 'rejected'])),
        )
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', t.instant)
        .addCheckConstraint('manual_record_interval', sql`to_at > from_at`)
        .execute();
      await db.schema
        .createIndex('manual_record_point_time')
        .on('manual_record')
        .columns(['point_id', 'from_at'])
        .execute();
    },
  };
}
