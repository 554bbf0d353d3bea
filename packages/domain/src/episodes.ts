/**
 * Alarm episodes (报警事件): one record per episode of a condition, opened when the condition starts and
 * closed when it ends [Proposal — project design, architecture.md "alarms"].
 *
 * The rules (exceedance.ts, anomalies.ts) evaluate a condition per (point, factor, alarm type) and period:
 * an {@link Evaluation} says whether it held at `at`. This module folds a time-ordered sequence of them
 * into {@link Episode}s:
 *  - an episode opens at the first active evaluation after an inactive one (or at the first one);
 *  - it stays open across periods that have no evaluation (no data is not "condition ended" — missing
 *    data has its own alarm);
 *  - it closes at the first inactive evaluation (`closedAt` = that evaluation's `at`).
 *
 * The fold is a pure function of the set of evaluations: {@link foldEpisodes} sorts them itself and
 * merges duplicates, so replaying the same stored facts in any arrival order gives the same episodes
 * (idempotent, order-independent). {@link advance} is the same fold one evaluation at a time, for workers
 * on arrival; an evaluation that arrives out of order is refused, and the worker refolds the window that
 * {@link refoldWindow} names, then splices the result in with {@link spliceEpisodes}.
 */
import { DomainError } from './errors.js';
import type { Interval } from './time.js';
import { DAY_MS, dayStart, HOUR_MS, hourStart } from './time.js';

/** One judgement of a condition for one period (or instant). */
export interface Evaluation<D = unknown> {
  /** Period start (UTC epoch ms). */
  readonly at: number;
  readonly active: boolean;
  /** The value judged (e.g. the hourly mean), if any. */
  readonly value?: number | null;
  /** How bad it is; higher is worse (e.g. value / limit). The episode keeps its worst evaluation. */
  readonly severity?: number | null;
  readonly detail?: D;
}

/** An evaluation with its alarm key (the point is the caller's partition). */
export interface KeyedEvaluation<D = unknown> extends Evaluation<D> {
  readonly type: string;
  readonly factor: string;
}

export interface Episode<D = unknown> {
  readonly type: string;
  readonly factor: string;
  readonly openedAt: number;
  /** The `at` of the first inactive evaluation after the episode; null while it is open. */
  readonly closedAt: number | null;
  /** The `at` of the last active evaluation. */
  readonly lastActiveAt: number;
  /** Active evaluations in the episode. */
  readonly activeCount: number;
  /** The worst evaluation: highest severity, then highest value, then earliest. */
  readonly peakAt: number;
  readonly peakValue: number | null;
  readonly peakSeverity: number | null;
  /** The detail of the worst evaluation. */
  readonly detail: D | undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Canonical order
// ---------------------------------------------------------------------------------------------------------

const num = (x: number | null | undefined) => (x === null || x === undefined ? Number.NEGATIVE_INFINITY : x);

const detailKey = (d: unknown): string => {
  if (d === undefined) return '';
  try {
    return JSON.stringify(d) ?? '';
  } catch {
    return '';
  }
};

/**
 * Total order used to choose between evaluations of the same instant: active first, then higher
 * severity, then higher value, then the detail's JSON. Being total, the choice does not depend on the
 * order the evaluations arrived in.
 */
function preferred(a: Evaluation, b: Evaluation): number {
  if (a.active !== b.active) return a.active ? -1 : 1;
  const s = num(b.severity) - num(a.severity);
  if (s !== 0 && !Number.isNaN(s)) return s;
  const v = num(b.value) - num(a.value);
  if (v !== 0 && !Number.isNaN(v)) return v;
  const ka = detailKey(a.detail);
  const kb = detailKey(b.detail);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Sorted by `at`, one evaluation per instant (the {@link preferred} one when several share an instant:
 * a re-evaluation that found the condition active is kept over one that did not).
 */
export function canonicalEvaluations<E extends Evaluation>(evaluations: readonly E[]): E[] {
  for (const e of evaluations) {
    if (!Number.isFinite(e.at)) throw new DomainError('DOMAIN_E_INPUT', { field: 'at', value: e.at });
  }
  const sorted = [...evaluations].sort((a, b) => a.at - b.at || preferred(a, b));
  const out: E[] = [];
  for (const e of sorted) if (out.length === 0 || (out[out.length - 1] as E).at !== e.at) out.push(e);
  return out;
}

/** Whether `a` is a worse peak than `b` (ties keep the earlier one, which is `b` in a time-ordered fold). */
const worse = (a: Evaluation, b: { peakSeverity: number | null; peakValue: number | null }) => {
  const s = num(a.severity) - num(b.peakSeverity);
  if (s !== 0 && !Number.isNaN(s)) return s > 0;
  const v = num(a.value) - num(b.peakValue);
  return v > 0 && !Number.isNaN(v);
};

// ---------------------------------------------------------------------------------------------------------
// Incremental fold
// ---------------------------------------------------------------------------------------------------------

export interface EpisodeState<D = unknown> {
  readonly type: string;
  readonly factor: string;
  /** The `at` of the last evaluation folded in, or null before the first. */
  readonly lastAt: number | null;
  /** The open episode, if the condition currently holds. */
  readonly open: Episode<D> | null;
}

export interface Advance<D = unknown> {
  readonly state: EpisodeState<D>;
  /** A new episode (it is also `state.open`). */
  readonly opened?: Episode<D>;
  /** The open episode, closed by this evaluation. */
  readonly closed?: Episode<D>;
  /** The open episode, extended by this evaluation (new lastActiveAt, count, maybe a worse peak). */
  readonly updated?: Episode<D>;
  /**
   * The evaluation is not later than the last one folded in: the incremental fold cannot take it. Refold
   * the window {@link refoldWindow} gives for it and {@link spliceEpisodes} the result.
   */
  readonly outOfOrder?: true;
}

export function initialEpisodeState<D = unknown>(type: string, factor: string): EpisodeState<D> {
  return { type, factor, lastAt: null, open: null };
}

/** Folds one evaluation, later than every evaluation folded before, into the state. */
export function advance<D>(state: EpisodeState<D>, evaluation: Evaluation<D>): Advance<D> {
  if (!Number.isFinite(evaluation.at)) {
    throw new DomainError('DOMAIN_E_INPUT', { field: 'at', value: evaluation.at });
  }
  if (state.lastAt !== null && evaluation.at <= state.lastAt) return { state, outOfOrder: true };
  const lastAt = evaluation.at;
  const open = state.open;
  if (!evaluation.active) {
    if (open === null) return { state: { ...state, lastAt } };
    const closed: Episode<D> = { ...open, closedAt: evaluation.at };
    return { state: { ...state, lastAt, open: null }, closed };
  }
  if (open === null) {
    const opened: Episode<D> = {
      type: state.type,
      factor: state.factor,
      openedAt: evaluation.at,
      closedAt: null,
      lastActiveAt: evaluation.at,
      activeCount: 1,
      peakAt: evaluation.at,
      peakValue: evaluation.value ?? null,
      peakSeverity: evaluation.severity ?? null,
      detail: evaluation.detail,
    };
    return { state: { ...state, lastAt, open: opened }, opened };
  }
  const peak = worse(evaluation, open)
    ? {
        peakAt: evaluation.at,
        peakValue: evaluation.value ?? null,
        peakSeverity: evaluation.severity ?? null,
        detail: evaluation.detail,
      }
    : {};
  const updated: Episode<D> = {
    ...open,
    ...peak,
    lastActiveAt: evaluation.at,
    activeCount: open.activeCount + 1,
  };
  return { state: { ...state, lastAt, open: updated }, updated };
}

// ---------------------------------------------------------------------------------------------------------
// Batch fold
// ---------------------------------------------------------------------------------------------------------

/**
 * Episodes of one (type, factor) from a set of evaluations in any order: closed ones first by
 * `openedAt`, the last one possibly open. Same set in, same episodes out.
 */
export function foldEpisodes<D>(
  type: string,
  factor: string,
  evaluations: readonly Evaluation<D>[],
): Episode<D>[] {
  let state = initialEpisodeState<D>(type, factor);
  const episodes: Episode<D>[] = [];
  for (const e of canonicalEvaluations(evaluations)) {
    const step = advance(state, e);
    state = step.state;
    if (step.closed !== undefined) episodes.push(step.closed);
  }
  if (state.open !== null) episodes.push(state.open);
  return episodes;
}

const keyOf = (type: string, factor: string) => JSON.stringify([type, factor]);

/** {@link foldEpisodes} per (type, factor); sorted by type, factor, openedAt. */
export function foldAllEpisodes<D>(evaluations: readonly KeyedEvaluation<D>[]): Episode<D>[] {
  const groups = new Map<string, KeyedEvaluation<D>[]>();
  for (const e of evaluations) {
    const k = keyOf(e.type, e.factor);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [e]);
    else g.push(e);
  }
  const out: Episode<D>[] = [];
  for (const k of [...groups.keys()].sort()) {
    const g = groups.get(k) as KeyedEvaluation<D>[];
    const first = g[0] as KeyedEvaluation<D>;
    out.push(...foldEpisodes(first.type, first.factor, g));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Late facts
// ---------------------------------------------------------------------------------------------------------

/**
 * The evaluations to refold after the evaluations in `changed` ([from, to)) were redone (a late mark,
 * a backfilled hour): those with `from ≤ at ≤ to` of the result. It widens `changed` to whole episodes
 * it touches (an episode closed exactly at changed.from included: the change may extend it), and on the
 * right to the close of the first episode opening at or after changed.to (a change may join the two,
 * since gaps do not close). `to: null` means "to the end": refold up to and including the first
 * inactive evaluation at or after changed.to, or all later evaluations if none is inactive. The
 * evaluation before `from` is inactive or absent in every case, so the refold starts closed.
 */
export function refoldWindow(
  existing: readonly Episode[],
  changed: Interval,
): { from: number; to: number | null } {
  let from = changed.from;
  let to: number | null = changed.to;
  let next: Episode | undefined;
  for (const e of existing) {
    const end = e.closedAt ?? Number.POSITIVE_INFINITY;
    if (e.openedAt < changed.to && end >= changed.from) {
      from = Math.min(from, e.openedAt);
      if (to !== null) to = e.closedAt === null ? null : Math.max(to, e.closedAt);
    } else if (e.openedAt >= changed.to && (next === undefined || e.openedAt < next.openedAt)) {
      next = e;
    }
  }
  if (to !== null)
    to = next === undefined ? null : next.closedAt === null ? null : Math.max(to, next.closedAt);
  return { from, to };
}

/**
 * `existing` with the episodes that lie in `window` (as {@link refoldWindow} returned it) replaced by
 * `refolded` (the fold of the window's evaluations). Sorted by openedAt.
 */
export function spliceEpisodes<D>(
  existing: readonly Episode<D>[],
  window: { from: number; to: number | null },
  refolded: readonly Episode<D>[],
): Episode<D>[] {
  const inWindow = (e: Episode<D>) =>
    e.openedAt >= window.from && (window.to === null || e.openedAt <= window.to);
  return [...existing.filter((e) => !inWindow(e)), ...refolded].sort((a, b) => a.openedAt - b.openedAt);
}

/** What a refold changed, keyed by openedAt: for workers to write back only what moved. */
export interface EpisodeDiff<D = unknown> {
  readonly added: readonly Episode<D>[];
  readonly removed: readonly Episode<D>[];
  readonly changed: readonly Episode<D>[];
}

const sameEpisode = (a: Episode, b: Episode) =>
  a.closedAt === b.closedAt &&
  a.lastActiveAt === b.lastActiveAt &&
  a.activeCount === b.activeCount &&
  a.peakAt === b.peakAt &&
  a.peakValue === b.peakValue &&
  a.peakSeverity === b.peakSeverity &&
  detailKey(a.detail) === detailKey(b.detail);

/** Differences between two episode lists of one (type, factor). */
export function diffEpisodes<D>(before: readonly Episode<D>[], after: readonly Episode<D>[]): EpisodeDiff<D> {
  const old = new Map(before.map((e) => [e.openedAt, e]));
  const now = new Map(after.map((e) => [e.openedAt, e]));
  const added: Episode<D>[] = [];
  const changed: Episode<D>[] = [];
  for (const [at, e] of now) {
    const was = old.get(at);
    if (was === undefined) added.push(e);
    else if (!sameEpisode(was, e)) changed.push(e);
  }
  const removed = [...old.values()].filter((e) => !now.has(e.openedAt));
  return { added, removed, changed };
}

/**
 * The Beijing hours (or days) whose evaluations a late fact over `changed` ([from, to)) affects: every
 * period that overlaps it — an hour's own record (a mark decides by the period start, validity.ts), its
 * minutes (our roll-up and the minute early warning) and, for daily rules, its day. Window detectors
 * (constant value, sudden change, near-limit) widen this by their own window (see anomalies.ts).
 */
export function periodsAffectedBy(changed: Interval, unit: 'hour' | 'day'): number[] {
  if (!(changed.to > changed.from)) return [];
  const floor = unit === 'hour' ? hourStart : dayStart;
  const step = unit === 'hour' ? HOUR_MS : DAY_MS;
  const out: number[] = [];
  for (let p = floor(changed.from); p < changed.to; p += step) out.push(p);
  return out;
}
