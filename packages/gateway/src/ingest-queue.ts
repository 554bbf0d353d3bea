import type { IngestBatch, IngestResult, IngestWriter } from '@qingyuan/store';

/** One session's contribution: frames and what was read from them (frame refs index `frames`). */
export type IngestUnit = IngestBatch;

/** Told once a unit is committed (its result) or could not be (`undefined`, and the error). */
export type Committed = (result: IngestResult | undefined, error?: unknown) => void;

interface Waiting {
  readonly unit: IngestUnit;
  readonly done: Committed;
}

/** How many more turns of the event loop a batch may wait for frames still arriving (IngestQueue). */
const GATHER_TURNS = 4;

export interface IngestQueueStats {
  readonly commits: number;
  readonly framesCommitted: number;
  readonly failures: number;
  readonly queuedFrames: number;
  readonly largestBatch: number;
}

/**
 * Group commit: units submitted while a commit is running join the next transaction (up to
 * `maxBatchFrames` frames; `IngestWriter.commitAll`), so a busy gateway pays one commit per batch, not per
 * frame, while a quiet one commits each frame at once. One commit is in flight at a time (the archive's
 * hash chain is a sequence). If a batch fails, each unit is retried alone so one bad unit cannot fail its
 * neighbours.
 *
 * Before it takes a batch, the queue lets the event loop poll the sockets again as long as the last poll
 * brought more frames (up to `GATHER_TURNS` turns, or until a batch is full): under load, the frames that
 * loggers send in answer to the last commit's acks arrive over several turns, and a commit per turn paid
 * the fixed cost of a commit (its log pages, SQLite's page-cache scan) for a part of them. A quiet gateway
 * loses one turn of the loop (microseconds). Measured over loopback (docs/benchmarks.md, "Sixteenth look").
 */
export class IngestQueue {
  #waiting: Waiting[] = [];
  #queuedFrames = 0;
  #running = false;
  #stats = { commits: 0, framesCommitted: 0, failures: 0, largestBatch: 0 };
  #idle: (() => void)[] = [];

  constructor(
    private readonly writer: Pick<IngestWriter, 'commitAll'>,
    private readonly maxBatchFrames: number,
    private readonly onPressure: (queuedFrames: number) => void = () => undefined,
    /** Asked before each commit; a promise holds the commit back until it settles (store WalCheckpointer). */
    private readonly gate: () => Promise<void> | undefined = () => undefined,
  ) {}

  get queuedFrames(): number {
    return this.#queuedFrames;
  }

  stats(): IngestQueueStats {
    return { ...this.#stats, queuedFrames: this.#queuedFrames };
  }

  submit(unit: IngestUnit): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.enqueue(unit, (result, error) => (result === undefined ? reject(error) : resolve(result)));
    });
  }

  /**
   * `submit` without a promise per unit (the gateway's sessions, a frame at a time): `done` is called once,
   * units in the order they were enqueued, when the unit is committed or could not be. `done` must not throw.
   */
  enqueue(unit: IngestUnit, done: Committed): void {
    this.#waiting.push({ unit, done });
    this.#queuedFrames += unit.frames.length;
    this.onPressure(this.#queuedFrames);
    if (!this.#running) {
      this.#running = true;
      // Let the frames already read from sockets in this turn join the first batch.
      setImmediate(() => void this.#drain());
    }
  }

  /** Resolves when everything submitted so far is committed (or failed). */
  idle(): Promise<void> {
    if (!this.#running && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #drain(): Promise<void> {
    while (this.#waiting.length > 0) {
      await this.#gather();
      const held = this.gate();
      // Frames that arrive meanwhile join this batch.
      if (held !== undefined) await held;
      const batch = this.#take();
      await this.#commit(batch);
    }
    this.#running = false;
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Yields to the event loop while each turn brings more frames, up to GATHER_TURNS or a full batch. */
  async #gather(): Promise<void> {
    for (let turn = 0, before = -1; turn < GATHER_TURNS; turn++) {
      if (this.#queuedFrames === before || this.#queuedFrames >= this.maxBatchFrames) return;
      before = this.#queuedFrames;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  #take(): Waiting[] {
    let frames = 0;
    let count = 0;
    for (const w of this.#waiting) {
      if (count > 0 && frames + w.unit.frames.length > this.maxBatchFrames) break;
      frames += w.unit.frames.length;
      count += 1;
    }
    return this.#waiting.splice(0, count);
  }

  async #commit(batch: Waiting[]): Promise<void> {
    let results: IngestResult[];
    try {
      results = await this.writer.commitAll(batch.map((w) => w.unit));
    } catch (error) {
      if (batch.length > 1) {
        for (const w of batch) await this.#commit([w]);
        return;
      }
      this.#stats.failures += 1;
      this.#settle(batch);
      (batch[0] as Waiting).done(undefined, error);
      return;
    }
    const frames = batch.reduce((n, w) => n + w.unit.frames.length, 0);
    this.#stats.commits += 1;
    this.#stats.framesCommitted += frames;
    this.#stats.largestBatch = Math.max(this.#stats.largestBatch, frames);
    this.#settle(batch);
    for (let i = 0; i < batch.length; i++) (batch[i] as Waiting).done(results[i] as IngestResult);
  }

  #settle(batch: readonly Waiting[]): void {
    for (const w of batch) this.#queuedFrames -= w.unit.frames.length;
    this.onPressure(this.#queuedFrames);
  }
}
