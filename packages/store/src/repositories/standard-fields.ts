import type { Kysely, Selectable } from 'kysely';
import { StoreError } from '../errors.js';
import type { Database, EmissionStandardTable, StandardLimitTable } from '../schema.js';
import { optionalNumber, optionalText, requireNumber, requireOneOf, requireText } from './common.js';

/** Types, row mapping and checks of emission standards and limits (used by `StandardRepository`). */

export type StandardKind = EmissionStandardTable['kind'];
export const STANDARD_KINDS = ['water', 'gas'] as const satisfies readonly StandardKind[];
export type LimitPeriod = StandardLimitTable['period'];
export const LIMIT_PERIODS = ['hour', 'day', 'instant'] as const satisfies readonly LimitPeriod[];

/** A limit (`limit`) of an emission standard for one factor, period and source category. */
export interface LimitView {
  readonly id: number;
  readonly factorCode: string;
  readonly period: LimitPeriod;
  readonly limitValue: number;
  readonly unit: string;
  /** The source category / grade / condition, or null for all. */
  readonly appliesTo: string | null;
  /** This row's 基准氧含量 (%), or null (the standard's applies). */
  readonly referenceO2: number | null;
}

/** A limit as `limitFor` finds it, with the reference O₂ that applies to it. */
export interface ApplicableLimit extends LimitView {
  readonly standardId: number;
  /** The row's reference O₂, else the standard's, else null. */
  readonly effectiveReferenceO2: number | null;
}

/** An emission standard (`emissionStandard`); `limits` only where the read says so. */
export interface StandardView {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly kind: StandardKind;
  readonly referenceO2: number | null;
  /** Created by a user (not shipped with the platform). */
  readonly local: boolean;
  readonly notes: string | null;
}

export interface StandardWithLimits extends StandardView {
  readonly limits: LimitView[];
}

export interface LimitInput {
  readonly factorCode: string;
  readonly period: LimitPeriod;
  readonly limitValue: number;
  readonly unit: string;
  readonly appliesTo?: string | null;
  readonly referenceO2?: number | null;
}

export interface StandardInput {
  readonly code: string;
  readonly name: string;
  readonly kind: StandardKind;
  readonly referenceO2?: number | null;
  readonly notes?: string | null;
  readonly limits: readonly LimitInput[];
}

/** Fields of the standard itself to change (limits through `setLimits`). */
export type StandardPatch = Partial<Omit<StandardInput, 'limits'>>;

export type StandardColumns = Partial<Omit<Selectable<EmissionStandardTable>, 'id' | 'local'>>;

export function standardView(row: Selectable<EmissionStandardTable>): StandardView {
  return {
    id: Number(row.id),
    code: row.code,
    name: row.name,
    kind: row.kind,
    referenceO2: row.reference_o2,
    local: Number(row.local) === 1,
    notes: row.notes,
  };
}

export function limitView(row: Selectable<StandardLimitTable>): LimitView {
  return {
    id: Number(row.id),
    factorCode: row.factor_code,
    period: row.period,
    limitValue: row.limit_value,
    unit: row.unit,
    appliesTo: row.applies_to,
    referenceO2: row.reference_o2,
  };
}

export function standardColumns(patch: StandardPatch): StandardColumns {
  const out: StandardColumns = {};
  if (patch.code !== undefined) out.code = requireText('code', patch.code);
  if (patch.name !== undefined) out.name = requireText('name', patch.name);
  if (patch.kind !== undefined) out.kind = requireOneOf('kind', patch.kind, STANDARD_KINDS);
  if (patch.referenceO2 !== undefined)
    out.reference_o2 = optionalNumber('referenceO2', patch.referenceO2, 0, 21);
  if (patch.notes !== undefined) out.notes = optionalText('notes', patch.notes);
  return out;
}

export function limitRows(standardId: number, limits: readonly LimitInput[]) {
  if (!Array.isArray(limits)) throw new StoreError('STORE_E_INVALID', { field: 'limits', value: limits });
  const seen = new Set<string>();
  return limits.map((limit) => {
    const row = {
      standard_id: standardId,
      factor_code: requireText('factorCode', limit.factorCode),
      period: requireOneOf('period', limit.period, LIMIT_PERIODS),
      limit_value: requireNumber('limitValue', limit.limitValue),
      unit: requireText('unit', limit.unit),
      applies_to: optionalText('appliesTo', limit.appliesTo),
      reference_o2: optionalNumber('referenceO2', limit.referenceO2, 0, 21),
    };
    const key = `${row.factor_code}\u0000${row.period}\u0000${row.applies_to ?? ''}`;
    if (seen.has(key)) {
      throw new StoreError('STORE_E_INVALID', {
        field: 'limits',
        value: key.replaceAll('\u0000', ' '),
        problem: 'repeated',
      });
    }
    seen.add(key);
    return row;
  });
}

/** "a b c" → ["a b c", "a b", "a"]; undefined or blank → []. */
export function categoryFallbacks(appliesTo: string | undefined): string[] {
  const words = (appliesTo ?? '')
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const out: string[] = [];
  for (let n = words.length; n > 0; n--) out.push(words.slice(0, n).join(' '));
  if (appliesTo !== undefined && appliesTo.trim().length > 0 && out[0] !== appliesTo.trim())
    out.unshift(appliesTo.trim());
  return out;
}

export async function requireStandard(db: Kysely<Database>, id: number): Promise<void> {
  const held = await db.selectFrom('emission_standard').select('id').where('id', '=', id).executeTakeFirst();
  if (held === undefined) throw new StoreError('STORE_E_NOT_FOUND', { entity: 'emissionStandard', id });
}

export async function checkStandardCode(db: Kysely<Database>, code: string, selfId?: number): Promise<void> {
  let query = db.selectFrom('emission_standard').select('id').where('code', '=', code);
  if (selfId !== undefined) query = query.where('id', '<>', selfId);
  if ((await query.executeTakeFirst()) !== undefined)
    throw new StoreError('STORE_E_DUPLICATE', { field: 'code', value: code });
}
