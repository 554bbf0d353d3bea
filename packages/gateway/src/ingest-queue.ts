import type {
  FrameArrival,
  IngestBatch,
  IngestDeviceInfo,
  IngestEvent,
  IngestFacilityRun,
  IngestObservation,
  IngestResult,
  IngestWriter,
} from '@qingyuan/store';

/** One session's contribution: frames and what was read from them (frame refs index `frames`). */
export type IngestUnit = IngestBatch;

interface Waiting {
  readonly unit: IngestUnit;
  readonly resolve: (result: IngestResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface IngestQueueStats {
  readonly commits: number;
  readonly framesCommitted: number;
  readonly failures: number;
  readonly queuedFrames: number;
  readonly largestBatch: number;
}

/**
 * Group commit: units submitted while a commit is running are merged into the next transaction (up to
 * `maxBatchFrames` frames), so a busy gateway pays one commit per batch, not per frame, while a quiet one
 * commits each frame at once. One commit is in flight at a time (the archive's hash chain is a sequence).
 * If a merged batch fails, each unit is retried alone so one bad unit cannot fail its neighbours.
 */
export class IngestQueue {
  #waiting: Waiting[] = [];
  #queuedFrames = 0;
  #running = false;
  #stats = { commits: 0, framesCommitted: 0, failures: 0, largestBatch: 0 };
  #idle: (() => void)[] = [];

  constructor(
    private readonly writer: Pick<IngestWriter, 'commit'>,
    private readonly maxBatchFrames: number,
    private readonly onPressure: (queuedFrames: number) => void = () => undefined,
  ) {}

  get queuedFrames(): number {
    return this.#queuedFrames;
  }

  stats(): IngestQueueStats {
    return { ...this.#stats, queuedFrames: this.#queuedFrames };
  }

  submit(unit: IngestUnit): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ unit, resolve, reject });
      this.#queuedFrames += unit.frames.length;
      this.onPressure(this.#queuedFrames);
      if (!this.#running) {
        this.#running = true;
        // Let the frames already read from sockets in this turn join the first batch.
        setImmediate(() => void this.#drain());
      }
    });
  }

  /** Resolves when everything submitted so far is committed (or failed). */
  idle(): Promise<void> {
    if (!this.#running && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #drain(): Promise<void> {
    while (this.#waiting.length > 0) {
      const batch = this.#take();
      await this.#commit(batch);
    }
    this.#running = false;
    for (const resolve of this.#idle.splice(0)) resolve();
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
    let result: IngestResult;
    try {
      result = await this.writer.commit(merge(batch.map((w) => w.unit)));
    } catch (error) {
      if (batch.length > 1) {
        for (const w of batch) await this.#commit([w]);
        return;
      }
      this.#stats.failures += 1;
      this.#settle(batch);
      (batch[0] as Waiting).reject(error);
      return;
    }
    const frames = batch.reduce((n, w) => n + w.unit.frames.length, 0);
    this.#stats.commits += 1;
    this.#stats.framesCommitted += frames;
    this.#stats.largestBatch = Math.max(this.#stats.largestBatch, frames);
    this.#settle(batch);
    const parts = split(
      batch.map((w) => w.unit),
      result,
    );
    batch.forEach((w, i) => {
      w.resolve(parts[i] as IngestResult);
    });
  }

  #settle(batch: readonly Waiting[]): void {
    for (const w of batch) this.#queuedFrames -= w.unit.frames.length;
    this.onPressure(this.#queuedFrames);
  }
}

const shift = (ref: number | null, offset: number) => (ref === null ? null : ref + offset);

/** Units → one batch, each unit's frame refs shifted by the frames before it. */
export function merge(units: readonly IngestUnit[]): IngestBatch {
  if (units.length === 1) return units[0] as IngestUnit;
  const frames: FrameArrival[] = [];
  const observations: IngestObservation[] = [];
  const deviceInfo: IngestDeviceInfo[] = [];
  const runStates: IngestFacilityRun[] = [];
  const runTimes: IngestFacilityRun[] = [];
  const events: IngestEvent[] = [];
  for (const unit of units) {
    const offset = frames.length;
    frames.push(...unit.frames);
    for (const o of unit.observations ?? []) observations.push({ ...o, frame: shift(o.frame, offset) });
    for (const d of unit.deviceInfo ?? []) deviceInfo.push({ ...d, frame: shift(d.frame, offset) });
    for (const r of unit.runStates ?? []) runStates.push({ ...r, frame: shift(r.frame, offset) });
    for (const r of unit.runTimes ?? []) runTimes.push({ ...r, frame: shift(r.frame, offset) });
    for (const e of unit.events ?? []) events.push({ ...e, frame: shift(e.frame, offset) });
  }
  return { frames, observations, deviceInfo, runStates, runTimes, events };
}

/** A merged batch's result → each unit's share (its frames and its observations' outcomes). */
export function split(units: readonly IngestUnit[], result: IngestResult): IngestResult[] {
  let frame = 0;
  let observation = 0;
  return units.map((unit) => {
    const frames = result.frames.slice(frame, frame + unit.frames.length);
    const n = unit.observations?.length ?? 0;
    const observations = result.observations.slice(observation, observation + n);
    frame += unit.frames.length;
    observation += n;
    return { frames, observations };
  });
}
