import {
  addCounts,
  DAY_MS,
  dayStart,
  type Interval,
  type Mark,
  manualRecordLookup,
  pointCounts,
  type RuleConfig,
  sumCounts,
  type TransmissionCounts,
  type TransmissionView,
  ZERO_COUNTS,
} from '@qingyuan/domain';
import { type HourFlagCounts, hourFlagCounts, type Store } from '@qingyuan/store';
import { manualRecordPointDays } from './manual-records.js';
import { approvedMarks } from './marks.js';
import { loadPointContext } from './point-context.js';
import { hourReadings } from './readings.js';
import {
  loadWorkingStates,
  statesContradictDay,
  validityWithStates,
  type WorkingStates,
} from './working-states.js';

const HOUR_MS = 3_600_000;

/** Counts per point and assessed factor over an interval. */
export type PointFactorCounts = Map<number, Map<string, TransmissionCounts>>;

/**
 * 应传/实传/有效 per point × 考核因子 over whole Beijing days [from, to), straight from the hourly data: one
 * SQL GROUP BY counts records by flag per point × factor over the interval (the flag rules of
 * validity.ts), and only the point-days an approved mark or manual-monitoring record touches ('amended'
 * view) or that are not wholly in service are taken out and re-counted record by record with the domain's
 * `pointCounts`. The result equals `pointCounts` over every point-day (a test checks it on random data).
 */
export async function transmissionCounts(
  store: Store,
  options: { interval: Interval; view: TransmissionView; rules: RuleConfig; pointIds?: readonly number[] },
): Promise<PointFactorCounts> {
  const { interval, view, rules } = options;
  const scope = options.pointIds === undefined ? {} : { pointIds: options.pointIds };
  const points = await assessedPoints(store, options.pointIds);
  const marked = view === 'amended' ? await markedPointDays(store, interval, options.pointIds) : new Map();
  // Approved manual-monitoring records can make S hours valid (amended view): their days are re-counted.
  const manual =
    view === 'amended' ? await manualRecordPointDays(store, interval, options.pointIds) : new Map();
  // Working states (i12001) can invalidate N-flagged hours: those points' states, for their special days.
  const statesOf = new Map<number, WorkingStates>();
  for (const pointId of await pointsWithStates(store, interval.to, options.pointIds))
    statesOf.set(
      pointId,
      await loadWorkingStates(store, pointId, interval.to, interval.to - interval.from + 90 * DAY_MS),
    );
  // Days that cannot be counted from flags alone: marked or with manual records (amended view), or not
  // wholly in service.
  const special = new Map<number, number[]>();
  for (const point of points)
    for (let day = interval.from; day < interval.to; day += DAY_MS) {
      const inService = overlapHours({ from: day, to: day + DAY_MS }, point.inService);
      const states = statesOf.get(point.pointId);
      if (
        inService < 24 ||
        marked.has(`${point.pointId}|${day}`) ||
        manual.has(`${point.pointId}|${day}`) ||
        (states !== undefined && statesContradictDay(states, point.factors, day))
      )
        special.set(point.pointId, [...(special.get(point.pointId) ?? []), day]);
    }
  // One pass over the interval per point × factor (the primary key's order), and per-day counts only for
  // the points with special days, to take those days out again.
  const whole = await hourFlagCounts(store, {
    from: interval.from,
    to: interval.to,
    view,
    byDay: false,
    ...scope,
  });
  const daily =
    special.size === 0
      ? []
      : await hourFlagCounts(store, {
          from: interval.from,
          to: interval.to,
          view,
          pointIds: [...special.keys()],
        });
  const wholeByKey = new Map(whole.map((f) => [`${f.pointId}|${f.factorCode}`, f]));
  const dailyByKey = new Map(daily.map((f) => [`${f.pointId}|${f.factorCode}|${f.dayStart}`, f]));
  const days = Math.round((interval.to - interval.from) / DAY_MS);

  const out: PointFactorCounts = new Map();
  for (const point of points) {
    const perFactor = new Map<string, TransmissionCounts>();
    out.set(point.pointId, perFactor);
    const specialDays = special.get(point.pointId) ?? [];
    for (const factor of point.factors) {
      // Flag counts of the ordinary days: the whole interval less the special days.
      const sums = { records: 0, excluded: 0, valid: 0, suspect: 0 };
      const add = (f: HourFlagCounts | undefined, sign: 1 | -1) => {
        if (f === undefined) return;
        sums.records += sign * f.records;
        sums.excluded += sign * f.excluded;
        sums.valid += sign * f.valid;
        sums.suspect += sign * f.suspect;
      };
      add(wholeByKey.get(`${point.pointId}|${factor}`), 1);
      for (const day of specialDays) add(dailyByKey.get(`${point.pointId}|${factor}|${day}`), -1);
      const hours = (days - specialDays.length) * 24;
      const expected = hours - sums.excluded;
      const received = sums.records - sums.excluded;
      perFactor.set(factor, {
        hourCount: hours,
        outOfServiceCount: 0,
        excludedCount: sums.excluded,
        standardCheckCount: 0,
        expectedCount: expected,
        receivedCount: received,
        validCount: sums.valid,
        invalidCount: received - sums.valid - sums.suspect,
        suspectCount: sums.suspect,
        missingCount: expected - received,
      });
    }
    // Special days, record by record with the domain's rules (days wholly before 投运 count nothing).
    if (specialDays.length === 0) continue;
    const context = await loadPointContext(store, point.pointId);
    if (context === undefined) continue;
    for (const day of specialDays) {
      const dayInterval = { from: day, to: day + DAY_MS };
      const hourly =
        overlapHours(dayInterval, point.inService) === 0
          ? []
          : await hourReadings(store, context, dayInterval);
      const rows = pointCounts({
        point: String(point.pointId),
        interval: dayInterval,
        assessedFactors: point.factors,
        hourly,
        marks: marked.get(`${point.pointId}|${day}`) ?? [],
        inService: point.inService,
        view,
        validity: validityWithStates(
          rules,
          statesOf.get(point.pointId) ?? new Map(),
          manualRecordLookup(manual.get(`${point.pointId}|${day}`) ?? []),
        ),
      });
      for (const row of rows)
        perFactor.set(row.factor, addCounts(perFactor.get(row.factor) ?? ZERO_COUNTS, row.counts));
    }
  }
  return out;
}

/** Σ over every point and factor. */
export function totalCounts(counts: PointFactorCounts): TransmissionCounts {
  return sumCounts([...counts.values()].flatMap((m) => [...m.values()]));
}

/** Points (of the scope) that ever reported a working state (i12001) before `upTo`. */
async function pointsWithStates(store: Store, upTo: number, pointIds?: readonly number[]): Promise<number[]> {
  let query = store.db
    .selectFrom('device_info')
    .select('point_id')
    .distinct()
    .where('info_code', '=', 'i12001')
    .where('received_at', '<', upTo);
  if (pointIds !== undefined) query = query.where('point_id', 'in', [...pointIds, -1]);
  return (await query.execute()).map((r) => Number(r.point_id));
}

interface AssessedPoint {
  readonly pointId: number;
  readonly factors: readonly string[];
  readonly inService: Interval;
}

async function assessedPoints(store: Store, pointIds?: readonly number[]): Promise<AssessedPoint[]> {
  let query = store.db
    .selectFrom('point_factor as f')
    .innerJoin('monitoring_point as p', 'p.id', 'f.point_id')
    .select(['p.id', 'p.in_service_on', 'f.factor_code'])
    .where('f.assessed', '=', 1)
    .orderBy('p.id')
    .orderBy('f.factor_code');
  if (pointIds !== undefined) query = query.where('p.id', 'in', [...pointIds, -1]);
  const points = new Map<number, { factors: string[]; inService: Interval }>();
  for (const row of await query.execute()) {
    const id = Number(row.id);
    let point = points.get(id);
    if (point === undefined) {
      const from =
        row.in_service_on === null
          ? Number.NEGATIVE_INFINITY
          : Date.parse(`${row.in_service_on}T00:00:00+08:00`);
      point = { factors: [], inService: { from, to: Number.POSITIVE_INFINITY } };
      points.set(id, point);
    }
    point.factors.push(row.factor_code);
  }
  return [...points].map(([pointId, p]) => ({ pointId, ...p }));
}

function overlapHours(a: Interval, b: Interval): number {
  const from = Math.max(a.from, b.from);
  const to = Math.min(a.to, b.to);
  return to > from ? Math.round((to - from) / HOUR_MS) : 0;
}

/** Approved marks by point-day ('point|dayStart'), for the days they touch within the interval. */
async function markedPointDays(
  store: Store,
  interval: Interval,
  pointIds?: readonly number[],
): Promise<Map<string, Mark[]>> {
  let query = store.db
    .selectFrom('mark')
    .select('point_id')
    .distinct()
    .where('state', '=', 'approved')
    .where('from_at', '<', interval.to)
    .where('to_at', '>', interval.from);
  if (pointIds !== undefined) query = query.where('point_id', 'in', [...pointIds, -1]);
  const out = new Map<string, Mark[]>();
  for (const { point_id } of await query.execute()) {
    const marks = await approvedMarks(store, Number(point_id), interval.from, interval.to);
    for (const mark of marks)
      for (
        let day = dayStart(Math.max(mark.from, interval.from));
        day < Math.min(mark.to, interval.to);
        day += DAY_MS
      ) {
        const key = `${point_id}|${day}`;
        out.set(key, [...(out.get(key) ?? []), mark]);
      }
  }
  return out;
}
