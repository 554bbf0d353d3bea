import type { Selectable } from 'kysely';
import type { Store } from '../database.js';
import type { AlarmTable } from '../schema.js';

export type AlarmRecord = Omit<Selectable<AlarmTable>, 'detail'> & {
  readonly detail: Record<string, unknown>;
};

export interface AlarmEpisode {
  readonly pointId: number;
  readonly factorCode: string | null;
  readonly type: string;
  readonly openedAt: number;
  readonly closedAt: number | null;
  readonly peakValue: number | null;
  readonly limitValue: number | null;
  readonly detail: Record<string, unknown>;
  readonly ruleVersion: string;
}

/**
 * Alarm episodes: one row per episode (point × factor × type), open while its condition holds. `save`
 * writes what the rules computed for an episode — the open one is found by its key, so re-running a
 * period updates the same row instead of adding another.
 */
export class AlarmRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Creates or updates the episode that began at `openedAt` (matched by point, factor, type, start). */
  async save(episode: AlarmEpisode, now: number): Promise<AlarmRecord> {
    const values = {
      point_id: episode.pointId,
      factor_code: episode.factorCode,
      type: episode.type,
      opened_at: episode.openedAt,
      closed_at: episode.closedAt,
      peak_value: episode.peakValue,
      limit_value: episode.limitValue,
      detail: JSON.stringify(episode.detail),
      rule_version: episode.ruleVersion,
      updated_at: now,
    };
    return this.#store.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('alarm')
        .select('id')
        .where('point_id', '=', episode.pointId)
        .where('type', '=', episode.type)
        .where('opened_at', '=', episode.openedAt);
      query =
        episode.factorCode === null
          ? query.where('factor_code', 'is', null)
          : query.where('factor_code', '=', episode.factorCode);
      const held = await query.executeTakeFirst();
      const row =
        held === undefined
          ? await trx.insertInto('alarm').values(values).returningAll().executeTakeFirstOrThrow()
          : await trx
              .updateTable('alarm')
              .set(values)
              .where('id', '=', held.id)
              .returningAll()
              .executeTakeFirstOrThrow();
      return view(row);
    });
  }

  /** The open episode of a point × factor × type, if any. */
  async open(pointId: number, factorCode: string | null, type: string): Promise<AlarmRecord | undefined> {
    let query = this.#store.db
      .selectFrom('alarm')
      .selectAll()
      .where('point_id', '=', pointId)
      .where('type', '=', type)
      .where('closed_at', 'is', null);
    query =
      factorCode === null
        ? query.where('factor_code', 'is', null)
        : query.where('factor_code', '=', factorCode);
    const row = await query.executeTakeFirst();
    return row === undefined ? undefined : view(row);
  }

  /** Episodes overlapping [from, to) (open ones included), by point and/or type, oldest first. */
  async list(
    options: {
      pointId?: number;
      type?: string;
      from?: number;
      to?: number;
      openOnly?: boolean;
      limit?: number;
    } = {},
  ): Promise<AlarmRecord[]> {
    let query = this.#store.db.selectFrom('alarm').selectAll();
    if (options.pointId !== undefined) query = query.where('point_id', '=', options.pointId);
    if (options.type !== undefined) query = query.where('type', '=', options.type);
    if (options.to !== undefined) query = query.where('opened_at', '<', options.to);
    if (options.from !== undefined) {
      const from = options.from;
      query = query.where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>', from)]));
    }
    if (options.openOnly === true) query = query.where('closed_at', 'is', null);
    const rows = await query
      .orderBy('opened_at')
      .orderBy('id')
      .limit(options.limit ?? 10_000)
      .execute();
    return rows.map(view);
  }
}

function view(row: Selectable<AlarmTable>): AlarmRecord {
  return { ...row, detail: JSON.parse(row.detail) as Record<string, unknown> };
}
