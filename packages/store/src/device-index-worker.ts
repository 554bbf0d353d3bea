import type { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { type Store, WAL_SIZE_LIMIT_BYTES } from './database.js';
import { frameIndexSetup } from './frame-index-file.js';
import { DEVICE_INDEX_SQLITE } from './repositories/frames-by-device.js';
import { hasPackIds, REALTIME_INDEX_SQLITE } from './repositories/realtime-point-index.js';
import { startStoreWorker, workerError, workerFile } from './store-worker.js';

/**
 * Rows (frames, or packs) that, once waiting, are indexed without waiting for `everyMs` to pass. Each indexing
 * transaction rewrites the last index page of every device (and every point) it touches, so its cost is
 * mostly per device, not per row: rows are indexed in as few transactions as a bounded lag allows. At the
 * gateway bench's ≈ 37,000 frames/s from 500 devices, ticks of 250 ms with transactions of 5,000 frames took
 * 4.6–5.1 µs of this thread per frame; one transaction per 20,000 waiting frames 2.7–2.8, and the gateway's
 * main thread waited less for a CPU (docs/benchmarks.md, "Nineteenth look"). It also bounds what a reader
 * reads from the archive itself past the mark: at most this many rows, or `everyMs` of traffic.
 */
export const INDEX_WAITING_ROWS = 20_000;
/** Rows per indexing transaction at most (a catch-up after an outage takes several). */
const BATCH = 50_000;
/** How often the worker looks at what waits (a look is two lookups at the ends of two keys). */
const LOOK_MS = 100;

/**
 * Log pages after which the worker's connection copies the index file's log back into it (SQLite's default
 * is 1,000). Every batch rewrites the last leaf of each device and each point, so with checkpoints that
 * often every batch's pages were copied again: a quarter of the worker's time. With 10,000 (≤ 40 MB of log)
 * a page is copied once for many batches: the gateway's threads −5 % CPU per frame, +4 % frames/s (six
 * alternated `--gateway-only` pairs, docs/benchmarks.md).
 */
const WAL_PAGES = 10_000;

export interface DeviceIndexWorkerStats {
  /** Frames the worker has moved the index's mark over. */
  readonly indexed: number;
  /** Real-time packs the worker has moved the by-point index's mark over (realtime-point-index.ts). */
  readonly packs: number;
  /** Indexing transactions committed. */
  readonly batches: number;
  /** Set when the worker failed (the gateway then indexes on its own thread). */
  readonly failure: string | undefined;
}

/**
 * Keeps the archive's device index (`raw_frame_device`) and the real-time packs' index by point
 * (`realtime_pack_point`, realtime-point-index.ts) on a worker thread with its own SQLite connection: it
 * indexes what was written since its last run once `INDEX_WAITING_ROWS` frames (or packs) wait, or once
 * `everyMs` has passed, whichever comes first, in transactions of up to `BATCH` rows, with the statements
 * `FrameDeviceIndex.indexDevices` runs (`DEVICE_INDEX_SQLITE`, `REALTIME_INDEX_SQLITE`). The index has a file of its own
 * (frame-index-file.ts), so these transactions take that file's write lock, not the database's: the
 * gateway's group commits go on meanwhile. On the gateway's thread the index took 5–8 % of its time and
 * held its event loop for up to tens of milliseconds per batch (docs/benchmarks.md, bench/gateway).
 *
 * Nothing changes for readers: `FrameDeviceIndex.find` reads the frames above the mark from the archive, and
 * `obs_realtime_pack_by_point` the packs above its mark from the table. A
 * crash leaves the mark where the index is. A transaction that finds the index file busy (retention
 * deleting entries) is tried again at the next look. If the worker fails, `onFailure` is told.
 * SQLite files only (not `:memory:`).
 */
export class DeviceIndexWorker {
  readonly #worker: Worker;
  #stats: DeviceIndexWorkerStats = { indexed: 0, packs: 0, batches: 0, failure: undefined };
  #stopped: Promise<void> | undefined;
  readonly #exited: Promise<void>;

  private constructor(worker: Worker, onFailure: (error: Error) => void) {
    this.#worker = worker;
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (report: { indexed: number; packs: number; batches: number }) => {
      this.#stats = { ...this.#stats, ...report };
    });
    const fail = (error: Error) => {
      if (this.#stats.failure !== undefined) return;
      this.#stats = { ...this.#stats, failure: error.message };
      onFailure(error);
    };
    worker.once('error', (thrown: unknown) => fail(workerError(thrown, 'the device index worker')));
    worker.once('exit', (code) => {
      if (this.#stopped === undefined) fail(new Error(`the device index worker exited with code ${code}`));
    });
  }

  /** Starts the worker for a SQLite file store; undefined for PostgreSQL and `:memory:`. */
  static start(
    store: Store,
    everyMs: number,
    onFailure: (error: Error) => void = () => undefined,
  ): DeviceIndexWorker | undefined {
    const file = workerFile(store);
    if (file === undefined) return undefined;
    const worker = startStoreWorker(WORKER_SOURCE, file, {
      setup: frameIndexSetup(file, WAL_SIZE_LIMIT_BYTES),
      everyMs,
      lookMs: Math.min(LOOK_MS, everyMs),
      waiting: INDEX_WAITING_ROWS,
      batch: BATCH,
      walPages: WAL_PAGES,
      indexes: [
        DEVICE_INDEX_SQLITE,
        ...(hasPackIds(store.sqlite as Database) ? [REALTIME_INDEX_SQLITE] : []),
      ],
    });
    return new DeviceIndexWorker(worker, onFailure);
  }

  stats(): DeviceIndexWorkerStats {
    return this.#stats;
  }

  /** Indexes what is archived so far, then closes the worker's connection. */
  stop(): Promise<void> {
    if (this.#stopped === undefined) {
      // Held open until it has finished (it is unref'd so that it never keeps a process alive by itself);
      // a worker that already failed has exited, and its message goes nowhere.
      this.#worker.ref();
      this.#worker.postMessage('stop');
      this.#stopped = this.#exited;
    }
    return this.#stopped;
  }
}

/**
 * The worker (CommonJS, evaluated: the same text serves the sources under test and the built package). Its
 * transactions are deferred (better-sqlite3's default): they read the archive and write the index file only,
 * so they lock only the index file. SQLITE_BUSY (another connection writing the index) skips a tick.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = ' + workerData.walPages);
// Each INSERT … SELECT of a batch may abort half-way, so SQLite keeps a statement journal: the first
// change of every page copies the page there. In a temporary file (the default) that was a write system
// call per page, 28 % of this thread's time; in memory it is a copy (≤ a batch's pages).
db.pragma('temp_store = MEMORY');
for (const statement of workerData.setup) db.exec(statement);
// Each index in the file (the archive by device, the real-time packs by point) and its statements.
const indexes = workerData.indexes.map((sql) => {
  const mark = db.prepare(sql.mark);
  const last = db.prepare(sql.last);
  const range = db.prepare(sql.range);
  const insert = db.prepare(sql.insert);
  const move = db.prepare(sql.move);
  const markNow = () => {
    const at = mark.get(sql.state);
    return at === undefined ? 0 : Number(at.through_id);
  };
  return {
    /** Rows past the mark (ids are appended in order: the last id less the mark, without reading rows). */
    waiting: () => Math.max(0, Number(last.get().hi ?? 0) - markNow()),
    step: db.transaction((limit) => {
      const from = markNow();
      const r = range.get(from, limit);
      if (r.hi === null) return 0;
      insert.run(from, r.hi);
      move.run(sql.state, r.hi);
      return r.n;
    }),
    lastRun: Date.now(),
  };
});
/** Rows the marks moved over, per index (frames, then packs), and transactions committed. */
const indexed = indexes.map(() => 0);
let batches = 0;
let reported = -1;
/**
 * Indexes what waits behind an index once \`waiting\` rows wait or \`everyMs\` has passed since it last did
 * (\`all\`: whatever waits, now).
 */
function catchUp(all) {
  try {
    const now = Date.now();
    indexes.forEach((index, i) => {
      const waiting = index.waiting();
      if (waiting === 0) {
        index.lastRun = now;
        return;
      }
      if (!all && waiting < workerData.waiting && now - index.lastRun < workerData.everyMs) return;
      for (;;) {
        const n = index.step(workerData.batch);
        if (n > 0) {
          indexed[i] += n;
          batches++;
        }
        if (n < workerData.batch) break;
      }
      index.lastRun = now;
    });
  } catch (error) {
    if (!String(error && error.code).startsWith('SQLITE_BUSY')) throw error;
  }
  // Told when something moved (the first look tells it too).
  if (batches !== reported) parentPort.postMessage({ indexed: indexed[0], packs: indexed[1] ?? 0, batches });
  reported = batches;
}
const timer = setInterval(() => catchUp(false), workerData.lookMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  catchUp(true);
  db.close();
  parentPort.close();
});
`;
