import { type Kysely, sql } from 'kysely';
import { columnTypes, type DialectName, oneOf } from '../dialect.js';

/**
 * Hourly emissions (排放量) per point × pollutant: kg in the hour, and how it was obtained — measured
 * concentration × flow (HJ 75-2017 附录 A), the device's own Cou, substituted for an invalid hour per
 * HJ 75-2017 §11, or nothing (invalid, where the table does not cover the case). Sums by day, month and year are queries over it.
 */
export function emissions(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('emission_hour')
        .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
        .addColumn('factor_code', 'text', (c) => c.notNull())
        .addColumn('period_start', t.instant, (c) => c.notNull())
        .addColumn('kg', t.real)
        .addColumn('basis', 'text', (c) =>
          c.notNull().check(oneOf('basis', ['measured', 'device', 'substituted', 'invalid'])),
        )
        // Flow volume of the hour (m³) the amount was computed with.
        .addColumn('volume_m3', t.real)
        .addColumn('rule_version', 'text', (c) => c.notNull())
        .addColumn('computed_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('emission_hour_pk', ['point_id', 'factor_code', 'period_start'])
        .addCheckConstraint('emission_hour_kg', sql`kg is null or kg >= 0`)
        .execute();
      await db.schema
        .createIndex('emission_hour_time')
        .on('emission_hour')
        .columns(['period_start'])
        .execute();
    },
  };
}
