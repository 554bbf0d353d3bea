import type { Store } from '../database.js';
import type { DeviceEventKind, ObservationPeriod } from '../schema.js';
import { sqliteTransaction } from '../sqlite-transaction.js';
import { type BulkInsert, insertPostgres, insertSqlite } from './bulk-insert.js';
import type { PgClient } from './common.js';
import type { DeviceInfoInput } from './device-info.js';
import { type ObservationInput, ObservationRepository, type WriteOutcome } from './observations.js';
import { type ArchivedFrame, type FrameArrival, RawFrameRepository } from './raw-frames.js';

/** Index of the frame (in `IngestBatch.frames`) a record came from, or null. */
type FrameRef = number | null;

export interface IngestObservation {
  readonly period: ObservationPeriod;
  readonly frame: FrameRef;
  readonly row: Omit<ObservationInput, 'frameId'>;
}

export interface IngestDeviceInfo {
  readonly frame: FrameRef;
  readonly item: Omit<DeviceInfoInput, 'frameId'>;
}

/** CN 2021 (state) or CN 2041 (hours) of one treatment facility. */
export interface IngestFacilityRun {
  readonly frame: FrameRef;
  readonly pointId: number;
  readonly facility: string;
  readonly dataTime: number;
  readonly value: number;
  readonly receivedAt: number;
}

export interface IngestEvent {
  readonly frame: FrameRef;
  readonly pointId: number | null;
  readonly mn: string | null;
  readonly kind: DeviceEventKind;
  readonly at: number;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Everything one group commit writes: frames first, then what was read from them. */
export interface IngestBatch {
  readonly frames: readonly FrameArrival[];
  readonly observations?: readonly IngestObservation[];
  readonly deviceInfo?: readonly IngestDeviceInfo[];
  readonly runStates?: readonly IngestFacilityRun[];
  readonly runTimes?: readonly IngestFacilityRun[];
  readonly events?: readonly IngestEvent[];
}

export interface IngestResult {
  /** Per frame, in order: its archive id and hash. */
  readonly frames: readonly ArchivedFrame[];
  /** Per observation, in order: inserted, duplicate or revision. */
  readonly observations: readonly WriteOutcome[];
}

const DEVICE_INFO: BulkInsert = {
  table: 'device_info',
  columns: ['point_id', 'pol_id', 'info_code', 'value', 'observed_at', 'received_at', 'frame_id'],
};
const RUN_STATE: BulkInsert = {
  table: 'facility_run_state',
  columns: ['point_id', 'facility', 'data_time', 'state', 'received_at', 'frame_id'],
  conflict: 'ignore',
};
const RUN_TIME: BulkInsert = {
  table: 'facility_run_time',
  columns: ['point_id', 'facility', 'data_time', 'hours', 'received_at', 'frame_id'],
  conflict: 'ignore',
};
const EVENT: BulkInsert = {
  table: 'device_event',
  columns: ['point_id', 'mn', 'kind', 'at', 'detail', 'frame_id'],
};

/**
 * The gateway's unit of work: a batch of received frames and everything read from them, committed in ONE
 * transaction — the frames archived (hash-chained) first, their observations, device information,
 * facility run records and device events after, each pointing at its frame. Only when `commit` resolves
 * may the frames be acknowledged (durable before ack). On SQLite the whole batch runs synchronously inside
 * one better-sqlite3 transaction; on PostgreSQL on one pooled client between BEGIN and COMMIT.
 */
export class IngestWriter {
  readonly #store: Store;
  readonly #frames: RawFrameRepository;
  readonly #observations: ObservationRepository;

  constructor(store: Store) {
    this.#store = store;
    this.#frames = new RawFrameRepository(store);
    this.#observations = new ObservationRepository(store);
  }

  async commit(batch: IngestBatch): Promise<IngestResult> {
    return (await this.commitAll([batch]))[0] as IngestResult;
  }

  /**
   * Several batches (the gateway's group commit: one per connection's frame) in ONE transaction, each with
   * frame refs into its own `frames`; one result per batch, in order. Nothing is copied to merge them.
   */
  async commitAll(batches: readonly IngestBatch[]): Promise<IngestResult[]> {
    if (batches.length === 0) return [];
    if (this.#store.sqlite !== undefined)
      return sqliteTransaction(this.#store, (sqlite) => this.#commitSqlite(sqlite, batches));
    const pool = this.#store.pool;
    if (pool === undefined) throw new Error('IngestWriter needs a store with its own connection or pool');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await this.#commitPostgres(client, batches);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  #commitSqlite(sqlite: NonNullable<Store['sqlite']>, batches: readonly IngestBatch[]): IngestResult[] {
    const archived = this.#frames.appendSync(allFrames(batches));
    const plan = new WritePlan(batches, archived);
    for (const [period, group] of plan.byPeriod)
      plan.record(group, this.#observations.writeSync(period, group.rows, group.frameIds));
    for (const [spec, rows] of plan.otherRows()) insertSqlite(sqlite, spec, rows);
    return plan.results();
  }

  async #commitPostgres(client: PgClient, batches: readonly IngestBatch[]): Promise<IngestResult[]> {
    const archived = await this.#frames.appendOn(client, allFrames(batches));
    const plan = new WritePlan(batches, archived);
    for (const [period, group] of plan.byPeriod)
      plan.record(group, await this.#observations.writeOn(client, period, group.rows, group.frameIds));
    for (const [spec, rows] of plan.otherRows()) await insertPostgres(client, spec, rows);
    return plan.results();
  }
}

function allFrames(batches: readonly IngestBatch[]): readonly FrameArrival[] {
  return batches.length === 1 ? (batches[0] as IngestBatch).frames : batches.flatMap((b) => b.frames);
}

/** Observations of one period across the batches, in order, with their frame ids and where they came from. */
interface PeriodGroup {
  readonly rows: ObservationInput[];
  readonly frameIds: (number | null)[];
  /** Per row: its batch's index and its position in that batch's observations. */
  readonly batch: number[];
  readonly position: number[];
}

/** What a commit of several batches writes, read once from the batches (frame refs resolved per batch). */
class WritePlan {
  readonly byPeriod = new Map<ObservationPeriod, PeriodGroup>();
  readonly #batches: readonly IngestBatch[];
  /** Per batch: its archived frames, their ids, and its observations' outcomes (filled by `record`). */
  readonly #frames: (readonly ArchivedFrame[])[] = [];
  readonly #ids: number[][] = [];
  readonly #outcomes: WriteOutcome[][] = [];

  constructor(batches: readonly IngestBatch[], archived: readonly ArchivedFrame[]) {
    this.#batches = batches;
    let offset = 0;
    batches.forEach((batch, b) => {
      const frames = archived.slice(offset, offset + batch.frames.length);
      offset += batch.frames.length;
      const ids = frames.map((f) => f.id);
      this.#frames.push(frames);
      this.#ids.push(ids);
      const observations = batch.observations ?? [];
      this.#outcomes.push(new Array<WriteOutcome>(observations.length));
      observations.forEach((o, position) => {
        let group = this.byPeriod.get(o.period);
        if (group === undefined) {
          group = { rows: [], frameIds: [], batch: [], position: [] };
          this.byPeriod.set(o.period, group);
        }
        group.rows.push(o.row);
        group.frameIds.push(frameId(ids, o.frame));
        group.batch.push(b);
        group.position.push(position);
      });
    });
  }

  record(group: PeriodGroup, outcomes: readonly WriteOutcome[]): void {
    outcomes.forEach((outcome, i) => {
      (this.#outcomes[group.batch[i] as number] as WriteOutcome[])[group.position[i] as number] = outcome;
    });
  }

  /** Device information, facility runs and events of every batch, one row list per table. */
  otherRows(): [BulkInsert, unknown[][]][] {
    const rows = <T>(
      of: (batch: IngestBatch) => readonly T[] | undefined,
      row: (item: T, ids: readonly number[]) => unknown[],
    ): unknown[][] => {
      // Most batches have none of these (a real-time upload): nothing is allocated for them.
      const out: unknown[][] = [];
      this.#batches.forEach((batch, b) => {
        const items = of(batch);
        if (items !== undefined) for (const item of items) out.push(row(item, this.#ids[b] as number[]));
      });
      return out;
    };
    const run = (r: IngestFacilityRun, ids: readonly number[]) => [
      r.pointId,
      r.facility,
      r.dataTime,
      r.value,
      r.receivedAt,
      frameId(ids, r.frame),
    ];
    return [
      [
        DEVICE_INFO,
        rows(
          (batch) => batch.deviceInfo,
          ({ frame, item }, ids) => [
            item.pointId,
            item.polId,
            item.infoCode,
            item.value,
            item.observedAt ?? null,
            item.receivedAt,
            frameId(ids, frame),
          ],
        ),
      ],
      [RUN_STATE, rows((batch) => batch.runStates, run)],
      [RUN_TIME, rows((batch) => batch.runTimes, run)],
      [
        EVENT,
        rows(
          (batch) => batch.events,
          (e, ids) => [
            e.pointId,
            e.mn,
            e.kind,
            e.at,
            e.detail === undefined ? null : JSON.stringify(e.detail),
            frameId(ids, e.frame),
          ],
        ),
      ],
    ];
  }

  results(): IngestResult[] {
    return this.#frames.map((frames, b) => ({ frames, observations: this.#outcomes[b] as WriteOutcome[] }));
  }
}

function frameId(ids: readonly number[], ref: FrameRef): number | null {
  if (ref === null) return null;
  const id = ids[ref];
  if (id === undefined) throw new RangeError(`ingest record refers to frame ${ref} of ${ids.length}`);
  return id;
}
