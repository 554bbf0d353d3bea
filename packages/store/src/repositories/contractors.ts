import type { Kysely } from 'kysely';
import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import { CONTRACTOR_KINDS, type ContractorKind, type Database } from '../schema.js';
import { requireDate, requireDateOrder, requireId, requireOneOf, requireText, textOrder } from './common.js';
import {
  type ContractInput,
  type ContractorInput,
  type ContractorPatch,
  type ContractorQuery,
  type ContractorView,
  type ContractPatch,
  type ContractTarget,
  type ContractView,
  checkContractor,
  contractInForce,
  contractorColumns,
  contractorView,
  contractView,
  pointEnterprise,
} from './contract-fields.js';
import { RegionRepository } from './regions.js';

export type {
  ContractInput,
  ContractorInput,
  ContractorPatch,
  ContractorQuery,
  ContractorView,
  ContractPatch,
  ContractTarget,
  ContractView,
  FilingStatus,
} from './contract-fields.js';
export { contractInForce, FILING_STATUSES } from './contract-fields.js';

/** Contractors (construction, O&M, inspection, intelligent monitoring) and their contracts. */
export class ContractorRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async create(input: ContractorInput): Promise<ContractorView> {
    requireText('uscc', input.uscc);
    requireText('name', input.name);
    requireOneOf('kind', input.kind, CONTRACTOR_KINDS);
    const values = contractorColumns(input);
    return this.#store.db.transaction().execute(async (trx) => {
      await checkContractor(trx, values);
      const row = await trx
        .insertInto('contractor')
        .values({
          uscc: values.uscc as string,
          name: values.name as string,
          kind: values.kind as ContractorKind,
          qualifications: values.qualifications ?? '[]',
          service_regions: values.service_regions ?? '[]',
          filing_status: values.filing_status ?? 'not-filed',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return contractorView(row);
    });
  }

  async get(id: number): Promise<ContractorView | undefined> {
    const row = await this.#store.db
      .selectFrom('contractor')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : contractorView(row);
  }

  /** Contractors by name (code-point order), filtered. */
  async list(query: ContractorQuery = {}): Promise<ContractorView[]> {
    let select = this.#store.db.selectFrom('contractor').selectAll();
    if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
    if (query.filingStatus !== undefined) select = select.where('filing_status', '=', query.filingStatus);
    const rows = await select.orderBy(textOrder(this.#store.dialect, 'name')).orderBy('id').execute();
    const views = rows.map(contractorView);
    if (query.serviceRegion === undefined) return views;
    // Service regions are JSON text: the (short) list is filtered here, by the region and those above it.
    const covering = new Set(await new RegionRepository(this.#store).ancestors(query.serviceRegion));
    return views.filter((c) => c.serviceRegions.some((code) => covering.has(code)));
  }

  /** Changes the given fields; returns the contractor as it now is. */
  async update(id: number, patch: ContractorPatch): Promise<ContractorView> {
    const values = contractorColumns(patch);
    return this.#store.db.transaction().execute(async (trx) => {
      const held = await trx.selectFrom('contractor').selectAll().where('id', '=', id).executeTakeFirst();
      if (held === undefined) throw new StoreError('STORE_E_NOT_FOUND', { entity: 'contractor', id });
      if (Object.keys(values).length === 0) return contractorView(held);
      await checkContractor(trx, values, id);
      const row = await trx
        .updateTable('contractor')
        .set(values)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return contractorView(row);
    });
  }

  /** Records a contract; a point, if given, must be one of the enterprise's. */
  async createContract(input: ContractInput): Promise<ContractView> {
    const contractorId = requireId('contractorId', input.contractorId);
    const enterpriseId = requireId('enterpriseId', input.enterpriseId);
    const pointId =
      input.pointId === undefined || input.pointId === null ? null : requireId('pointId', input.pointId);
    const scope = requireText('scope', input.scope);
    const startsOn = requireDate('startsOn', input.startsOn);
    const endsOn = requireDate('endsOn', input.endsOn);
    requireDateOrder('startsOn', startsOn, 'endsOn', endsOn);
    return this.#store.db.transaction().execute(async (trx) => {
      const contractor = await trx
        .selectFrom('contractor')
        .select('id')
        .where('id', '=', contractorId)
        .executeTakeFirst();
      if (contractor === undefined)
        throw new StoreError('STORE_E_REFERENCE', { field: 'contractorId', value: contractorId });
      await checkContractTarget(trx, enterpriseId, pointId);
      const row = await trx
        .insertInto('contract')
        .values({
          contractor_id: contractorId,
          enterprise_id: enterpriseId,
          point_id: pointId,
          scope,
          starts_on: startsOn,
          ends_on: endsOn,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return contractView(row);
    });
  }

  async getContract(id: number): Promise<ContractView | undefined> {
    const row = await this.#store.db
      .selectFrom('contract')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : contractView(row);
  }

  /**
   * Corrects a contract (its enterprise, point, scope text or last day); the result is checked as a new
   * contract would be. Returns the contract as it now is.
   */
  async updateContract(id: number, patch: ContractPatch): Promise<ContractView> {
    const values: { enterprise_id?: number; point_id?: number | null; scope?: string; ends_on?: string } = {};
    if (patch.enterpriseId !== undefined)
      values.enterprise_id = requireId('enterpriseId', patch.enterpriseId);
    if (patch.pointId !== undefined)
      values.point_id = patch.pointId === null ? null : requireId('pointId', patch.pointId);
    if (patch.scope !== undefined) values.scope = requireText('scope', patch.scope);
    if (patch.endsOn !== undefined) values.ends_on = requireDate('endsOn', patch.endsOn);
    return this.#store.db.transaction().execute(async (trx) => {
      const held = await trx.selectFrom('contract').selectAll().where('id', '=', id).executeTakeFirst();
      if (held === undefined) throw new StoreError('STORE_E_NOT_FOUND', { entity: 'contract', id });
      if (held.cancelled_at !== null)
        throw new StoreError('STORE_E_INVALID', { field: 'id', value: id, problem: 'cancelled' });
      if (Object.keys(values).length === 0) return contractView(held);
      requireDateOrder('startsOn', held.starts_on, 'endsOn', values.ends_on ?? held.ends_on);
      if (values.enterprise_id !== undefined || values.point_id !== undefined) {
        const enterpriseId = values.enterprise_id ?? Number(held.enterprise_id);
        const pointId =
          values.point_id !== undefined
            ? values.point_id
            : held.point_id === null
              ? null
              : Number(held.point_id);
        await checkContractTarget(trx, enterpriseId, pointId);
      }
      const row = await trx
        .updateTable('contract')
        .set(values)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return contractView(row);
    });
  }

  /**
   * Cancels a contract that has not started: its first day must be after `today` (`YYYY-MM-DD`) — a
   * contract that has started is ended early instead (`updateContract`, `endsOn`) — and it must not be
   * cancelled already (both STORE_E_INVALID, `problem`: 'started' or 'cancelled'). A cancelled contract is
   * kept, with when and why, but is never in force. Returns the contract as it now is.
   */
  async cancelContract(id: number, reason: string, now: number, today: string): Promise<ContractView> {
    const why = requireText('reason', reason);
    const day = requireDate('today', today);
    return this.#store.db.transaction().execute(async (trx) => {
      const held = await trx.selectFrom('contract').selectAll().where('id', '=', id).executeTakeFirst();
      if (held === undefined) throw new StoreError('STORE_E_NOT_FOUND', { entity: 'contract', id });
      if (held.cancelled_at !== null)
        throw new StoreError('STORE_E_INVALID', { field: 'id', value: id, problem: 'cancelled' });
      if (held.starts_on <= day)
        throw new StoreError('STORE_E_INVALID', {
          field: 'id',
          value: id,
          startsOn: held.starts_on,
          problem: 'started',
        });
      const row = await trx
        .updateTable('contract')
        .set({ cancelled_at: now, cancel_reason: why })
        .where('id', '=', id)
        .where('cancelled_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      // Cancelled meanwhile by another request.
      if (row === undefined)
        throw new StoreError('STORE_E_INVALID', { field: 'id', value: id, problem: 'cancelled' });
      return contractView(row);
    });
  }

  /**
   * All the enterprise's contracts (its points' too, cancelled ones included), or those in force on
   * `onDate` (never a cancelled one); by start date.
   */
  async contractsForEnterprise(enterpriseId: number, onDate?: string): Promise<ContractView[]> {
    let select = this.#store.db.selectFrom('contract').selectAll().where('enterprise_id', '=', enterpriseId);
    if (onDate !== undefined) {
      const day = requireDate('onDate', onDate);
      select = select.where((eb) => contractInForce(eb, day));
    }
    const rows = await select.orderBy('starts_on').orderBy('id').execute();
    return rows.map(contractView);
  }

  /**
   * The contracts that cover a point — those naming it and its enterprise's contracts for all points —
   * or those of them in force on `onDate` (never a cancelled one); by start date.
   */
  async contractsForPoint(pointId: number, onDate?: string): Promise<ContractView[]> {
    const db = this.#store.db;
    const enterpriseId = await pointEnterprise(db, pointId);
    if (enterpriseId === undefined) return [];
    let select = db
      .selectFrom('contract')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('point_id', '=', pointId),
          eb.and([eb('point_id', 'is', null), eb('enterprise_id', '=', enterpriseId)]),
        ]),
      );
    if (onDate !== undefined) {
      const day = requireDate('onDate', onDate);
      select = select.where((eb) => contractInForce(eb, day));
    }
    const rows = await select.orderBy('starts_on').orderBy('id').execute();
    return rows.map(contractView);
  }

  /**
   * The contractors of a kind under contract on `onDate` for an enterprise or a point (e.g. who is the O&M
   * contractor of this point today). For a point, contractors with a contract naming the point come
   * before those holding an enterprise-wide contract.
   */
  async contractorsFor(
    target: ContractTarget,
    kind: ContractorKind,
    onDate: string,
  ): Promise<ContractorView[]> {
    requireOneOf('kind', kind, CONTRACTOR_KINDS);
    const contracts =
      'pointId' in target
        ? await this.contractsForPoint(target.pointId, onDate)
        : await this.contractsForEnterprise(target.enterpriseId, onDate);
    if (contracts.length === 0) return [];
    // Point-specific contracts first, then by start date (as returned).
    const ordered = [
      ...contracts.filter((c) => c.pointId !== null),
      ...contracts.filter((c) => c.pointId === null),
    ];
    const ids = [...new Set(ordered.map((c) => c.contractorId))];
    const rows = await this.#store.db
      .selectFrom('contractor')
      .selectAll()
      .where('id', 'in', ids)
      .where('kind', '=', kind)
      .execute();
    const byId = new Map(rows.map((row) => [Number(row.id), contractorView(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}

/** The enterprise must exist and the point, if any, must be one of its. */
async function checkContractTarget(
  db: Kysely<Database>,
  enterpriseId: number,
  pointId: number | null,
): Promise<void> {
  const enterprise = await db
    .selectFrom('enterprise')
    .select('id')
    .where('id', '=', enterpriseId)
    .executeTakeFirst();
  if (enterprise === undefined)
    throw new StoreError('STORE_E_REFERENCE', { field: 'enterpriseId', value: enterpriseId });
  if (pointId === null) return;
  const owner = await pointEnterprise(db, pointId);
  if (owner === undefined) throw new StoreError('STORE_E_REFERENCE', { field: 'pointId', value: pointId });
  if (owner !== enterpriseId) {
    throw new StoreError('STORE_E_INVALID', {
      field: 'pointId',
      value: pointId,
      enterpriseId,
      problem: 'other-enterprise',
    });
  }
}
