import {
  beijingInstant,
  captureRate,
  dayStart,
  type Interval,
  meetsTransmissionTarget,
  type RuleConfig,
  sumCounts,
  type TransmissionCounts,
  type TransmissionView,
  transmissionRates,
  ZERO_COUNTS,
} from '@qingyuan/domain';
import { type Database, EmissionRepository, type Store, SUBJECT_COLUMN, type Subject } from '@qingyuan/store';
import type { SelectQueryBuilder } from 'kysely';
import { transmissionCounts } from './transmission-report.js';

export type ReportPeriod = 'month' | 'quarter' | 'year';

/**
 * The Beijing calendar period of a report: 'month' at YYYY-MM, 'quarter' at YYYY-Qn, 'year' at YYYY;
 * undefined when `at` does not match the period's form.
 */
export function reportInterval(period: ReportPeriod, at: string): Interval | undefined {
  if (period === 'month') {
    const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(at);
    if (month === null) return undefined;
    const [y, m] = [Number(month[1]), Number(month[2])];
    return { from: beijingInstant(y, m), to: beijingInstant(y, m + 1) };
  }
  if (period === 'quarter') {
    const quarter = /^(\d{4})-?Q([1-4])$/i.exec(at);
    if (quarter === null) return undefined;
    const [y, q] = [Number(quarter[1]), Number(quarter[2])];
    return { from: beijingInstant(y, 3 * q - 2), to: beijingInstant(y, 3 * q + 1) };
  }
  const year = /^(\d{4})$/.exec(at);
  return year === null
    ? undefined
    : { from: beijingInstant(Number(year[1]), 1), to: beijingInstant(Number(year[1]) + 1, 1) };
}

/** A report's subject (point id, enterprise id or region code) with a name a person recognises. */
export interface ReportSubject {
  readonly key: string;
  readonly label: string;
}

// biome-ignore lint/suspicious/noExplicitAny: a one-column subquery of point ids (a scope's)
type PointIdQuery = SelectQueryBuilder<Database, any, { id: number }>;

const SUBJECT_LABEL = { point: 'p.mn', enterprise: 'e.name', region: 'r.name' } as const;

/**
 * Which subject each monitoring point belongs to, for the points of some regions and/or of a subquery of
 * point ids (a caller's scope); every point when neither is given.
 */
export async function reportSubjects(
  store: Store,
  by: Subject,
  filter: { regionCodes?: readonly string[]; pointIds?: PointIdQuery } = {},
): Promise<Map<number, ReportSubject>> {
  let query = store.db
    .selectFrom('monitoring_point as p')
    .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
    .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
    .innerJoin('region as r', 'r.code', 'e.region_code')
    .select((eb) => [
      'p.id',
      eb.ref(SUBJECT_COLUMN[by]).as('subject'),
      eb.ref(SUBJECT_LABEL[by]).as('label'),
    ]);
  if (filter.regionCodes !== undefined)
    query = query.where('e.region_code', 'in', [...filter.regionCodes, '']);
  if (filter.pointIds !== undefined) query = query.where('p.id', 'in', filter.pointIds);
  return new Map(
    (await query.execute()).map((r) => [Number(r.id), { key: String(r.subject), label: String(r.label) }]),
  );
}

export interface TransmissionReportRow {
  readonly subject: ReportSubject;
  /** 应传 / 实传 / 有效 (hours × 考核因子). */
  readonly expected: number;
  readonly received: number;
  readonly valid: number;
  readonly transmissionRate: number | null;
  readonly validityRate: number | null;
  readonly effectiveTransmissionRate: number | null;
  /** 有效传输率 > target (办法 第八条(二): 95 %); null when nothing was expected. */
  readonly meetsTarget: boolean | null;
  /** HJ 75-2017 有效数据捕集率 (the quarterly figure for flue-gas CEMS). */
  readonly captureRate: number | null;
}

/**
 * The part of a report period that has passed: whole Beijing days up to the start of today. 应传 counts
 * every hour of the interval it is given, so a period still running (this month) is counted through
 * yesterday instead of expecting hours that have not happened yet.
 */
export function elapsedInterval(interval: Interval, now: number): Interval & { complete: boolean } {
  const to = Math.max(interval.from, Math.min(interval.to, dayStart(now)));
  return { from: interval.from, to, complete: to === interval.to };
}

/** Rates per subject: Σ numerators over Σ denominators of its points — never an average of rates. */
export async function transmissionReport(
  store: Store,
  options: {
    interval: Interval;
    view: TransmissionView;
    rules: RuleConfig;
    subjects: ReadonlyMap<number, ReportSubject>;
  },
): Promise<TransmissionReportRow[]> {
  const { subjects, rules } = options;
  const counts = await transmissionCounts(store, {
    interval: options.interval,
    view: options.view,
    rules,
    pointIds: [...subjects.keys()],
  });
  const totals = new Map<string, { subject: ReportSubject; counts: TransmissionCounts }>();
  for (const [pointId, perFactor] of counts) {
    const subject = subjects.get(pointId);
    if (subject === undefined) continue;
    const held = totals.get(subject.key)?.counts ?? ZERO_COUNTS;
    totals.set(subject.key, { subject, counts: sumCounts([held, ...perFactor.values()]) });
  }
  return [...totals.values()]
    .sort((a, b) => a.subject.key.localeCompare(b.subject.key, 'en', { numeric: true }))
    .map(({ subject, counts: c }) => {
      const rates = transmissionRates(c);
      return {
        subject,
        expected: c.expectedCount,
        received: c.receivedCount,
        valid: c.validCount,
        ...rates,
        meetsTarget: meetsTransmissionTarget(rates, rules),
        captureRate: captureRate(c),
      };
    });
}

export interface EmissionReportRow {
  readonly subject: ReportSubject;
  readonly factor: string;
  readonly kg: number;
  readonly hours: number;
  readonly invalidHours: number;
}

/** Emitted kg per subject and pollutant, summed from the hourly emissions. */
export async function emissionReport(
  store: Store,
  options: { interval: Interval; by: Subject; subjects: ReadonlyMap<number, ReportSubject> },
): Promise<EmissionReportRow[]> {
  const labels = new Map([...options.subjects.values()].map((s) => [s.key, s]));
  const totals = await new EmissionRepository(store).totals({
    from: options.interval.from,
    to: options.interval.to,
    groupBy: options.by,
    pointIds: [...options.subjects.keys()],
  });
  return totals.map((t) => ({
    subject: labels.get(t.key) ?? { key: t.key, label: t.key },
    factor: t.factorCode,
    kg: Math.round(t.kg * 1000) / 1000,
    hours: t.hours,
    invalidHours: t.invalidHours,
  }));
}
