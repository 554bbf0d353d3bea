/**
 * 应传 / 实传 / 有效 of one point × factor over one period, from its hourly records and marks
 * (docs/regulatory-rules.md §2). The counts add up (transmission-counts.ts); rates come last.
 *
 * Per hour h of the interval, in this order:
 *  1. h outside the point's in-service interval (before 投运, after being removed) → out of service: not
 *     expected, and records for it are ignored [Proposal].
 *  2. 'amended' view only: an approved stopped mark decides h (same precedence as validity.ts:
 *     {@link decidingMark}) → excluded, whatever was received [Proposal, §2 "应传 = hours − approved 停产/停运"].
 *  3. One record is chosen for h (see {@link TransmissionView}); none → expected, missing.
 *  4. Its validity (validity.ts, {@link validityOf}): 'excluded' (flag F [P]; a stopped mark) → excluded:
 *     out of 应传 and 实传 alike, not invalid; 'valid' → expected, received, valid; 'invalid' / 'suspect' →
 *     expected, received, not valid.
 *  5. Per Beijing day, up to `standardCheckHoursPerDay` of the day's non-valid expected hours leave 应传:
 *     first received-invalid hours (the check produces a C/M-flagged record), then missing ones
 *     [Proposal]. The deduction is practice [P]: C4 quotes the MEE 《自动监测数据有效传输率统计算法说明》 —
 *     for wastewater CODcr/NH3-N/TP/TN, 1 h/day of automatic 标样核查 is out of the denominator; the
 *     primary text was not found. Forgiving only non-valid hours (not a flat 1 h/day deduction) is our
 *     reading [Proposal]: it keeps every rate ≤ 1 and leaves a fully valid day at 100 %. Suspect hours
 *     are not forgiven.
 *
 * Hourly data only: the national rates are counted per factor on hourly data [M, §2].
 */
import { DomainError } from './errors.js';
import type { Mark, Reading, Validity } from './records.js';
import { DAY_MS, dayStart, HOUR_MS, hourStart, type Interval } from './time.js';
import { type TransmissionCounts, ZERO_COUNTS } from './transmission-counts.js';
import { decidingMark, type ValidityContext, validityOf } from './validity.js';

/**
 * The two views the national public platform publishes (`realtime` / `comple` [P], C4, §2):
 *
 * - 'first' (首次接收, as first received): per hour the record with the lowest `revision` (then the
 *   earliest `receivedAt`); records received later than `firstReceiptWithinMs` after the hour's end are
 *   left out when that option is set (a late 补传 is then missing). Validity comes from what was received
 *   only: the validity function gets NO marks, and stopped marks do not leave 应传 — however early they
 *   were made. Stops reach this view only through the data flag (F).
 * - 'amended' (修正／补遗后, after amendments and marks): per hour the record with the highest `revision`
 *   (then the latest `receivedAt`), backfilled (补传) records included; approved marks apply — stopped
 *   marks take the hour out of 应传, invalid / valid marks decide validity (validity.ts). Unapproved marks
 *   never count. The national correction window (10 days; evidence by the 10th of the next month [V] S5)
 *   is the caller's business: pass the records and marks as they stand when the report is made.
 *
 * Records of one hour that neither revision nor receivedAt orders (true duplicates) count once; if they
 * are judged differently, the first in valid > suspect > invalid > excluded is taken, so the result does
 * not depend on the order of the input [Proposal].
 */
export const TRANSMISSION_VIEWS = ['first', 'amended'] as const;

/** 统计口径 (`transmissionView`): see {@link TRANSMISSION_VIEWS}. */
export type TransmissionView = (typeof TRANSMISSION_VIEWS)[number];

/**
 * Judges one hourly record. Gets the marks of the view (none in 'first'). Use {@link hourValidity} so that
 * validity is judged once, by validity.ts.
 */
export type HourValidity = (reading: Reading, marks: readonly Mark[]) => Validity;

/** The hourly validity function of validity.ts for a point's context (its marks come from the view). */
export function hourValidity(context: Omit<ValidityContext, 'marks' | 'period'>): HourValidity {
  // One context per marks array (hourCounts passes the same array for every hour of a call).
  let last: ValidityContext | undefined;
  return (reading, marks) => {
    if (last === undefined || last.marks !== marks) last = { ...context, marks, period: 'hour' };
    return validityOf(reading, last).validity;
  };
}

export interface HourCountsInput {
  /** Whole Beijing hours [from, to); whole Beijing days when standard-check hours are given. */
  readonly interval: Interval;
  readonly factor: string;
  /** The point's hourly records for the interval (other factors and hours outside are ignored). */
  readonly hourly: readonly Reading[];
  /** The point's marks, any factor ('amended' view only; unapproved ones are ignored). */
  readonly marks: readonly Mark[];
  /** When the point was in service: [投运, removed); `to` may be Infinity (still in service). */
  readonly inService: Interval;
  /**
   * Hours per Beijing day of automatic standard-sample check (标样核查) forgiven for this factor, 0–24
   * [P]; usually 1 for wastewater CODcr / NH3-N / TP / TN, 0 (default) otherwise.
   */
  readonly standardCheckHoursPerDay?: number;
  readonly view: TransmissionView;
  readonly validity: HourValidity;
  /** 'first' view only: a record received more than this after its hour's end was not a first receipt. */
  readonly firstReceiptWithinMs?: number;
}

function bad(field: string, detail: Record<string, unknown> = {}): never {
  throw new DomainError('DOMAIN_E_INPUT', { field, ...detail });
}

function checkInterval(interval: Interval, standardCheckHoursPerDay: number): void {
  const { from, to } = interval;
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) bad('interval', { from, to });
  if (hourStart(from) !== from || hourStart(to) !== to) bad('interval', { from, to, rule: 'whole hours' });
  if (standardCheckHoursPerDay > 0 && (dayStart(from) !== from || dayStart(to) !== to)) {
    bad('interval', { from, to, rule: 'whole Beijing days when standardCheckHoursPerDay > 0' });
  }
}

const VALIDITY_RANK: Readonly<Record<Validity, number>> = { valid: 3, suspect: 2, invalid: 1, excluded: 0 };

/** Whether `a` is the record to take for its hour over `b`, in the given view (a total order). */
function preferred(a: Reading, b: Reading, view: TransmissionView, rank: (r: Reading) => number): boolean {
  const va = a.revision ?? 0;
  const vb = b.revision ?? 0;
  if (va !== vb) return view === 'first' ? va < vb : va > vb;
  const ra = a.receivedAt;
  const rb = b.receivedAt;
  if (ra !== undefined && rb !== undefined && ra !== rb) return view === 'first' ? ra < rb : ra > rb;
  return rank(a) > rank(b);
}

/** The counts of one point × factor over one interval, in one view. Pure; throws only on bad input. */
export function hourCounts(input: HourCountsInput): TransmissionCounts {
  const { interval, factor, view, inService } = input;
  const checkHours = input.standardCheckHoursPerDay ?? 0;
  if (!Number.isInteger(checkHours) || checkHours < 0 || checkHours > 24) {
    bad('standardCheckHoursPerDay', { value: checkHours, allowed: '0–24 whole hours' });
  }
  if (!TRANSMISSION_VIEWS.includes(view)) bad('view', { value: view, allowed: TRANSMISSION_VIEWS });
  if (!(inService.from <= inService.to) || Number.isNaN(inService.from)) bad('inService', { ...inService });
  checkInterval(interval, checkHours);
  const hours = Math.round((interval.to - interval.from) / HOUR_MS);
  if (hours === 0) return ZERO_COUNTS;

  // Marks of the view: only approved ones for this factor (or '*') that touch the interval.
  const marks =
    view === 'first'
      ? []
      : input.marks.filter(
          (m) =>
            m.approved &&
            (m.factor === factor || m.factor === '*') &&
            m.from < interval.to &&
            m.to > interval.from,
        );
  const hasStopMarks = marks.some((m) => m.kind === 'stopped');

  // Validity is judged at most once per record.
  const judged = new Map<Reading, Validity>();
  const judge = (r: Reading): Validity => {
    let v = judged.get(r);
    if (v === undefined) {
      v = input.validity(r, marks);
      judged.set(r, v);
    }
    return v;
  };
  const rank = (r: Reading) => VALIDITY_RANK[judge(r)];

  // One record per hour slot.
  const slots: (Reading | undefined)[] = new Array(hours);
  const within = input.firstReceiptWithinMs;
  for (const reading of input.hourly) {
    if (reading.factor !== factor) continue;
    if (!Number.isFinite(reading.start)) bad('hourly.start', { value: reading.start });
    const h = hourStart(reading.start);
    if (h < interval.from || h >= interval.to) continue;
    const receivedAt = reading.receivedAt;
    if (
      view === 'first' &&
      within !== undefined &&
      receivedAt !== undefined &&
      receivedAt > h + HOUR_MS + within
    ) {
      continue;
    }
    const i = (h - interval.from) / HOUR_MS;
    const held = slots[i];
    if (held === undefined || preferred(reading, held, view, rank)) slots[i] = reading;
  }

  let outOfService = 0;
  let excluded = 0;
  let standardCheck = 0;
  let valid = 0;
  let invalid = 0;
  let suspect = 0;
  let missing = 0;
  // Per-day tallies of the hours the standard-check hours may forgive.
  let dayInvalid = 0;
  let dayMissing = 0;
  const closeDay = () => {
    const fromInvalid = Math.min(checkHours, dayInvalid);
    const fromMissing = Math.min(checkHours - fromInvalid, dayMissing);
    invalid -= fromInvalid;
    missing -= fromMissing;
    standardCheck += fromInvalid + fromMissing;
    dayInvalid = 0;
    dayMissing = 0;
  };

  for (let i = 0; i < hours; i++) {
    const h = interval.from + i * HOUR_MS;
    if (checkHours > 0 && i > 0 && (h - interval.from) % DAY_MS === 0) closeDay();
    if (h < inService.from || h >= inService.to) {
      outOfService++;
      continue;
    }
    if (hasStopMarks && decidingMark({ factor, start: h }, marks)?.kind === 'stopped') {
      excluded++;
      continue;
    }
    const record = slots[i];
    if (record === undefined) {
      missing++;
      dayMissing++;
      continue;
    }
    switch (judged.get(record) ?? input.validity(record, marks)) {
      case 'excluded':
        excluded++;
        break;
      case 'valid':
        valid++;
        break;
      case 'suspect':
        suspect++;
        break;
      case 'invalid':
        invalid++;
        dayInvalid++;
        break;
    }
  }
  if (checkHours > 0) closeDay();

  const received = valid + invalid + suspect;
  return {
    hourCount: hours,
    outOfServiceCount: outOfService,
    excludedCount: excluded,
    standardCheckCount: standardCheck,
    expectedCount: received + missing,
    receivedCount: received,
    validCount: valid,
    invalidCount: invalid,
    suspectCount: suspect,
    missingCount: missing,
  };
}
