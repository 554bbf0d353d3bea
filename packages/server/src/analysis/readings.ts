import type { Interval, Reading } from '@qingyuan/domain';
import { OBSERVATION_TABLES, type Store } from '@qingyuan/store';
import type { PointContext } from './point-context.js';

/** A point's hourly records in a day, every revision, as the rules read them. */
export async function hourReadings(
  store: Store,
  context: Pick<PointContext, 'pointId' | 'protocol'>,
  day: Interval,
): Promise<Reading[]> {
  const rows = await store.db
    .selectFrom(OBSERVATION_TABLES.hour)
    .selectAll()
    .where('point_id', '=', context.pointId)
    .where('period_start', '>=', day.from)
    .where('period_start', '<', day.to)
    .orderBy('factor_code')
    .orderBy('period_start')
    .orderBy('revision')
    .execute();
  return rows.map((r) => ({
    factor: r.factor_code,
    start: Number(r.period_start),
    value: r.avg,
    min: r.min,
    max: r.max,
    cou: r.cou,
    corrected: r.zs_avg,
    flag: r.data_flag,
    protocol: context.protocol,
    revision: r.revision,
    receivedAt: Number(r.received_at),
  }));
}

/** A point's current minute records in a day. */
export async function minuteReadings(store: Store, context: PointContext, day: Interval): Promise<Reading[]> {
  const rows = await store.db
    .selectFrom(OBSERVATION_TABLES.minute)
    .select(['factor_code', 'period_start', 'avg', 'zs_avg', 'data_flag'])
    .where('point_id', '=', context.pointId)
    .where('period_start', '>=', day.from)
    .where('period_start', '<', day.to)
    .where('superseded_at', 'is', null)
    .execute();
  return rows.map((r) => ({
    factor: r.factor_code,
    start: Number(r.period_start),
    value: r.avg,
    corrected: r.zs_avg,
    flag: r.data_flag,
    protocol: context.protocol,
  }));
}
