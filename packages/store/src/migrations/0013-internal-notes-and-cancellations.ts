import type { Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.js';

/**
 * Two additions to existing workflows (one column per statement: SQLite adds one column at a time):
 * - `tip_off.internal_note`: the authorities' own note on a tip-off, never shown to the filer (the public
 *   lookup shows `note`, the handling note, only);
 * - `contract.cancelled_at`, `contract.cancel_reason`: a contract cancelled before it started (a contract
 *   that has started is ended early instead). A cancelled contract is never in force.
 */
export function internalNotesAndCancellations(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('tip_off').addColumn('internal_note', 'text').execute();
      await db.schema.alterTable('contract').addColumn('cancelled_at', t.instant).execute();
      await db.schema.alterTable('contract').addColumn('cancel_reason', 'text').execute();
    },
  };
}
