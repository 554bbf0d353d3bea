import type { Kysely, Selectable } from 'kysely';
import { StoreError } from '../errors.js';
import type { Database, EnterpriseKeyUnitTable, EnterpriseTable } from '../schema.js';
import { optionalNumber, optionalText, requireOneOf, requireText, requireUscc } from './common.js';

/** Types, row mapping and checks of enterprises (used by `EnterpriseRepository`). */

export type EnterpriseStatus = EnterpriseTable['status'];
export const ENTERPRISE_STATUSES = [
  'active',
  'suspended',
  'closed',
] as const satisfies readonly EnterpriseStatus[];

/** 重点排污单位名录 categories. */
export type KeyUnitCategory = EnterpriseKeyUnitTable['category'];
export const KEY_UNIT_CATEGORIES = [
  'water',
  'gas',
  'soil',
  'noise',
  'environmental-risk',
  'other',
] as const satisfies readonly KeyUnitCategory[];

/** A 重点排污单位 (`enterprise`). */
export interface EnterpriseView {
  readonly id: number;
  readonly uscc: string;
  readonly name: string;
  readonly regionCode: string;
  readonly industryCode: string | null;
  readonly address: string | null;
  readonly longitude: number | null;
  readonly latitude: number | null;
  readonly contactName: string | null;
  readonly contactPhone: string | null;
  readonly status: EnterpriseStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface EnterpriseInput {
  /** 统一社会信用代码, checked under GB 32100-2015 (stored upper case). */
  readonly uscc: string;
  readonly name: string;
  readonly regionCode: string;
  readonly industryCode?: string | null;
  readonly address?: string | null;
  readonly longitude?: number | null;
  readonly latitude?: number | null;
  readonly contactName?: string | null;
  readonly contactPhone?: string | null;
  /** Default 'active'. */
  readonly status?: EnterpriseStatus;
}

/** Fields to change; absent fields are kept, `null` clears an optional field. */
export type EnterprisePatch = Partial<EnterpriseInput>;

export interface EnterpriseQuery {
  /** Only enterprises in this region or below it. */
  readonly regionCode?: string;
  readonly status?: EnterpriseStatus;
  /** Part of the name (Latin letters case-insensitive). */
  readonly nameContains?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** An enterprise's 名录 membership in one year. */
export interface KeyUnitYear {
  readonly year: number;
  readonly categories: KeyUnitCategory[];
}

/** One entry of a year's 重点排污单位名录. */
export interface KeyUnitListing {
  readonly enterprise: EnterpriseView;
  readonly categories: KeyUnitCategory[];
}

type EnterpriseRow = Selectable<EnterpriseTable>;

export function enterpriseView(row: EnterpriseRow): EnterpriseView {
  return {
    id: Number(row.id),
    uscc: row.uscc,
    name: row.name,
    regionCode: row.region_code,
    industryCode: row.industry_code,
    address: row.address,
    longitude: row.longitude,
    latitude: row.latitude,
    contactName: row.contact_name,
    contactPhone: row.contact_phone,
    status: row.status,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** The columns a patch sets (validated), for insert or update. */
export function enterpriseColumns(
  patch: EnterprisePatch,
): Partial<Omit<EnterpriseRow, 'id' | 'created_at' | 'updated_at'>> {
  const out: Partial<Omit<EnterpriseRow, 'id' | 'created_at' | 'updated_at'>> = {};
  if (patch.uscc !== undefined) out.uscc = requireUscc(patch.uscc);
  if (patch.name !== undefined) out.name = requireText('name', patch.name);
  if (patch.regionCode !== undefined) out.region_code = requireText('regionCode', patch.regionCode);
  if (patch.industryCode !== undefined) out.industry_code = optionalText('industryCode', patch.industryCode);
  if (patch.address !== undefined) out.address = optionalText('address', patch.address);
  if (patch.longitude !== undefined) out.longitude = optionalNumber('longitude', patch.longitude, -180, 180);
  if (patch.latitude !== undefined) out.latitude = optionalNumber('latitude', patch.latitude, -90, 90);
  if (patch.contactName !== undefined) out.contact_name = optionalText('contactName', patch.contactName);
  if (patch.contactPhone !== undefined) out.contact_phone = optionalText('contactPhone', patch.contactPhone);
  if (patch.status !== undefined) out.status = requireOneOf('status', patch.status, ENTERPRISE_STATUSES);
  return out;
}
/** The region must exist and the USCC must be free (checked here, not left to the driver's error). */
export async function checkEnterpriseReferences(
  db: Kysely<Database>,
  values: { uscc?: string; region_code?: string },
  selfId?: number,
): Promise<void> {
  if (values.region_code !== undefined) {
    const region = await db
      .selectFrom('region')
      .select('code')
      .where('code', '=', values.region_code)
      .executeTakeFirst();
    if (region === undefined)
      throw new StoreError('STORE_E_REFERENCE', { field: 'regionCode', value: values.region_code });
  }
  if (values.uscc !== undefined) {
    let query = db.selectFrom('enterprise').select('id').where('uscc', '=', values.uscc);
    if (selfId !== undefined) query = query.where('id', '<>', selfId);
    if ((await query.executeTakeFirst()) !== undefined) {
      throw new StoreError('STORE_E_DUPLICATE', { field: 'uscc', value: values.uscc });
    }
  }
}
