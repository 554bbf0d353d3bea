import { sql } from 'kysely';
import type { Store } from '../database.js';
import type { JudgementView } from '../schema.js';

/** One point × factor × Beijing day (or interval), counted from the hourly table by data flag. */
export interface HourFlagCounts {
  readonly pointId: number;
  readonly factorCode: string;
  /** The Beijing day's start (UTC epoch ms). */
  readonly dayStart: number;
  /** Hours with a record (F included). */
  readonly records: number;
  /** F: stopped — out of 应传 and 实传. */
  readonly excluded: number;
  /** N (or no flag) with a value. */
  readonly valid: number;
  /** S with a value: received, not valid until a manual-monitoring record backs it. */
  readonly suspect: number;
}

const DAY_MS = 86_400_000;
const BEIJING_MS = 28_800_000;

/**
 * Flag counts of hourly records in [from, to), per point × factor × Beijing day (or whole interval), in one
 * GROUP BY — the bulk path of the transmission report. It applies the flag rules of @qingyuan/domain's
 * validity (N or no flag valid, F excluded, S suspect, anything else or no value invalid) and nothing
 * else: marks and working states are the caller's to apply (for the few point-days that have them).
 * 'first' counts revision 0, 'amended' the current revision.
 */
export async function hourFlagCounts(
  store: Store,
  options: {
    from: number;
    to: number;
    view: JudgementView;
    pointIds?: readonly number[];
    /** Group per Beijing day (default) or over the whole interval (then `dayStart` is `from`). */
    byDay?: boolean;
  },
): Promise<HourFlagCounts[]> {
  const byDay = options.byDay ?? true;
  // Literals, not parameters: a bound JS number is a REAL in SQLite, which would make this a real division.
  const day = sql<number>`((h.period_start + ${sql.lit(BEIJING_MS)}) / ${sql.lit(DAY_MS)})`;
  // Every factor is counted (grouping follows the primary key's order, so SQLite aggregates as it scans);
  // the caller keeps the assessed ones.
  let query = store.db
    .selectFrom('obs_hour as h')
    .where('h.period_start', '>=', options.from)
    .where('h.period_start', '<', options.to)
    .select([
      'h.point_id',
      'h.factor_code',
      (byDay ? day : sql<number>`0`).as('day'),
      sql<number>`count(*)`.as('records'),
      sql<number>`sum(case when h.data_flag = 'F' then 1 else 0 end)`.as('excluded'),
      sql<number>`sum(case when (h.data_flag = 'N' or h.data_flag is null or h.data_flag = '') and h.avg is not null then 1 else 0 end)`.as(
        'valid',
      ),
      sql<number>`sum(case when h.data_flag = 'S' and h.avg is not null then 1 else 0 end)`.as('suspect'),
    ])
    .groupBy(byDay ? ['h.point_id', 'h.factor_code', day] : ['h.point_id', 'h.factor_code']);
  query =
    options.view === 'first' ? query.where('h.revision', '=', 0) : query.where('h.superseded_at', 'is', null);
  if (options.pointIds !== undefined) query = query.where('h.point_id', 'in', [...options.pointIds, -1]);
  const rows = await query.execute();
  return rows.map((r) => ({
    pointId: Number(r.point_id),
    factorCode: r.factor_code,
    dayStart: byDay ? Number(r.day) * DAY_MS - BEIJING_MS : options.from,
    records: Number(r.records),
    excluded: Number(r.excluded),
    valid: Number(r.valid),
    suspect: Number(r.suspect),
  }));
}
