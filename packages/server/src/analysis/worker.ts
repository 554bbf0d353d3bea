import {
  type AnomalyConfig,
  type AnomalyReachMs,
  anomalyConfigReach,
  DAY_MS,
  DEFAULT_ANOMALY_CONFIG,
  DEFAULT_RULES,
  dayStart,
  HOUR_MS,
  hourStart,
  type RuleConfig,
} from '@qingyuan/domain';
import type { ObservationWritten } from '@qingyuan/gateway';
import type { Store } from '@qingyuan/store';
import { analyseDay } from './analyse-day.js';
import { judgeClock } from './clock.js';
import { judgeParameters } from './parameters.js';
import { loadPointContext, type PointContext } from './point-context.js';
import { ROLLUP_GRACE_MS, rollupDay } from './rollup-day.js';

/** A point-day to re-judge, to roll up from minutes, a point's instrument parameters or its clock. */
interface Work {
  readonly pointId: number;
  readonly day: number;
  readonly kind: 'rollup' | 'day' | 'params' | 'clock';
}

const ORDER: Readonly<Record<Work['kind'], number>> = { rollup: 0, day: 1, params: 2, clock: 3 };

export interface AnalysisWorkerOptions {
  readonly rules?: RuleConfig;
  /**
   * The anomaly thresholds, overrides and switches — or where to read them at each pass (the platform:
   * the province's, kept current by the rule service). Default: the built-in ones.
   */
  readonly anomalies?: AnomalyConfig | (() => AnomalyConfig);
  /** How long arrivals are gathered before a pass (default 100 ms): keeps the 9014 → alarm latency < 1 s. */
  readonly delayMs?: number;
  /** Registry facts (limits, reference O₂, 考核因子) are re-read after this (default 60 s). */
  readonly contextTtlMs?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
  /** An hour is rolled up from minutes once it ended this long ago (default 2 h: the device's 2061 first). */
  readonly rollupGraceMs?: number;
  /** How often hours due for a roll-up are looked for while some are pending (default 60 s). */
  readonly rollupCheckMs?: number;
  /** A point's clock is re-judged on real-time data at most this often (default 60 s; hourly data always). */
  readonly clockCheckMs?: number;
  /** Told how long each unit of work took (seconds): the rule-latency metric. */
  readonly onJudged?: (kind: 'day' | 'rollup' | 'params' | 'clock', seconds: number) => void;
}

/**
 * Applies the rules on arrival: every stored hourly observation (new or revised, backfill included) marks
 * its point's Beijing day dirty; dirty days are re-judged shortly after, one at a time, from the stored
 * facts (so the result does not depend on arrival order).
 */
export class AnalysisWorker {
  readonly #store: Store;
  readonly #rules: RuleConfig;
  readonly #anomalies: () => AnomalyConfig;
  /** How far the hourly anomaly detectors see beyond a day, for the configuration last seen. */
  #reach: { config: AnomalyConfig; reach: AnomalyReachMs } | undefined;
  readonly #delayMs: number;
  readonly #ttl: number;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  readonly #onJudged: AnalysisWorkerOptions['onJudged'];
  readonly #dirty = new Map<string, Work>();
  readonly #contexts = new Map<number, { context: PointContext | undefined; at: number }>();
  readonly #rollupGraceMs: number;
  readonly #rollupCheckMs: number;
  readonly #clockCheckMs: number;
  /** Point-days with minute data whose last hour is not yet due for a roll-up: when it will be. */
  readonly #rollupDue = new Map<string, { pointId: number; day: number; at: number }>();
  #rollupTimer: NodeJS.Timeout | undefined;
  readonly #clockJudged = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;
  passes = 0;
  daysAnalysed = 0;

  constructor(store: Store, options: AnalysisWorkerOptions = {}) {
    this.#store = store;
    this.#rules = options.rules ?? DEFAULT_RULES;
    const anomalies = options.anomalies ?? DEFAULT_ANOMALY_CONFIG;
    this.#anomalies = typeof anomalies === 'function' ? anomalies : () => anomalies;
    this.#delayMs = options.delayMs ?? 100;
    this.#ttl = options.contextTtlMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => undefined);
    this.#onJudged = options.onJudged;
    this.#rollupGraceMs = options.rollupGraceMs ?? ROLLUP_GRACE_MS;
    this.#rollupCheckMs = options.rollupCheckMs ?? 60_000;
    this.#clockCheckMs = options.clockCheckMs ?? 60_000;
  }

  /** The gateway's onIngested listener. */
  readonly ingested = (written: readonly ObservationWritten[]): void => {
    for (const w of written) {
      if (w.period === 'hour') {
        this.markDirty(w.pointId, w.periodStart);
        this.#mark(w.pointId, 0, 'clock');
      } else if (w.period === 'minute') {
        const day = dayStart(w.periodStart);
        this.#mark(w.pointId, day, 'rollup');
        // Minutes early in a day may be what lets the previous day's last hours be rolled up.
        if (w.periodStart - day < 3 * 3_600_000) this.#mark(w.pointId, day - DAY_MS, 'rollup');
        this.#rollupLater(w.pointId, day, hourStart(w.periodStart) + HOUR_MS + this.#rollupGraceMs);
      } else if (w.period === 'realtime') {
        // Real-time uploads are where the gateway sees a skewed clock (and a right one again).
        const last = this.#clockJudged.get(w.pointId);
        if (last === undefined || this.#now() - last >= this.#clockCheckMs) this.#mark(w.pointId, 0, 'clock');
      }
    }
  };

  /**
   * The time-based roll-up trigger: the point-day is rolled up again once its latest hour with minutes
   * is due (`at`), whether or not more minutes arrive, so a day's last hours are never left unrolled
   * when the device falls silent.
   */
  #rollupLater(pointId: number, day: number, at: number): void {
    if (this.#stopped || at <= this.#now()) return;
    const key = `${pointId}@${day}`;
    const held = this.#rollupDue.get(key);
    if (held === undefined || held.at < at) this.#rollupDue.set(key, { pointId, day, at });
    this.#rollupTimer ??= setInterval(() => this.#rollupDueNow(), this.#rollupCheckMs);
    this.#rollupTimer.unref();
  }

  #rollupDueNow(): void {
    const now = this.#now();
    for (const [key, due] of this.#rollupDue)
      if (due.at <= now) {
        this.#rollupDue.delete(key);
        this.#mark(due.pointId, due.day, 'rollup');
      }
    if (this.#rollupDue.size === 0 && this.#rollupTimer !== undefined) {
      clearInterval(this.#rollupTimer);
      this.#rollupTimer = undefined;
    }
  }

  /** Point-days waiting for the time-based roll-up (tests, metrics). */
  get rollupsPending(): number {
    return this.#rollupDue.size;
  }

  /** The gateway's onDeviceInfo listener: the points' instrument parameters are re-judged. */
  readonly deviceInfo = (pointIds: readonly number[]): void => {
    for (const pointId of pointIds) this.#mark(pointId, 0, 'params');
  };

  /**
   * Marks the Beijing day containing `instant` of a point for re-judgement (marks and corrections call it
   * too), and the days whose anomaly windows see it (domain hourlyAnomalyReach): the day before when the
   * instant is early enough to complete a run that began before midnight; the following days, up to today,
   * whose trailing windows (near-limit, sudden change) reach back to it.
   */
  markDirty(pointId: number, instant: number): void {
    const config = this.#anomalies();
    if (this.#reach?.config !== config) this.#reach = { config, reach: anomalyConfigReach(config) };
    const reach = this.#reach.reach;
    const day = dayStart(instant);
    this.#mark(pointId, day, 'day');
    if (instant - day < reach.after) this.#mark(pointId, day - DAY_MS, 'day');
    const today = dayStart(this.#now());
    for (let next = day + DAY_MS; next <= today && next <= instant + reach.before; next += DAY_MS)
      this.#mark(pointId, next, 'day');
  }

  #mark(pointId: number, day: number, kind: Work['kind']): void {
    if (this.#stopped) return;
    this.#dirty.set(`${pointId}@${day}@${kind}`, { pointId, day, kind });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#running.then(() => this.#pass());
    }, this.#delayMs);
  }

  /** Resolves when every day marked so far has been analysed. */
  async idle(): Promise<void> {
    while (this.#timer !== undefined || this.#dirty.size > 0) {
      await new Promise((r) => setTimeout(r, this.#delayMs));
      await this.#running;
    }
    await this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#rollupTimer !== undefined) clearInterval(this.#rollupTimer);
    this.#rollupTimer = undefined;
    this.#timer = undefined;
    await this.#running;
  }

  async #pass(): Promise<void> {
    const work = [...this.#dirty.values()];
    this.#dirty.clear();
    this.passes += 1;
    // Roll-ups first: the hours they store are judged with the day.
    // Earlier days first: a day continues the episodes the day before leaves open.
    work.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.day - b.day);
    // A roll-up pass judges its day as well.
    const rolled = new Set(work.filter((w) => w.kind === 'rollup').map((w) => `${w.pointId}@${w.day}`));
    // One configuration for the whole pass (a change made meanwhile applies from the next pass).
    const anomalies = this.#anomalies();
    for (const { pointId, day, kind } of work) {
      const started = performance.now();
      try {
        if (kind === 'params') {
          await judgeParameters(this.#store, pointId, this.#rules, this.#now(), anomalies);
          continue;
        }
        if (kind === 'clock') {
          this.#clockJudged.set(pointId, this.#now());
          await judgeClock(this.#store, pointId, this.#rules, this.#now(), anomalies);
          continue;
        }
        if (kind === 'day' && rolled.has(`${pointId}@${day}`)) continue;
        const context = await this.#context(pointId);
        if (context === undefined) continue;
        const interval = { from: day, to: day + DAY_MS };
        if (kind === 'rollup') {
          // Roll-ups first (they may store hours), then the day with its minute-level early warnings.
          await rollupDay(this.#store, context, interval, this.#rules, this.#now(), this.#rollupGraceMs);
          await analyseDay(this.#store, context, interval, this.#rules, this.#now(), anomalies);
          continue;
        }
        const result = await analyseDay(this.#store, context, interval, this.#rules, this.#now(), anomalies);
        this.daysAnalysed += 1;
        // An episode now ends (or begins) differently at midnight: the next day follows on from it.
        if (result.carriesChange && interval.to <= this.#now()) this.#mark(pointId, interval.to, 'day');
      } catch (error) {
        this.#onError(error);
      } finally {
        this.#onJudged?.(kind, (performance.now() - started) / 1000);
      }
    }
  }

  async #context(pointId: number): Promise<PointContext | undefined> {
    const held = this.#contexts.get(pointId);
    if (held !== undefined && this.#now() - held.at < this.#ttl) return held.context;
    const context = await loadPointContext(this.#store, pointId);
    this.#contexts.set(pointId, { context, at: this.#now() });
    return context;
  }
}
