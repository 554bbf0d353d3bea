/**
 * Storage layouts for real-time uploads, measured in CPU time per frame (user + sys of this process):
 * what a durable 2011 frame costs the gateway's writer with today's tables and with the alternatives
 * discussed in docs/benchmarks.md (bench/gateway, "Where the writer's time goes"). The reference, in the
 * same run, is the archive row alone. Plain better-sqlite3 on a temporary file, WAL + synchronous=NORMAL
 * as the gateway runs; 500 devices in turn, one 2011 frame of six factors each, 100 frames per commit.
 *
 *   npm run bench:layouts              # 60 000 frames per layout, two rounds
 *   npm run bench:layouts -- --quick   # 10 000 frames, one round
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const quick = process.argv.includes('--quick');
const FRAMES = quick ? 10_000 : 60_000;
const ROUNDS = quick ? 1 : 2;
const DEVICES = 500;
const PER_COMMIT = 100;
const FACTORS = ['w01018', 'w21003', 'w21011', 'w21001', 'w01001', 'w00000'];
const FRAME = Buffer.alloc(420, 0x41);

const OBS_COLUMNS = `point_id INTEGER NOT NULL, factor_code TEXT NOT NULL, period_start INTEGER NOT NULL,
  revision INTEGER NOT NULL, rtd REAL, min REAL, avg REAL, max REAL, cou REAL, zs_rtd REAL, zs_min REAL,
  zs_avg REAL, zs_max REAL, data_flag TEXT, e_flag TEXT, sample_time INTEGER, source TEXT NOT NULL,
  received_at INTEGER NOT NULL, frame_id INTEGER, superseded_at INTEGER`;
const OBS_KEY = 'PRIMARY KEY (point_id, factor_code, period_start, revision)';

/** Each layout: its tables besides the archive, and whether observations are one row per factor. */
const LAYOUTS: Record<string, { ddl: string; rows: 'none' | 'per-factor' | 'packed' }> = {
  'archive only (reference)': { ddl: '', rows: 'none' },
  'until 0014: six rows, rowid table + 3 indexes': {
    ddl: `CREATE TABLE obs (${OBS_COLUMNS}, ${OBS_KEY});
      CREATE INDEX obs_point_time ON obs (point_id, period_start) WHERE superseded_at IS NULL;
      CREATE INDEX obs_period ON obs (period_start);`,
    rows: 'per-factor',
  },
  'six rows, rowid table + key + period index': {
    ddl: `CREATE TABLE obs (${OBS_COLUMNS}, ${OBS_KEY});
      CREATE INDEX obs_period ON obs (period_start);`,
    rows: 'per-factor',
  },
  'six rows, rowid table + key only': {
    ddl: `CREATE TABLE obs (${OBS_COLUMNS}, ${OBS_KEY});`,
    rows: 'per-factor',
  },
  'six rows, WITHOUT ROWID + point-time index': {
    ddl: `CREATE TABLE obs (${OBS_COLUMNS}, ${OBS_KEY}) WITHOUT ROWID;
      CREATE INDEX obs_point_time ON obs (point_id, period_start) WHERE superseded_at IS NULL;`,
    rows: 'per-factor',
  },
  'since 0014: key (point, time, factor, rev) only': {
    ddl: `CREATE TABLE obs (${OBS_COLUMNS}, PRIMARY KEY (point_id, period_start, factor_code, revision));`,
    rows: 'per-factor',
  },
  'one packed row per frame': {
    ddl: `CREATE TABLE obs (point_id INTEGER NOT NULL, period_start INTEGER NOT NULL, received_at INTEGER NOT NULL,
      frame_id INTEGER, factors TEXT NOT NULL, PRIMARY KEY (point_id, period_start)) WITHOUT ROWID;`,
    rows: 'packed',
  },
};

function open(dir: string, name: string): Database.Database {
  const db = new Database(join(dir, `${name.replace(/\W+/g, '-')}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE raw_frame (id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, peer TEXT NOT NULL,
      mn TEXT, cn TEXT, qn TEXT, bytes BLOB NOT NULL, verdict TEXT NOT NULL, error_code TEXT, sha256 TEXT NOT NULL,
      prev_hash TEXT NOT NULL, chain_day TEXT NOT NULL, forward_pending INTEGER);
    CREATE INDEX raw_frame_day ON raw_frame (chain_day, id);
    CREATE INDEX raw_frame_mn_time ON raw_frame (mn, received_at);
    CREATE INDEX raw_frame_forward ON raw_frame (id) WHERE forward_pending IS NOT NULL;
    CREATE TABLE frame_chain_head (chain_day TEXT PRIMARY KEY, last_hash TEXT NOT NULL, frames INTEGER NOT NULL);`);
  return db;
}

/** CPU µs per frame for one layout. */
function measure(dir: string, name: string, round: number): number {
  const layout = LAYOUTS[name];
  if (layout === undefined) throw new Error(name);
  const db = open(dir, `${name}-${round}`);
  if (layout.ddl !== '') db.exec(layout.ddl);
  const archive =
    db.prepare(`INSERT INTO raw_frame (received_at, peer, mn, cn, qn, bytes, verdict, error_code,
    sha256, prev_hash, chain_day, forward_pending) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`);
  const head = db.prepare(`INSERT INTO frame_chain_head VALUES (?,?,?)
    ON CONFLICT (chain_day) DO UPDATE SET last_hash = excluded.last_hash, frames = excluded.frames`);
  const observe =
    layout.rows === 'per-factor'
      ? db.prepare(`INSERT INTO obs (point_id, factor_code, period_start, revision, rtd, data_flag, source,
          received_at, frame_id) VALUES (?,?,?,0,?,'N','upload',?,?) ON CONFLICT DO NOTHING`)
      : layout.rows === 'packed'
        ? db.prepare('INSERT INTO obs VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING')
        : undefined;
  let previous = '0'.repeat(64);
  let n = 0;
  const base = Date.UTC(2026, 10, 1);
  const commit = db.transaction((count: number) => {
    for (let i = 0; i < count; i++, n++) {
      const point = n % DEVICES;
      const t = base + Math.floor(n / DEVICES) * 30_000;
      const sha = createHash('sha256').update(previous).update(FRAME).digest('hex');
      const id = archive.run(
        t,
        '127.0.0.1:1',
        `MN${point}`,
        '2011',
        `QN${n}`,
        FRAME,
        'accepted',
        null,
        sha,
        previous,
        '2026-11-01',
        null,
      ).lastInsertRowid;
      previous = sha;
      if (layout.rows === 'per-factor') for (const f of FACTORS) observe?.run(point, f, t, 12.3 + i, t, id);
      else if (layout.rows === 'packed')
        observe?.run(point, t, t, id, JSON.stringify(FACTORS.map((f) => [f, 12.3 + i, 'N'])));
    }
    head.run('2026-11-01', previous, n);
  });
  const before = process.cpuUsage();
  while (n < FRAMES) commit(PER_COMMIT);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const used = process.cpuUsage(before);
  db.close();
  return (used.user + used.system) / FRAMES;
}

const dir = mkdtempSync(join(tmpdir(), 'qy-layouts-'));
try {
  const names = Object.keys(LAYOUTS);
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++)
    for (const name of names) {
      const us = measure(dir, name, round);
      best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, us));
    }
  const reference = best.get(names[0] as string) as number;
  console.log(
    `${FRAMES} frames per layout, ${DEVICES} devices in turn, ${PER_COMMIT} frames per commit; best of ${ROUNDS}`,
  );
  for (const name of names) {
    const us = best.get(name) as number;
    console.log(
      `${name.padEnd(58)} ${us.toFixed(1).padStart(7)} µs CPU/frame  ${Math.round(1e6 / us)
        .toLocaleString('en')
        .padStart(8)} frames/s per core  ${(us / reference).toFixed(2)}× the archive alone`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
