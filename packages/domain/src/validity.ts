/**
 * Validity of one record (标记 → 数据标记 → 工作状态), judged per factor and period.
 *
 * Order of judgement:
 *  (a) an approved mark covering the record's period start decides (公告2022年第21号: data marked invalid
 *      are not used for exceedance; manual marks over automatic ones [P], §3 of the regulatory notes);
 *  (b) otherwise the HJ 212 data flag (HJ 212-2017 §6.6.4 表 8 [V]; its validity meaning is practice [P]);
 *  (c) a normal flag that the device's own working state (i12001, CN 3020) contradicts is invalid [Proposal].
 */
import type { RuleConfig } from './config.js';
import type {
  ManualRecord,
  Mark,
  ObservationPeriod,
  ProtocolVersion,
  Reading,
  Validity,
  WorkingState,
} from './records.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time.js';

/** Which step of the judgement decided. */
export type ValidityBasis = 'mark' | 'flag' | 'working-state' | 'value';

export interface ValidityJudgement {
  readonly validity: Validity;
  /** Short English reason, stable enough to show and to count by. */
  readonly reason: string;
  readonly basis: ValidityBasis;
}

/**
 * Manual-monitoring (手工监测) records that back an S value: either a predicate (true, or a string naming the
 * record that backs it), or a set of keys made with {@link manualRecordKey}. {@link manualRecordLookup}
 * makes one from records.
 */
export type ManualRecordLookup =
  | ((factor: string, start: number) => boolean | string | undefined)
  | ReadonlySet<string>;

export const manualRecordKey = (factor: string, start: number): string => `${factor}@${start}`;

/**
 * The lookup of a point's manual-monitoring records: an approved record of the reading's own factor whose
 * period [from, to) contains the reading's period start backs it (an hourly record its hour, a daily one
 * every hour of its day [Proposal]); the earliest-starting one (then the first given) names it.
 */
export function manualRecordLookup(records: readonly ManualRecord[]): ManualRecordLookup {
  const approved = records
    .filter((r) => r.approved)
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.from - b.r.from || a.i - b.i)
    .map(({ r }) => r);
  return (factor, start) =>
    approved.find((r) => r.factor === factor && r.from <= start && start < r.to)?.reference;
}

export interface ValidityContext {
  /** Marks for this point, any factor (unapproved ones are ignored here). */
  readonly marks: readonly Mark[];
  /** i12001 working states of the analyser of this factor, sorted by `at` ascending. */
  readonly workingStates?: readonly WorkingState[];
  readonly manualRecords?: ManualRecordLookup;
  readonly config: RuleConfig;
  /**
   * The record's period, to find working states reported within it. Default 'hour' (the platform judges
   * hourly data, 有效传输率 §2). 'realtime' looks only at the state in force at the sampling instant.
   */
  readonly period?: ObservationPeriod;
}

// ---------------------------------------------------------------------------------------------------------
// (b) Data flags
// ---------------------------------------------------------------------------------------------------------

/**
 * HJ 212-2017 §6.6.4 表 8 [V]: N 正常, F 停运, M 维护, S 手工输入的设定值, D 故障, C 校准, T 超测量上限,
 * B 通讯异常. HJ 212-2025 is taken to keep the same letters [M — verify against the 2025 PDF].
 * Validity meaning [P]: N valid; F excluded (out of the denominator, not invalid); M D C T B invalid;
 * S suspect [Proposal] unless a manual-monitoring record backs it.
 */
const FLAGS_2017: Readonly<Record<string, { validity: Validity; reason: string }>> = {
  N: { validity: 'valid', reason: 'flag N: normal' },
  F: { validity: 'excluded', reason: 'flag F: stopped' },
  M: { validity: 'invalid', reason: 'flag M: maintenance' },
  S: { validity: 'suspect', reason: 'flag S: manually entered set value' },
  D: { validity: 'invalid', reason: 'flag D: fault' },
  C: { validity: 'invalid', reason: 'flag C: calibration' },
  T: { validity: 'invalid', reason: 'flag T: above measuring range' },
  B: { validity: 'invalid', reason: 'flag B: instrument–logger communication error' },
};

/**
 * HJ/T 212-2005 data flags [M — from memory of the 2005 text, as in the glossary]: F = 排放源停运 (source
 * stopped → excluded), P = 电源故障 (power failure → invalid); N M S D C T as in 2017. 2005 has no B.
 */
const FLAGS_2005: Readonly<Record<string, { validity: Validity; reason: string }>> = {
  N: { validity: 'valid', reason: 'flag N: normal' },
  F: { validity: 'excluded', reason: 'flag F (2005): emission source stopped' },
  P: { validity: 'invalid', reason: 'flag P (2005): power failure' },
  M: { validity: 'invalid', reason: 'flag M: maintenance' },
  S: { validity: 'suspect', reason: 'flag S: manually entered set value' },
  D: { validity: 'invalid', reason: 'flag D: fault' },
  C: { validity: 'invalid', reason: 'flag C: calibration' },
  T: { validity: 'invalid', reason: 'flag T: above measuring range' },
};

/** Every flag letter each protocol defines (for tests and for UIs). */
export const KNOWN_FLAGS: Readonly<Record<ProtocolVersion, readonly string[]>> = {
  '2005': Object.keys(FLAGS_2005),
  '2017': Object.keys(FLAGS_2017),
  '2025': Object.keys(FLAGS_2017),
};

/**
 * What a data flag alone says. No protocol → 2017. A missing or empty flag is valid with reason 'no flag':
 * HJ 212 makes the flag optional and loggers (2005 ones especially) omit it on normal data [Proposal].
 * Unknown letters (including 2005's P in a 2017 frame and B in a 2005 frame) are invalid. Flags are
 * case-sensitive, as in the standard.
 */
export function classifyFlag(
  flag: string | null | undefined,
  protocol: ProtocolVersion = '2017',
): { validity: Validity; reason: string } {
  if (flag === null || flag === undefined || flag === '') return { validity: 'valid', reason: 'no flag' };
  const table = protocol === '2005' ? FLAGS_2005 : FLAGS_2017;
  const known = Object.hasOwn(table, flag) ? table[flag] : undefined;
  return known ?? { validity: 'invalid', reason: `unknown flag '${flag}' (protocol ${protocol})` };
}

// ---------------------------------------------------------------------------------------------------------
// (a) Marks
// ---------------------------------------------------------------------------------------------------------

const covers = (mark: Mark, factor: string, at: number) =>
  (mark.factor === factor || mark.factor === '*') && mark.from <= at && at < mark.to;

/** Conservative tie-break when everything else is equal (keeps the result independent of input order). */
const KIND_RANK: Readonly<Record<Mark['kind'], number>> = { invalid: 3, stopped: 2, valid: 1, exempt: 0 };

/**
 * Total order of precedence, highest first: manual over automatic (公告2022年第21号 practice [P]); then the
 * latest `madeAt`; then a factor-specific mark over '*' [Proposal]; then invalid > stopped > valid
 * [Proposal, conservative]. Being total, the winner does not depend on the order marks are given in.
 */
function outranks(a: Mark, b: Mark): boolean {
  if (a.origin !== b.origin) return a.origin === 'manual';
  if (a.madeAt !== b.madeAt) return a.madeAt > b.madeAt;
  const aSpecific = a.factor !== '*';
  const bSpecific = b.factor !== '*';
  if (aSpecific !== bSpecific) return aSpecific;
  if (a.kind !== b.kind) return KIND_RANK[a.kind] > KIND_RANK[b.kind];
  if (a.from !== b.from) return a.from > b.from;
  return a.to < b.to;
}

/**
 * The approved mark that decides a record's validity, if any. Exempt marks are left out: an exemption
 * (豁免) does not change validity, only whether the value counts for exceedance (see {@link isExempt}).
 */
export function decidingMark(
  reading: Pick<Reading, 'factor' | 'start'>,
  marks: readonly Mark[],
): Mark | undefined {
  let best: Mark | undefined;
  for (const m of marks) {
    if (!m.approved || m.kind === 'exempt' || !covers(m, reading.factor, reading.start)) continue;
    if (best === undefined || outranks(m, best)) best = m;
  }
  return best;
}

/**
 * Whether an approved exemption (豁免) covers the record's period start, for its factor or '*'. The alarm
 * rules skip exempt values for exceedance (部令第10号 practice for incinerators; unverified [M]).
 */
export function isExempt(reading: Pick<Reading, 'factor' | 'start'>, marks: readonly Mark[]): boolean {
  return marks.some((m) => m.approved && m.kind === 'exempt' && covers(m, reading.factor, reading.start));
}

// ---------------------------------------------------------------------------------------------------------
// (c) Working state
// ---------------------------------------------------------------------------------------------------------

/**
 * i12001 states that contradict a normal flag (HJ 212-2017 附录 B 现场端信息编码 [V via code]): 1 维护,
 * 2 故障, 3 校准, 6 电源故障, 8 标定, 10 运维. Not 5 反吹 (blow-back) nor 9 待机 — open question.
 */
export const CONTRADICTING_WORKING_STATES: ReadonlySet<number> = new Set([1, 2, 3, 6, 8, 10]);

const WORKING_STATE_NAMES: Readonly<Record<number, string>> = {
  1: 'maintenance',
  2: 'fault',
  3: 'calibration',
  6: 'power failure',
  8: 'calibration (标定)',
  10: 'operation and maintenance',
};

const PERIOD_MS: Readonly<Record<ObservationPeriod, number>> = {
  realtime: 0,
  minute: MINUTE_MS,
  hour: HOUR_MS,
  day: DAY_MS,
};

/**
 * The first contradicting state among: the last state reported at or before `start` (it is in force at
 * the start), and every state reported within [start, start + length). `states` sorted by `at`.
 */
export function contradictingState(
  states: readonly WorkingState[],
  start: number,
  length: number,
): WorkingState | undefined {
  // Binary search: index of the first state after `start`.
  let lo = 0;
  let hi = states.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((states[mid] as WorkingState).at <= start) lo = mid + 1;
    else hi = mid;
  }
  const inForce = lo > 0 ? states[lo - 1] : undefined;
  if (inForce !== undefined && CONTRADICTING_WORKING_STATES.has(inForce.state)) return inForce;
  for (let i = lo; i < states.length; i++) {
    const s = states[i] as WorkingState;
    if (s.at >= start + length) break;
    if (CONTRADICTING_WORKING_STATES.has(s.state)) return s;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The judgement
// ---------------------------------------------------------------------------------------------------------

/** Whether a manual record backs the value: false, true, or the backing record's name. */
const backingRecord = (
  lookup: ManualRecordLookup | undefined,
  factor: string,
  start: number,
): boolean | string => {
  if (lookup === undefined) return false;
  if (typeof lookup !== 'function') return lookup.has(manualRecordKey(factor, start));
  const found = lookup(factor, start);
  return found === undefined ? false : found;
};

/**
 * The validity of one record. A record without a value is never valid (a 'valid' mark cannot supply a
 * value) but a stopped one is excluded whatever it carries: a stopped source need not send values.
 */
export function validityOf(reading: Reading, context: ValidityContext): ValidityJudgement {
  const hasValue = reading.value !== null && Number.isFinite(reading.value);

  // (a) Marks.
  const mark = decidingMark(reading, context.marks);
  if (mark !== undefined) {
    const by = `${mark.origin} mark`;
    if (mark.kind === 'stopped') return { validity: 'excluded', reason: `${by}: stopped`, basis: 'mark' };
    if (mark.kind === 'invalid') return { validity: 'invalid', reason: `${by}: invalid`, basis: 'mark' };
    if (!hasValue) return { validity: 'invalid', reason: 'no value', basis: 'value' };
    return { validity: 'valid', reason: `${by}: valid`, basis: 'mark' };
  }

  // (b) Flag.
  const byFlag = classifyFlag(reading.flag, reading.protocol);
  if (byFlag.validity === 'excluded') return { ...byFlag, basis: 'flag' };
  if (!hasValue) return { validity: 'invalid', reason: 'no value', basis: 'value' };
  if (byFlag.validity === 'suspect') {
    if (!context.config.suspectNeedsManualRecord) {
      return { validity: 'valid', reason: `${byFlag.reason} (accepted by configuration)`, basis: 'flag' };
    }
    const backing = backingRecord(context.manualRecords, reading.factor, reading.start);
    if (backing !== false) {
      const which =
        backing === true || backing === ''
          ? 'a manual-monitoring record'
          : `manual-monitoring record ${backing}`;
      return { validity: 'valid', reason: `${byFlag.reason}, backed by ${which}`, basis: 'flag' };
    }
    return { validity: 'suspect', reason: `${byFlag.reason}, no manual-monitoring record`, basis: 'flag' };
  }
  if (byFlag.validity !== 'valid') return { ...byFlag, basis: 'flag' };

  // (c) A normal (or absent) flag that the device's working state contradicts.
  const states = context.workingStates;
  if (states !== undefined && states.length > 0) {
    const s = contradictingState(states, reading.start, PERIOD_MS[context.period ?? 'hour']);
    if (s !== undefined) {
      const name = WORKING_STATE_NAMES[s.state] ?? String(s.state);
      return {
        validity: 'invalid',
        reason: `working state contradicts flag (i12001=${s.state} ${name})`,
        basis: 'working-state',
      };
    }
  }
  return { ...byFlag, basis: 'flag' };
}
