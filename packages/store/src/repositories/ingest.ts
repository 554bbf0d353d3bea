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
    if (this.#store.sqlite !== undefined)
      return sqliteTransaction(this.#store, (sqlite) => this.#commitSqlite(sqlite, batch));
    const pool = this.#store.pool;
    if (pool === undefined) throw new Error('IngestWriter needs a store with its own connection or pool');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await this.#commitPostgres(client, batch);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  #commitSqlite(sqlite: NonNullable<Store['sqlite']>, batch: IngestBatch): IngestResult {
    const frames = this.#frames.appendSync(batch.frames);
    const ids = frames.map((f) => f.id);
    const outcomes = new Array<WriteOutcome>(batch.observations?.length ?? 0);
    for (const [period, group] of byPeriod(batch.observations ?? [], ids)) {
      const written = this.#observations.writeSync(period, group.rows);
      group.positions.forEach((position, i) => {
        outcomes[position] = written[i] as WriteOutcome;
      });
    }
    for (const [spec, rows] of otherRows(batch, ids)) insertSqlite(sqlite, spec, rows);
    return { frames, observations: outcomes };
  }

  async #commitPostgres(client: PgClient, batch: IngestBatch): Promise<IngestResult> {
    const frames = await this.#frames.appendOn(client, batch.frames);
    const ids = frames.map((f) => f.id);
    const outcomes = new Array<WriteOutcome>(batch.observations?.length ?? 0);
    for (const [period, group] of byPeriod(batch.observations ?? [], ids)) {
      const written = await this.#observations.writeOn(client, period, group.rows);
      group.positions.forEach((position, i) => {
        outcomes[position] = written[i] as WriteOutcome;
      });
    }
    for (const [spec, rows] of otherRows(batch, ids)) await insertPostgres(client, spec, rows);
    return { frames, observations: outcomes };
  }
}

function frameId(ids: readonly number[], ref: FrameRef): number | null {
  if (ref === null) return null;
  const id = ids[ref];
  if (id === undefined) throw new RangeError(`ingest record refers to frame ${ref} of ${ids.length}`);
  return id;
}

/** Observations grouped by period (order kept within each), with their positions in the batch. */
function byPeriod(
  observations: readonly IngestObservation[],
  ids: readonly number[],
): Map<ObservationPeriod, { rows: ObservationInput[]; positions: number[] }> {
  const groups = new Map<ObservationPeriod, { rows: ObservationInput[]; positions: number[] }>();
  observations.forEach((o, position) => {
    let group = groups.get(o.period);
    if (group === undefined) {
      group = { rows: [], positions: [] };
      groups.set(o.period, group);
    }
    group.rows.push({ ...o.row, frameId: frameId(ids, o.frame) });
    group.positions.push(position);
  });
  return groups;
}

function otherRows(batch: IngestBatch, ids: readonly number[]): [BulkInsert, unknown[][]][] {
  const run = (r: IngestFacilityRun) => [
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
      (batch.deviceInfo ?? []).map(({ frame, item }) => [
        item.pointId,
        item.polId,
        item.infoCode,
        item.value,
        item.observedAt ?? null,
        item.receivedAt,
        frameId(ids, frame),
      ]),
    ],
    [RUN_STATE, (batch.runStates ?? []).map(run)],
    [RUN_TIME, (batch.runTimes ?? []).map(run)],
    [
      EVENT,
      (batch.events ?? []).map((e) => [
        e.pointId,
        e.mn,
        e.kind,
        e.at,
        e.detail === undefined ? null : JSON.stringify(e.detail),
        frameId(ids, e.frame),
      ]),
    ],
  ];
}
