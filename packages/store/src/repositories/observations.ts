import { sql } from 'kysely';
import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import {
  OBSERVATION_TABLES,
  type ObservationPeriod,
  type ObservationSource,
  type ObservationTable,
} from '../schema.js';
import { sqliteTransaction } from '../sqlite-transaction.js';
import { ArrayRows } from './array-rows.js';
import type { PgClient } from './common.js';
import { RealtimePackRepository } from './realtime-pack-repository.js';
import { type RealtimeUploadInput, rowsOfUpload } from './realtime-packs.js';
import { VALUE_COLUMNS, type ValueColumn } from './value-columns.js';

export { VALUE_COLUMNS, type ValueColumn };

/**
 * How far back from a point's newest real-time row `latest('realtime')` looks for each factor: 15 minutes,
 * several real-time intervals (HJ 212 RtdInterval is 30 s by default, minutes at most in the field).
 */
export const REALTIME_LATEST_WINDOW_MS = 15 * 60_000;

/** One factor's values at one point for one period, as the ingest path hands them over. */
export interface ObservationInput {
  readonly pointId: number;
  readonly factorCode: string;
  /** Period start (minute/hour/day) or sampling instant (real-time), UTC epoch ms. */
  readonly periodStart: number;
  readonly values: Partial<Record<ValueColumn, number | null>>;
  readonly dataFlag?: string | null;
  readonly eFlag?: string | null;
  readonly sampleTime?: number | null;
  readonly source: ObservationSource;
  readonly receivedAt: number;
  readonly frameId?: number | null;
}

/**
 * What the writer did with a row: `inserted` (first receipt), `duplicate` (the same values again: nothing
 * written), `revision` (other values for a period already held: kept as a new revision, the earlier one
 * marked superseded — nothing is overwritten).
 */
export type WriteOutcome = 'inserted' | 'duplicate' | 'revision';

export type ObservationRecord = ObservationTable;

/**
 * One factor's current rows of a point, column by column, in time order: what charts and tables show.
 * Column `i` of every array belongs to the period starting at `periodStart[i]`.
 */
export interface SampleColumns {
  readonly factorCode: string;
  /** Period start (minute/hour/day) or sampling instant (real-time), epoch ms. */
  readonly periodStart: number[];
  /** Rtd (real-time) or Avg (minute, hour, day). */
  readonly value: (number | null)[];
  readonly min: (number | null)[];
  readonly max: (number | null)[];
  readonly cou: (number | null)[];
  /** ZsRtd (real-time) or ZsAvg: the 折算 value. */
  readonly corrected: (number | null)[];
  readonly flag: (string | null)[];
}

/** The SELECT of `samples` for minute, hour and day rows (`?` placeholders, see ArrayRows). */
function samplesSql(period: Exclude<ObservationPeriod, 'realtime'>, factors: number): string {
  return (
    `SELECT factor_code, period_start, avg, min, max, cou, zs_avg, data_flag FROM ${OBSERVATION_TABLES[period]} ` +
    'WHERE point_id = ? AND period_start >= ? AND period_start < ? AND superseded_at IS NULL' +
    (factors > 0 ? ` AND factor_code IN (${new Array(factors).fill('?').join(', ')})` : '') +
    ' ORDER BY factor_code, period_start'
  );
}

/** Rows of `samplesSql` (arrays, in its column order), grouped into one `SampleColumns` per factor. */
function toColumns(rows: readonly (readonly unknown[])[]): SampleColumns[] {
  const out: SampleColumns[] = [];
  let current: SampleColumns | undefined;
  for (const row of rows) {
    const factorCode = row[0] as string;
    if (current === undefined || current.factorCode !== factorCode) {
      current = {
        factorCode,
        periodStart: [],
        value: [],
        min: [],
        max: [],
        cou: [],
        corrected: [],
        flag: [],
      };
      out.push(current);
    }
    current.periodStart.push(Number(row[1]));
    current.value.push(row[2] as number | null);
    current.min.push(row[3] as number | null);
    current.max.push(row[4] as number | null);
    current.cou.push(row[5] as number | null);
    current.corrected.push(row[6] as number | null);
    current.flag.push(row[7] as string | null);
  }
  return out;
}

/** Which receipt of a period to read: the latest revision (default) or the first receipt. */
export type ObservationView = 'latest' | 'first';

const COLUMNS = [
  'point_id',
  'factor_code',
  'period_start',
  'revision',
  ...VALUE_COLUMNS,
  'data_flag',
  'e_flag',
  'sample_time',
  'source',
  'received_at',
  'frame_id',
] as const;

function rowValues(row: ObservationInput, revision: number, frameId = row.frameId ?? null): unknown[] {
  const v = row.values;
  return [
    row.pointId,
    row.factorCode,
    row.periodStart,
    revision,
    v.rtd ?? null,
    v.min ?? null,
    v.avg ?? null,
    v.max ?? null,
    v.cou ?? null,
    v.zs_rtd ?? null,
    v.zs_min ?? null,
    v.zs_avg ?? null,
    v.zs_max ?? null,
    row.dataFlag ?? null,
    row.eFlag ?? null,
    row.sampleTime ?? null,
    row.source,
    row.receivedAt,
    frameId,
  ];
}

/** Same measurement: every value kind, flags and sample time (receipt time and frame do not count). */
function sameMeasurement(held: ObservationRecord, row: ObservationInput): boolean {
  for (const column of VALUE_COLUMNS)
    if ((held[column] ?? null) !== (row.values[column] ?? null)) return false;
  return (
    (held.data_flag ?? null) === (row.dataFlag ?? null) &&
    (held.e_flag ?? null) === (row.eFlag ?? null) &&
    (held.sample_time ?? null) === (row.sampleTime ?? null)
  );
}

function checkRow(row: ObservationInput): void {
  if (!Number.isInteger(row.pointId) || row.factorCode.length === 0 || !Number.isFinite(row.periodStart)) {
    throw new StoreError('STORE_E_INVALID', {
      pointId: row.pointId,
      factorCode: row.factorCode,
      periodStart: row.periodStart,
    });
  }
}

const PG_CHUNK = 1000;

/**
 * Observation time series. `write` is the ingest hot path: on SQLite prepared statements in one
 * transaction; on PostgreSQL one multi-row INSERT … ON CONFLICT DO NOTHING RETURNING per chunk, with only
 * the conflicting rows looked at again.
 */
export class ObservationRepository {
  readonly #store: Store;
  readonly #sqliteStatements = new Map<ObservationPeriod, SqliteStatements>();
  readonly #rows: ArrayRows;
  /** Real-time rows are stored packed, one row per upload (migration 0016). */
  readonly #packs: RealtimePackRepository;

  constructor(store: Store) {
    this.#store = store;
    this.#rows = new ArrayRows(store);
    this.#packs = new RealtimePackRepository(store, this.#rows);
  }

  /** Writes rows in order, in one transaction; returns what happened to each. */
  async write(period: ObservationPeriod, rows: readonly ObservationInput[]): Promise<WriteOutcome[]> {
    if (rows.length === 0) return [];
    return this.#store.dialect === 'sqlite'
      ? this.#writeSqlite(period, rows)
      : this.#writePostgres(period, rows);
  }

  /**
   * SQLite only: writes `rows` inside the caller's open transaction (better-sqlite3 is synchronous, so
   * nothing else runs on the connection meanwhile). For ingest units that commit frames with their data.
   */
  writeSync(
    period: ObservationPeriod,
    rows: readonly ObservationInput[],
    frameIds?: readonly (number | null)[],
  ): WriteOutcome[] {
    const sqlite = this.#store.sqlite;
    if (sqlite === undefined) throw new Error('writeSync needs the SQLite dialect');
    for (const row of rows) checkRow(row);
    if (period === 'realtime') return this.#packs.writeSync(sqlite, rows, frameIds);
    let s = this.#sqliteStatements.get(period);
    if (s === undefined) {
      s = sqliteStatements(sqlite, OBSERVATION_TABLES[period]);
      this.#sqliteStatements.set(period, s);
    }
    const outcomes: WriteOutcome[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as ObservationInput;
      const frameId = frameIds === undefined ? (row.frameId ?? null) : (frameIds[i] ?? null);
      if (s.insertFirst.run(rowValues(row, 0, frameId)).changes === 1) {
        outcomes.push('inserted');
        continue;
      }
      const held = s.latest.get(row.pointId, row.factorCode, row.periodStart) as ObservationRecord;
      if (sameMeasurement(held, row)) {
        outcomes.push('duplicate');
        continue;
      }
      s.supersede.run(row.receivedAt, row.pointId, row.factorCode, row.periodStart, held.revision);
      s.insert.run(rowValues(row, held.revision + 1, frameId));
      outcomes.push('revision');
    }
    return outcomes;
  }

  /**
   * SQLite only, inside the caller's transaction: real-time uploads, one pack each (`frameIds[i]` the
   * frame of `uploads[i]`); outcomes per upload, per factor — as writing their factors as `realtime` rows.
   */
  writeUploadsSync(
    uploads: readonly RealtimeUploadInput[],
    frameIds: readonly (number | null)[],
  ): (readonly WriteOutcome[])[] {
    const sqlite = this.#store.sqlite;
    if (sqlite === undefined) throw new Error('writeUploadsSync needs the SQLite dialect');
    return this.#packs.writeUploadsSync(sqlite, uploads, frameIds);
  }

  /** PostgreSQL only: `writeUploadsSync` on `client`, inside the transaction the caller has begun. */
  async writeUploadsOn(
    client: PgClient,
    uploads: readonly RealtimeUploadInput[],
    frameIds: readonly (number | null)[],
  ): Promise<(readonly WriteOutcome[])[]> {
    const rows = uploads.flatMap((upload, u) => rowsOfUpload(upload, frameIds[u] ?? null));
    const outcomes = await this.writeOn(client, 'realtime', rows);
    let at = 0;
    return uploads.map((upload) => {
      const from = at;
      at += upload.factors.length;
      return outcomes.slice(from, at);
    });
  }

  #writeSqlite(period: ObservationPeriod, rows: readonly ObservationInput[]): Promise<WriteOutcome[]> {
    return sqliteTransaction(this.#store, () => this.writeSync(period, rows));
  }

  async #writePostgres(
    period: ObservationPeriod,
    rows: readonly ObservationInput[],
  ): Promise<WriteOutcome[]> {
    const pool = this.#store.pool;
    if (pool === undefined) throw new Error('postgres pool missing');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const outcomes = await this.writeOn(client, period, rows);
      await client.query('COMMIT');
      return outcomes;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * PostgreSQL only: writes `rows` on `client`, inside the transaction the caller has begun: one multi-row
   * INSERT … ON CONFLICT DO NOTHING RETURNING per chunk, then only the conflicting rows looked at again.
   */
  async writeOn(
    client: PgClient,
    period: ObservationPeriod,
    rows: readonly ObservationInput[],
    frameIds?: readonly (number | null)[],
  ): Promise<WriteOutcome[]> {
    for (const row of rows) checkRow(row);
    if (period === 'realtime') return this.#packs.writeOn(client, rows, frameIds);
    const table = OBSERVATION_TABLES[period];
    const outcomes: WriteOutcome[] = new Array(rows.length);
    const frameIdAt = (i: number) =>
      frameIds === undefined ? ((rows[i] as ObservationInput).frameId ?? null) : (frameIds[i] ?? null);
    for (let from = 0; from < rows.length; from += PG_CHUNK) {
      const chunk = rows.slice(from, from + PG_CHUNK);
      const params: unknown[] = [];
      const tuples: string[] = [];
      chunk.forEach((row, k) => {
        const values = rowValues(row, 0, frameIdAt(from + k));
        const base = params.length;
        tuples.push(`(${values.map((_, i) => `$${base + i + 1}`).join(',')})`);
        params.push(...values);
      });
      const inserted = await client.query<{ point_id: number; factor_code: string; period_start: number }>(
        `INSERT INTO ${table} (${COLUMNS.join(',')}) VALUES ${tuples.join(',')} ON CONFLICT DO NOTHING RETURNING point_id, factor_code, period_start`,
        params,
      );
      const firsts = new Set(inserted.rows.map((r) => `${r.point_id}|${r.factor_code}|${r.period_start}`));
      for (let i = 0; i < chunk.length; i++) {
        const row = chunk[i] as ObservationInput;
        const key = `${row.pointId}|${row.factorCode}|${row.periodStart}`;
        if (firsts.delete(key)) {
          outcomes[from + i] = 'inserted';
          continue;
        }
        // A period already held (from before, or earlier in this batch): compare with its latest revision.
        const held = (
          await client.query<ObservationRecord>(
            `SELECT * FROM ${table} WHERE point_id = $1 AND factor_code = $2 AND period_start = $3 AND superseded_at IS NULL FOR UPDATE`,
            [row.pointId, row.factorCode, row.periodStart],
          )
        ).rows[0] as ObservationRecord;
        if (sameMeasurement(held, row)) {
          outcomes[from + i] = 'duplicate';
          continue;
        }
        await client.query(
          `UPDATE ${table} SET superseded_at = $1 WHERE point_id = $2 AND factor_code = $3 AND period_start = $4 AND revision = $5`,
          [row.receivedAt, row.pointId, row.factorCode, row.periodStart, held.revision],
        );
        const values = rowValues(row, held.revision + 1, frameIdAt(from + i));
        await client.query(
          `INSERT INTO ${table} (${COLUMNS.join(',')}) VALUES (${values.map((_, j) => `$${j + 1}`).join(',')})`,
          values,
        );
        outcomes[from + i] = 'revision';
      }
    }
    return outcomes;
  }

  /**
   * One point's observations in [from, to), ordered by factor and time: the latest revision of each
   * period (the platform's corrected view) or the first receipt (what arrived in time).
   */
  async range(
    period: ObservationPeriod,
    pointId: number,
    from: number,
    to: number,
    options: { factors?: readonly string[]; view?: ObservationView } = {},
  ): Promise<ObservationRecord[]> {
    if (period === 'realtime')
      return this.#packs.range(pointId, from, to, options.factors ?? [], options.view ?? 'latest');
    let query = this.#store.db
      .selectFrom(OBSERVATION_TABLES[period])
      .selectAll()
      .where('point_id', '=', pointId)
      .where('period_start', '>=', from)
      .where('period_start', '<', to);
    query =
      options.view === 'first' ? query.where('revision', '=', 0) : query.where('superseded_at', 'is', null);
    if (options.factors !== undefined && options.factors.length > 0)
      query = query.where('factor_code', 'in', options.factors);
    return (await query.orderBy('factor_code').orderBy('period_start').execute()) as ObservationRecord[];
  }

  /**
   * What charts and tables show of a point's current rows in [from, to): per factor (in code order) its
   * values and flags as columns, in time order. Rows are read as arrays, not objects (better-sqlite3
   * `raw()` on a kept statement; pg `rowMode: 'array'`): on a month of hourly data several times cheaper
   * than `range`, which builds one object with every column per row.
   */
  async samples(
    period: ObservationPeriod,
    pointId: number,
    from: number,
    to: number,
    factors?: readonly string[],
  ): Promise<SampleColumns[]> {
    const wanted = factors ?? [];
    if (period === 'realtime') return this.#packs.samples(pointId, from, to, wanted);
    return toColumns(
      await this.#rows.read(samplesSql(period, wanted.length), [pointId, from, to, ...wanted]),
    );
  }

  /** The distinct period starts one point has any current observation for in [from, to), ascending. */
  async periodStarts(
    period: ObservationPeriod,
    pointId: number,
    from: number,
    to: number,
  ): Promise<number[]> {
    const rows = await this.#store.db
      .selectFrom(OBSERVATION_TABLES[period])
      .select('period_start')
      .distinct()
      .where('point_id', '=', pointId)
      .where('period_start', '>=', from)
      .where('period_start', '<', to)
      .where('superseded_at', 'is', null)
      .orderBy('period_start')
      .execute();
    return rows.map((r) => Number(r.period_start));
  }

  /** Every revision ever received for one period of one factor, oldest first (the evidence trail). */
  async revisions(
    period: ObservationPeriod,
    pointId: number,
    factorCode: string,
    periodStart: number,
  ): Promise<ObservationRecord[]> {
    return (await this.#store.db
      .selectFrom(OBSERVATION_TABLES[period])
      .selectAll()
      .where('point_id', '=', pointId)
      .where('factor_code', '=', factorCode)
      .where('period_start', '=', periodStart)
      .orderBy('revision')
      .execute()) as ObservationRecord[];
  }

  /**
   * The most recent current value of every registered factor (point_factor) of every point, or of the
   * given points. Each (point, factor) is one backward index seek for its newest period, then its current
   * row by primary key, so the cost follows the registry's size, not the table's.
   *
   * Real-time values are read from their packs (RealtimePackRepository.latest), bounded to
   * `REALTIME_LATEST_WINDOW_MS` before the point's newest upload: a factor the device has not sent within
   * that window of its newest upload has no current real-time value (it is not live data any more).
   */
  async latest(period: ObservationPeriod, pointIds?: readonly number[]): Promise<ObservationRecord[]> {
    if (period === 'realtime') return this.#packs.latest(pointIds, REALTIME_LATEST_WINDOW_MS);
    const table = OBSERVATION_TABLES[period];
    const db = this.#store.db;
    // For each registered pair, its newest period (a scalar subquery: one backward index seek), then the
    // current row of that period by primary key.
    let pairs = db
      .selectFrom('point_factor as pf')
      .select(['pf.point_id', 'pf.factor_code'])
      .select((eb) =>
        eb
          .selectFrom(`${table} as m`)
          .select((m) => m.fn.max('m.period_start').as('newest'))
          .whereRef('m.point_id', '=', 'pf.point_id')
          .whereRef('m.factor_code', '=', 'pf.factor_code')
          .as('newest'),
      );
    if (pointIds !== undefined)
      pairs = pairs.where('pf.point_id', 'in', pointIds.length > 0 ? pointIds : [-1]);
    const rows = await db
      .selectFrom(pairs.as('n'))
      .innerJoin(`${table} as o`, (join) =>
        join
          .onRef('o.point_id', '=', 'n.point_id')
          .onRef('o.factor_code', '=', 'n.factor_code')
          .onRef('o.period_start', '=', 'n.newest'),
      )
      .selectAll('o')
      .where('o.superseded_at', 'is', null)
      .orderBy('o.point_id')
      .orderBy('o.factor_code')
      .execute();
    return rows as ObservationRecord[];
  }

  /**
   * Rows older than `before` (by period start) deleted; returns how many. Real-time packs are deleted point
   * by point through their key's (point, time) prefix, and counted by the entries they held.
   */
  async deleteBefore(period: ObservationPeriod, before: number): Promise<number> {
    if (period === 'realtime') return this.#packs.deleteBefore(before);
    const result = await this.#store.db
      .deleteFrom(OBSERVATION_TABLES[period])
      .where('period_start', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** How many current rows a point has in a period kind (for reports and tests). */
  async count(period: ObservationPeriod, pointId?: number): Promise<number> {
    let query = this.#store.db
      .selectFrom(OBSERVATION_TABLES[period])
      .select(sql<number>`count(*)`.as('n'))
      .where('superseded_at', 'is', null);
    if (pointId !== undefined) query = query.where('point_id', '=', pointId);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

interface SqliteStatements {
  readonly insertFirst: import('better-sqlite3').Statement;
  readonly insert: import('better-sqlite3').Statement;
  readonly latest: import('better-sqlite3').Statement;
  readonly supersede: import('better-sqlite3').Statement;
}

function sqliteStatements(sqlite: import('better-sqlite3').Database, table: string): SqliteStatements {
  const placeholders = COLUMNS.map(() => '?').join(',');
  return {
    insertFirst: sqlite.prepare(
      `INSERT INTO ${table} (${COLUMNS.join(',')}) VALUES (${placeholders}) ON CONFLICT DO NOTHING`,
    ),
    insert: sqlite.prepare(`INSERT INTO ${table} (${COLUMNS.join(',')}) VALUES (${placeholders})`),
    latest: sqlite.prepare(
      `SELECT * FROM ${table} WHERE point_id = ? AND factor_code = ? AND period_start = ? AND superseded_at IS NULL`,
    ),
    supersede: sqlite.prepare(
      `UPDATE ${table} SET superseded_at = ? WHERE point_id = ? AND factor_code = ? AND period_start = ? AND revision = ?`,
    ),
  };
}
