import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { EMISSION_STANDARDS } from '../seed/emission-standards.js';
import { HUBEI_REGIONS } from '../seed/regions-hubei.js';

/**
 * Reference data every installation needs: the Hubei administrative divisions (GB/T 2260) and the
 * national emission-standard library (editable afterwards), plus the default retention policy.
 */
export function referenceData() {
  return {
    async up(untyped: Kysely<unknown>): Promise<void> {
      const db = untyped as Kysely<Database>;
      // Parents first: province, cities, counties.
      const ordered = [...HUBEI_REGIONS].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
      for (let i = 0; i < ordered.length; i += 200) {
        await db
          .insertInto('region')
          .values(
            ordered
              .slice(i, i + 200)
              .map((r) => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parent })),
          )
          .execute();
      }
      for (const standard of EMISSION_STANDARDS) {
        const { id } = await db
          .insertInto('emission_standard')
          .values({
            code: standard.code,
            name: standard.name,
            kind: standard.kind,
            reference_o2: standard.referenceO2,
            local: 0,
            notes: standard.notes ?? null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (standard.limits.length === 0) continue;
        await db
          .insertInto('standard_limit')
          .values(
            standard.limits.map((limit) => ({
              standard_id: id,
              factor_code: limit.factor,
              period: limit.period,
              limit_value: limit.value,
              unit: limit.unit,
              applies_to: limit.appliesTo ?? null,
              reference_o2: limit.referenceO2 ?? null,
            })),
          )
          .execute();
      }
      await db
        .insertInto('retention_policy')
        .values([
          { table_name: 'obs_realtime', keep_days: 30 },
          { table_name: 'obs_minute', keep_days: 3 * 366 },
          { table_name: 'obs_hour', keep_days: null },
          { table_name: 'obs_day', keep_days: null },
          { table_name: 'raw_frame', keep_days: 3 * 366 },
          { table_name: 'device_info', keep_days: 3 * 366 },
        ])
        .execute();
    },
  };
}

const LEVEL_ORDER = { province: 0, city: 1, county: 2 } as const;
