import type { FrameDeviceIndex } from '@qingyuan/store';

/** Frames per indexing transaction: a few milliseconds of work, so acks keep flowing between batches. */
const BATCH = 5000;

/**
 * Keeps the archive's device index (store `FrameDeviceIndex`, migration 0015) about `everyMs` behind the
 * archive: every tick it indexes what the gateway archived since, in batches, yielding between them. Reads
 * by device never wait for it (they read the newer frames from the archive itself).
 */
export class DeviceIndexer {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly index: Pick<FrameDeviceIndex, 'indexDevices'>,
    private readonly everyMs: number,
    private readonly onError: (error: unknown) => void,
    /** Asked before each batch, as the group commit asks it (store WalCheckpointer: the log starts again). */
    private readonly gate: () => Promise<void> | undefined = () => undefined,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.run(), this.everyMs);
    this.#timer.unref();
  }

  /** Indexes everything archived so far (joins a run already going). */
  run(): Promise<void> {
    this.#running ??= this.#catchUp().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.run();
  }

  async #catchUp(): Promise<void> {
    try {
      for (;;) {
        const held = this.gate();
        if (held !== undefined) await held;
        if ((await this.index.indexDevices(BATCH)) < BATCH) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      // Nothing is lost: the mark did not move, the next tick tries again, and reads find the frames anyway.
      this.onError(error);
    }
  }
}
