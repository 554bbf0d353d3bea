import type { Kysely, Selectable } from 'kysely';
import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import type { Database, OutletTable } from '../schema.js';
import { optionalNumber, optionalText, requireId, requireOneOf, requireText, textOrder } from './common.js';

export type OutletKind = OutletTable['kind'];
export const OUTLET_KINDS = ['water', 'gas'] as const satisfies readonly OutletKind[];
export type OutletStatus = OutletTable['status'];
export const OUTLET_STATUSES = ['active', 'stopped', 'removed'] as const satisfies readonly OutletStatus[];

/** An 排口 (`outlet`) of an enterprise. */
export interface OutletView {
  readonly id: number;
  readonly enterpriseId: number;
  readonly kind: OutletKind;
  /** The enterprise's outlet number, e.g. DA001, DW001: unique within the enterprise. */
  readonly code: string;
  readonly name: string;
  readonly longitude: number | null;
  readonly latitude: number | null;
  readonly standardId: number | null;
  /** 基准氧含量 (%) for this outlet, overriding the standard's. */
  readonly referenceO2: number | null;
  readonly stackHeightM: number | null;
  readonly keyUnitCategory: string | null;
  readonly status: OutletStatus;
}

export interface OutletInput {
  readonly enterpriseId: number;
  readonly kind: OutletKind;
  readonly code: string;
  readonly name: string;
  readonly longitude?: number | null;
  readonly latitude?: number | null;
  readonly standardId?: number | null;
  readonly referenceO2?: number | null;
  readonly stackHeightM?: number | null;
  readonly keyUnitCategory?: string | null;
  /** Default 'active'. */
  readonly status?: OutletStatus;
}

/** Fields to change (the enterprise is fixed); `null` clears an optional field. */
export type OutletPatch = Partial<Omit<OutletInput, 'enterpriseId'>>;

type OutletRow = Selectable<OutletTable>;
type OutletColumns = Partial<Omit<OutletRow, 'id' | 'enterprise_id'>>;

function view(row: OutletRow): OutletView {
  return {
    id: Number(row.id),
    enterpriseId: Number(row.enterprise_id),
    kind: row.kind,
    code: row.code,
    name: row.name,
    longitude: row.longitude,
    latitude: row.latitude,
    standardId: row.standard_id === null ? null : Number(row.standard_id),
    referenceO2: row.reference_o2,
    stackHeightM: row.stack_height_m,
    keyUnitCategory: row.key_unit_category,
    status: row.status,
  };
}

function columns(patch: OutletPatch): OutletColumns {
  const out: OutletColumns = {};
  if (patch.kind !== undefined) out.kind = requireOneOf('kind', patch.kind, OUTLET_KINDS);
  if (patch.code !== undefined) out.code = requireText('code', patch.code);
  if (patch.name !== undefined) out.name = requireText('name', patch.name);
  if (patch.longitude !== undefined) out.longitude = optionalNumber('longitude', patch.longitude, -180, 180);
  if (patch.latitude !== undefined) out.latitude = optionalNumber('latitude', patch.latitude, -90, 90);
  if (patch.standardId !== undefined)
    out.standard_id = patch.standardId === null ? null : requireId('standardId', patch.standardId);
  if (patch.referenceO2 !== undefined)
    out.reference_o2 = optionalNumber('referenceO2', patch.referenceO2, 0, 21);
  if (patch.stackHeightM !== undefined)
    out.stack_height_m = optionalNumber('stackHeightM', patch.stackHeightM, 0);
  if (patch.keyUnitCategory !== undefined)
    out.key_unit_category = optionalText('keyUnitCategory', patch.keyUnitCategory);
  if (patch.status !== undefined) out.status = requireOneOf('status', patch.status, OUTLET_STATUSES);
  return out;
}

/** Outlets (排口) of enterprises. */
export class OutletRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async create(input: OutletInput): Promise<OutletView> {
    const enterpriseId = requireId('enterpriseId', input.enterpriseId);
    requireOneOf('kind', input.kind, OUTLET_KINDS);
    requireText('code', input.code);
    requireText('name', input.name);
    const values = columns(input);
    return this.#store.db.transaction().execute(async (trx) => {
      const enterprise = await trx
        .selectFrom('enterprise')
        .select('id')
        .where('id', '=', enterpriseId)
        .executeTakeFirst();
      if (enterprise === undefined)
        throw new StoreError('STORE_E_REFERENCE', { field: 'enterpriseId', value: enterpriseId });
      await checkReferences(trx, enterpriseId, values);
      const row = await trx
        .insertInto('outlet')
        .values({
          enterprise_id: enterpriseId,
          kind: values.kind as OutletKind,
          code: values.code as string,
          name: values.name as string,
          longitude: values.longitude ?? null,
          latitude: values.latitude ?? null,
          standard_id: values.standard_id ?? null,
          reference_o2: values.reference_o2 ?? null,
          stack_height_m: values.stack_height_m ?? null,
          key_unit_category: values.key_unit_category ?? null,
          status: values.status ?? 'active',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return view(row);
    });
  }

  async get(id: number): Promise<OutletView | undefined> {
    const row = await this.#store.db.selectFrom('outlet').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : view(row);
  }

  /** The enterprise's outlets, by code. */
  async byEnterprise(enterpriseId: number): Promise<OutletView[]> {
    const rows = await this.#store.db
      .selectFrom('outlet')
      .selectAll()
      .where('enterprise_id', '=', enterpriseId)
      .orderBy(textOrder(this.#store.dialect, 'code'))
      .execute();
    return rows.map(view);
  }

  /** Changes the given fields; returns the outlet as it now is. */
  async update(id: number, patch: OutletPatch): Promise<OutletView> {
    const values = columns(patch);
    return this.#store.db.transaction().execute(async (trx) => {
      const held = await trx.selectFrom('outlet').selectAll().where('id', '=', id).executeTakeFirst();
      if (held === undefined) throw new StoreError('STORE_E_NOT_FOUND', { entity: 'outlet', id });
      if (Object.keys(values).length === 0) return view(held);
      await checkReferences(trx, Number(held.enterprise_id), values, id);
      const row = await trx
        .updateTable('outlet')
        .set(values)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return view(row);
    });
  }
}

/** The code must be free within the enterprise and the standard, if any, must exist. */
async function checkReferences(
  db: Kysely<Database>,
  enterpriseId: number,
  values: OutletColumns,
  selfId?: number,
) {
  if (values.code !== undefined) {
    let query = db
      .selectFrom('outlet')
      .select('id')
      .where('enterprise_id', '=', enterpriseId)
      .where('code', '=', values.code);
    if (selfId !== undefined) query = query.where('id', '<>', selfId);
    if ((await query.executeTakeFirst()) !== undefined) {
      throw new StoreError('STORE_E_DUPLICATE', { field: 'code', value: values.code, enterpriseId });
    }
  }
  if (values.standard_id !== undefined && values.standard_id !== null) {
    const standard = await db
      .selectFrom('emission_standard')
      .select('id')
      .where('id', '=', values.standard_id)
      .executeTakeFirst();
    if (standard === undefined)
      throw new StoreError('STORE_E_REFERENCE', { field: 'standardId', value: values.standard_id });
  }
}
