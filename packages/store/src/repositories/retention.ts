import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import { OBSERVATION_TABLES, type ObservationPeriod } from '../schema.js';
import { DeviceInfoRepository } from './device-info.js';
import { ObservationRepository } from './observations.js';
import { beijingDay, RawFrameRepository } from './raw-frames.js';

/** Tables whose age is governed by a retention policy. */
export const RETAINED_TABLES = [
  'obs_realtime',
  'obs_minute',
  'obs_hour',
  'obs_day',
  'raw_frame',
  'device_info',
  'facility_run_state',
  'facility_run_time',
  'device_event',
  'downlink_command',
] as const;

/** The time column retention goes by, for the tables deleted row by row without a repository of their own. */
const TIME_COLUMNS = {
  facility_run_state: 'data_time',
  facility_run_time: 'data_time',
  device_event: 'at',
  downlink_command: 'requested_at',
} as const;
export type RetainedTable = (typeof RETAINED_TABLES)[number];

const DAY_MS = 86_400_000;

export interface RetentionPolicy {
  readonly table: RetainedTable;
  /** Days kept, or null to keep for ever. */
  readonly keepDays: number | null;
}

/**
 * Retention (defaults: real-time 30 days, minute data and raw frames about 3 years, hour and day data for
 * ever), configurable per table, and the job that enforces it. Raw frames go by whole Beijing days so
 * the remaining hash chains stay verifiable.
 */
export class RetentionRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async policies(): Promise<RetentionPolicy[]> {
    const rows = await this.#store.db
      .selectFrom('retention_policy')
      .selectAll()
      .orderBy('table_name')
      .execute();
    return rows.map((row) => ({
      table: row.table_name as RetainedTable,
      keepDays: row.keep_days === null ? null : Number(row.keep_days),
    }));
  }

  async setPolicy(table: RetainedTable, keepDays: number | null): Promise<void> {
    if (
      !(RETAINED_TABLES as readonly string[]).includes(table) ||
      (keepDays !== null && !(Number.isInteger(keepDays) && keepDays > 0))
    ) {
      throw new StoreError('STORE_E_INVALID', { table, keepDays });
    }
    const db = this.#store.db;
    await db.deleteFrom('retention_policy').where('table_name', '=', table).execute();
    await db.insertInto('retention_policy').values({ table_name: table, keep_days: keepDays }).execute();
  }

  /** Deletes what the policies no longer keep, as of `now`; returns rows deleted per table. */
  async enforce(now: number): Promise<Partial<Record<RetainedTable, number>>> {
    const deleted: Partial<Record<RetainedTable, number>> = {};
    const observations = new ObservationRepository(this.#store);
    for (const policy of await this.policies()) {
      if (policy.keepDays === null) continue;
      const cutoff = now - policy.keepDays * DAY_MS;
      if (policy.table === 'raw_frame') {
        deleted.raw_frame = await new RawFrameRepository(this.#store).deleteDaysBefore(beijingDay(cutoff));
      } else if (policy.table === 'device_info') {
        deleted.device_info = await new DeviceInfoRepository(this.#store).deleteBefore(cutoff);
      } else if (policy.table in TIME_COLUMNS) {
        const table = policy.table as keyof typeof TIME_COLUMNS;
        const result = await this.#store.db
          .deleteFrom(table)
          .where(TIME_COLUMNS[table], '<', cutoff)
          .executeTakeFirst();
        deleted[table] = Number(result.numDeletedRows);
      } else {
        const period = (Object.keys(OBSERVATION_TABLES) as ObservationPeriod[]).find(
          (p) => OBSERVATION_TABLES[p] === policy.table,
        );
        if (period !== undefined) deleted[policy.table] = await observations.deleteBefore(period, cutoff);
      }
    }
    return deleted;
  }
}
