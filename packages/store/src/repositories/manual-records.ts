import type { Selectable } from 'kysely';
import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import {
  MANUAL_RECORD_PERIODS,
  type ManualRecordPeriod,
  type ManualRecordState,
  type ManualRecordTable,
} from '../schema.js';
import { optionalText, requireId, requireNumber, requireOneOf, requireText } from './common.js';

export type ManualRecord = Selectable<ManualRecordTable>;

export interface NewManualRecord {
  readonly pointId: number;
  readonly factorCode: string;
  /** 'hour': a whole hour [from, from + 1 h); 'day': a Beijing day [00:00, 24:00). */
  readonly period: ManualRecordPeriod;
  readonly from: number;
  readonly value: number;
  readonly unit: string;
  readonly method: string;
  readonly agency: string;
  readonly sampledAt: number;
  readonly reportNo: string;
  readonly note?: string | null;
  readonly filedBy: string;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** The end of the period that begins at `from`, or a StoreError when `from` is not such a beginning. */
export function manualRecordEnd(period: ManualRecordPeriod, from: number): number {
  const length = period === 'hour' ? HOUR_MS : DAY_MS;
  const offset = period === 'hour' ? 0 : BEIJING_OFFSET_MS;
  if (!Number.isSafeInteger(from) || (from + offset) % length !== 0)
    throw new StoreError('STORE_E_INVALID', { field: 'from', value: from, period });
  return from + length;
}

/**
 * 人工监测数据 (湖北省办法 第十五条): manual-monitoring results filed by an enterprise, `pending` until an
 * authority approves or rejects them; only approved ones count. Records are never edited: a wrong one is
 * rejected and a new one filed.
 */
export class ManualRecordRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async create(input: NewManualRecord, now: number): Promise<ManualRecord> {
    const period = requireOneOf('period', input.period, MANUAL_RECORD_PERIODS);
    const to = manualRecordEnd(period, input.from);
    return this.#store.db
      .insertInto('manual_record')
      .values({
        point_id: requireId('pointId', input.pointId),
        factor_code: requireText('factorCode', input.factorCode),
        period,
        from_at: input.from,
        to_at: to,
        value: requireNumber('value', input.value),
        unit: requireText('unit', input.unit),
        method: requireText('method', input.method),
        agency: requireText('agency', input.agency),
        sampled_at: requireNumber('sampledAt', input.sampledAt, 0),
        report_no: requireText('reportNo', input.reportNo),
        note: optionalText('note', input.note),
        filed_by: requireText('filedBy', input.filedBy),
        filed_at: now,
        state: 'pending',
        decided_by: null,
        decided_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Approves or rejects a pending record. Returns the record as it is now. */
  async decide(
    id: number,
    state: Exclude<ManualRecordState, 'pending'>,
    by: string,
    now: number,
  ): Promise<ManualRecord> {
    const result = await this.#store.db
      .updateTable('manual_record')
      .set({ state, decided_by: by, decided_at: now })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    const row = await this.get(id);
    if (row === undefined) throw new StoreError('STORE_E_NOT_FOUND', { entity: 'manual_record', id });
    if (Number(result.numUpdatedRows) === 0)
      throw new StoreError('STORE_E_INVALID', { field: 'state', value: `${row.state} → ${state}` });
    return row;
  }

  async get(id: number): Promise<ManualRecord | undefined> {
    return this.#store.db.selectFrom('manual_record').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The records of a point whose period overlaps [from, to), by period then id; approved only by default. */
  async overlapping(pointId: number, from: number, to: number, approvedOnly = true): Promise<ManualRecord[]> {
    return this.#store.db
      .selectFrom('manual_record')
      .selectAll()
      .where('point_id', '=', pointId)
      .where('from_at', '<', to)
      .where('to_at', '>', from)
      .$if(approvedOnly, (q) => q.where('state', '=', 'approved'))
      .orderBy('from_at')
      .orderBy('id')
      .execute();
  }

  /** The points with an approved record overlapping [from, to) (of `pointIds`, when given). */
  async pointsWithApproved(from: number, to: number, pointIds?: readonly number[]): Promise<number[]> {
    const rows = await this.#store.db
      .selectFrom('manual_record')
      .select('point_id')
      .distinct()
      .where('state', '=', 'approved')
      .where('from_at', '<', to)
      .where('to_at', '>', from)
      .$if(pointIds !== undefined, (q) => q.where('point_id', 'in', [...(pointIds ?? []), -1]))
      .execute();
    return rows.map((r) => Number(r.point_id));
  }
}
