import { repositories, type Store } from '@qingyuan/store';

export const HOUR = 3_600_000;

/** A point's assessed factors (考核因子), made in service since 2026-01-01 so that every test day counts. */
export async function assessedFactors(store: Store, pointId: number): Promise<string[]> {
  await store.db
    .updateTable('monitoring_point')
    .set({ in_service_on: '2026-01-01' })
    .where('id', '=', pointId)
    .execute();
  const rows = await store.db
    .selectFrom('point_factor')
    .select('factor_code')
    .where('point_id', '=', pointId)
    .where('assessed', '=', 1)
    .orderBy('factor_code')
    .execute();
  return rows.map((r) => r.factor_code);
}

/** Hourly records (flag N, avg = value) of the factors for `hours` hours from `from`. */
export async function writeHours(
  store: Store,
  pointId: number,
  factors: readonly string[],
  from: number,
  hours: number,
  value = 10,
): Promise<void> {
  const rows = [];
  for (let h = 0; h < hours; h++)
    for (const factorCode of factors)
      rows.push({
        pointId,
        factorCode,
        periodStart: from + h * HOUR,
        values: { avg: value + h },
        dataFlag: 'N',
        source: 'das' as const,
        receivedAt: from + (h + 1) * HOUR,
      });
  await repositories(store).observations.write('hour', rows);
}

/** The audit rows of an action on an entity id, oldest first. */
export async function auditRows(store: Store, action: string, entityId: number | string) {
  return store.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('entity_id', '=', String(entityId))
    .orderBy('id')
    .execute();
}

/**
 * Five identical hourly averages (42) at 02:00–06:00 of `day`, between changing ones at 01:00 and 07:00:
 * a 恒值 (constant value) of 5 hours — found with constantHours ≤ 5, not with the built-in 6.
 */
export async function writeConstantRun(store: Store, pointId: number, factorCode: string, day: number) {
  const values = [30, 42, 42, 42, 42, 42, 31];
  await repositories(store).observations.write(
    'hour',
    values.map((value, i) => ({
      pointId,
      factorCode,
      periodStart: day + (1 + i) * HOUR,
      values: { avg: value },
      dataFlag: 'N',
      source: 'das' as const,
      receivedAt: day + (2 + i) * HOUR,
    })),
  );
}
