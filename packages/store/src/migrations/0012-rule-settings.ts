import type { Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.js';

/**
 * Province-wide rule settings (e.g. `anomaly`: the anomaly thresholds, per-factor overrides and detectors
 * switched off), one row per setting: its value as JSON, a revision that counts the changes (so two
 * administrators cannot overwrite each other unknowingly), and who changed it when. The history of
 * changes, with before and after, is in the audit log.
 */
export function ruleSettings(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('rule_setting')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('revision', t.counter, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        // The actor as the audit log names it ('user:7', 'token:3', 'cli'), and the person's name.
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_by_name', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
