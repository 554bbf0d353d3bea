import { type AnomalyConfig, DAY_MS, dayStart, type RuleConfig } from '@qingyuan/domain';
import type { Store } from '@qingyuan/store';
import { rejudgeDays } from './rejudge.js';

/** Lets the event loop serve other work (HTTP answers, the gateway) between the days of a run. */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The most past days a threshold change may re-judge (PUT /rules/anomaly-config `rejudgeDays`). */
export const MAX_REJUDGE_DAYS = 31;

/** A re-judgement of past days after a threshold change, as GET /rules/anomaly-config shows it. */
export interface RejudgeProgress {
  /** running; finished (every point done); failed (some points failed: `error`); stopped (shut down). */
  readonly state: 'running' | 'finished' | 'failed' | 'stopped';
  /** The whole Beijing days before today asked for (today so far is re-judged with them). */
  readonly days: number;
  /** The span re-judged: the first day's start, and the instant the run was scheduled. */
  readonly from: number;
  readonly to: number;
  /** The threshold revision whose change scheduled it. */
  readonly revision: number;
  readonly requestedBy: string;
  readonly pointsTotal: number;
  readonly pointsDone: number;
  readonly pointsFailed: number;
  /** Point-days analysed (more than points × days when an episode carried past midnight into later days). */
  readonly daysAnalysed: number;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  /** The first failure (and how many points failed), or why the run stopped. */
  readonly error: string | null;
}

export interface ThresholdRejudgeOptions {
  readonly store: Store;
  readonly rules: RuleConfig;
  readonly now: () => number;
  /** The thresholds in force when each point's turn comes (a change made meanwhile applies to the rest). */
  readonly anomalies: () => Promise<AnomalyConfig>;
  readonly onError?: (error: unknown) => void;
}

/** A run reserved before the thresholds are saved: started once they are, released if the save fails. */
export interface RejudgeReservation {
  start(run: { days: number; revision: number; requestedBy: string }): RejudgeProgress;
  release(): void;
}

/**
 * Re-judges the last N whole Beijing days (and today so far) of every monitoring point of the province in
 * the background, one point after another with `rejudgeDays` (as an approved mark re-judges its days:
 * episodes the new thresholds no longer produce are withdrawn, new ones opened, and an episode that now
 * ends or begins differently at midnight carries into the following days). One run at a time per process;
 * its progress is kept in memory (the last run, until the next one or a restart).
 */
export class ThresholdRejudge {
  readonly #options: ThresholdRejudgeOptions;
  #progress: RejudgeProgress | undefined;
  #reserved = false;
  #running: Promise<void> = Promise.resolve();
  #stopping = false;

  constructor(options: ThresholdRejudgeOptions) {
    this.#options = options;
  }

  /** The current run, or the last one (undefined: none since the process started). */
  get progress(): RejudgeProgress | undefined {
    return this.#progress;
  }

  /** Whether a run is reserved or running (a second one is refused meanwhile). */
  get busy(): boolean {
    return this.#reserved || this.#progress?.state === 'running';
  }

  /** Holds the one run slot (synchronously, so two changes at once cannot both get it); undefined when taken. */
  reserve(): RejudgeReservation | undefined {
    if (this.busy || this.#stopping) return undefined;
    this.#reserved = true;
    let used = false;
    return {
      start: (run) => {
        if (used) throw new Error('reservation already used');
        used = true;
        const started = this.#start(run);
        this.#reserved = false;
        return started;
      },
      release: () => {
        if (used) return;
        used = true;
        this.#reserved = false;
      },
    };
  }

  /** Resolves when the current run (if any) has ended. */
  settled(): Promise<void> {
    return this.#running;
  }

  /** Stops the current run after the point in hand (shutdown) and waits for it. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#running;
  }

  #start(run: { days: number; revision: number; requestedBy: string }): RejudgeProgress {
    const now = this.#options.now();
    this.#progress = {
      state: 'running',
      days: run.days,
      from: dayStart(now) - run.days * DAY_MS,
      to: now,
      revision: run.revision,
      requestedBy: run.requestedBy,
      pointsTotal: 0,
      pointsDone: 0,
      pointsFailed: 0,
      daysAnalysed: 0,
      startedAt: now,
      finishedAt: null,
      error: null,
    };
    const progress = this.#progress;
    this.#running = this.#run(progress);
    return progress;
  }

  #update(change: Partial<RejudgeProgress>): void {
    if (this.#progress !== undefined) this.#progress = { ...this.#progress, ...change };
  }

  async #run(first: RejudgeProgress): Promise<void> {
    const { store, rules, now, anomalies, onError } = this.#options;
    let failures = 0;
    let firstError: string | null = null;
    try {
      // Off the request: the HTTP answer goes out before the first point is judged.
      await yieldToOthers();
      const points = await store.db.selectFrom('monitoring_point').select('id').orderBy('id').execute();
      this.#update({ pointsTotal: points.length });
      let done = 0;
      let analysed = 0;
      for (const point of points) {
        if (this.#stopping) {
          this.#update({ state: 'stopped', finishedAt: now(), error: 'stopped: the server shut down' });
          return;
        }
        try {
          analysed += await rejudgeDays(
            store,
            Number(point.id),
            { from: first.from, to: first.to },
            rules,
            now(),
            await anomalies(),
            // A synchronous driver (SQLite) would otherwise hold the event loop for the whole province.
            yieldToOthers,
          );
        } catch (error) {
          failures += 1;
          firstError ??= `point ${point.id}: ${error instanceof Error ? error.message : String(error)}`;
          onError?.(error);
        }
        done += 1;
        this.#update({ pointsDone: done, pointsFailed: failures, daysAnalysed: analysed });
      }
      this.#update({
        state: failures > 0 ? 'failed' : 'finished',
        finishedAt: now(),
        error: failures > 0 ? `${failures} point(s) failed; first: ${firstError}` : null,
      });
    } catch (error) {
      onError?.(error);
      this.#update({
        state: 'failed',
        finishedAt: now(),
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
