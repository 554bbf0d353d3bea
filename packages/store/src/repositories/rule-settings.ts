import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import { requireText } from './common.js';

/** The names of the province-wide rule settings. */
export const RULE_SETTING_NAMES = ['anomaly'] as const;
export type RuleSettingName = (typeof RULE_SETTING_NAMES)[number];

/** A stored rule setting: its value (parsed JSON), revision, and who changed it when. */
export interface RuleSettingView<T = unknown> {
  readonly name: RuleSettingName;
  readonly value: T;
  /** 1 for the first save, +1 per change. */
  readonly revision: number;
  readonly updatedAt: number;
  readonly updatedBy: string;
  readonly updatedByName: string;
}

export interface RuleSettingChange {
  readonly at: number;
  /** As the audit log names the actor ('user:7', 'token:3', 'cli'). */
  readonly actor: string;
  readonly actorName: string;
  /**
   * The revision the change was made from (0: never saved); the save is refused when the stored one
   * differs — someone else changed it meanwhile. Undefined: saved whatever the stored revision.
   */
  readonly expectedRevision?: number;
}

const checkName = (name: string): RuleSettingName => {
  if (!(RULE_SETTING_NAMES as readonly string[]).includes(name))
    throw new StoreError('STORE_E_INVALID', { field: 'name', value: name });
  return name as RuleSettingName;
};

/**
 * Province-wide rule settings (migration 0012): one JSON value per name, replaced whole. The value's shape
 * is the caller's (the server checks it); the store keeps the revision and who changed it when.
 */
export class RuleSettingRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async get<T = unknown>(name: RuleSettingName): Promise<RuleSettingView<T> | undefined> {
    const row = await this.#store.db
      .selectFrom('rule_setting')
      .selectAll()
      .where('name', '=', checkName(name))
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      name: row.name as RuleSettingName,
      value: JSON.parse(row.value) as T,
      revision: Number(row.revision),
      updatedAt: Number(row.updated_at),
      updatedBy: row.updated_by,
      updatedByName: row.updated_by_name,
    };
  }

  /**
   * Replaces the setting's value, in one transaction; undefined (nothing written) when
   * `change.expectedRevision` is given and is not the stored revision (0 when never saved).
   */
  async save<T>(
    name: RuleSettingName,
    value: T,
    change: RuleSettingChange,
  ): Promise<RuleSettingView<T> | undefined> {
    checkName(name);
    const json = JSON.stringify(value);
    if (json === undefined) throw new StoreError('STORE_E_INVALID', { field: 'value' });
    const fields = {
      value: json,
      updated_at: change.at,
      updated_by: requireText('actor', change.actor),
      updated_by_name: requireText('actorName', change.actorName),
    };
    const saved = await this.#store.db.transaction().execute(async (trx) => {
      const held = await trx
        .selectFrom('rule_setting')
        .select('revision')
        .where('name', '=', name)
        .executeTakeFirst();
      const current = held === undefined ? 0 : Number(held.revision);
      if (change.expectedRevision !== undefined && change.expectedRevision !== current) return undefined;
      if (held === undefined) {
        // Two first saves at once: the second inserts nothing (the name is the key) and is stale.
        const inserted = await trx
          .insertInto('rule_setting')
          .values({ name, revision: 1, ...fields })
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst();
        return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1 ? 1 : undefined;
      }
      // Compare-and-set on the revision: a concurrent change between the read and here updates nothing.
      const result = await trx
        .updateTable('rule_setting')
        .set({ ...fields, revision: current + 1 })
        .where('name', '=', name)
        .where('revision', '=', current)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? current + 1 : undefined;
    });
    if (saved === undefined) return undefined;
    return {
      name,
      value,
      revision: saved,
      updatedAt: change.at,
      updatedBy: fields.updated_by,
      updatedByName: fields.updated_by_name,
    };
  }
}
