import { type Kysely, sql } from 'kysely';
import { columnTypes, type DialectName, oneOf, tableWithId } from '../dialect.js';

/**
 * What the analysis engine reads and writes besides observations: marks (标记 — enterprise or automatic
 * statements about periods, which count only once approved), alarm episodes (one row per episode, open
 * until the condition ends), per-period judgements (validity and the values the rules used, per view and
 * rule-set version — evidence of how a period was judged) and daily transmission counts (应传/实传/有效 per
 * point × factor × Beijing day, the base of every rate report).
 */
export function analysis(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const pk = (table: string) => tableWithId(db, dialect, table);

      await pk('mark')
        .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
        // A factor code, or '*' for every factor of the point.
        .addColumn('factor_code', 'text', (c) => c.notNull())
        .addColumn('from_at', t.instant, (c) => c.notNull())
        .addColumn('to_at', t.instant, (c) => c.notNull())
        .addColumn('kind', 'text', (c) =>
          c.notNull().check(oneOf('kind', ['valid', 'invalid', 'stopped', 'exempt'])),
        )
        .addColumn('origin', 'text', (c) => c.notNull().check(oneOf('origin', ['manual', 'automatic'])))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('made_by', 'text', (c) => c.notNull())
        .addColumn('made_at', t.instant, (c) => c.notNull())
        .addColumn('state', 'text', (c) =>
          c.notNull().check(oneOf('state', ['pending', 'approved', 'rejected', 'withdrawn'])),
        )
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', t.instant)
        .addCheckConstraint('mark_interval', sql`to_at > from_at`)
        .execute();
      await db.schema.createIndex('mark_point_time').on('mark').columns(['point_id', 'from_at']).execute();

      await pk('alarm')
        .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
        // Null for alarms about the device rather than a factor (offline, clock drift…).
        .addColumn('factor_code', 'text')
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('opened_at', t.instant, (c) => c.notNull())
        .addColumn('closed_at', t.instant)
        // The worst value of the episode and the limit or threshold it is measured against.
        .addColumn('peak_value', t.real)
        .addColumn('limit_value', t.real)
        .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('rule_version', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('alarm_point_time')
        .on('alarm')
        .columns(['point_id', 'opened_at'])
        .execute();
      await db.schema.createIndex('alarm_type_time').on('alarm').columns(['type', 'opened_at']).execute();
      // At most one open episode per point × factor × type ('' stands for "no factor" in the key).
      await sql`CREATE UNIQUE INDEX alarm_open ON alarm (point_id, coalesce(factor_code, ''), type) WHERE closed_at IS NULL`.execute(
        db,
      );

      await db.schema
        .createTable('period_judgement')
        .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
        .addColumn('factor_code', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull().check(oneOf('period', ['hour', 'day', 'month'])))
        .addColumn('period_start', t.instant, (c) => c.notNull())
        // 'first': as first received, flags only; 'amended': after marks, revisions and backfill (补遗).
        .addColumn('view', 'text', (c) => c.notNull().check(oneOf('view', ['first', 'amended'])))
        .addColumn('validity', 'text', (c) =>
          c.notNull().check(oneOf('validity', ['valid', 'invalid', 'excluded', 'suspect', 'missing'])),
        )
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('value', t.real)
        .addColumn('corrected_value', t.real)
        .addColumn('rule_version', 'text', (c) => c.notNull())
        .addColumn('judged_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('period_judgement_pk', [
          'point_id',
          'factor_code',
          'period',
          'period_start',
          'view',
        ])
        .execute();

      await db.schema
        .createTable('transmission_day')
        .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
        .addColumn('factor_code', 'text', (c) => c.notNull())
        // Beijing calendar day, YYYY-MM-DD.
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('view', 'text', (c) => c.notNull().check(oneOf('view', ['first', 'amended'])))
        .addColumn('expected', 'integer', (c) => c.notNull().check(sql`expected >= 0`))
        .addColumn('received', 'integer', (c) => c.notNull().check(sql`received >= 0`))
        .addColumn('valid', 'integer', (c) => c.notNull().check(sql`valid >= 0 and valid <= received`))
        .addColumn('excluded', 'integer', (c) => c.notNull().check(sql`excluded >= 0`))
        .addColumn('rule_version', 'text', (c) => c.notNull())
        .addColumn('computed_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('transmission_day_pk', ['point_id', 'factor_code', 'day', 'view'])
        .execute();
      await db.schema
        .createIndex('transmission_day_day')
        .on('transmission_day')
        .columns(['day', 'view'])
        .execute();
    },
  };
}
