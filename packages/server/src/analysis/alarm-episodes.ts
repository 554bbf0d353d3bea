import {
  type Advance,
  advance,
  DAY_MS,
  type Episode,
  type EpisodeState,
  type Interval,
  type KeyedEvaluation,
  type RuleConfig,
} from '@qingyuan/domain';
import { type AlarmRecord, AlarmRepository, type Store } from '@qingyuan/store';

/** What an alarm episode keeps of the evaluation that made it worst (limit, bound, values…). */
export type Detail = Readonly<Record<string, unknown>>;

/** An evaluation with its detail as a plain record (exceedance details are typed objects). */
export function asDetail<D extends object>(e: KeyedEvaluation<D>): KeyedEvaluation<Detail> {
  const { detail, ...rest } = e;
  return detail === undefined ? rest : { ...rest, detail: { ...detail } as Detail };
}

/**
 * The day's evaluations, folded per alarm key onto the episode that was open when the day began, and
 * written: episodes opened within the day that the facts no longer produce are deleted (they came from
 * facts that changed — a mark, a revision).
 */
export async function saveEpisodes(
  store: Store,
  pointId: number,
  day: Interval,
  evaluations: readonly KeyedEvaluation<Detail>[],
  /** The alarm types this pass judges: their episodes opened within the day may be withdrawn. */
  types: readonly string[],
  rules: RuleConfig,
  now: number,
): Promise<{ open: number; saved: number; carriesChange: boolean }> {
  const alarms = new AlarmRepository(store);
  const stored = (await alarms.list({ pointId, from: day.from - DAY_MS, to: day.to })).filter((a) =>
    types.includes(a.type),
  );
  // Every key with an evaluation today, and every key with an episode opened today (which the facts may
  // no longer produce).
  const keys = new Map<string, { type: string; factor: string; list: KeyedEvaluation<Detail>[] }>();
  const keyOf = (type: string, factor: string) => {
    const key = `${type}\u0000${factor}`;
    let entry = keys.get(key);
    if (entry === undefined) {
      entry = { type, factor, list: [] };
      keys.set(key, entry);
    }
    return entry;
  };
  for (const a of stored)
    if (a.opened_at >= day.from && a.opened_at < day.to) keyOf(a.type, a.factor_code ?? '');
  for (const e of evaluations) keyOf(e.type, e.factor).list.push(e);
  let open = 0;
  let saved = 0;
  let carriesChange = false;
  for (const { type, factor, list } of keys.values()) {
    const mine = stored.filter((a) => a.type === type && a.factor_code === factor);
    const prior = mine.find(
      (a) => a.opened_at < day.from && (a.closed_at === null || a.closed_at >= day.from),
    );
    let state: EpisodeState<Detail> = {
      type,
      factor,
      lastAt: day.from - 1,
      open: prior === undefined ? null : { ...episodeOf(prior), closedAt: null },
    };
    // The episode that was open when the day ended, as stored before this run (a later day may have
    // closed it since).
    const atEndBefore = mine.find(
      (a) => a.opened_at < day.to && (a.closed_at === null || a.closed_at >= day.to),
    );
    const produced = new Map<number, Episode<Detail>>();
    if (prior !== undefined) produced.set(prior.opened_at, state.open as Episode<Detail>);
    for (const e of [...list].sort((a, b) => a.at - b.at)) {
      const step: Advance<Detail> = advance(state, e);
      state = step.state;
      for (const episode of [step.opened, step.updated, step.closed])
        if (episode !== undefined) produced.set(episode.openedAt, episode);
    }
    // What carries into the next day changed: the next day must be folded again.
    if ((atEndBefore?.opened_at ?? null) !== (state.open?.openedAt ?? null)) carriesChange = true;
    // Withdrawn first: an episode that now opens at another hour would otherwise meet the old one still
    // open (one open episode per point × factor × type).
    const stale = mine.filter(
      (a) => a.opened_at >= day.from && a.opened_at < day.to && !produced.has(a.opened_at),
    );
    if (stale.length > 0)
      await store.db
        .deleteFrom('alarm')
        .where(
          'id',
          'in',
          stale.map((a) => a.id),
        )
        .execute();
    for (const episode of produced.values()) {
      // Still open at the day's end and closed by a later day's fold: that closing stands.
      const laterClose =
        episode.closedAt === null && atEndBefore?.opened_at === episode.openedAt
          ? atEndBefore.closed_at
          : null;
      await alarms.save(
        {
          pointId,
          factorCode: factor,
          type,
          openedAt: episode.openedAt,
          closedAt: episode.closedAt ?? laterClose,
          peakValue: episode.peakValue,
          limitValue: typeof episode.detail?.limit === 'number' ? episode.detail.limit : null,
          detail: {
            ...(episode.detail ?? {}),
            peakAt: episode.peakAt,
            lastActiveAt: episode.lastActiveAt,
            activeCount: episode.activeCount,
          },
          ruleVersion: rules.version,
        },
        now,
      );
      saved += 1;
      if (episode.closedAt === null && laterClose === null) open += 1;
    }
  }
  return { open, saved, carriesChange };
}

function episodeOf(a: AlarmRecord): Episode<Detail> {
  const d = a.detail as Record<string, unknown>;
  return {
    type: a.type,
    factor: a.factor_code ?? '',
    openedAt: a.opened_at,
    closedAt: a.closed_at,
    lastActiveAt: Number(d.lastActiveAt ?? a.opened_at),
    activeCount: Number(d.activeCount ?? 1),
    peakAt: Number(d.peakAt ?? a.opened_at),
    peakValue: a.peak_value,
    peakSeverity: a.peak_value !== null && a.limit_value ? a.peak_value / a.limit_value : null,
    detail: d,
  };
}
