import type { Selectable } from 'kysely';
import type { Store } from '../database.js';
import type { RegionTable } from '../schema.js';
import { regionSubtree } from './common.js';

export type RegionLevel = RegionTable['level'];
export const REGION_LEVELS = ['province', 'city', 'county'] as const satisfies readonly RegionLevel[];

/** A GB/T 2260 administrative division (辖区 `region`). */
export interface RegionView {
  readonly code: string;
  readonly name: string;
  readonly level: RegionLevel;
  readonly parentCode: string | null;
}

function view(row: Selectable<RegionTable>): RegionView {
  return { code: row.code, name: row.name, level: row.level, parentCode: row.parent_code };
}

/**
 * Administrative divisions, read-only (seeded by migration). `subtree` is the region scope every
 * region-bound query applies; other repositories use the same CTE through `regionSubtree`.
 */
export class RegionRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async get(code: string): Promise<RegionView | undefined> {
    const row = await this.#store.db
      .selectFrom('region')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirst();
    return row === undefined ? undefined : view(row);
  }

  /** The regions directly below `code`, by code. */
  async children(code: string): Promise<RegionView[]> {
    const rows = await this.#store.db
      .selectFrom('region')
      .selectAll()
      .where('parent_code', '=', code)
      .orderBy('code')
      .execute();
    return rows.map(view);
  }

  /** All regions (or those of one level), by code. */
  async list(level?: RegionLevel): Promise<RegionView[]> {
    let query = this.#store.db.selectFrom('region').selectAll();
    if (level !== undefined) query = query.where('level', '=', level);
    const rows = await query.orderBy('code').execute();
    return rows.map(view);
  }

  /** The codes of `code` and of every region below it, sorted; empty when `code` does not exist. */
  async subtree(code: string): Promise<string[]> {
    const rows = await regionSubtree(this.#store.db, code).orderBy('subtree.code').execute();
    return rows.map((row) => row.code);
  }

  /** The codes from `code` up to its root: `code` first, then its parent, …; empty when it does not exist. */
  async ancestors(code: string): Promise<string[]> {
    const rows = await this.#store.db
      .withRecursive('up(code, parent_code, depth)', (qb) =>
        qb
          .selectFrom('region')
          .select(['region.code', 'region.parent_code', (eb) => eb.lit(0).as('depth')])
          .where('region.code', '=', code)
          .unionAll(
            qb
              .selectFrom('region')
              .innerJoin('up', 'up.parent_code', 'region.code')
              .select([
                'region.code',
                'region.parent_code',
                (eb) => eb(eb.ref('up.depth'), '+', 1).as('depth'),
              ]),
          ),
      )
      .selectFrom('up')
      .select('up.code')
      .orderBy('up.depth')
      .execute();
    return rows.map((row) => row.code);
  }

  /** Whether `code` is `ancestor` or lies below it. */
  async contains(ancestor: string, code: string): Promise<boolean> {
    return (await this.ancestors(code)).includes(ancestor);
  }
}
