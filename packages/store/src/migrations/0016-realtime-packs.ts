import { type Kysely, sql } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.js';

const VALUES = ['rtd', 'min', 'avg', 'max', 'cou', 'zs_rtd', 'zs_min', 'zs_avg', 'zs_max'] as const;
const DAY_MS = 86_400_000;
const INSERT_ROWS = 100;

interface OldRow {
  factor_code: string;
  period_start: number;
  revision: number;
  data_flag: string | null;
  e_flag: string | null;
  sample_time: number | null;
  source: string;
  received_at: number;
  frame_id: number | null;
  superseded_at: number | null;
  [value: string]: unknown;
}

/**
 * Real-time observations packed: one `obs_realtime_pack` row per upload of a point at one instant, with
 * its factors in `entries` (a JSON object keyed by factor code; `repositories/realtime-packs.ts` describes
 * an entry), instead of one row per factor. `obs_realtime` becomes a view that unpacks them into the same
 * columns as before, so every reader sees the same rows.
 *
 * Why: a 2011 upload carries 6–20 factors. One row per factor made the gateway write 6–20 rows, each in
 * the table's two B-trees (rowid and key), for every frame: a fifth of a busy gateway's time went to those
 * inserts (docs/benchmarks.md, bench/gateway), and a day of one device's real-time data took about three
 * times the space a packed day takes. The minute, hour and day tables stay as they are: they are read per
 * factor over long ranges and written far less often.
 *
 * Rows already stored are packed here in JavaScript, not with SQL's JSON functions: SQLite prints a REAL in
 * JSON with 15 significant digits, which would change stored values. Rows of one instant that arrived
 * together (same receipt, frame, source and revision) share a pack; `seq` follows their arrival order.
 */
export function realtimePacks(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const run = async () => {
        await db.schema
          .createTable('obs_realtime_pack')
          .addColumn('point_id', t.ref, (c) => c.notNull().references('monitoring_point.id'))
          .addColumn('period_start', t.instant, (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('entries', 'text', (c) => c.notNull())
          .addColumn('factors', 'integer', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('received_at', t.instant, (c) => c.notNull())
          .addColumn('frame_id', t.ref)
          .addPrimaryKeyConstraint('obs_realtime_pack_pk', ['point_id', 'period_start', 'seq'])
          .execute();
        await copyRows(db);
        await db.schema.dropTable('obs_realtime').execute();
        await sql.raw(viewSql(dialect)).execute(db);
      };
      if (dialect === 'postgres') return run();
      // SQLite runs migrations outside a transaction: this one is all or nothing by itself.
      await sql`BEGIN`.execute(db);
      try {
        await run();
        await sql`COMMIT`.execute(db);
      } catch (error) {
        await sql`ROLLBACK`.execute(db);
        throw error;
      }
    },
  };
}

/** The view with the old table's columns, unpacking each pack's entries. */
function viewSql(dialect: DialectName): string {
  if (dialect === 'sqlite') {
    const num = (key: string) => `e.value ->> '$.${key}'`;
    return `CREATE VIEW obs_realtime AS SELECT p.point_id AS point_id, e.key AS factor_code,
      p.period_start AS period_start, coalesce(${num('r')}, 0) AS revision,
      ${VALUES.map((v) => `${num(v)} AS ${v}`).join(', ')},
      ${num('flag')} AS data_flag, ${num('eflag')} AS e_flag, ${num('st')} AS sample_time,
      p.source AS source, p.received_at AS received_at, p.frame_id AS frame_id, ${num('s')} AS superseded_at
      FROM obs_realtime_pack p, json_each(p.entries) e`;
  }
  const field = (key: string, type: string) => `(e.value ->> '${key}')::${type}`;
  return `CREATE VIEW obs_realtime AS SELECT p.point_id, e.key AS factor_code, p.period_start,
    coalesce(${field('r', 'integer')}, 0) AS revision,
    ${VALUES.map((v) => `${field(v, 'double precision')} AS ${v}`).join(', ')},
    e.value ->> 'flag' AS data_flag, e.value ->> 'eflag' AS e_flag, ${field('st', 'bigint')} AS sample_time,
    p.source, p.received_at, p.frame_id, ${field('s', 'bigint')} AS superseded_at
    FROM obs_realtime_pack p CROSS JOIN LATERAL json_each(p.entries::json) AS e`;
}

/** Every stored real-time row into packs, point by point and a day at a time. */
async function copyRows(db: Kysely<unknown>): Promise<void> {
  const points = await sql<{
    point_id: number;
    first: number;
    last: number;
  }>`SELECT point_id, min(period_start) AS first, max(period_start) AS last FROM obs_realtime GROUP BY point_id`.execute(
    db,
  );
  for (const { point_id, first, last } of points.rows) {
    for (let from = Number(first); from <= Number(last); from += DAY_MS) {
      const rows = await sql<OldRow>`SELECT * FROM obs_realtime WHERE point_id = ${point_id}
        AND period_start >= ${from} AND period_start < ${from + DAY_MS}
        ORDER BY period_start, received_at, frame_id, revision, factor_code`.execute(db);
      await insertPacks(db, Number(point_id), pack(rows.rows));
    }
  }
}

interface Pack {
  period_start: number;
  seq: number;
  entries: Record<string, Record<string, unknown>>;
  factors: number;
  source: string;
  received_at: number;
  frame_id: number | null;
}

/** Rows (ordered by instant and arrival) grouped into packs: one per instant, receipt, frame, source, revision. */
function pack(rows: readonly OldRow[]): Pack[] {
  const packs: Pack[] = [];
  let last: (Pack & { revision: number }) | undefined;
  for (const row of rows) {
    const periodStart = Number(row.period_start);
    const receivedAt = Number(row.received_at);
    const frameId = row.frame_id === null ? null : Number(row.frame_id);
    if (
      last === undefined ||
      last.period_start !== periodStart ||
      last.received_at !== receivedAt ||
      last.frame_id !== frameId ||
      last.source !== row.source ||
      last.revision !== row.revision
    ) {
      const seq = last !== undefined && last.period_start === periodStart ? last.seq + 1 : 0;
      last = {
        period_start: periodStart,
        seq,
        entries: Object.create(null) as Pack['entries'],
        factors: 0,
        source: row.source,
        received_at: receivedAt,
        frame_id: frameId,
        revision: row.revision,
      };
      packs.push(last);
    }
    const entry: Record<string, unknown> = {};
    if (row.revision !== 0) entry.r = row.revision;
    if (row.superseded_at !== null) entry.s = Number(row.superseded_at);
    for (const v of VALUES) if (row[v] !== null && row[v] !== undefined) entry[v] = Number(row[v]);
    if (row.data_flag !== null) entry.flag = row.data_flag;
    if (row.e_flag !== null) entry.eflag = row.e_flag;
    if (row.sample_time !== null) entry.st = Number(row.sample_time);
    last.entries[row.factor_code] = entry;
    last.factors += 1;
  }
  return packs;
}

async function insertPacks(db: Kysely<unknown>, pointId: number, packs: readonly Pack[]): Promise<void> {
  for (let from = 0; from < packs.length; from += INSERT_ROWS) {
    const tuples = packs
      .slice(from, from + INSERT_ROWS)
      .map(
        (p) =>
          sql`(${pointId}, ${p.period_start}, ${p.seq}, ${JSON.stringify(p.entries)}, ${p.factors}, ${p.source}, ${p.received_at}, ${p.frame_id})`,
      );
    await sql`INSERT INTO obs_realtime_pack (point_id, period_start, seq, entries, factors, source, received_at, frame_id)
      VALUES ${sql.join(tuples)}`.execute(db);
  }
}
