import type { Selectable } from 'kysely';
import type { Store } from '../database.js';
import type { DeviceInfoTable, DeviceParamBaselineTable } from '../schema.js';

/** One 现场端信息 item received (CN 3020), for the history. */
export interface DeviceInfoInput {
  readonly pointId: number;
  /** The PolId the item belongs to, or '' when it has none (data-logger items). */
  readonly polId: string;
  readonly infoCode: string;
  readonly value: string;
  readonly observedAt?: number | null;
  readonly receivedAt: number;
  readonly frameId?: number | null;
}

export type DeviceInfoRecord = Selectable<DeviceInfoTable>;

/** A received parameter that differs from (or is missing in) the filed baseline (备案参数). */
export interface ParameterDifference {
  readonly polId: string;
  readonly infoCode: string;
  readonly filed: string | null;
  readonly current: string | null;
  readonly currentSince: number | null;
}

/** Device information history (CN 3020 i-codes) per point × PolId × code, and the filed baselines. */
export class DeviceInfoRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async record(items: readonly DeviceInfoInput[]): Promise<void> {
    if (items.length === 0) return;
    const rows = items.map((item) => ({
      point_id: item.pointId,
      pol_id: item.polId,
      info_code: item.infoCode,
      value: item.value,
      observed_at: item.observedAt ?? null,
      received_at: item.receivedAt,
      frame_id: item.frameId ?? null,
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await this.#store.db
        .insertInto('device_info')
        .values(rows.slice(i, i + 500))
        .execute();
    }
  }

  /** The history of a point's items, oldest first (optionally one PolId and/or code, a time window). */
  async history(
    pointId: number,
    options: { polId?: string; infoCode?: string; from?: number; to?: number } = {},
  ): Promise<DeviceInfoRecord[]> {
    let query = this.#store.db.selectFrom('device_info').selectAll().where('point_id', '=', pointId);
    if (options.polId !== undefined) query = query.where('pol_id', '=', options.polId);
    if (options.infoCode !== undefined) query = query.where('info_code', '=', options.infoCode);
    if (options.from !== undefined) query = query.where('received_at', '>=', options.from);
    if (options.to !== undefined) query = query.where('received_at', '<', options.to);
    const rows = await query.orderBy('received_at').orderBy('id').execute();
    return rows.map((row) => ({ ...row, id: Number(row.id) }));
  }

  /** The latest value of each (PolId, code) of a point. */
  async current(pointId: number): Promise<DeviceInfoRecord[]> {
    const db = this.#store.db;
    const newest = db
      .selectFrom('device_info')
      .select(['pol_id', 'info_code', (eb) => eb.fn.max('id').as('newest')])
      .where('point_id', '=', pointId)
      .groupBy(['pol_id', 'info_code']);
    const rows = await db
      .selectFrom('device_info')
      .innerJoin(newest.as('n'), 'n.newest', 'device_info.id')
      .selectAll('device_info')
      .orderBy('device_info.pol_id')
      .orderBy('device_info.info_code')
      .execute();
    return rows.map((row) => ({ ...row, id: Number(row.id) }));
  }

  /** Files (replaces) baseline values for a point; returns how many were set. */
  async fileBaseline(
    pointId: number,
    entries: readonly { polId: string; infoCode: string; value: string }[],
    filedAt: number,
    filedBy: string | null,
  ): Promise<number> {
    await this.#store.db.transaction().execute(async (trx) => {
      for (const entry of entries) {
        await trx
          .deleteFrom('device_param_baseline')
          .where('point_id', '=', pointId)
          .where('pol_id', '=', entry.polId)
          .where('info_code', '=', entry.infoCode)
          .execute();
        await trx
          .insertInto('device_param_baseline')
          .values({
            point_id: pointId,
            pol_id: entry.polId,
            info_code: entry.infoCode,
            value: entry.value,
            filed_at: filedAt,
            filed_by: filedBy,
          })
          .execute();
      }
    });
    return entries.length;
  }

  async baseline(pointId: number): Promise<DeviceParamBaselineTable[]> {
    return this.#store.db
      .selectFrom('device_param_baseline')
      .selectAll()
      .where('point_id', '=', pointId)
      .orderBy('pol_id')
      .orderBy('info_code')
      .execute();
  }

  /** Filed parameters whose latest received value differs, or that were never received. */
  async differences(pointId: number): Promise<ParameterDifference[]> {
    const [filed, current] = await Promise.all([this.baseline(pointId), this.current(pointId)]);
    const byKey = new Map(current.map((row) => [`${row.pol_id}\u0000${row.info_code}`, row]));
    const out: ParameterDifference[] = [];
    for (const entry of filed) {
      const now = byKey.get(`${entry.pol_id}\u0000${entry.info_code}`);
      if (now === undefined || now.value !== entry.value) {
        out.push({
          polId: entry.pol_id,
          infoCode: entry.info_code,
          filed: entry.value,
          current: now?.value ?? null,
          currentSince: now === undefined ? null : Number(now.received_at),
        });
      }
    }
    return out;
  }

  async deleteBefore(before: number): Promise<number> {
    const result = await this.#store.db
      .deleteFrom('device_info')
      .where('received_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
