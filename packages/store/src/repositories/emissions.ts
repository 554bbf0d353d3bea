import type { Selectable } from 'kysely';
import type { Store } from '../database.js';
import type { EmissionHourTable } from '../schema.js';
import { SUBJECT_COLUMN, type Subject } from './common.js';

export type EmissionHour = Selectable<EmissionHourTable>;

export interface EmissionTotal {
  /** Point id, enterprise id or region code. */
  readonly key: string;
  readonly factorCode: string;
  readonly kg: number;
  /** Hours with an amount, and invalid hours (no amount yet). */
  readonly hours: number;
  readonly invalidHours: number;
}

/** Hourly emissions, replaced whole when an hour is re-judged; totals are SQL sums. */
export class EmissionRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Writes the hours of a point-day, replacing what was held for exactly those point × factor × hours. */
  async replaceDay(pointId: number, from: number, to: number, rows: readonly EmissionHour[]): Promise<void> {
    await this.#store.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('emission_hour')
        .where('point_id', '=', pointId)
        .where('period_start', '>=', from)
        .where('period_start', '<', to)
        .execute();
      for (let i = 0; i < rows.length; i += 500)
        await trx
          .insertInto('emission_hour')
          .values(rows.slice(i, i + 500))
          .execute();
    });
  }

  async hours(pointId: number, from: number, to: number): Promise<EmissionHour[]> {
    return this.#store.db
      .selectFrom('emission_hour')
      .selectAll()
      .where('point_id', '=', pointId)
      .where('period_start', '>=', from)
      .where('period_start', '<', to)
      .orderBy('factor_code')
      .orderBy('period_start')
      .execute();
  }

  /** Σ kg over [from, to) per subject (point, enterprise or region) and pollutant. */
  async totals(options: {
    from: number;
    to: number;
    groupBy: Subject;
    pointIds?: readonly number[];
  }): Promise<EmissionTotal[]> {
    const key = SUBJECT_COLUMN[options.groupBy];
    let query = this.#store.db
      .selectFrom('emission_hour as h')
      .innerJoin('monitoring_point as p', 'p.id', 'h.point_id')
      .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
      .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
      .where('h.period_start', '>=', options.from)
      .where('h.period_start', '<', options.to)
      .select((eb) => [
        eb.ref(key).as('key'),
        'h.factor_code',
        eb.fn.coalesce(eb.fn.sum<number | string>('h.kg'), eb.lit(0)).as('kg'),
        eb.fn.count<number | string>('h.kg').as('hours'),
        eb.fn.sum<number | string>(eb.case().when('h.kg', 'is', null).then(1).else(0).end()).as('invalid'),
      ])
      .groupBy([key, 'h.factor_code'])
      .orderBy(key)
      .orderBy('h.factor_code');
    if (options.pointIds !== undefined) query = query.where('h.point_id', 'in', [...options.pointIds, -1]);
    const rows = (await query.execute()) as Record<string, unknown>[];
    return rows.map((r) => ({
      key: String(r.key),
      factorCode: String(r.factor_code),
      kg: Number(r.kg),
      hours: Number(r.hours),
      invalidHours: Number(r.invalid),
    }));
  }
}
