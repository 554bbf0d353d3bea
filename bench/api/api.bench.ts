import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, DEMO_PASSWORD, provisionDemoUsers } from '@qingyuan/server';
import {
  analyze,
  type ObservationInput,
  ObservationRepository,
  openStore,
  type Store,
  seedDemo,
} from '@qingyuan/store';

/**
 * bench/api — the HTTP API under 200 concurrent keep-alive clients on loopback (load from a separate
 * process), against a no-op Fastify route of the same app measured in the same run. SQLite, the demo
 * registry (200 enterprises) and a month of hourly data for every point × factor.
 *
 *   npm run bench:api               # 10 s per scenario
 *   npm run bench:api -- --quick    # 3 s per scenario
 *   npm run bench:api -- --no-cache # every answer computed (no shared live/series answers)
 *
 * Goal (issue 6): p99 ≤ 100 ms for "latest values of a city's points" and "30 days of hourly data of
 * one point"; the ratio to the no-op route is reported.
 */
const quick = process.argv.includes('--quick');
const DURATION_MS = quick ? 3000 : 10_000;
const CONCURRENCY = 200;
/** Paced mode: each client's request interval (a dashboard refreshing every second). */
const PACE_MS = 1000;
/** `--no-cache`: measure live values and series computed for every request (else shared for 1 s, as `npm start`). */
const CACHE_MS = process.argv.includes('--no-cache') ? 0 : 1000;
const H = 3_600_000;
const LOAD = fileURLToPath(new URL('./load.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'qy-bench-api-'));
/** `--db <file>`: keep the generated database there and reuse it on the next run (data takes minutes). */
const dbIndex = process.argv.indexOf('--db');
const dbFile = dbIndex > 0 ? (process.argv[dbIndex + 1] as string) : join(dir, 'bench.db');

interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

function runLoad(port: number, path: string, cookie?: string, intervalMs?: number): Promise<LoadResult> {
  const file = join(dir, `job-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      port,
      path,
      cookie,
      concurrency: CONCURRENCY,
      durationMs: DURATION_MS,
      warmupMs: 1000,
      ...(intervalMs === undefined ? {} : { intervalMs }),
    }),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load exited ${code}`)),
    );
  });
}

/** A plausible diurnal value per factor (the bench needs volume, not realism). */
function value(factor: string, hour: number): number {
  const base = factor.startsWith('w') ? 20 : 35;
  return Math.round((base + 10 * Math.sin((hour % 24) * (Math.PI / 12)) + (hour % 7)) * 100) / 100;
}

/** The demo registry and a month of hourly data for every point × factor, plus one real-time value each. */
async function generate(store: Store, now: number, start: number, end: number): Promise<void> {
  await seedDemo(store, { now });
  const pairs = await store.db.selectFrom('point_factor').select(['point_id', 'factor_code']).execute();
  const repo = new ObservationRepository(store);
  const t0 = performance.now();
  let rows = 0;
  for (let t = start; t < end; t += H) {
    const batch: ObservationInput[] = pairs.map((p) => ({
      pointId: Number(p.point_id),
      factorCode: p.factor_code,
      periodStart: t,
      values: { avg: value(p.factor_code, t / H), min: 0, max: 100 },
      dataFlag: 'N',
      source: 'das',
      receivedAt: t + H + 60_000,
    }));
    await repo.write('hour', batch);
    rows += batch.length;
  }
  await repo.write(
    'realtime',
    pairs.map((p) => ({
      pointId: Number(p.point_id),
      factorCode: p.factor_code,
      periodStart: now - 30_000,
      values: { rtd: value(p.factor_code, now / H) },
      dataFlag: 'N',
      source: 'das',
      receivedAt: now - 29_000,
    })),
  );
  await analyze(store);
  console.log(
    `data: ${pairs.length} point-factors, ${rows} hourly rows written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

async function main(): Promise<void> {
  const reuse = existsSync(dbFile);
  const store = await openStore(`sqlite:${dbFile}`);
  const newest = reuse
    ? Number(
        (
          await store.db
            .selectFrom('obs_hour')
            .select((eb) => eb.fn.max('period_start').as('t'))
            .executeTakeFirst()
        )?.t,
      )
    : undefined;
  const now = newest === undefined ? Date.now() : newest + H + 60_000;
  const end = Math.floor(now / H) * H;
  const start = end - 30 * 24 * H;
  if (!reuse) await generate(store, now, start, end);

  const app = await buildApp({
    store,
    sessionPolicy: { loginsPerPeerPerMinute: 1000 },
    // As the platform runs it (platform.ts): one scope's live answer, one series query's answer, shared
    // for a second.
    liveCacheMs: CACHE_MS,
    seriesCacheMs: CACHE_MS,
    extend: (instance) => {
      instance.get('/noop', async () => ({ ok: true }));
    },
  });
  await provisionDemoUsers(store, app.services.accounts, now);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo.wuhan', password: DEMO_PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const point = await store.db
    .selectFrom('monitoring_point as p')
    .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
    .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
    .select('p.id')
    .where('e.region_code', 'like', '4201%')
    .orderBy('p.id')
    .executeTakeFirstOrThrow();
  const cityPoints = await store.db
    .selectFrom('monitoring_point as p')
    .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
    .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('e.region_code', 'like', '4201%')
    .executeTakeFirstOrThrow();

  const scenarios = [
    { name: 'no-op route (reference)', path: '/noop' },
    {
      name: `latest values of Wuhan's ${cityPoints.n} points`,
      path: '/api/v1/live?regionCode=420100',
      cookie,
    },
    {
      name: '30 days of hourly data, one point (all factors)',
      path: `/api/v1/points/${point.id}/series?period=hour&from=${start}&to=${end}`,
      cookie,
    },
  ];
  const closed: (LoadResult & { name: string })[] = [];
  const paced: (LoadResult & { name: string })[] = [];
  for (const s of scenarios) {
    const check = await fetch(`http://127.0.0.1:${port}${s.path}`, {
      headers: s.cookie ? { cookie: s.cookie } : {},
    });
    const body = await check.text();
    if (check.status !== 200) throw new Error(`${s.path}: ${check.status} ${body.slice(0, 200)}`);
    console.log(`${s.name}: ${body.length} bytes per answer`);
    closed.push({ name: s.name, ...(await runLoad(port, s.path, s.cookie)) });
    paced.push({ name: s.name, ...(await runLoad(port, s.path, s.cookie, PACE_MS)) });
  }
  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}; ${CONCURRENCY} clients, ${DURATION_MS / 1000} s each`,
  );
  const table = (title: string, results: (LoadResult & { name: string })[]) => {
    const reference = results[0] as LoadResult;
    console.log(
      `\n${title}\nscenario | requests/s | p50 ms | p99 ms | errors | req/s vs no-op | p99 vs no-op`,
    );
    for (const r of results)
      console.log(
        `${r.name} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} | ${(r.requestsPerSecond / reference.requestsPerSecond).toFixed(3)}× | ${(r.p99 / reference.p99).toFixed(2)}×`,
      );
  };
  table('closed loop (each client sends again as soon as answered: saturation)', closed);
  table(
    `paced (each client one request every ${PACE_MS} ms: ${(CONCURRENCY * 1000) / PACE_MS} requests/s offered)`,
    paced,
  );
  for (const r of paced.slice(1))
    console.log(
      `goal p99 ≤ 100 ms at ${CONCURRENCY} paced clients — ${r.name}: ${r.p99 <= 100 ? 'met' : 'NOT met'} (${r.p99.toFixed(1)} ms)`,
    );
  await app.close();
  await store.close();
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
