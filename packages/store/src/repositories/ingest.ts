import type { Store } from '../database.js';
import type { DeviceEventKind, ObservationPeriod } from '../schema.js';
import { sqliteTransaction } from '../sqlite-transaction.js';
import { type BulkInsert, insertPostgres, insertSqlite } from './bulk-insert.js';
import type { PgClient } from './common.js';
import type { DeviceInfoInput } from './device-info.js';
import { type ObservationInput, ObservationRepository, type WriteOutcome } from './observations.js';
import { type ArchivedFrame, type FrameArrival, RawFrameRepository } from './raw-frames.js';
import type { RealtimeUploadInput } from './realtime-packs.js';

/** Index of the frame (in `IngestBatch.frames`) a record came from, or null. */
type FrameRef = number | null;

export interface IngestObservation {
  readonly period: ObservationPeriod;
  readonly frame: FrameRef;
  readonly row: Omit<ObservationInput, 'frameId'>;
}

/** A real-time upload (CN 2011): one pack of its point and instant (realtime-packs.ts). */
export interface IngestRealtimeUpload extends RealtimeUploadInput {
  readonly frame: FrameRef;
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
  /** Real-time uploads, each one pack: the gateway's CN 2011 path (`observations` may hold such rows too). */
  readonly realtime?: readonly IngestRealtimeUpload[];
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
  /** Per real-time upload, in order: per factor, inserted, duplicate or revision. */
  readonly realtime: readonly (readonly WriteOutcome[])[];
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
    if (plan.uploads.length > 0)
      plan.recordUploads(this.#observations.writeUploadsSync(plan.uploads, plan.uploadFrameIds));
    for (const [spec, rows] of plan.otherRows()) insertSqlite(sqlite, spec, rows);
    return plan.results();
  }

  async #commitPostgres(client: PgClient, batches: readonly IngestBatch[]): Promise<IngestResult[]> {
    const archived = await this.#frames.appendOn(client, allFrames(batches));
    const plan = new WritePlan(batches, archived);
    for (const [period, group] of plan.byPeriod)
      plan.record(group, await this.#observations.writeOn(client, period, group.rows, group.frameIds));
    if (plan.uploads.length > 0)
      plan.recordUploads(await this.#observations.writeUploadsOn(client, plan.uploads, plan.uploadFrameIds));
    for (const [spec, rows] of plan.otherRows()) await insertPostgres(client, spec, rows);
    return plan.results();
  }
}

const NO_UPLOADS: readonly (readonly WriteOutcome[])[] = Object.freeze([]);

function allFrames(batches: readonly IngestBatch[]): readonly FrameArrival[] {
  if (batches.length === 1) return (batches[0] as IngestBatch).frames;
  // A loop, not `flatMap`: V8's generic flatMap took ≈ 0.4 % of the gateway's main thread for this.
  const frames: FrameArrival[] = [];
  for (const batch of batches) for (const frame of batch.frames) frames.push(frame);
  return frames;
}

/** Observations of one period across the batches, in order, with their frame ids and where they came from. */
interface PeriodGroup {
  readonly rows: ObservationInput[];
  readonly frameIds: (number | null)[];
  /** Per row: its place among all the batches' observations, in order (see WritePlan #outcomes). */
  readonly index: number[];
}

/**
 * What a commit of several batches writes, read once from the batches (frame refs resolved per batch). The
 * gateway commits hundreds of one-frame batches at a time, so nothing is allocated per batch until the
 * results: frames and outcomes are kept in flat arrays, each batch's at its offset.
 */
class WritePlan {
  readonly byPeriod = new Map<ObservationPeriod, PeriodGroup>();
  readonly #batches: readonly IngestBatch[];
  readonly #archived: readonly ArchivedFrame[];
  /** Per batch: where its frames start in `#archived`, and its observations' outcomes in `#outcomes`. */
  readonly #frameAt: number[];
  readonly #outcomeAt: number[];
  /** Every batch's observations' outcomes, in order (filled by `record`). */
  readonly #outcomes: WriteOutcome[];
  /** Every batch's real-time uploads, in order, with their frames' archive ids; per batch, where its start. */
  readonly uploads: IngestRealtimeUpload[] = [];
  readonly uploadFrameIds: (number | null)[] = [];
  readonly #uploadAt: number[];
  #uploadOutcomes: readonly (readonly WriteOutcome[])[] = [];

  constructor(batches: readonly IngestBatch[], archived: readonly ArchivedFrame[]) {
    this.#batches = batches;
    this.#archived = archived;
    this.#frameAt = new Array<number>(batches.length);
    this.#outcomeAt = new Array<number>(batches.length);
    this.#uploadAt = new Array<number>(batches.length);
    let frames = 0;
    let observations = 0;
    let period: ObservationPeriod | undefined;
    let group: PeriodGroup | undefined;
    for (let b = 0; b < batches.length; b++) {
      const batch = batches[b] as IngestBatch;
      this.#frameAt[b] = frames;
      this.#outcomeAt[b] = observations;
      for (const o of batch.observations ?? []) {
        // Consecutive observations are nearly always of one period (an upload, a batch of uploads).
        if (o.period !== period || group === undefined) {
          period = o.period;
          group = this.byPeriod.get(period);
          if (group === undefined) {
            group = { rows: [], frameIds: [], index: [] };
            this.byPeriod.set(period, group);
          }
        }
        group.rows.push(o.row);
        group.frameIds.push(this.#frameId(b, o.frame));
        group.index.push(observations++);
      }
      this.#uploadAt[b] = this.uploads.length;
      const uploads = batch.realtime;
      if (uploads !== undefined)
        for (const upload of uploads) {
          this.uploads.push(upload);
          this.uploadFrameIds.push(this.#frameId(b, upload.frame));
        }
      frames += batch.frames.length;
    }
    this.#outcomes = new Array<WriteOutcome>(observations);
  }

  /** The archive id of batch `b`'s frame `ref` (null: no frame). */
  #frameId(b: number, ref: FrameRef): number | null {
    if (ref === null) return null;
    const count = (this.#batches[b] as IngestBatch).frames.length;
    if (!(ref >= 0 && ref < count && Number.isInteger(ref)))
      throw new RangeError(`ingest record refers to frame ${ref} of ${count}`);
    return (this.#archived[(this.#frameAt[b] as number) + ref] as ArchivedFrame).id;
  }

  record(group: PeriodGroup, outcomes: readonly WriteOutcome[]): void {
    for (let i = 0; i < outcomes.length; i++)
      this.#outcomes[group.index[i] as number] = outcomes[i] as WriteOutcome;
  }

  recordUploads(outcomes: readonly (readonly WriteOutcome[])[]): void {
    this.#uploadOutcomes = outcomes;
  }

  /** Device information, facility runs and events of every batch, one row list per table. */
  otherRows(): [BulkInsert, unknown[][]][] {
    const rows = <T extends { readonly frame: FrameRef }>(
      of: (batch: IngestBatch) => readonly T[] | undefined,
      row: (item: T, frameId: number | null) => unknown[],
    ): unknown[][] => {
      // Most batches have none of these (a real-time upload): nothing is allocated for them.
      const out: unknown[][] = [];
      this.#batches.forEach((batch, b) => {
        const items = of(batch);
        if (items !== undefined) for (const item of items) out.push(row(item, this.#frameId(b, item.frame)));
      });
      return out;
    };
    const run = (r: IngestFacilityRun, frameId: number | null) => [
      r.pointId,
      r.facility,
      r.dataTime,
      r.value,
      r.receivedAt,
      frameId,
    ];
    return [
      [
        DEVICE_INFO,
        rows(
          (batch) => batch.deviceInfo,
          ({ item }, frameId) => [
            item.pointId,
            item.polId,
            item.infoCode,
            item.value,
            item.observedAt ?? null,
            item.receivedAt,
            frameId,
          ],
        ),
      ],
      [RUN_STATE, rows((batch) => batch.runStates, run)],
      [RUN_TIME, rows((batch) => batch.runTimes, run)],
      [
        EVENT,
        rows(
          (batch) => batch.events,
          (e, frameId) => [
            e.pointId,
            e.mn,
            e.kind,
            e.at,
            e.detail === undefined ? null : JSON.stringify(e.detail),
            frameId,
          ],
        ),
      ],
    ];
  }

  results(): IngestResult[] {
    return this.#batches.map((batch, b) => {
      const frameAt = this.#frameAt[b] as number;
      const outcomeAt = this.#outcomeAt[b] as number;
      const uploadAt = this.#uploadAt[b] as number;
      return {
        frames: this.#archived.slice(frameAt, frameAt + batch.frames.length),
        observations: this.#outcomes.slice(outcomeAt, outcomeAt + (batch.observations?.length ?? 0)),
        realtime:
          batch.realtime === undefined || batch.realtime.length === 0
            ? NO_UPLOADS
            : this.#uploadOutcomes.slice(uploadAt, uploadAt + batch.realtime.length),
      };
    });
  }
}
