/**
 * Rows of transmission counts and their roll-ups: per point and 考核因子 (assessed factor), then by
 * period (day → month → quarter → year), across factors (point), and by any mapping of subjects
 * (point → enterprise, enterprise or point → region). Every roll-up sums counts; rates are derived from
 * the sums only (Σ numerators / Σ denominators, regulatory-rules.md §2 [Proposal, after the national
 * practice [M]]). A store may produce the same rows with SQL GROUP BY and use the same roll-ups.
 */
import { DomainError } from './errors.js';
import type { Mark, Reading } from './records.js';
import { type CalendarUnit, type Interval, periodOf } from './time.js';
import { type HourValidity, hourCounts, type TransmissionView } from './transmission.js';
import { addCounts, type TransmissionCounts } from './transmission-counts.js';

export interface CountsRow {
  /** Whose counts: a point id; after {@link countsBySubject}, an enterprise, a region… */
  readonly subject: string;
  /** A factor code, or {@link ALL_FACTORS} after {@link countsAcrossFactors}. */
  readonly factor: string;
  /** The Beijing period the counts cover. */
  readonly period: Interval;
  readonly counts: TransmissionCounts;
}

/** The factor of rows summed over all (assessed) factors. */
export const ALL_FACTORS = '*';

/** The Beijing periods of `unit` that cover [from, to), clipped to it, in order. */
export function periodsWithin(interval: Interval, unit: CalendarUnit): Interval[] {
  const out: Interval[] = [];
  for (let at = interval.from; at < interval.to; ) {
    const p = periodOf(unit, at);
    const to = Math.min(p.to, interval.to);
    out.push({ from: at, to });
    at = to;
  }
  return out;
}

export interface PointCountsInput {
  /** The point's id (becomes the rows' subject). */
  readonly point: string;
  readonly interval: Interval;
  /** The point's 考核因子 (`assessedFactor`): only these are counted, one row each per period. */
  readonly assessedFactors: readonly string[];
  /** The point's hourly records for the interval, any factor. */
  readonly hourly: readonly Reading[];
  readonly marks: readonly Mark[];
  readonly inService: Interval;
  /** Per factor code, the daily 标样核查 hours forgiven [P] (absent: 0). */
  readonly standardCheckHoursPerDay?: Readonly<Record<string, number>>;
  readonly view: TransmissionView;
  readonly validity: HourValidity;
  readonly firstReceiptWithinMs?: number;
  /** Cut the interval into Beijing periods of this unit, one row per factor and period (default: none). */
  readonly unit?: CalendarUnit;
}

/** Rows for one point: one per assessed factor (and per period of `unit`), in factor then time order. */
export function pointCounts(input: PointCountsInput): CountsRow[] {
  const periods = input.unit === undefined ? [input.interval] : periodsWithin(input.interval, input.unit);
  const byFactor = new Map<string, Reading[]>();
  for (const f of input.assessedFactors) byFactor.set(f, []);
  for (const r of input.hourly) byFactor.get(r.factor)?.push(r);
  const rows: CountsRow[] = [];
  for (const factor of [...byFactor.keys()].sort()) {
    const hourly = byFactor.get(factor) ?? [];
    const checkHours = input.standardCheckHoursPerDay?.[factor];
    for (const period of periods) {
      const counts = hourCounts({
        interval: period,
        factor,
        hourly,
        marks: input.marks,
        inService: input.inService,
        view: input.view,
        validity: input.validity,
        ...(checkHours === undefined ? {} : { standardCheckHoursPerDay: checkHours }),
        ...(input.firstReceiptWithinMs === undefined
          ? {}
          : { firstReceiptWithinMs: input.firstReceiptWithinMs }),
      });
      rows.push({ subject: input.point, factor, period, counts });
    }
  }
  return rows;
}

/** Sums rows that share a key; the output is sorted by subject, factor, period start. */
function regroup(
  rows: Iterable<CountsRow>,
  rekey: (row: CountsRow) => Omit<CountsRow, 'counts'>,
): CountsRow[] {
  const groups = new Map<string, { key: Omit<CountsRow, 'counts'>; counts: TransmissionCounts }>();
  for (const row of rows) {
    const key = rekey(row);
    const id = `${key.subject}\u0000${key.factor}\u0000${key.period.from}`;
    const held = groups.get(id);
    if (held === undefined) groups.set(id, { key, counts: row.counts });
    else {
      if (held.key.period.to !== key.period.to) {
        throw new DomainError('DOMAIN_E_INPUT', {
          field: 'rows.period',
          rule: 'rows to be summed must cover the same period',
          from: key.period.from,
          to: [held.key.period.to, key.period.to],
        });
      }
      held.counts = addCounts(held.counts, row.counts);
    }
  }
  return [...groups.values()]
    .map(({ key, counts }) => ({ ...key, counts }))
    .sort(
      (a, b) =>
        (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) ||
        (a.factor < b.factor ? -1 : a.factor > b.factor ? 1 : 0) ||
        a.period.from - b.period.from,
    );
}

/**
 * Rolls rows up to Beijing periods of `unit` (e.g. days → months → quarters → years) by summing their
 * counts. Each row must lie inside one period of `unit` (a month row cannot go into weeks or days). The
 * output's period is the whole calendar period, even where the rows cover only part of it: `hourCount`
 * says how many hours were counted.
 */
export function countsByPeriod(rows: Iterable<CountsRow>, unit: CalendarUnit): CountsRow[] {
  return regroup(rows, (row) => {
    const period = periodOf(unit, row.period.from);
    if (row.period.to > period.to) {
      throw new DomainError('DOMAIN_E_INPUT', {
        field: 'rows.period',
        rule: `a row must lie within one ${unit}`,
        from: row.period.from,
        to: row.period.to,
      });
    }
    return { subject: row.subject, factor: row.factor, period };
  });
}

/** Sums a subject's factors into one row per subject and period (factor {@link ALL_FACTORS}). */
export function countsAcrossFactors(rows: Iterable<CountsRow>): CountsRow[] {
  return regroup(rows, (row) => ({ subject: row.subject, factor: ALL_FACTORS, period: row.period }));
}

/**
 * Re-labels each row's subject through `mapping` (point → enterprise, point or enterprise → region) and
 * sums what falls together; factor and period are kept. An unmapped subject is an input error: a point
 * silently left out of its enterprise would raise the enterprise's rate.
 */
export function countsBySubject(
  rows: Iterable<CountsRow>,
  mapping: ReadonlyMap<string, string> | ((subject: string) => string | undefined),
): CountsRow[] {
  const map = typeof mapping === 'function' ? mapping : (s: string) => mapping.get(s);
  return regroup(rows, (row) => {
    const subject = map(row.subject);
    if (subject === undefined) {
      throw new DomainError('DOMAIN_E_INPUT', {
        field: 'mapping',
        rule: 'every subject mapped',
        subject: row.subject,
      });
    }
    return { subject, factor: row.factor, period: row.period };
  });
}
