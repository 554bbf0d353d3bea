import { sql } from 'kysely';
import type { Store } from '../database.js';
import { requireId, requireOneOf, requireText, textOrder } from './common.js';
import {
  type ApplicableLimit,
  categoryFallbacks,
  checkStandardCode,
  type LimitInput,
  type LimitPeriod,
  type LimitView,
  limitRows,
  limitView,
  requireStandard,
  STANDARD_KINDS,
  type StandardInput,
  type StandardKind,
  type StandardPatch,
  type StandardView,
  type StandardWithLimits,
  standardColumns,
  standardView,
} from './standard-fields.js';

export type {
  ApplicableLimit,
  LimitInput,
  LimitPeriod,
  LimitView,
  StandardInput,
  StandardKind,
  StandardPatch,
  StandardView,
  StandardWithLimits,
} from './standard-fields.js';
export { LIMIT_PERIODS, STANDARD_KINDS } from './standard-fields.js';

/**
 * The emission-standard library: national standards seeded by migration, local ones added by users; all
 * of it editable.
 */
export class StandardRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Standards (without limits), by code. */
  async list(kind?: StandardKind): Promise<StandardView[]> {
    let query = this.#store.db.selectFrom('emission_standard').selectAll();
    if (kind !== undefined) query = query.where('kind', '=', kind);
    const rows = await query.orderBy(textOrder(this.#store.dialect, 'code')).execute();
    return rows.map(standardView);
  }

  async get(id: number): Promise<StandardWithLimits | undefined> {
    const row = await this.#store.db
      .selectFrom('emission_standard')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : { ...standardView(row), limits: await this.limits(Number(row.id)) };
  }

  async byCode(code: string): Promise<StandardWithLimits | undefined> {
    const row = await this.#store.db
      .selectFrom('emission_standard')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : { ...standardView(row), limits: await this.limits(Number(row.id)) };
  }

  /** A standard's limits, by factor, period, category. */
  async limits(standardId: number): Promise<LimitView[]> {
    const rows = await this.#store.db
      .selectFrom('standard_limit')
      .selectAll()
      .where('standard_id', '=', standardId)
      .orderBy('factor_code')
      .orderBy('period')
      // The row for all categories first on both dialects (they sort NULL differently).
      .orderBy(sql`case when applies_to is null then 0 else 1 end`)
      .orderBy(textOrder(this.#store.dialect, 'applies_to'))
      .orderBy('id')
      .execute();
    return rows.map(limitView);
  }

  /** Adds a user-made (local) standard with its limits. */
  async create(input: StandardInput): Promise<StandardWithLimits> {
    requireText('code', input.code);
    requireText('name', input.name);
    requireOneOf('kind', input.kind, STANDARD_KINDS);
    const values = standardColumns(input);
    limitRows(0, input.limits);
    const id = await this.#store.db.transaction().execute(async (trx) => {
      await checkStandardCode(trx, values.code as string);
      const { id } = await trx
        .insertInto('emission_standard')
        .values({
          code: values.code as string,
          name: values.name as string,
          kind: values.kind as StandardKind,
          reference_o2: values.reference_o2 ?? null,
          local: 1,
          notes: values.notes ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const rows = limitRows(Number(id), input.limits);
      if (rows.length > 0) await trx.insertInto('standard_limit').values(rows).execute();
      return Number(id);
    });
    return (await this.get(id)) as StandardWithLimits;
  }

  /** Changes the standard's own fields; returns it as it now is. */
  async update(id: number, patch: StandardPatch): Promise<StandardWithLimits> {
    const values = standardColumns(patch);
    await this.#store.db.transaction().execute(async (trx) => {
      await requireStandard(trx, id);
      if (values.code !== undefined) await checkStandardCode(trx, values.code, id);
      if (Object.keys(values).length > 0)
        await trx.updateTable('emission_standard').set(values).where('id', '=', id).execute();
    });
    return (await this.get(id)) as StandardWithLimits;
  }

  /** Replaces the standard's limits (in one transaction). */
  async setLimits(id: number, limits: readonly LimitInput[]): Promise<LimitView[]> {
    requireId('id', id);
    const rows = limitRows(id, limits);
    await this.#store.db.transaction().execute(async (trx) => {
      await requireStandard(trx, id);
      await trx.deleteFrom('standard_limit').where('standard_id', '=', id).execute();
      if (rows.length > 0) await trx.insertInto('standard_limit').values(rows).execute();
    });
    return this.limits(id);
  }

  /**
   * The limit of a factor for an averaging period. With `appliesTo`, the row for that category is
   * preferred, then rows for the category's leading words (the library writes sub-categories as
   * "燃煤锅炉 新建锅炉", so that falls back to "燃煤锅炉"), then the row for all categories; without it, only
   * the row for all categories. Undefined when none applies.
   */
  async limitFor(
    standardId: number,
    factorCode: string,
    period: LimitPeriod,
    appliesTo?: string,
  ): Promise<ApplicableLimit | undefined> {
    const candidates = [...categoryFallbacks(appliesTo), null];
    const db = this.#store.db;
    const standard = await db
      .selectFrom('emission_standard')
      .select('reference_o2')
      .where('id', '=', standardId)
      .executeTakeFirst();
    if (standard === undefined) return undefined;
    const rows = await db
      .selectFrom('standard_limit')
      .selectAll()
      .where('standard_id', '=', standardId)
      .where('factor_code', '=', factorCode)
      .where('period', '=', period)
      .orderBy('id')
      .execute();
    for (const category of candidates) {
      const row = rows.find((r) => r.applies_to === category);
      if (row !== undefined) {
        const limit = limitView(row);
        return { ...limit, standardId, effectiveReferenceO2: limit.referenceO2 ?? standard.reference_o2 };
      }
    }
    return undefined;
  }
}
