import type { Worker } from 'node:worker_threads';
import type { Store } from './database.js';
import { startStoreWorker, workerError, workerFile } from './store-worker.js';

/**
 * While the checkpointer runs, the writer's own automatic checkpoint is only a backstop for a worker that
 * has fallen far behind: it runs when the log reaches this many pages (≈ 80 MiB).
 */
const BACKSTOP_PAGES = 20_000;
/**
 * A log this long (pages, ≈ 16 MiB) is copied out and started again. Each drain holds the writer for the
 * syncs' fixed cost, so fewer, larger drains than SQLite's 1,000-page cadence: +4–9 % frames/s at
 * saturation (`docs/benchmarks.md`).
 */
const RESTART_PAGES = 4000;
/** The gate never holds the writer longer than this (a slow disk): it goes on, the log restarts later. */
const GATE_TIMEOUT_MS = 2000;

export interface WalCheckpointerStats {
  /** `wal_checkpoint(PASSIVE)` calls the worker made. */
  readonly checkpoints: number;
  /** Times the log was copied out whole while the writer waited at the gate (so that it starts again). */
  readonly restarts: number;
  /** The largest log seen, in pages. */
  readonly largestLogPages: number;
  /** Set when the worker failed; the writer checkpoints by itself again. */
  readonly failure: string | undefined;
}

interface WorkerReport {
  readonly checkpoints: number;
  readonly largestLogPages: number;
  /** The log's length (pages) when the last checkpoint looked, and how much of it is copied. */
  readonly log: number;
  readonly checkpointed: number;
  /** Set in the answer to a `drain` request. */
  readonly drained?: true;
}

/**
 * Moves SQLite's WAL checkpoints off the writer's thread. A checkpoint copies the log's pages into the
 * database file and syncs both files (synchronous=NORMAL syncs at checkpoints, not at commits). Run by the
 * writer, as SQLite does every 1,000 pages, those syncs block the gateway's event loop — no frame is read,
 * judged or acknowledged meanwhile; on these machines the syncs, not the copying, are most of a commit's
 * cost (`docs/benchmarks.md`).
 *
 * Here a worker thread with its own connection runs PASSIVE checkpoints every `everyMs`: it copies and
 * syncs while the writer goes on committing. But the log only starts again from its beginning when a
 * commit begins with all of it copied, which a worker racing a busy writer never sees. So once the log is
 * `RESTART_PAGES` long, the writer's next commit waits at `gate()` — asynchronously: the event loop goes on
 * reading and judging frames, which join the next group commit — while the worker copies the rest (little:
 * it has been copying all along); the commit after the gate then starts the log again.
 *
 * Durability is unchanged: checkpoints copy committed pages, whoever runs them, and a crash at any point
 * leaves the log to be replayed on the next open. If the worker fails, the writer's automatic checkpoint
 * is set back to what it was and `onFailure` is told. SQLite files only (not `:memory:`).
 */
export class WalCheckpointer {
  readonly #store: Store;
  readonly #worker: Worker;
  /** The writer's own automatic checkpoint (pages) before the worker took over, given back on stop. */
  readonly #writerPages: number;
  #stats: WalCheckpointerStats = { checkpoints: 0, restarts: 0, largestLogPages: 0, failure: undefined };
  /** The last report showed a log due to start again. */
  #due = false;
  #draining: Promise<void> | undefined;
  #drained: (() => void) | undefined;
  #stopped: Promise<void> | undefined;
  readonly #exited: Promise<void>;

  private constructor(store: Store, worker: Worker, writerPages: number, onFailure: (error: Error) => void) {
    this.#store = store;
    this.#worker = worker;
    this.#writerPages = writerPages;
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (report: WorkerReport) => this.#report(report));
    worker.once('error', (thrown: unknown) => {
      const error = workerError(thrown, 'the WAL checkpoint worker');
      this.#fallBack(error.message);
      onFailure(error);
    });
    worker.once('exit', (code) => {
      if (this.#stopped === undefined && this.#stats.failure === undefined) {
        this.#fallBack(`exited with code ${code}`);
        onFailure(new Error(`the WAL checkpoint worker exited with code ${code}`));
      }
    });
  }

  /** Starts checkpoints on a worker for a SQLite file store; undefined for PostgreSQL and `:memory:`. */
  static start(
    store: Store,
    everyMs: number,
    onFailure: (error: Error) => void = () => undefined,
  ): WalCheckpointer | undefined {
    const file = workerFile(store);
    const sqlite = store.sqlite;
    if (file === undefined || sqlite === undefined) return undefined;
    const writerPages = Number(sqlite.pragma('wal_autocheckpoint', { simple: true }));
    sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    const worker = startStoreWorker(WORKER_SOURCE, file, { everyMs });
    return new WalCheckpointer(store, worker, writerPages, onFailure);
  }

  /**
   * Called by the writer before each commit: undefined (go on) unless the log is due to start again; then
   * a promise that settles once the worker has copied all of it (or after `GATE_TIMEOUT_MS`).
   */
  gate(): Promise<void> | undefined {
    if (this.#draining !== undefined) return this.#draining;
    if (!this.#due || this.#stopped !== undefined || this.#stats.failure !== undefined) return undefined;
    const drained = new Promise<void>((resolve) => {
      this.#drained = resolve;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, GATE_TIMEOUT_MS);
    });
    this.#draining = Promise.race([drained, timeout]).finally(() => {
      clearTimeout(timer);
      this.#draining = undefined;
      this.#drained = undefined;
    });
    this.#worker.postMessage('drain');
    return this.#draining;
  }

  stats(): WalCheckpointerStats {
    return this.#stats;
  }

  /** Runs a last checkpoint, closes the worker's connection and gives checkpoints back to the writer. */
  stop(): Promise<void> {
    if (this.#stopped === undefined) {
      this.#drained?.();
      // Held open until it has finished (it is unref'd so that it never keeps a process alive by itself);
      // a worker that already failed has exited, and its message goes nowhere.
      this.#worker.ref();
      this.#worker.postMessage('stop');
      this.#stopped = this.#exited.then(() => this.#fallBack(undefined));
    }
    return this.#stopped;
  }

  #report(report: WorkerReport): void {
    const whole = report.drained === true && report.checkpointed >= report.log;
    // Even a log the last tick copied whole needs the gate: the writer has appended since. (A tick's report
    // that comes between a whole drain and the next commit asks for one more drain, which copies nothing.)
    this.#due = report.log >= RESTART_PAGES && !whole;
    this.#stats = {
      ...this.#stats,
      checkpoints: report.checkpoints,
      largestLogPages: report.largestLogPages,
      restarts: this.#stats.restarts + (whole ? 1 : 0),
    };
    // Copied whole, the next commit starts the log again; if not (a reader held on to older pages), the
    // gate opens anyway and a later report closes it again.
    if (report.drained === true) this.#drained?.();
  }

  #fallBack(failure: string | undefined): void {
    if (failure !== undefined) this.#stats = { ...this.#stats, failure };
    this.#drained?.();
    const sqlite = this.#store.sqlite;
    if (sqlite?.open === true) sqlite.pragma(`wal_autocheckpoint = ${this.#writerPages}`);
  }
}

/**
 * The worker (CommonJS, evaluated: the same text serves the sources under test and the built package).
 * PASSIVE never waits for the writer or readers: it copies what it can. Every tick it reports the log's
 * length; asked to `drain` (the writer waits at its gate, so nothing is appended meanwhile), it checkpoints
 * once more and answers.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let checkpoints = 0;
let largestLogPages = 0;
function run(drained) {
  let result = { log: 0, checkpointed: 0 };
  try {
    result = checkpoint.get();
  } catch {
    // SQLITE_BUSY: another connection is checkpointing; the next tick tries again.
  }
  checkpoints++;
  if (result.log > largestLogPages) largestLogPages = result.log;
  parentPort.postMessage({ checkpoints, largestLogPages, log: result.log, checkpointed: result.checkpointed, drained });
}
const timer = setInterval(() => run(undefined), workerData.everyMs);
parentPort.on('message', (message) => {
  if (message === 'drain') run(true);
  if (message !== 'stop') return;
  clearInterval(timer);
  run(undefined);
  db.close();
  parentPort.close();
});
`;
