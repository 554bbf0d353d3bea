import type { Selectable } from 'kysely';
import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import { MARK_KINDS, type MarkKindName, type MarkState, type MarkTable } from '../schema.js';

export type MarkRecord = Selectable<MarkTable>;

export interface NewMark {
  readonly pointId: number;
  /** A factor code, or '*' for every factor of the point. */
  readonly factorCode: string;
  readonly from: number;
  readonly to: number;
  readonly kind: MarkKindName;
  readonly origin: 'manual' | 'automatic';
  readonly reason: string;
  readonly madeBy: string;
}

/**
 * 标记: statements about a point's periods — by the enterprise (manual: 停产, 维护, 补遗…) or by the
 * platform's rules (automatic). A mark is `pending` until an authority approves or rejects it; only
 * approved marks count. Marks are never edited: a wrong one is withdrawn and a new one made.
 */
export class MarkRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async create(input: NewMark, now: number, state: MarkState = 'pending'): Promise<MarkRecord> {
    if (!(input.to > input.from)) throw new StoreError('STORE_E_INVALID', { field: 'to', value: input.to });
    if (!MARK_KINDS.includes(input.kind))
      throw new StoreError('STORE_E_INVALID', { field: 'kind', value: input.kind });
    if (input.reason.trim().length === 0)
      throw new StoreError('STORE_E_INVALID', { field: 'reason', value: input.reason });
    return this.#store.db
      .insertInto('mark')
      .values({
        point_id: input.pointId,
        factor_code: input.factorCode,
        from_at: input.from,
        to_at: input.to,
        kind: input.kind,
        origin: input.origin,
        reason: input.reason,
        made_by: input.madeBy,
        made_at: now,
        state,
        decided_by: state === 'pending' ? null : input.madeBy,
        decided_at: state === 'pending' ? null : now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Approves or rejects a pending mark; withdraws any mark not yet rejected. Returns the mark as it is now. */
  async decide(
    id: number,
    state: Exclude<MarkState, 'pending'>,
    by: string,
    now: number,
  ): Promise<MarkRecord> {
    const allowedFrom: MarkState[] = state === 'withdrawn' ? ['pending', 'approved'] : ['pending'];
    const result = await this.#store.db
      .updateTable('mark')
      .set({ state, decided_by: by, decided_at: now })
      .where('id', '=', id)
      .where('state', 'in', allowedFrom)
      .executeTakeFirst();
    const row = await this.#store.db.selectFrom('mark').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new StoreError('STORE_E_NOT_FOUND', { entity: 'mark', id });
    if (Number(result.numUpdatedRows) === 0)
      throw new StoreError('STORE_E_INVALID', { field: 'state', value: `${row.state} → ${state}` });
    return row;
  }

  /** The marks of a point that overlap [from, to), oldest first; by default only approved ones. */
  async overlapping(
    pointId: number,
    from: number,
    to: number,
    options: { states?: readonly MarkState[] } = {},
  ): Promise<MarkRecord[]> {
    return this.#store.db
      .selectFrom('mark')
      .selectAll()
      .where('point_id', '=', pointId)
      .where('from_at', '<', to)
      .where('to_at', '>', from)
      .where('state', 'in', options.states ?? ['approved'])
      .orderBy('made_at')
      .orderBy('id')
      .execute();
  }
}
