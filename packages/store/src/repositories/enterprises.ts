import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import {
  containsText,
  normaliseUscc,
  regionSubtree,
  requireInteger,
  requireOneOf,
  requireText,
  textOrder,
} from './common.js';
import {
  checkEnterpriseReferences,
  type EnterpriseInput,
  type EnterprisePatch,
  type EnterpriseQuery,
  type EnterpriseView,
  enterpriseColumns,
  enterpriseView,
  KEY_UNIT_CATEGORIES,
  type KeyUnitCategory,
  type KeyUnitListing,
  type KeyUnitYear,
} from './enterprise-fields.js';

export type {
  EnterpriseInput,
  EnterprisePatch,
  EnterpriseQuery,
  EnterpriseStatus,
  EnterpriseView,
  KeyUnitCategory,
  KeyUnitListing,
  KeyUnitYear,
} from './enterprise-fields.js';
export { ENTERPRISE_STATUSES, KEY_UNIT_CATEGORIES } from './enterprise-fields.js';

/** Enterprises (重点排污单位) and their yearly 名录 membership. */
export class EnterpriseRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async create(input: EnterpriseInput, now: number): Promise<EnterpriseView> {
    requireText('uscc', input.uscc);
    requireText('name', input.name);
    requireText('regionCode', input.regionCode);
    const values = enterpriseColumns(input);
    return this.#store.db.transaction().execute(async (trx) => {
      await checkEnterpriseReferences(trx, values);
      const row = await trx
        .insertInto('enterprise')
        .values({
          uscc: values.uscc as string,
          name: values.name as string,
          region_code: values.region_code as string,
          industry_code: values.industry_code ?? null,
          address: values.address ?? null,
          longitude: values.longitude ?? null,
          latitude: values.latitude ?? null,
          contact_name: values.contact_name ?? null,
          contact_phone: values.contact_phone ?? null,
          status: values.status ?? 'active',
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return enterpriseView(row);
    });
  }

  async get(id: number): Promise<EnterpriseView | undefined> {
    const row = await this.#store.db
      .selectFrom('enterprise')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : enterpriseView(row);
  }

  async byUscc(uscc: string): Promise<EnterpriseView | undefined> {
    const row = await this.#store.db
      .selectFrom('enterprise')
      .selectAll()
      .where('uscc', '=', normaliseUscc(uscc))
      .executeTakeFirst();
    return row === undefined ? undefined : enterpriseView(row);
  }

  /** Changes the given fields and stamps `updated_at` with `now`; returns the enterprise as it now is. */
  async update(id: number, patch: EnterprisePatch, now: number): Promise<EnterpriseView> {
    const values = enterpriseColumns(patch);
    return this.#store.db.transaction().execute(async (trx) => {
      const held = await trx.selectFrom('enterprise').select('uscc').where('id', '=', id).executeTakeFirst();
      if (held === undefined) throw new StoreError('STORE_E_NOT_FOUND', { entity: 'enterprise', id });
      await checkEnterpriseReferences(trx, values, id);
      const row = await trx
        .updateTable('enterprise')
        .set({ ...values, updated_at: now })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return enterpriseView(row);
    });
  }

  /** Enterprises by name (code-point order on both dialects), optionally scoped to a region's subtree. */
  async list(query: EnterpriseQuery = {}): Promise<EnterpriseView[]> {
    const db = this.#store.db;
    let select = db.selectFrom('enterprise').selectAll();
    if (query.regionCode !== undefined)
      select = select.where('region_code', 'in', regionSubtree(db, query.regionCode));
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    if (query.nameContains !== undefined && query.nameContains.length > 0) {
      select = select.where(containsText('name', query.nameContains));
    }
    select = select.orderBy(textOrder(this.#store.dialect, 'name')).orderBy('id');
    if (query.limit !== undefined) select = select.limit(requireInteger('limit', query.limit, 0));
    if (query.offset !== undefined) {
      if (query.limit === undefined) select = select.limit(Number.MAX_SAFE_INTEGER);
      select = select.offset(requireInteger('offset', query.offset, 0));
    }
    return (await select.execute()).map(enterpriseView);
  }

  /** Sets (replaces) the enterprise's 名录 categories for `year`; an empty list removes it from that year. */
  async setKeyUnits(
    enterpriseId: number,
    year: number,
    categories: readonly KeyUnitCategory[],
  ): Promise<void> {
    requireInteger('year', year, 1900, 9999);
    const distinct = [...new Set(categories.map((c) => requireOneOf('categories', c, KEY_UNIT_CATEGORIES)))];
    await this.#store.db.transaction().execute(async (trx) => {
      const held = await trx
        .selectFrom('enterprise')
        .select('id')
        .where('id', '=', enterpriseId)
        .executeTakeFirst();
      if (held === undefined)
        throw new StoreError('STORE_E_NOT_FOUND', { entity: 'enterprise', id: enterpriseId });
      await trx
        .deleteFrom('enterprise_key_unit')
        .where('enterprise_id', '=', enterpriseId)
        .where('year', '=', year)
        .execute();
      if (distinct.length === 0) return;
      await trx
        .insertInto('enterprise_key_unit')
        .values(distinct.map((category) => ({ enterprise_id: enterpriseId, year, category })))
        .execute();
    });
  }

  /** The enterprise's 名录 membership, by year. */
  async keyUnits(enterpriseId: number): Promise<KeyUnitYear[]> {
    const rows = await this.#store.db
      .selectFrom('enterprise_key_unit')
      .select(['year', 'category'])
      .where('enterprise_id', '=', enterpriseId)
      .orderBy('year')
      .orderBy('category')
      .execute();
    const out: { year: number; categories: KeyUnitCategory[] }[] = [];
    for (const row of rows) {
      const last = out[out.length - 1];
      if (last !== undefined && last.year === Number(row.year)) last.categories.push(row.category);
      else out.push({ year: Number(row.year), categories: [row.category] });
    }
    return out;
  }

  /** A year's 重点排污单位名录 (optionally scoped to a region's subtree), by enterprise name. */
  async keyUnitsOfYear(year: number, regionCode?: string): Promise<KeyUnitListing[]> {
    const db = this.#store.db;
    let select = db
      .selectFrom('enterprise_key_unit as k')
      .innerJoin('enterprise', 'enterprise.id', 'k.enterprise_id')
      .selectAll('enterprise')
      .select('k.category')
      .where('k.year', '=', year);
    if (regionCode !== undefined)
      select = select.where('enterprise.region_code', 'in', regionSubtree(db, regionCode));
    const rows = await select
      .orderBy(textOrder(this.#store.dialect, 'enterprise.name'))
      .orderBy('enterprise.id')
      .orderBy('k.category')
      .execute();
    const out: { enterprise: EnterpriseView; categories: KeyUnitCategory[] }[] = [];
    for (const { category, ...row } of rows) {
      const last = out[out.length - 1];
      if (last !== undefined && last.enterprise.id === Number(row.id)) last.categories.push(category);
      else out.push({ enterprise: enterpriseView(row), categories: [category] });
    }
    return out;
  }
}
