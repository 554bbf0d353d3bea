import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';
// Migration 0006's list, which never changes; `FORWARDABLE` in repositories/forwarding.ts writes the same
// predicate from its own copy, in the same order.
import { FORWARDED_CNS } from './0006-forwarding.js';

/**
 * SQLite only: `raw_frame_forward`'s predicate written as `cn = … or cn = …` instead of `cn in (…)`. SQLite
 * tests a partial index's WHERE on every insert, and an IN list there is built into a temporary table each
 * time the insert statement runs — for the gateway, once per archived frame: 2.5 µs of a 6.4 µs insert,
 * against 0.5 µs for the same test written with ORs (docs/benchmarks.md, bench/gateway, seventh look). The
 * rows covered are the same. PostgreSQL evaluates the IN list cheaply and keeps its index (rebuilding it
 * would read the whole archive). On SQLite the index is rebuilt once, by reading the archive.
 */
export function forwardIndexWithoutInList(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'sqlite') return;
      await db.schema.dropIndex('raw_frame_forward').execute();
      const anyOf = FORWARDED_CNS.map((cn) => `cn = '${cn}'`).join(' or ');
      await db.schema
        .createIndex('raw_frame_forward')
        .on('raw_frame')
        .columns(['id', 'mn', 'received_at'])
        .where(sql<boolean>`verdict = 'accepted' and (${sql.raw(anyOf)})`)
        .execute();
    },
  };
}
