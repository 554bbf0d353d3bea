import { DAY_MS, DEFAULT_RULES, dayStart, type RuleConfig } from '@qingyuan/domain';
import type { ObservationWritten } from '@qingyuan/gateway';
import type { Store } from '@qingyuan/store';
import { analyseDay } from './analyse-day.js';
import { judgeParameters } from './parameters.js';
import { loadPointContext, type PointContext } from './point-context.js';
import { rollupDay } from './rollup-day.js';

/** A point-day to re-judge, to roll up from minutes, or a point's instrument parameters. */
interface Work {
  readonly pointId: number;
  readonly day: number;
  readonly kind: 'rollup' | 'day' | 'params';
}

const ORDER: Readonly<Record<Work['kind'], number>> = { rollup: 0, day: 1, params: 2 };

export interface AnalysisWorkerOptions {
  readonly rules?: RuleConfig;
  /** How long arrivals are gathered before a pass (default 100 ms): keeps the 9014 → alarm latency < 1 s. */
  readonly delayMs?: number;
  /** Registry facts (limits, reference O₂, 考核因子) are re-read after this (default 60 s). */
  readonly contextTtlMs?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Applies the rules on arrival: every stored hourly observation (new or revised, backfill included) marks
 * its point's Beijing day dirty; dirty days are re-judged shortly after, one at a time, from the stored
 * facts (so the result does not depend on arrival order).
 */
export class AnalysisWorker {
  readonly #store: Store;
  readonly #rules: RuleConfig;
  readonly #delayMs: number;
  readonly #ttl: number;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  readonly #dirty = new Map<string, Work>();
  readonly #contexts = new Map<number, { context: PointContext | undefined; at: number }>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;
  passes = 0;
  daysAnalysed = 0;

  constructor(store: Store, options: AnalysisWorkerOptions = {}) {
    this.#store = store;
    this.#rules = options.rules ?? DEFAULT_RULES;
    this.#delayMs = options.delayMs ?? 100;
    this.#ttl = options.contextTtlMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => undefined);
  }

  /** The gateway's onIngested listener. */
  readonly ingested = (written: readonly ObservationWritten[]): void => {
    for (const w of written) {
      if (w.period === 'hour') this.markDirty(w.pointId, w.periodStart);
      else if (w.period === 'minute') {
        const day = dayStart(w.periodStart);
        this.#mark(w.pointId, day, 'rollup');
        // Minutes early in a day may be what lets the previous day's last hours be rolled up.
        if (w.periodStart - day < 3 * 3_600_000) this.#mark(w.pointId, day - DAY_MS, 'rollup');
      }
    }
  };

  /** The gateway's onDeviceInfo listener: the points' instrument parameters are re-judged. */
  readonly deviceInfo = (pointIds: readonly number[]): void => {
    for (const pointId of pointIds) this.#mark(pointId, 0, 'params');
  };

  /** Marks the Beijing day containing `instant` of a point for re-judgement (marks and corrections call it too). */
  markDirty(pointId: number, instant: number): void {
    this.#mark(pointId, dayStart(instant), 'day');
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
    this.#timer = undefined;
    await this.#running;
  }

  async #pass(): Promise<void> {
    const work = [...this.#dirty.values()];
    this.#dirty.clear();
    this.passes += 1;
    // Roll-ups first: the hours they store are judged with the day.
    work.sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
    // A roll-up pass judges its day as well.
    const rolled = new Set(work.filter((w) => w.kind === 'rollup').map((w) => `${w.pointId}@${w.day}`));
    for (const { pointId, day, kind } of work) {
      try {
        if (kind === 'params') {
          await judgeParameters(this.#store, pointId, this.#rules, this.#now());
          continue;
        }
        if (kind === 'day' && rolled.has(`${pointId}@${day}`)) continue;
        const context = await this.#context(pointId);
        if (context === undefined) continue;
        const interval = { from: day, to: day + DAY_MS };
        if (kind === 'rollup') {
          // Roll-ups first (they may store hours), then the day with its minute-level early warnings.
          await rollupDay(this.#store, context, interval, this.#rules, this.#now());
          await analyseDay(this.#store, context, interval, this.#rules, this.#now());
          continue;
        }
        const result = await analyseDay(this.#store, context, interval, this.#rules, this.#now());
        this.daysAnalysed += 1;
        // An episode now ends (or begins) differently at midnight: the next day follows on from it.
        if (result.carriesChange && interval.to <= this.#now()) this.#mark(pointId, interval.to, 'day');
      } catch (error) {
        this.#onError(error);
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
