import { createHash } from 'node:crypto';
import type { Store } from '../src/index.js';

/**
 * A SHA-256 of every registry table, rows in key order, ids and passwords included: two stores with the
 * same digest hold the same registry, record for record.
 */
export async function registryDigest(store: Store): Promise<string> {
  const db = store.db;
  const tables = {
    enterprise: await db.selectFrom('enterprise').selectAll().orderBy('id').execute(),
    keyUnits: await db
      .selectFrom('enterprise_key_unit')
      .selectAll()
      .orderBy('enterprise_id')
      .orderBy('year')
      .orderBy('category')
      .execute(),
    outlet: await db.selectFrom('outlet').selectAll().orderBy('id').execute(),
    point: await db.selectFrom('monitoring_point').selectAll().orderBy('id').execute(),
    history: await db.selectFrom('point_status_history').selectAll().orderBy('id').execute(),
    factor: await db
      .selectFrom('point_factor')
      .selectAll()
      .orderBy('point_id')
      .orderBy('factor_code')
      .execute(),
    permit: await db.selectFrom('permit').selectAll().orderBy('id').execute(),
    allowance: await db
      .selectFrom('permit_allowance')
      .selectAll()
      .orderBy('permit_id')
      .orderBy('factor_code')
      .execute(),
    contractor: await db.selectFrom('contractor').selectAll().orderBy('id').execute(),
    contract: await db.selectFrom('contract').selectAll().orderBy('id').execute(),
  };
  return createHash('sha256').update(JSON.stringify(tables)).digest('hex');
}

/** Rows per registry table (to show that a failed import wrote nothing). */
export async function registryCounts(store: Store): Promise<Record<string, number>> {
  const count = async (table: 'enterprise' | 'outlet' | 'monitoring_point' | 'point_factor') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    enterprise: await count('enterprise'),
    outlet: await count('outlet'),
    monitoring_point: await count('monitoring_point'),
    point_factor: await count('point_factor'),
  };
}
