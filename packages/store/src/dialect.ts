import { type Kysely, type RawBuilder, sql } from 'kysely';

/** The two backends behind the store's one seam. */
export const DIALECTS = ['sqlite', 'postgres'] as const;
export type DialectName = (typeof DIALECTS)[number];

/** Column types that differ between the dialects, for migrations. */
export interface ColumnTypes {
  /** Auto-increment primary key. */
  readonly id: 'integer' | 'bigserial';
  /** A reference to an id. */
  readonly ref: 'integer' | 'bigint';
  /** Epoch milliseconds. */
  readonly instant: 'integer' | 'bigint';
  /** A count that may pass 2^31. */
  readonly counter: 'integer' | 'bigint';
  readonly real: 'real' | 'double precision';
  readonly bytes: 'blob' | 'bytea';
}

export function columnTypes(dialect: DialectName): ColumnTypes {
  return dialect === 'postgres'
    ? {
        id: 'bigserial',
        ref: 'bigint',
        instant: 'bigint',
        counter: 'bigint',
        real: 'double precision',
        bytes: 'bytea',
      }
    : { id: 'integer', ref: 'integer', instant: 'integer', counter: 'integer', real: 'real', bytes: 'blob' };
}

/**
 * A CHECK expression that `column` holds one of `values` (or NULL), for migrations. Migrations spell
 * their lists out rather than importing the repositories' constants, so an old migration never changes.
 */
export function oneOf(column: string, values: readonly string[]): RawBuilder<unknown> {
  for (const v of values) if (!/^[a-z0-9_-]+$/.test(v)) throw new Error(`not a plain enum value: ${v}`);
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
}

/**
 * `CREATE TABLE <table>` with an `id` primary key that numbers rows itself (SQLite AUTOINCREMENT, so ids
 * are never reused; PostgreSQL bigserial), for migrations to add the other columns to.
 */
export function tableWithId(db: Kysely<unknown>, dialect: DialectName, table: string) {
  return db.schema
    .createTable(table)
    .addColumn('id', columnTypes(dialect).id, (c) =>
      dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    );
}
