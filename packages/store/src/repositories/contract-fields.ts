import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SqlBool,
  sql,
} from 'kysely';
import { StoreError } from '../errors.js';
import {
  CONTRACTOR_KINDS,
  type ContractorKind,
  type ContractorTable,
  type ContractTable,
  type Database,
} from '../schema.js';
import { parseJsonList, requireOneOf, requireText, requireTextList, requireUscc } from './common.js';

/** Types and row mapping of contractors and contracts (used by `ContractorRepository`). */

/**
 * A contract in force on `day` (Beijing calendar, YYYY-MM-DD): begun, not ended, never cancelled — the one
 * rule for the contractor's access (server scope), the contracts of an enterprise or a point on a day, and
 * the demo accounts. `table` is the contract table's name or alias in the query.
 */
export function contractInForce<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  day: string,
  table = 'contract',
): Expression<SqlBool> {
  return eb.and([
    eb(sql.ref(`${table}.starts_on`), '<=', day),
    eb(sql.ref(`${table}.ends_on`), '>=', day),
    eb(sql.ref(`${table}.cancelled_at`), 'is', null),
  ]);
}

export type FilingStatus = ContractorTable['filing_status'];
export const FILING_STATUSES = ['filed', 'not-filed', 'revoked'] as const satisfies readonly FilingStatus[];

/** A contractor: 承建单位, 运维单位, 巡查单位 or 智能监控 unit, by `kind`. */
export interface ContractorView {
  readonly id: number;
  readonly uscc: string;
  readonly name: string;
  readonly kind: ContractorKind;
  readonly qualifications: string[];
  /** Region codes served (each with the regions below it). */
  readonly serviceRegions: string[];
  /** 自主备案 state with the province. */
  readonly filingStatus: FilingStatus;
}

export interface ContractorInput {
  readonly uscc: string;
  readonly name: string;
  readonly kind: ContractorKind;
  /** Default []. */
  readonly qualifications?: readonly string[];
  /** Default []. */
  readonly serviceRegions?: readonly string[];
  /** Default 'not-filed'. */
  readonly filingStatus?: FilingStatus;
}

export type ContractorPatch = Partial<ContractorInput>;

export interface ContractorQuery {
  readonly kind?: ContractorKind;
  /** Contractors serving this region: it, or a region above it, is among their service regions. */
  readonly serviceRegion?: string;
  readonly filingStatus?: FilingStatus;
}

/** A contract (`contract`) binding a contractor to an enterprise, or to one of its points. */
export interface ContractView {
  readonly id: number;
  readonly contractorId: number;
  readonly enterpriseId: number;
  /** The point it is limited to, or null for all the enterprise's points. */
  readonly pointId: number | null;
  readonly scope: string;
  /** First day, `YYYY-MM-DD`. */
  readonly startsOn: string;
  /** Last day (inclusive), `YYYY-MM-DD`. */
  readonly endsOn: string;
  /** When it was cancelled before it started (epoch ms), or null; a cancelled contract is never in force. */
  readonly cancelledAt: number | null;
  /** Why it was cancelled, or null. */
  readonly cancelReason: string | null;
}

export interface ContractInput {
  readonly contractorId: number;
  readonly enterpriseId: number;
  readonly pointId?: number | null;
  readonly scope: string;
  readonly startsOn: string;
  readonly endsOn: string;
}

/**
 * A correction of a contract: the fields given are changed. The store checks the merged contract as it
 * would a new one (dates in order, references, the point one of the enterprise's); which changes are
 * allowed when (e.g. not the enterprise of a contract that has started) is the caller's rule.
 */
export interface ContractPatch {
  readonly enterpriseId?: number;
  readonly pointId?: number | null;
  readonly scope?: string;
  readonly endsOn?: string;
}

/** Whose contractors `contractorsFor` looks up. */
export type ContractTarget = { readonly enterpriseId: number } | { readonly pointId: number };

export type ContractorColumns = Partial<Omit<Selectable<ContractorTable>, 'id'>>;

export function contractorView(row: Selectable<ContractorTable>): ContractorView {
  return {
    id: Number(row.id),
    uscc: row.uscc,
    name: row.name,
    kind: row.kind,
    qualifications: parseJsonList(row.qualifications),
    serviceRegions: parseJsonList(row.service_regions),
    filingStatus: row.filing_status,
  };
}

export function contractView(row: Selectable<ContractTable>): ContractView {
  return {
    id: Number(row.id),
    contractorId: Number(row.contractor_id),
    enterpriseId: Number(row.enterprise_id),
    pointId: row.point_id === null ? null : Number(row.point_id),
    scope: row.scope,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    cancelledAt: row.cancelled_at === null ? null : Number(row.cancelled_at),
    cancelReason: row.cancel_reason,
  };
}

/** The validated columns of a contractor input or patch (only the fields given). */
export function contractorColumns(patch: ContractorPatch): ContractorColumns {
  const out: ContractorColumns = {};
  if (patch.uscc !== undefined) out.uscc = requireUscc(patch.uscc);
  if (patch.name !== undefined) out.name = requireText('name', patch.name);
  if (patch.kind !== undefined) out.kind = requireOneOf('kind', patch.kind, CONTRACTOR_KINDS);
  if (patch.qualifications !== undefined) {
    out.qualifications = JSON.stringify(requireTextList('qualifications', patch.qualifications));
  }
  if (patch.serviceRegions !== undefined) {
    out.service_regions = JSON.stringify(requireTextList('serviceRegions', patch.serviceRegions));
  }
  if (patch.filingStatus !== undefined)
    out.filing_status = requireOneOf('filingStatus', patch.filingStatus, FILING_STATUSES);
  return out;
}

/** The enterprise a point belongs to (through its outlet), or undefined when there is no such point. */
export async function pointEnterprise(db: Kysely<Database>, pointId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('monitoring_point')
    .innerJoin('outlet', 'outlet.id', 'monitoring_point.outlet_id')
    .select('outlet.enterprise_id')
    .where('monitoring_point.id', '=', pointId)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.enterprise_id);
}

/** The USCC must be free and every service region must exist. */
export async function checkContractor(
  db: Kysely<Database>,
  values: ContractorColumns,
  selfId?: number,
): Promise<void> {
  if (values.uscc !== undefined) {
    let query = db.selectFrom('contractor').select('id').where('uscc', '=', values.uscc);
    if (selfId !== undefined) query = query.where('id', '<>', selfId);
    if ((await query.executeTakeFirst()) !== undefined)
      throw new StoreError('STORE_E_DUPLICATE', { field: 'uscc', value: values.uscc });
  }
  if (values.service_regions !== undefined) {
    const codes = parseJsonList(values.service_regions);
    if (codes.length === 0) return;
    const known = await db.selectFrom('region').select('code').where('code', 'in', codes).execute();
    const missing = codes.find((code) => !known.some((row) => row.code === code));
    if (missing !== undefined)
      throw new StoreError('STORE_E_REFERENCE', { field: 'serviceRegions', value: missing });
  }
}
