import { cpus } from 'node:os';
import { analyze, type ObservationInput, ObservationRepository, type Store } from '@qingyuan/store';
import type pg from 'pg';
import { createStore, median, pgInsertRows, plainSelect } from './common.js';
import { measureRealtime, type RealtimeResult } from './realtime.js';

/**
 * bench/store — observation ingest through the bulk writer against the raw driver doing the same inserts,
 * and two reads against a plain indexed SELECT of the same rows, on SQLite and on PostgreSQL, each
 * measured in the same run; then the same for packed real-time values (bench/store/realtime.ts). Goal
 * (issue 3): ingest ≥ 0.8× the raw driver.
 *
 *   npm run bench:store                 # 200 points × 8 factors × 1 year of hours for the reads
 *   npm run bench:store -- --quick      # 20 points × 8 factors × 30 days
 *   npm run bench:store -- --sqlite     # one dialect only (or --postgres)
 */
const quick = process.argv.includes('--quick');
const only = process.argv.includes('--sqlite')
  ? 'sqlite'
  : process.argv.includes('--postgres')
    ? 'postgres'
    : undefined;
const POINTS = quick ? 20 : 200;
/** Points with a day of real-time values (every 30 s) for the real-time part. */
const REALTIME_POINTS = quick ? 20 : 50;
const DAYS = quick ? 30 : 365;
const FACTORS = ['a00000', 'a01011', 'a01012', 'a01013', 'a19001', 'a21002', 'a21026', 'a34013'];
const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 1) - 8 * HOUR;
const INGEST_ROWS = quick ? 20_000 : 100_000;
const BATCH = 500;

const COLUMNS =
  'point_id,factor_code,period_start,revision,rtd,min,avg,max,cou,zs_rtd,zs_min,zs_avg,zs_max,data_flag,e_flag,sample_time,source,received_at,frame_id';

function obs(point: number, factor: string, hour: number): ObservationInput {
  const v = 10 + ((point * 31 + hour * 7 + factor.charCodeAt(5)) % 100) / 10;
  return {
    pointId: point,
    factorCode: factor,
    periodStart: T0 + hour * HOUR,
    values: { min: v - 1, avg: v, max: v + 1, cou: v * 3.6, zs_avg: v * 1.1 },
    dataFlag: 'N',
    source: 'das',
    receivedAt: T0 + (hour + 1) * HOUR,
  };
}

function flat(row: ObservationInput): unknown[] {
  const v = row.values;
  return [
    row.pointId,
    row.factorCode,
    row.periodStart,
    0,
    null,
    v.min,
    v.avg,
    v.max,
    v.cou,
    null,
    null,
    v.zs_avg,
    null,
    row.dataFlag,
    null,
    null,
    row.source,
    row.receivedAt,
    null,
  ];
}

/** Registry rows for `count` points, inserted directly (the benchmark is about observations). */
async function points(store: Store, count: number): Promise<number[]> {
  const now = Date.now();
  const ids: number[] = [];
  const { usccCheckCharacter } = await import('@qingyuan/store');
  for (let i = 0; i < count; i++) {
    const first17 = `91420100${String(10_000_000 + i).slice(0, 8)}X`;
    const e = await store.db.insertInto('enterprise').values({ uscc: first17 + usccCheckCharacter(first17), name: `企业${i}`, region_code: '420100', industry_code: null, address: null, longitude: null, latitude: null, contact_name: null, contact_phone: null, status: 'active', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const o = await store.db.insertInto('outlet').values({ enterprise_id: Number(e.id), kind: 'gas', code: 'DA001', name: '排口', longitude: null, latitude: null, standard_id: null, reference_o2: null, stack_height_m: null, key_unit_category: null, status: 'active' }).returning('id').executeTakeFirstOrThrow();
    const p = await store.db.insertInto('monitoring_point').values({ outlet_id: Number(o.id), name: '点', mn: `BENCH${i}`, password: 'x', protocol_version: '2017', crc_variants: 'hj212', realtime_interval_s: 30, minute_interval_min: 10, in_service_on: null, accepted_on: null, filed_on: null, status: 'running', allowed_peers: null, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    ids.push(Number(p.id));
    await store.db.insertInto('point_factor').values(FACTORS.map((f) => ({ point_id: Number(p.id), factor_code: f, code_2005: null, unit: 'mg/m3', range_low: null, range_high: null, hour_limit: null, day_limit: null, assessed: 1, alarm_low: null, alarm_high: null }))).execute();
  }
  return ids;
} // biome-ignore format: fixture rows

async function timeIt(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

interface DialectResult {
  dialect: string;
  ingestOurs: number;
  ingestRaw: number;
  yearOurs: number;
  yearRaw: number;
  latestOurs: number;
  latestRaw: number;
  rowsYear: number;
  rowsLatest: number;
  realtime: RealtimeResult;
}

async function run(dialect: 'sqlite' | 'postgres'): Promise<DialectResult> {
  const { store, dispose } = await createStore(dialect);
  try {
    const ids = await points(store, POINTS);
    const repo = new ObservationRepository(store);

    // Ingest: alternate our writer (into obs_minute) and the raw driver (into obs_day, same shape) in
    // rounds of equal size, each on rows it has not seen.
    const rounds = 6;
    const perRound = INGEST_ROWS / rounds;
    const ours: number[] = [];
    const raw: number[] = [];
    let hour = 0;
    const nextRows = (n: number): ObservationInput[] => {
      const out: ObservationInput[] = [];
      while (out.length < n) {
        for (const f of FACTORS)
          out.push(obs(ids[hour % ids.length] as number, f, Math.floor(hour / ids.length)));
        hour++;
      }
      return out;
    };
    const rawInsert = await rawInserter(store);
    const timeOurs = async (rows: ObservationInput[]) =>
      timeIt(async () => {
        for (let i = 0; i < rows.length; i += BATCH) await repo.write('minute', rows.slice(i, i + BATCH));
      });
    const timeRaw = async (rows: ObservationInput[]) =>
      timeIt(async () => {
        for (let i = 0; i < rows.length; i += BATCH) await rawInsert(rows.slice(i, i + BATCH));
      });
    for (let r = 0; r < rounds; r++) {
      const a = nextRows(perRound);
      const b = nextRows(perRound);
      // Alternate which side goes first, so WAL checkpoints and cache effects fall on both alike.
      if (r % 2 === 0) {
        ours.push(perRound / ((await timeOurs(a)) / 1000));
        raw.push(perRound / ((await timeRaw(b)) / 1000));
      } else {
        raw.push(perRound / ((await timeRaw(b)) / 1000));
        ours.push(perRound / ((await timeOurs(a)) / 1000));
      }
    }

    // Reads: a year (or the quick window) of hourly data for every point and factor.
    const hours = DAYS * 24;
    for (let h = 0; h < hours; h += 24) {
      const day: ObservationInput[] = [];
      for (let k = h; k < Math.min(h + 24, hours); k++)
        for (const id of ids) for (const f of FACTORS) day.push(obs(id, f, k));
      for (let i = 0; i < day.length; i += 5000) await repo.write('hour', day.slice(i, i + 5000));
    }
    await analyze(store); // as the daily maintenance job does; a fresh bulk load has no statistics
    const target = ids[Math.floor(ids.length / 2)] as number;
    const from = T0;
    const to = T0 + hours * HOUR;
    const year = { ours: [] as number[], raw: [] as number[] };
    const latest = { ours: [] as number[], raw: [] as number[] };
    let rowsYear = 0;
    let rowsLatest = 0;
    const plainYear = plainSelect(
      store,
      'SELECT * FROM obs_hour WHERE point_id = $1 AND period_start >= $2 AND period_start < $3 ORDER BY factor_code, period_start',
      [target, from, to],
    );
    const plainLatest = plainSelect(
      store,
      'SELECT * FROM obs_hour WHERE period_start = $1 ORDER BY point_id, factor_code',
      [to - HOUR],
    );
    for (let r = 0; r < 7; r++) {
      year.ours.push(await timeIt(async () => { rowsYear = (await repo.range('hour', target, from, to, { factors: FACTORS })).length; })); // biome-ignore format: timing
      year.raw.push(await timeIt(plainYear));
      latest.ours.push(await timeIt(async () => { rowsLatest = (await repo.latest('hour')).length; })); // biome-ignore format: timing
      latest.raw.push(await timeIt(plainLatest));
    }
    return {
      dialect,
      ingestOurs: median(ours),
      ingestRaw: median(raw),
      yearOurs: median(year.ours),
      yearRaw: median(year.raw),
      latestOurs: median(latest.ours),
      latestRaw: median(latest.raw),
      rowsYear,
      rowsLatest,
      realtime: await measureRealtime(store, ids.slice(0, REALTIME_POINTS), FACTORS, T0, timeIt),
    };
  } finally {
    await dispose();
  }
}

/** The raw driver doing the same inserts our writer does for new rows: no layer, no conflict handling. */
async function rawInserter(store: Store): Promise<(rows: ObservationInput[]) => Promise<void>> {
  if (store.sqlite !== undefined) {
    const sqlite = store.sqlite;
    const insert = sqlite.prepare(
      `INSERT INTO obs_day (${COLUMNS}) VALUES (${COLUMNS.split(',')
        .map(() => '?')
        .join(',')})`,
    );
    const tx = sqlite.transaction((rows: ObservationInput[]) => { for (const row of rows) insert.run(flat(row)); }); // biome-ignore format: short
    return async (rows) => tx(rows);
  }
  const pool = store.pool as pg.Pool;
  return (rows) => pgInsertRows(pool, 'obs_day', COLUMNS, rows.map(flat));
}

const results: DialectResult[] = [];
for (const dialect of ['sqlite', 'postgres'] as const)
  if (only === undefined || only === dialect) results.push(await run(dialect));

const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`# bench/store — node ${process.version}, ${cpus()[0]?.model ?? 'CPU'} ×${cpus().length}; ${POINTS} points × ${FACTORS.length} factors × ${DAYS} days of hours; ingest ${INGEST_ROWS} rows in batches of ${BATCH}\n`); // biome-ignore format: report
console.log(
  '| dialect | ingest ours (rows/s) | raw driver (rows/s) | ratio | year of one point (ms) | plain SELECT (ms) | ratio | latest of all (ms) | plain SELECT (ms) | ratio |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
let failed = false;
for (const r of results) {
  const ingest = r.ingestOurs / r.ingestRaw;
  if (ingest < 0.8) failed = true;
  console.log(`| ${r.dialect} | ${fmt(r.ingestOurs)} | ${fmt(r.ingestRaw)} | **${fmt(ingest, 2)}×** | ${fmt(r.yearOurs, 1)} (${r.rowsYear} rows) | ${fmt(r.yearRaw, 1)} | ${fmt(r.yearOurs / r.yearRaw, 2)}× | ${fmt(r.latestOurs, 1)} (${r.rowsLatest} rows) | ${fmt(r.latestRaw, 1)} | ${fmt(r.latestOurs / r.latestRaw, 2)}× |`); // biome-ignore format: report
}
console.log(`\n## real-time, packed — ${REALTIME_POINTS} points × ${FACTORS.length} factors, a day every 30 s; frames of one point and instant in batches of 500\n`); // biome-ignore format: report
console.log(
  '| dialect | ingest ours (frames/s) | raw driver (frames/s) | ratio | day of one point (ms) | plain SELECT of its packs (ms) | ratio | latest of all (ms) | plain SELECT of newest packs (ms) | ratio |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const { dialect, realtime: t } of results) {
  const ingest = t.ingestOurs / t.ingestRaw;
  if (ingest < 0.8) failed = true;
  console.log(`| ${dialect} | ${fmt(t.ingestOurs)} | ${fmt(t.ingestRaw)} | **${fmt(ingest, 2)}×** | ${fmt(t.dayOurs, 1)} (${t.valuesDay} values) | ${fmt(t.dayRaw, 1)} | ${fmt(t.dayOurs / t.dayRaw, 2)}× | ${fmt(t.latestOurs, 1)} (${t.valuesLatest} values) | ${fmt(t.latestRaw, 1)} | ${fmt(t.latestOurs / t.latestRaw, 2)}× |`); // biome-ignore format: report
}
if (failed) {
  console.error('\ningest under the 0.8× goal');
  process.exitCode = 1;
}
