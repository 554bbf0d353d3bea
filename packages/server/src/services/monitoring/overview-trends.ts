import { beijingInstant, DAY_MS, dayStart } from '@qingyuan/domain';
import { beijingDay } from '@qingyuan/store';
import { sql } from 'kysely';
import type { ServiceContext } from '../context.js';
import { EXCEEDANCES, NOT_ANOMALIES, type OverviewSubject } from './overview.js';

const BEIJING_MS = 8 * 3_600_000;

/** One Beijing day of the overview's trends. */
export interface TrendDay {
  /** The Beijing calendar day, YYYY-MM-DD. */
  readonly day: string;
  /** 应传 and 有效 (hours × 考核因子, amended view) of the points counted, and 有效 / 应传 (null: none expected). */
  readonly expected: number;
  readonly valid: number;
  readonly effectiveTransmissionRate: number | null;
  /** Hourly and daily exceedance episodes opened that day. */
  readonly exceedances: number;
  /** Other episodes opened that day: every type but the exceedances, their early warnings and 'offline'. */
  readonly anomalies: number;
}

/** 有效传输率 of a month so far, counted as GET /reports/transmission counts it (through yesterday). */
export interface MonthTransmission {
  /** YYYY-MM (Beijing). */
  readonly month: string;
  readonly from: number;
  /** Counted up to here: the start of today, or the month's end once it is over. */
  readonly countedTo: number;
  readonly complete: boolean;
  readonly expected: number;
  readonly valid: number;
  readonly effectiveTransmissionRate: number | null;
}

export interface OverviewTrends {
  readonly at: number;
  /** The region counted (its subtree within the caller's scope), as GET /overview answers it. */
  readonly region: string | null;
  readonly days: number;
  /** The whole Beijing days counted, [from, to): the `days` days before today. */
  readonly from: number;
  readonly to: number;
  readonly view: 'amended';
  /** The 有效传输率 target (办法 第八条(二): more than 95 %). */
  readonly target: number;
  readonly series: readonly TrendDay[];
  /** This month through yesterday; on the 1st (no whole day of it yet), the month before, whole. */
  readonly month: MonthTransmission;
}

interface DayCounts {
  expected: number;
  valid: number;
}

/**
 * 应传 / 有效 per Beijing day in [from, to) over the assessed factors of the points, from the daily counts the
 * analysis stores (`transmission_day`, amended view — what each point-day's judgement found). A point-day
 * the analysis never judged received no hourly record at all: it is counted as the report counts it, 24
 * hours expected and none valid, from the day the point went into service (投运).
 */
async function dailyTransmission(
  ctx: ServiceContext,
  pointIds: OverviewSubject['pointIds'],
  from: number,
  to: number,
): Promise<Map<string, DayCounts>> {
  const db = ctx.store.db;
  const fromDay = beijingDay(from);
  const lastDay = beijingDay(to - DAY_MS);
  // Assessed point × factor pairs by the day their point went into service (null: always).
  const pairs = await db
    .selectFrom('point_factor as f')
    .innerJoin('monitoring_point as p', 'p.id', 'f.point_id')
    .select((eb) => ['p.in_service_on', eb.fn.countAll<number | string>().as('n')])
    .where('f.assessed', '=', 1)
    .where('p.id', 'in', pointIds)
    .groupBy('p.in_service_on')
    .execute();
  const stored = await db
    .selectFrom('transmission_day as t')
    .innerJoin('point_factor as f', (join) =>
      join.onRef('f.point_id', '=', 't.point_id').onRef('f.factor_code', '=', 't.factor_code'),
    )
    .innerJoin('monitoring_point as p', 'p.id', 't.point_id')
    .select((eb) => [
      't.day',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.sum<number | string>('t.expected').as('expected'),
      eb.fn.sum<number | string>('t.valid').as('valid'),
    ])
    .where('t.view', '=', 'amended')
    .where('t.day', '>=', fromDay)
    .where('t.day', '<=', lastDay)
    .where('f.assessed', '=', 1)
    .where('t.point_id', 'in', pointIds)
    .where((eb) => eb.or([eb('p.in_service_on', 'is', null), eb('p.in_service_on', '<=', eb.ref('t.day'))]))
    .groupBy('t.day')
    .execute();
  const byDay = new Map(stored.map((r) => [r.day, r]));
  const out = new Map<string, DayCounts>();
  for (let start = from; start < to; start += DAY_MS) {
    const day = beijingDay(start);
    let inService = 0;
    for (const p of pairs) if (p.in_service_on === null || p.in_service_on <= day) inService += Number(p.n);
    const row = byDay.get(day);
    const judged = Number(row?.n ?? 0);
    out.set(day, {
      expected: Number(row?.expected ?? 0) + 24 * Math.max(0, inService - judged),
      valid: Number(row?.valid ?? 0),
    });
  }
  return out;
}

/** Alarm episodes opened per Beijing day in [from, to): exceedances and anomalies. */
async function dailyAlarms(
  ctx: ServiceContext,
  pointIds: OverviewSubject['pointIds'],
  from: number,
  to: number,
): Promise<Map<number, { exceedances: number; anomalies: number }>> {
  // Literals, not parameters: a bound JS number is a REAL in SQLite, which would make this a real division.
  const day = sql<number>`((a.opened_at + ${sql.lit(BEIJING_MS)}) / ${sql.lit(DAY_MS)})`;
  const rows = await ctx.store.db
    .selectFrom('alarm as a')
    .select((eb) => [day.as('day'), 'a.type', eb.fn.countAll<number | string>().as('n')])
    .where('a.opened_at', '>=', from)
    .where('a.opened_at', '<', to)
    .where('a.point_id', 'in', pointIds)
    .groupBy([day, 'a.type'])
    .execute();
  const out = new Map<number, { exceedances: number; anomalies: number }>();
  for (const row of rows) {
    const start = Number(row.day) * DAY_MS - BEIJING_MS;
    const held = out.get(start) ?? { exceedances: 0, anomalies: 0 };
    if (EXCEEDANCES.has(row.type)) held.exceedances += Number(row.n);
    else if (!NOT_ANOMALIES.has(row.type)) held.anomalies += Number(row.n);
    out.set(start, held);
  }
  return out;
}

const rate = (c: DayCounts): number | null => (c.expected === 0 ? null : c.valid / c.expected);

/**
 * Per Beijing day of the last `days` before today: the 有效传输率 (Σ 有效 / Σ 应传 over the point-days, never
 * an average of rates), the exceedance and the anomaly episodes opened; and this month's 有效传输率 so far.
 * Only whole days are counted: today's hours have not all come (GET /reports/transmission does the same).
 */
export async function overviewTrends(
  ctx: ServiceContext,
  subject: OverviewSubject,
  options: { region: string | null; days: number; target: number },
): Promise<OverviewTrends> {
  const at = ctx.now();
  const to = dayStart(at);
  const from = to - options.days * DAY_MS;
  const [year, month] = beijingDay(to).split('-').map(Number) as [number, number];
  // Today is the 1st: no whole day of this month yet, so the month before, whole.
  const previous = beijingInstant(year, month) === to;
  const monthFrom = previous ? beijingInstant(year, month - 1) : beijingInstant(year, month);
  const counts = await dailyTransmission(ctx, subject.pointIds, Math.min(from, monthFrom), to);
  const alarms = await dailyAlarms(ctx, subject.pointIds, from, to);
  const series: TrendDay[] = [];
  for (let start = from; start < to; start += DAY_MS) {
    const day = beijingDay(start);
    const c = counts.get(day) ?? { expected: 0, valid: 0 };
    const a = alarms.get(start) ?? { exceedances: 0, anomalies: 0 };
    series.push({ day, ...c, effectiveTransmissionRate: rate(c), ...a });
  }
  const total: DayCounts = { expected: 0, valid: 0 };
  for (let start = monthFrom; start < to; start += DAY_MS) {
    const c = counts.get(beijingDay(start));
    total.expected += c?.expected ?? 0;
    total.valid += c?.valid ?? 0;
  }
  return {
    at,
    region: options.region,
    days: options.days,
    from,
    to,
    view: 'amended',
    target: options.target,
    series,
    month: {
      month: beijingDay(monthFrom).slice(0, 7),
      from: monthFrom,
      countedTo: to,
      complete: previous,
      ...total,
      effectiveTransmissionRate: rate(total),
    },
  };
}
