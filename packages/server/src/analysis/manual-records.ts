import {
  DAY_MS,
  dayStart,
  type Interval,
  type ManualRecord,
  type ManualRecordLookup,
  manualRecordLookup,
} from '@qingyuan/domain';
import { ManualRecordRepository, type Store, type ManualRecord as StoredManualRecord } from '@qingyuan/store';

/** How a judgement's reason names a manual-monitoring record: its id and report number. */
export const manualRecordReference = (r: Pick<StoredManualRecord, 'id' | 'report_no'>): string =>
  `#${Number(r.id)} (report ${r.report_no})`;

/** A point's approved manual-monitoring records (人工监测数据) overlapping [from, to), as the rules read them. */
export async function approvedManualRecords(
  store: Store,
  pointId: number,
  from: number,
  to: number,
): Promise<ManualRecord[]> {
  return (await new ManualRecordRepository(store).overlapping(pointId, from, to, true)).map((r) => ({
    factor: r.factor_code,
    from: Number(r.from_at),
    to: Number(r.to_at),
    approved: r.state === 'approved',
    reference: manualRecordReference(r),
  }));
}

/** The lookup validity.ts reads, over a point's approved records overlapping [from, to). */
export async function manualRecordsOf(
  store: Store,
  pointId: number,
  from: number,
  to: number,
): Promise<ManualRecordLookup> {
  return manualRecordLookup(await approvedManualRecords(store, pointId, from, to));
}

/**
 * Approved manual-monitoring records by point-day ('point|dayStart'), for the Beijing days they touch within
 * the interval (whole days): the transmission report re-counts those days record by record.
 */
export async function manualRecordPointDays(
  store: Store,
  interval: Interval,
  pointIds?: readonly number[],
): Promise<Map<string, ManualRecord[]>> {
  const out = new Map<string, ManualRecord[]>();
  const repo = new ManualRecordRepository(store);
  for (const pointId of await repo.pointsWithApproved(interval.from, interval.to, pointIds))
    for (const record of await approvedManualRecords(store, pointId, interval.from, interval.to))
      for (
        let day = dayStart(Math.max(record.from, interval.from));
        day < Math.min(record.to, interval.to);
        day += DAY_MS
      ) {
        const key = `${pointId}|${day}`;
        out.set(key, [...(out.get(key) ?? []), record]);
      }
  return out;
}
