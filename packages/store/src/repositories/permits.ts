import type { Selectable } from 'kysely';
import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import type { PermitTable } from '../schema.js';
import { requireDate, requireDateOrder, requireId, requireNumber, requireText } from './common.js';

/** An enterprise's 排污许可证 (`permit`). */
export interface PermitView {
  readonly id: number;
  readonly enterpriseId: number;
  readonly number: string;
  /** First day of validity, `YYYY-MM-DD`. */
  readonly validFrom: string;
  /** Last day of validity (inclusive), `YYYY-MM-DD`. */
  readonly validTo: string;
}

/** A permitted annual amount of one pollutant. */
export interface AllowanceView {
  readonly factorCode: string;
  readonly annualKg: number;
}

export interface PermitInput {
  readonly enterpriseId: number;
  readonly number: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly allowances: readonly AllowanceView[];
}

function view(row: Selectable<PermitTable>): PermitView {
  return {
    id: Number(row.id),
    enterpriseId: Number(row.enterprise_id),
    number: row.number,
    validFrom: row.valid_from,
    validTo: row.valid_to,
  };
}

/** Discharge permits and their annual allowances. */
export class PermitRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async create(input: PermitInput): Promise<PermitView> {
    const enterpriseId = requireId('enterpriseId', input.enterpriseId);
    const number = requireText('number', input.number);
    const validFrom = requireDate('validFrom', input.validFrom);
    const validTo = requireDate('validTo', input.validTo);
    requireDateOrder('validFrom', validFrom, 'validTo', validTo);
    if (!Array.isArray(input.allowances))
      throw new StoreError('STORE_E_INVALID', { field: 'allowances', value: input.allowances });
    const seen = new Set<string>();
    const allowances = input.allowances.map((allowance) => {
      const factorCode = requireText('factorCode', allowance.factorCode);
      if (seen.has(factorCode))
        throw new StoreError('STORE_E_INVALID', {
          field: 'factorCode',
          value: factorCode,
          problem: 'repeated',
        });
      seen.add(factorCode);
      return { factor_code: factorCode, annual_kg: requireNumber('annualKg', allowance.annualKg, 0) };
    });
    return this.#store.db.transaction().execute(async (trx) => {
      const enterprise = await trx
        .selectFrom('enterprise')
        .select('id')
        .where('id', '=', enterpriseId)
        .executeTakeFirst();
      if (enterprise === undefined)
        throw new StoreError('STORE_E_REFERENCE', { field: 'enterpriseId', value: enterpriseId });
      const taken = await trx
        .selectFrom('permit')
        .select('id')
        .where('number', '=', number)
        .executeTakeFirst();
      if (taken !== undefined) throw new StoreError('STORE_E_DUPLICATE', { field: 'number', value: number });
      const row = await trx
        .insertInto('permit')
        .values({ enterprise_id: enterpriseId, number, valid_from: validFrom, valid_to: validTo })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (allowances.length > 0) {
        await trx
          .insertInto('permit_allowance')
          .values(allowances.map((a) => ({ ...a, permit_id: Number(row.id) })))
          .execute();
      }
      return view(row);
    });
  }

  async get(id: number): Promise<PermitView | undefined> {
    const row = await this.#store.db.selectFrom('permit').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : view(row);
  }

  /** The enterprise's permits, newest validity first. */
  async byEnterprise(enterpriseId: number): Promise<PermitView[]> {
    const rows = await this.#store.db
      .selectFrom('permit')
      .selectAll()
      .where('enterprise_id', '=', enterpriseId)
      .orderBy('valid_from', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(view);
  }

  /** The permit valid on `onDate` (`YYYY-MM-DD`, both ends inclusive); the latest-starting one if several are. */
  async current(enterpriseId: number, onDate: string): Promise<PermitView | undefined> {
    const day = requireDate('onDate', onDate);
    const row = await this.#store.db
      .selectFrom('permit')
      .selectAll()
      .where('enterprise_id', '=', enterpriseId)
      .where('valid_from', '<=', day)
      .where('valid_to', '>=', day)
      .orderBy('valid_from', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row === undefined ? undefined : view(row);
  }

  /** The permit's annual allowances, by factor code. */
  async allowances(permitId: number): Promise<AllowanceView[]> {
    const rows = await this.#store.db
      .selectFrom('permit_allowance')
      .select(['factor_code', 'annual_kg'])
      .where('permit_id', '=', permitId)
      .orderBy('factor_code')
      .execute();
    return rows.map((row) => ({ factorCode: row.factor_code, annualKg: row.annual_kg }));
  }
}
