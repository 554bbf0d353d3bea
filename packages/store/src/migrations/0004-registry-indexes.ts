import type { Kysely } from 'kysely';

/** Indexes the registry's lookups need (contracts by point and contractor, permits by enterprise). */
export function registryIndexes() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('contract_point').on('contract').column('point_id').execute();
      await db.schema.createIndex('contract_contractor').on('contract').column('contractor_id').execute();
      await db.schema.createIndex('permit_enterprise').on('permit').column('enterprise_id').execute();
    },
  };
}
