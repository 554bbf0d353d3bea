import type { Selectable } from 'kysely';
import type { Store } from '../database.js';
import type { JudgementView, PeriodJudgementTable, TransmissionDayTable } from '../schema.js';
import { ArrayRows } from './array-rows.js';
import { SUBJECT_COLUMN, type Subject } from './common.js';

export type PeriodJudgement = Selectable<PeriodJudgementTable>;
export type TransmissionDay = Selectable<TransmissionDayTable>;

/**
 * One factor's judgements of a point, column by column, in time order (for charts and tables beside the
 * observations' `SampleColumns`): entry `i` belongs to the period starting at `periodStart[i]`.
 */
export interface JudgementColumns {
  readonly factorCode: string;
  readonly periodStart: number[];
  readonly validity: PeriodJudgementTable['validity'][];
  readonly reason: string[];
}

export interface TransmissionTotals {
  readonly expected: number;
  readonly received: number;
  readonly valid: number;
  readonly excluded: number;
}

export interface TransmissionGroup extends TransmissionTotals {
  /** The group's key: point id, enterprise id or region code (with the factor when grouped by factor). */
  readonly key: string;
  readonly factorCode?: string;
}

/**
 * The analysis engine's results: per-period judgements (replaced whole when a period is re-judged) and
 * daily transmission counts, the base of every rate report — summed by SQL (Σ numerators / Σ denominators),
 * never averaged.
 */
export class JudgementRepository {
  readonly #store: Store;
  readonly #rows: ArrayRows;

  constructor(store: Store) {
    this.#store = store;
    this.#rows = new ArrayRows(store);
  }

  /** Writes judgements, replacing any held for the same point × factor × period × start × view. */
  async saveJudgements(rows: readonly PeriodJudgement[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('period_judgement')
          .values(rows.slice(i, i + 500))
          .onConflict((oc) =>
            oc.columns(['point_id', 'factor_code', 'period', 'period_start', 'view']).doUpdateSet((eb) => ({
              validity: eb.ref('excluded.validity'),
              reason: eb.ref('excluded.reason'),
              value: eb.ref('excluded.value'),
              corrected_value: eb.ref('excluded.corrected_value'),
              rule_version: eb.ref('excluded.rule_version'),
              judged_at: eb.ref('excluded.judged_at'),
            })),
          )
          .execute();
      }
    });
  }

  async judgements(
    pointId: number,
    period: PeriodJudgement['period'],
    from: number,
    to: number,
    view: JudgementView,
  ): Promise<PeriodJudgement[]> {
    return this.#store.db
      .selectFrom('period_judgement')
      .selectAll()
      .where('point_id', '=', pointId)
      .where('period', '=', period)
      .where('view', '=', view)
      .where('period_start', '>=', from)
      .where('period_start', '<', to)
      .orderBy('factor_code')
      .orderBy('period_start')
      .execute();
  }

  /**
   * A point's judgements of one period kind and view in [from, to) as columns per factor (in code order):
   * validity and reason only, read as arrays (ArrayRows) — a month of hourly judgements is thousands of rows.
   */
  async validityColumns(
    pointId: number,
    period: PeriodJudgement['period'],
    from: number,
    to: number,
    view: JudgementView,
  ): Promise<JudgementColumns[]> {
    const rows = await this.#rows.read(
      'SELECT factor_code, period_start, validity, reason FROM period_judgement WHERE point_id = ? AND ' +
        'period = ? AND view = ? AND period_start >= ? AND period_start < ? ORDER BY factor_code, period_start',
      [pointId, period, view, from, to],
    );
    const out: JudgementColumns[] = [];
    let current: JudgementColumns | undefined;
    for (const row of rows) {
      const factorCode = row[0] as string;
      if (current === undefined || current.factorCode !== factorCode) {
        current = { factorCode, periodStart: [], validity: [], reason: [] };
        out.push(current);
      }
      current.periodStart.push(Number(row[1]));
      current.validity.push(row[2] as PeriodJudgementTable['validity']);
      current.reason.push(row[3] as string);
    }
    return out;
  }

  /** Writes daily counts, replacing any held for the same point × factor × day × view. */
  async saveTransmissionDays(rows: readonly TransmissionDay[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('transmission_day')
          .values(rows.slice(i, i + 500))
          .onConflict((oc) =>
            oc.columns(['point_id', 'factor_code', 'day', 'view']).doUpdateSet((eb) => ({
              expected: eb.ref('excluded.expected'),
              received: eb.ref('excluded.received'),
              valid: eb.ref('excluded.valid'),
              excluded: eb.ref('excluded.excluded'),
              rule_version: eb.ref('excluded.rule_version'),
              computed_at: eb.ref('excluded.computed_at'),
            })),
          )
          .execute();
      }
    });
  }

  /**
   * Σ of the daily counts over [fromDay, toDay] (Beijing days, inclusive) for one view, grouped by point,
   * enterprise or region (the enterprise's region, exactly — use `regions` of a subtree for a city), and
   * optionally by factor.
   */
  async transmissionTotals(options: {
    fromDay: string;
    toDay: string;
    view: JudgementView;
    groupBy: Subject;
    byFactor?: boolean;
    pointIds?: readonly number[];
    regions?: readonly string[];
  }): Promise<TransmissionGroup[]> {
    const key = SUBJECT_COLUMN[options.groupBy];
    let query = this.#store.db
      .selectFrom('transmission_day as t')
      .innerJoin('monitoring_point as p', 'p.id', 't.point_id')
      .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
      .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
      .where('t.view', '=', options.view)
      .where('t.day', '>=', options.fromDay)
      .where('t.day', '<=', options.toDay)
      .select((eb) => [
        eb.ref(key).as('key'),
        eb.fn.sum<number | string>('t.expected').as('expected'),
        eb.fn.sum<number | string>('t.received').as('received'),
        eb.fn.sum<number | string>('t.valid').as('valid'),
        eb.fn.sum<number | string>('t.excluded').as('excluded'),
      ])
      .groupBy(key)
      .orderBy(key);
    if (options.byFactor === true)
      query = query.select('t.factor_code').groupBy('t.factor_code').orderBy('t.factor_code');
    if (options.pointIds !== undefined) query = query.where('t.point_id', 'in', [...options.pointIds, -1]);
    if (options.regions !== undefined) query = query.where('e.region_code', 'in', [...options.regions, '']);
    const rows = (await query.execute()) as Record<string, unknown>[];
    return rows.map((r) => ({
      key: String(r.key),
      ...(r.factor_code === undefined ? {} : { factorCode: String(r.factor_code) }),
      expected: Number(r.expected),
      received: Number(r.received),
      valid: Number(r.valid),
      excluded: Number(r.excluded),
    }));
  }
}
