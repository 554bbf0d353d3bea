import { createHash, randomInt } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import {
  TIP_OFF_CATEGORIES,
  TIP_OFF_STATES,
  type TipOffCategory,
  type TipOffState,
  type TipOffTable,
} from '../schema.js';
import { optionalText, regionSubtree, requireOneOf, requireText } from './common.js';

export type TipOffRecord = Selectable<TipOffTable>;

/** An attachment as listed on the tip (the bytes are stored apart). */
export interface TipAttachmentInfo {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly sha256: string;
}

export interface TipOff extends Omit<TipOffRecord, 'attachments'> {
  readonly attachments: readonly TipAttachmentInfo[];
}

export interface NewTipOff {
  readonly enterpriseId: number | null;
  /** The responsible city's code. */
  readonly regionCode: string;
  readonly category: TipOffCategory;
  readonly description: string;
  readonly contact?: string | null;
  readonly attachments: readonly {
    readonly name: string;
    readonly type: string;
    readonly bytes: Uint8Array;
  }[];
  readonly peer?: string | null;
}

/** Receipt codes: no 0/O or 1/I, which people misread. */
const RECEIPT_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const receipt = () =>
  Array.from({ length: 10 }, () => RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)]).join('');

const tipOff = (row: TipOffRecord): TipOff => ({
  ...row,
  attachments: JSON.parse(row.attachments) as TipAttachmentInfo[],
});

/** 公众举报 (湖北省办法 第十条): filed by the public, handled by the responsible city's authority. */
export class TipOffRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Files a tip with its attachments (their sha256 kept on the tip), in one transaction. */
  async create(input: NewTipOff, now: number): Promise<TipOff> {
    const attachments = input.attachments.map((a) => ({
      name: requireText('name', a.name),
      type: requireText('type', a.type),
      bytes: a.bytes,
      size: a.bytes.length,
      sha256: createHash('sha256').update(a.bytes).digest('hex'),
    }));
    const values = {
      received_at: now,
      enterprise_id: input.enterpriseId,
      region_code: requireText('regionCode', input.regionCode),
      category: requireOneOf('category', input.category, TIP_OFF_CATEGORIES),
      description: requireText('description', input.description),
      contact: optionalText('contact', input.contact),
      attachments: JSON.stringify(
        attachments.map(({ name, type, size, sha256 }) => ({ name, type, size, sha256 })),
      ),
      state: 'received' as const,
      handled_by: null,
      handled_at: null,
      note: null,
      internal_note: null,
      receipt: receipt(),
      peer: input.peer ?? null,
    };
    const row = await this.#store.db.transaction().execute(async (trx) => {
      const tip = await trx.insertInto('tip_off').values(values).returningAll().executeTakeFirstOrThrow();
      for (const a of attachments)
        await trx
          .insertInto('tip_attachment')
          .values({ tip_id: Number(tip.id), name: a.name, type: a.type, bytes: a.bytes })
          .execute();
      return tip;
    });
    return tipOff(row);
  }

  async get(id: number): Promise<TipOff | undefined> {
    const row = await this.#store.db
      .selectFrom('tip_off')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : tipOff(row);
  }

  /** The tip with this receipt code (exactly as issued), if any. */
  async byReceipt(receipt: string): Promise<TipOff | undefined> {
    const row = await this.#store.db
      .selectFrom('tip_off')
      .selectAll()
      .where('receipt', '=', receipt)
      .executeTakeFirst();
    return row === undefined ? undefined : tipOff(row);
  }

  /** Tips routed to a region's subtree (all with null), received in [from, to), newest first. */
  async list(options: {
    regionCode: string | null;
    state?: TipOffState;
    from?: number;
    to?: number;
    limit?: number;
    offset?: number;
  }): Promise<TipOff[]> {
    const db = this.#store.db;
    let query = db.selectFrom('tip_off').selectAll();
    if (options.regionCode !== null)
      query = query.where('region_code', 'in', regionSubtree(db, options.regionCode));
    if (options.state !== undefined) query = query.where('state', '=', options.state);
    if (options.from !== undefined) query = query.where('received_at', '>=', options.from);
    if (options.to !== undefined) query = query.where('received_at', '<', options.to);
    const rows = await query
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit ?? 100)
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(tipOff);
  }

  /** The n-th attachment (from 0) of a tip. */
  async attachment(
    tipId: number,
    n: number,
  ): Promise<{ name: string; type: string; bytes: Uint8Array } | undefined> {
    const row = await this.#store.db
      .selectFrom('tip_attachment')
      .select(['name', 'type', 'bytes'])
      .where('tip_id', '=', tipId)
      .orderBy('id')
      .limit(1)
      .offset(n)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : { name: row.name, type: row.type, bytes: new Uint8Array(row.bytes) };
  }

  /**
   * Records the handling: assigned (to someone working on it) or handled, with a note (the filer sees it)
   * and, when given, the authorities' internal note (undefined: left as it is; null or blank: cleared).
   */
  async handle(
    id: number,
    state: TipOffState,
    by: string,
    note: string | null,
    now: number,
    internalNote?: string | null,
  ): Promise<TipOff> {
    const row = await this.#store.db
      .updateTable('tip_off')
      .set({
        state: requireOneOf('state', state, TIP_OFF_STATES),
        handled_by: requireText('handledBy', by),
        handled_at: now,
        note: optionalText('note', note),
        ...(internalNote === undefined ? {} : { internal_note: optionalText('internalNote', internalNote) }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) throw new StoreError('STORE_E_NOT_FOUND', { entity: 'tip_off', id });
    return tipOff(row);
  }
}
