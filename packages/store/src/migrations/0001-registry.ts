import { type Kysely, sql } from 'kysely';
import { type ColumnTypes, columnTypes, type DialectName, oneOf, tableWithId } from '../dialect.js';

const POINT_STATUSES = ['planned', 'building', 'running', 'stopped', 'removed'];

/** Regions, enterprises, outlets, monitoring points and their factors, standards, permits, contractors. */
export function registry(dialect: DialectName) {
  const t: ColumnTypes = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const pk = (table: string) => tableWithId(db, dialect, table);

      await db.schema
        .createTable('region')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull().check(oneOf('level', ['province', 'city', 'county'])))
        .addColumn('parent_code', 'text', (c) => c.references('region.code'))
        .execute();
      await db.schema.createIndex('region_parent').on('region').column('parent_code').execute();

      await pk('enterprise')
        .addColumn('uscc', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
        .addColumn('industry_code', 'text')
        .addColumn('address', 'text')
        .addColumn('longitude', t.real)
        .addColumn('latitude', t.real)
        .addColumn('contact_name', 'text')
        .addColumn('contact_phone', 'text')
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .defaultTo('active')
            .check(oneOf('status', ['active', 'suspended', 'closed'])),
        )
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('enterprise_region').on('enterprise').column('region_code').execute();

      await db.schema
        .createTable('enterprise_key_unit')
        .addColumn('enterprise_id', t.ref, (c) => c.notNull().references('enterprise.id').onDelete('cascade'))
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('category', 'text', (c) =>
          c
            .notNull()
            .check(oneOf('category', ['water', 'gas', 'soil', 'noise', 'environmental-risk', 'other'])),
        )
        .addPrimaryKeyConstraint('enterprise_key_unit_pk', ['enterprise_id', 'year', 'category'])
        .execute();

      await pk('emission_standard')
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(oneOf('kind', ['water', 'gas'])))
        .addColumn('reference_o2', t.real)
        .addColumn('local', 'integer', (c) => c.notNull().defaultTo(0).check(sql`local in (0, 1)`))
        .addColumn('notes', 'text')
        .execute();

      await pk('standard_limit')
        .addColumn('standard_id', t.ref, (c) =>
          c.notNull().references('emission_standard.id').onDelete('cascade'),
        )
        .addColumn('factor_code', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull().check(oneOf('period', ['hour', 'day', 'instant'])))
        .addColumn('limit_value', t.real, (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('applies_to', 'text')
        .addColumn('reference_o2', t.real)
        .execute();
      await db.schema
        .createIndex('standard_limit_standard')
        .on('standard_limit')
        .columns(['standard_id', 'factor_code'])
        .execute();

      await pk('outlet')
        .addColumn('enterprise_id', t.ref, (c) => c.notNull().references('enterprise.id'))
        .addColumn('kind', 'text', (c) => c.notNull().check(oneOf('kind', ['water', 'gas'])))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('longitude', t.real)
        .addColumn('latitude', t.real)
        .addColumn('standard_id', t.ref, (c) => c.references('emission_standard.id'))
        .addColumn('reference_o2', t.real)
        .addColumn('stack_height_m', t.real)
        .addColumn('key_unit_category', 'text')
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .defaultTo('active')
            .check(oneOf('status', ['active', 'stopped', 'removed'])),
        )
        .addUniqueConstraint('outlet_enterprise_code', ['enterprise_id', 'code'])
        .execute();

      await pk('monitoring_point')
        .addColumn('outlet_id', t.ref, (c) => c.notNull().references('outlet.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('mn', 'text', (c) => c.notNull().unique())
        .addColumn('password', 'text', (c) => c.notNull())
        .addColumn('protocol_version', 'text', (c) =>
          c.notNull().check(oneOf('protocol_version', ['2005', '2017', '2025'])),
        )
        .addColumn('crc_variants', 'text', (c) => c.notNull().defaultTo('hj212'))
        .addColumn('realtime_interval_s', 'integer', (c) => c.notNull().defaultTo(30))
        .addColumn('minute_interval_min', 'integer', (c) => c.notNull().defaultTo(10))
        .addColumn('in_service_on', 'text')
        .addColumn('accepted_on', 'text')
        .addColumn('filed_on', 'text')
        .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', POINT_STATUSES)))
        .addColumn('allowed_peers', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('monitoring_point_outlet')
        .on('monitoring_point')
        .column('outlet_id')
        .execute();

      await pk('point_status_history')
        .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
        .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', POINT_STATUSES)))
        .addColumn('changed_at', t.instant, (c) => c.notNull())
        .addColumn('reason', 'text')
        .execute();
      await db.schema
        .createIndex('point_status_history_point')
        .on('point_status_history')
        .columns(['point_id', 'changed_at'])
        .execute();

      await db.schema
        .createTable('point_factor')
        .addColumn('point_id', t.ref, (c) =>
          c.notNull().references('monitoring_point.id').onDelete('cascade'),
        )
        .addColumn('factor_code', 'text', (c) => c.notNull())
        .addColumn('code_2005', 'text')
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('range_low', t.real)
        .addColumn('range_high', t.real)
        .addColumn('hour_limit', t.real)
        .addColumn('day_limit', t.real)
        .addColumn('assessed', 'integer', (c) => c.notNull().defaultTo(0).check(sql`assessed in (0, 1)`))
        .addColumn('alarm_low', t.real)
        .addColumn('alarm_high', t.real)
        .addPrimaryKeyConstraint('point_factor_pk', ['point_id', 'factor_code'])
        .execute();

      await pk('permit')
        .addColumn('enterprise_id', t.ref, (c) => c.notNull().references('enterprise.id'))
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('valid_from', 'text', (c) => c.notNull())
        .addColumn('valid_to', 'text', (c) => c.notNull())
        .addCheckConstraint('permit_validity', sql`valid_to >= valid_from`)
        .execute();
      await db.schema
        .createTable('permit_allowance')
        .addColumn('permit_id', t.ref, (c) => c.notNull().references('permit.id').onDelete('cascade'))
        .addColumn('factor_code', 'text', (c) => c.notNull())
        .addColumn('annual_kg', t.real, (c) => c.notNull())
        .addPrimaryKeyConstraint('permit_allowance_pk', ['permit_id', 'factor_code'])
        .execute();

      await pk('contractor')
        .addColumn('uscc', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) =>
          c.notNull().check(oneOf('kind', ['construction', 'om', 'inspection', 'intelligent-monitoring'])),
        )
        .addColumn('qualifications', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('service_regions', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('filing_status', 'text', (c) =>
          c
            .notNull()
            .defaultTo('not-filed')
            .check(oneOf('filing_status', ['filed', 'not-filed', 'revoked'])),
        )
        .execute();
      await pk('contract')
        .addColumn('contractor_id', t.ref, (c) => c.notNull().references('contractor.id'))
        .addColumn('enterprise_id', t.ref, (c) => c.notNull().references('enterprise.id'))
        .addColumn('point_id', t.ref, (c) => c.references('monitoring_point.id'))
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('starts_on', 'text', (c) => c.notNull())
        .addColumn('ends_on', 'text', (c) => c.notNull())
        .addCheckConstraint('contract_period', sql`ends_on >= starts_on`)
        .execute();
      await db.schema.createIndex('contract_enterprise').on('contract').column('enterprise_id').execute();
    },
  };
}
