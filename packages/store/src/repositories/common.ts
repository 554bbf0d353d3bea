import { type Kysely, type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import type { DialectName } from '../dialect.js';
import { StoreError } from '../errors.js';
import type { Database } from '../schema.js';
import { usccProblem } from '../uscc.js';

/** A PostgreSQL connection inside a transaction the caller began (for ingest units spanning repositories). */
export type PgClient = pg.ClientBase;

/**
 * Validation and SQL helpers shared by the registry repositories. Validation failures are StoreErrors
 * naming the field (`STORE_E_INVALID`, `STORE_E_USCC_INVALID`, `STORE_E_REFERENCE`).
 */

/** A required, non-blank string, trimmed. */
export function requireText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0)
    throw new StoreError('STORE_E_INVALID', { field, value });
  return value.trim();
}

/** An optional string: undefined/null/blank → null, else trimmed. */
export function optionalText(field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new StoreError('STORE_E_INVALID', { field, value });
  const text = value.trim();
  return text.length === 0 ? null : text;
}

/** One of a fixed set of string literals. */
export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new StoreError('STORE_E_INVALID', { field, value, allowed });
  }
  return value as T;
}

/** An optional finite number within [min, max]: undefined/null → null. */
export function optionalNumber(
  field: string,
  value: unknown,
  min = -Infinity,
  max = Infinity,
): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new StoreError('STORE_E_INVALID', { field, value });
  }
  return value;
}

/** A required finite number within [min, max]. */
export function requireNumber(field: string, value: unknown, min = -Infinity, max = Infinity): number {
  const number = optionalNumber(field, value, min, max);
  if (number === null) throw new StoreError('STORE_E_INVALID', { field, value });
  return number;
}

/** A required integer within [min, max]. */
export function requireInteger(field: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new StoreError('STORE_E_INVALID', { field, value });
  }
  return value;
}

/** A required id (positive integer). */
export function requireId(field: string, value: unknown): number {
  return requireInteger(field, value, 1);
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (match === null) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.toISOString().slice(0, 10) === value;
}

export function requireDate(field: string, value: unknown): string {
  if (!isCalendarDate(value)) throw new StoreError('STORE_E_INVALID', { field, value });
  return value;
}

/** An optional `YYYY-MM-DD`: undefined/null → null. */
export function optionalDate(field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return requireDate(field, value);
}

/** `from` must not be after `to` (both `YYYY-MM-DD`, so they compare as text). */
export function requireDateOrder(fromField: string, from: string, toField: string, to: string): void {
  if (from > to)
    throw new StoreError('STORE_E_INVALID', {
      field: toField,
      value: to,
      [fromField]: from,
      problem: 'order',
    });
}

/** A GB 32100 code, normalised (trimmed, upper case); a missing one is STORE_E_INVALID, a bad one STORE_E_USCC_INVALID. */
export function requireUscc(value: unknown, field = 'uscc'): string {
  const text = requireText(field, value).toUpperCase();
  const problem = usccProblem(text);
  if (problem !== undefined) throw new StoreError('STORE_E_USCC_INVALID', { field, value, problem });
  return text;
}

/** The normalised form a USCC is stored in (for look-ups). */
export function normaliseUscc(value: string): string {
  return value.trim().toUpperCase();
}

/** A list of distinct non-blank strings (trimmed); duplicates are an input error. */
export function requireTextList(field: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw new StoreError('STORE_E_INVALID', { field, value });
  const out = value.map((item) => requireText(field, item));
  const duplicate = out.find((item, i) => out.indexOf(item) !== i);
  if (duplicate !== undefined)
    throw new StoreError('STORE_E_INVALID', { field, value: duplicate, problem: 'repeated' });
  return out;
}

/** JSON text of a string array as stored, read back (tolerating a malformed cell as empty). */
export function parseJsonList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * A text column for ORDER BY, compared by code point on both dialects (SQLite's BINARY collation; the "C"
 * collation on PostgreSQL), so that lists come back in the same order whatever the server's locale.
 */
export function textOrder(dialect: DialectName, column: string): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`${sql.ref(column)} collate "C"`
    : sql<string>`${sql.ref(column)}`;
}

/** `column LIKE '%text%'`, case-insensitive for Latin letters, with `%`, `_` and `\` in `text` taken literally. */
export function containsText(column: string, text: string): RawBuilder<boolean> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/**
 * The codes of a region and every region below it (a recursive CTE, the same SQL on both dialects), as a
 * subquery: `where('region_code', 'in', regionSubtree(db, code))`. Every region-scoped query uses this.
 */
export function regionSubtree(db: Kysely<Database>, code: string) {
  return db
    .withRecursive('subtree(code)', (qb) =>
      qb
        .selectFrom('region')
        .select('region.code')
        .where('region.code', '=', code)
        .unionAll(
          qb
            .selectFrom('region')
            .innerJoin('subtree', 'subtree.code', 'region.parent_code')
            .select('region.code'),
        ),
    )
    .selectFrom('subtree')
    .select('subtree.code');
}

/** What a report groups by: a point, its enterprise, or the enterprise's region. */
export type Subject = 'point' | 'enterprise' | 'region';

/** The column of each subject, in queries that join `monitoring_point as p`, `outlet as o`, `enterprise as e`. */
export const SUBJECT_COLUMN = {
  point: 'p.id',
  enterprise: 'o.enterprise_id',
  region: 'e.region_code',
} as const;
