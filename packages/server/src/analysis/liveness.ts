import {
  type AnomalyConfig,
  DEFAULT_ANOMALY_CONFIG,
  detectOffline,
  HOUR_MS,
  hourStart,
  type Mark,
  missingEvaluation,
  type RuleConfig,
  thresholdsFor,
} from '@qingyuan/domain';
import { AlarmRepository, type Store } from '@qingyuan/store';
import { approvedMarks } from './marks.js';

interface MissingPair {
  readonly pointId: number;
  readonly factor: string;
  /** `${pointId}|${factor}` */
  readonly key: string;
  /** 投运 (in service on), or the window's start. */
  readonly inService: number;
}

export interface LivenessOptions {
  readonly rules: RuleConfig;
  /** The thresholds, or where to read them at each sweep (the platform: the province's). */
  readonly anomalies?: AnomalyConfig | (() => AnomalyConfig);
  /** How often the sweep runs (default 5 min). */
  readonly intervalMs?: number;
  /** How far back missing hours are looked for (default 48 h). */
  readonly lookBackMs?: number;
  /**
   * Sweeps in between judge only the pairs whose state may have changed; every this often (default 1 h),
   * and on the first sweep, all of them.
   */
  readonly fullEveryMs?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Alarms that come from time passing rather than from data arriving: 联网异常 (offline — no frame,
 * heartbeat included, for longer than the threshold) and 数据缺失 (missing — an expected hour not received
 * by its deadline). A periodic sweep judges them at `now` (domain rules: offlineEvaluation,
 * missingEvaluation) and opens or closes one episode per point (offline) or point × factor (missing);
 * data arriving later, backfill included, closes them on the next sweep.
 */
export class LivenessSweep {
  readonly #store: Store;
  readonly #options: LivenessOptions;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** The previous sweep's `now`, the last full sweep's, and the point × factor pairs then judged. */
  #lastSweep: number | undefined;
  #lastFull = Number.NEGATIVE_INFINITY;
  #known = new Set<string>();
  /** Point × factor pairs the last sweep judged for missing hours (tests, measurements). */
  pairsJudged = 0;

  constructor(store: Store, options: LivenessOptions) {
    this.#store = store;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  start(): void {
    this.#timer = setInterval(
      () => void this.sweep().catch(this.#options.onError ?? (() => undefined)),
      this.#options.intervalMs ?? 300_000,
    );
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass at `now` (tests call it directly). */
  sweep(): Promise<void> {
    this.#running ??= this.#sweep().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #sweep(): Promise<void> {
    const now = this.#now();
    const anomalies = this.#options.anomalies ?? DEFAULT_ANOMALY_CONFIG;
    const config = typeof anomalies === 'function' ? anomalies() : anomalies;
    const alarms = new AlarmRepository(this.#store);
    const version = this.#options.rules.version;
    // The open offline and missing episodes, read once for the sweep.
    const key = (pointId: number, factor: string | null, type: string) =>
      `${pointId}|${factor ?? ''}|${type}`;
    const opened = new Map(
      (await alarms.list({ openOnly: true, limit: Number.MAX_SAFE_INTEGER }))
        .filter((a) => a.type === 'offline' || a.type === 'missing')
        .map((a) => [key(a.point_id, a.factor_code, a.type), a]),
    );
    const set = async (
      pointId: number,
      factor: string | null,
      type: string,
      active: boolean,
      openedAt: number,
      detail: Record<string, unknown>,
    ) => {
      const open = opened.get(key(pointId, factor, type));
      const base = {
        pointId,
        factorCode: factor,
        type,
        peakValue: null,
        limitValue: null,
        ruleVersion: version,
      };
      if (active && open === undefined) await alarms.save({ ...base, openedAt, closedAt: null, detail }, now);
      else if (active && open !== undefined)
        await alarms.save({ ...base, openedAt: open.opened_at, closedAt: null, detail }, now);
      else if (!active && open !== undefined)
        await alarms.save(
          { ...base, openedAt: open.opened_at, closedAt: now, detail: { ...open.detail, ...detail } },
          now,
        );
    };

    // Offline: the last frame of every device that ever connected (any gateway).
    const presence = await this.#store.db
      .selectFrom('device_presence')
      .select(['point_id', 'last_seen_at'])
      .execute();
    for (const p of presence) {
      const last = p.last_seen_at === null ? null : Number(p.last_seen_at);
      // The episode begins when the silence became an alarm (last frame + threshold).
      const finding = detectOffline(last, now, config)[0];
      await set(Number(p.point_id), null, 'offline', finding !== undefined, finding?.start ?? now, {
        lastFrameAt: last,
      });
    }

    // Missing hours of 考核因子 of running points over the look-back window, from each hour's first receipt.
    const from = hourStart(now - (this.#options.lookBackMs ?? 48 * HOUR_MS));
    const points = await this.#store.db
      .selectFrom('point_factor as f')
      .innerJoin('monitoring_point as p', 'p.id', 'f.point_id')
      .select(['p.id', 'p.in_service_on', 'f.factor_code'])
      .where('f.assessed', '=', 1)
      .where('p.status', '=', 'running')
      .execute();
    const pairs = points.map((p) => ({
      pointId: Number(p.id),
      factor: p.factor_code,
      key: `${p.id}|${p.factor_code}`,
      inService: p.in_service_on === null ? from : Date.parse(`${p.in_service_on}T00:00:00+08:00`),
    }));
    const last = this.#lastSweep;
    const full =
      last === undefined || now < last || now - this.#lastFull >= (this.#options.fullEveryMs ?? HOUR_MS);
    // Incremental: only pairs whose answer may have changed since the last sweep — those with an open
    // episode (data may have arrived), new pairs, and pairs without a receipt for an hour that became due
    // since (its deadline passed in (last, now]). Every other pair was inactive then and still is: receipts
    // and approved stopped marks only ever remove missing hours, and the window only loses old ones. A
    // full sweep every fullEveryMs (and the first) also catches a withdrawn mark or a changed 投运 date.
    const judged = full
      ? pairs
      : await this.#candidates(pairs, last as number, now, config, (k) => opened.has(`${k}|missing`));
    if (full) this.#lastFull = now;
    this.#lastSweep = now;
    this.#known = new Set(pairs.map((p) => p.key));
    this.pairsJudged = judged.length;
    if (judged.length === 0) return;
    const pointIds = [...new Set(judged.map((p) => p.pointId))];
    let query = this.#store.db
      .selectFrom('obs_hour')
      .select(['point_id', 'factor_code', 'period_start'])
      .select((eb) => eb.fn.min('received_at').as('first'))
      .where('period_start', '>=', from);
    // A few points: their rows only (a full sweep reads the window once for everyone).
    if (!full && pointIds.length <= 500) query = query.where('point_id', 'in', pointIds);
    const received = await query.groupBy(['point_id', 'factor_code', 'period_start']).execute();
    const receipts = new Map<string, Map<number, number>>();
    for (const r of received) {
      const key = `${r.point_id}|${r.factor_code}`;
      let hours = receipts.get(key);
      if (hours === undefined) {
        hours = new Map();
        receipts.set(key, hours);
      }
      hours.set(Number(r.period_start), Number(r.first));
    }
    const marksOf = new Map<number, Mark[]>();
    for (const p of judged) {
      if (!marksOf.has(p.pointId))
        marksOf.set(p.pointId, await approvedMarks(this.#store, p.pointId, from, now));
      const evaluation = missingEvaluation(
        {
          factor: p.factor,
          window: { from: Math.max(from, hourStart(p.inService + HOUR_MS - 1)), to: hourStart(now) },
          received: receipts.get(p.key) ?? new Map(),
          marks: marksOf.get(p.pointId) ?? [],
          config,
        },
        now,
      );
      const hours = (evaluation.detail as { hours: { start: number }[] }).hours;
      await set(p.pointId, p.factor, 'missing', evaluation.active, hours[0]?.start ?? now, {
        missing: hours,
      });
    }
  }

  /** The pairs an incremental sweep must judge (see #sweep). */
  async #candidates(
    pairs: readonly MissingPair[],
    last: number,
    now: number,
    config: AnomalyConfig,
    hasOpen: (key: string) => boolean,
  ): Promise<MissingPair[]> {
    // Hours whose deadline (end + grace) fell in (last, now], per factor's grace.
    const due = (factor: string) => {
      const grace = thresholdsFor(config, factor).missingGraceMs;
      const hours: number[] = [];
      for (let h = hourStart(last - HOUR_MS - grace) + HOUR_MS; h + HOUR_MS + grace <= now; h += HOUR_MS)
        if (h + HOUR_MS + grace > last) hours.push(h);
      return hours;
    };
    const dueOf = new Map<string, number[]>();
    for (const p of pairs) if (!dueOf.has(p.factor)) dueOf.set(p.factor, due(p.factor));
    const all = [...dueOf.values()].flat();
    const got = new Set<string>();
    if (all.length > 0) {
      const rows = await this.#store.db
        .selectFrom('obs_hour')
        .select(['point_id', 'factor_code', 'period_start'])
        .where('period_start', '>=', Math.min(...all))
        .where('period_start', '<=', Math.max(...all))
        .where('received_at', '<=', now)
        .execute();
      for (const r of rows) got.add(`${r.point_id}|${r.factor_code}|${Number(r.period_start)}`);
    }
    return pairs.filter(
      (p) =>
        hasOpen(p.key) ||
        !this.#known.has(p.key) ||
        (dueOf.get(p.factor) ?? []).some((h) => h >= p.inService && !got.has(`${p.key}|${h}`)),
    );
  }
}
