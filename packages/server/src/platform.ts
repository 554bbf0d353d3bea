import { DEFAULT_RULES } from '@qingyuan/domain';
import { ForwardService, Gateway, type GatewayOptions } from '@qingyuan/gateway';
import {
  type DeviceSpec,
  demoScenarios,
  type Fleet,
  registryDevices,
  type ScenarioSpec,
  startFleet,
} from '@qingyuan/simulator';
import { analyze, DEFAULT_DEMO_SEED, openStore, redact, type Store, seedDemo } from '@qingyuan/store';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { publicPrincipal } from './access/principal.js';
import { DEMO_PASSWORD, type DemoAccount, provisionDemoUsers } from './accounts/demo-users.js';
import { AnomalyConfigSource } from './analysis/anomaly-config-source.js';
import { LivenessSweep } from './analysis/liveness.js';
import { AnalysisWorker } from './analysis/worker.js';
import { buildApp } from './http/app.js';
import { ruleLatencyHistogram } from './http/metrics.js';
import { renderStatusPage, type StatusLanguage } from './http/status-page.js';
import { defaultWebRoot, serveWeb } from './http/web.js';

export interface PlatformConfig {
  /** `sqlite:<path>` or `postgres://…`. */
  readonly databaseUrl: string;
  readonly gatewayPort: number;
  readonly httpPort: number;
  readonly host?: string;
  /** Seed the demo registry when the database is empty, and run the simulated fleet (default true). */
  readonly demo?: boolean;
  /** Simulated-time speed of the demo fleet (default 1: real time). */
  readonly demoSpeed?: number;
  /** At most this many demo devices (default: every registered point). */
  readonly demoDevices?: number;
  /**
   * At the first start (the demo registry just seeded), the simulated loggers first upload this many
   * hours of hourly records from before the start (补传), so that the last day's charts are not empty
   * (default 0: none; `qingyuan start` uses 24).
   */
  readonly demoBacklogHours?: number;
  /**
   * Scenarios for the demo fleet, given its start: 'showcase' (a few loggers misbehave — `demoScenarios` of
   * the simulator; `qingyuan start`'s default), a function of the start (a scenario file's), or none (default).
   */
  readonly demoScenarios?: 'showcase' | ((start: number) => readonly ScenarioSpec[]);
  readonly gateway?: Omit<GatewayOptions, 'port' | 'host'>;
  readonly log?: (line: string) => void;
  /** The built web application served at '/' (default packages/web/dist when built; false: none). */
  readonly webRoot?: string | false;
}

export interface Platform {
  readonly store: Store;
  readonly gateway: Gateway;
  readonly forwarding: ForwardService;
  readonly http: FastifyInstance;
  readonly fleet: Fleet | undefined;
  /** The demo accounts (demo mode), all with DEMO_PASSWORD. */
  readonly demoAccounts: readonly DemoAccount[];
  /** The first start's province administrator and one-time password (shown once; undefined afterwards). */
  readonly firstAdmin: { readonly username: string; readonly password: string } | undefined;
  /** Where things listen, for people. */
  readonly urls: { readonly gateway: string; readonly http: string; readonly database: string };
  stop(): Promise<void>;
}

/**
 * The whole platform in one process: migrates the database, seeds the demo registry when it is empty,
 * starts the HJ 212 gateway, the HTTP server, and (demo) a simulated fleet of the registered devices.
 */
export async function startPlatform(config: PlatformConfig): Promise<Platform> {
  const log = config.log ?? (() => undefined);
  const demo = config.demo ?? true;
  const host = config.host ?? '0.0.0.0';
  const store = await openStore(config.databaseUrl);
  const stops: (() => Promise<void>)[] = [() => store.close()];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    let seeded = false;
    if (demo && (await isEmpty(store))) {
      const summary = await seedDemo(store, { now: Date.now(), seed: DEFAULT_DEMO_SEED });
      await analyze(store);
      seeded = true;
      log(`demo registry seeded: ${summary.enterprises} enterprises, ${summary.points} monitoring points`);
    }
    // The demo fleet: every active point's data logger (the gateway refuses planned/stopped/removed ones).
    const devices = demo ? await activeDevices(store, config.demoDevices) : [];
    const gateway = new Gateway(store, {
      // All simulated loggers connect from loopback: one address must be allowed to hold them all.
      ...(demo ? { maxConnectionsPerPeer: Math.max(200, devices.length + 100) } : {}),
      ...config.gateway,
      port: config.gatewayPort,
      host,
    });
    await gateway.start();
    stops.push(() => gateway.stop());
    // Upstream forwarding (数据转发): wakes after every commit; targets changed with `qingyuan forward`
    // take effect within a minute.
    const forwarding = new ForwardService({ store });
    await forwarding.start();
    gateway.onCommitted(() => forwarding.notify());
    const reload = setInterval(() => void forwarding.reload().catch(() => undefined), 60_000);
    reload.unref();
    stops.push(async () => {
      clearInterval(reload);
      await forwarding.stop();
    });
    // The analysis engine: hourly data re-judged (validity, transmission counts, alarms) on arrival.
    // /metrics: the analysis worker's time per judged unit, on the registry the HTTP app serves.
    const metrics = new Registry();
    const ruleSeconds = ruleLatencyHistogram(metrics);
    // The province's anomaly thresholds (rules page): loaded now, changed at once through the API of this
    // process, re-read every minute for changes made elsewhere.
    const anomalies = new AnomalyConfigSource(store);
    await anomalies.load().catch((error) => log(`anomaly thresholds: ${String(error)}; built-in defaults`));
    const reloadRules = setInterval(
      () => void anomalies.load().catch((error) => log(`anomaly thresholds: ${String(error)}`)),
      60_000,
    );
    reloadRules.unref();
    stops.push(async () => clearInterval(reloadRules));
    const analysis = new AnalysisWorker(store, {
      anomalies: () => anomalies.config,
      onError: (error) => log(`analysis: ${String(error)}`),
      onJudged: (kind, seconds) => ruleSeconds.observe({ kind }, seconds),
    });
    gateway.onIngested(analysis.ingested);
    gateway.onDeviceInfo(analysis.deviceInfo);
    stops.push(() => analysis.stop());
    const liveness = new LivenessSweep(store, {
      rules: DEFAULT_RULES,
      anomalies: () => anomalies.config,
      onError: (error) => log(`liveness: ${String(error)}`),
    });
    liveness.start();
    stops.push(() => liveness.stop());
    let demoAccounts: DemoAccount[] = [];
    const http = await buildApp({
      store,
      gateway,
      forwarding,
      // Dashboards of one scope polling live values within a second share one answer.
      liveCacheMs: 1000,
      // Screens showing the same point and range within a second share one series answer.
      seriesCacheMs: 1000,
      // Daily trends read every day row in scope (≈ 0.7 s estimated at the full province) and move only
      // at today's point: one answer per scope and region for a minute.
      trendsCacheMs: 60_000,
      metrics,
      anomalies,
      // The web application at '/' when built (the status page then moves to '/status'); the status page:
      // counts for anyone, and the demo accounts.
      extend: async (app, services) => {
        const web = config.webRoot === false ? undefined : (config.webRoot ?? defaultWebRoot());
        const urls = web === undefined ? ['/', '/status'] : ['/status'];
        for (const url of urls)
          app.get<{ Querystring: { lang?: string } }>(
            url,
            { schema: { hide: true } },
            async (request, reply) => {
              const language: StatusLanguage = request.query.lang === 'en' ? 'en' : 'zh-CN';
              const summary = await services.system.summary(publicPrincipal(request.ip));
              const shown = demo ? { accounts: demoAccounts, password: DEMO_PASSWORD } : undefined;
              return reply.type('text/html; charset=utf-8').send(renderStatusPage(summary, language, shown));
            },
          );
        if (web !== undefined) await serveWeb(app, web);
      },
    });
    stops.push(() => http.close());
    // No built-in default password: the first start creates the administrator with a one-time password.
    const firstAdmin = await http.services.accounts.bootstrap('420000');
    if (firstAdmin !== undefined)
      log(
        `province administrator created: ${firstAdmin.username} / ${firstAdmin.password} (shown once; change it at first login)`,
      );
    if (demo) {
      demoAccounts = await provisionDemoUsers(store, http.services.accounts, Date.now());
      log(
        `demo accounts (password ${DEMO_PASSWORD}): ${demoAccounts.map((a) => `${a.username} [${a.role}]`).join(', ')}`,
      );
    }
    await http.listen({ port: config.httpPort, host });
    let fleet: Fleet | undefined;
    if (demo) {
      // A new demo database: the loggers "have been running" and first upload their last hours.
      const backlogHours = seeded ? (config.demoBacklogHours ?? 0) : 0;
      const start = Date.now();
      const scenarios = demoFleetScenarios(config.demoScenarios, devices, start, log);
      fleet = await startFleet({
        devices,
        host: '127.0.0.1',
        port: gateway.port,
        speed: config.demoSpeed ?? 1,
        start,
        ...(scenarios.length > 0 ? { scenarios } : {}),
        ...(backlogHours > 0 ? { backlogHours } : {}),
      });
      stops.push(() => (fleet as Fleet).stop());
      log(
        `demo fleet: ${devices.length} simulated data loggers connecting${backlogHours > 0 ? `, uploading their last ${backlogHours} h of hourly data first` : ''}`,
      );
    }
    const httpAddress = http.server.address();
    const httpPort =
      typeof httpAddress === 'object' && httpAddress !== null ? httpAddress.port : config.httpPort;
    const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
    return {
      store,
      gateway,
      forwarding,
      http,
      fleet,
      demoAccounts,
      firstAdmin,
      urls: {
        gateway: `tcp://${shown}:${gateway.port}`,
        http: `http://${shown}:${httpPort}/`,
        database: redact(config.databaseUrl),
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function activeDevices(store: Store, limit: number | undefined): Promise<DeviceSpec[]> {
  const active = await store.db
    .selectFrom('monitoring_point')
    .select('mn')
    .where('status', 'in', ['running', 'building'])
    .execute();
  const mns = new Set(active.map((r) => r.mn));
  // Each with its outlet's reference O₂ and its point's limits (the simulator keeps normal data under them).
  return (await registryDevices(store)).filter((d) => mns.has(d.mn)).slice(0, limit);
}

async function isEmpty(store: Store): Promise<boolean> {
  const row = await store.db
    .selectFrom('enterprise')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}

/** The demo fleet's scenarios, each one logged with the logger it applies to (and, for the showcase, why). */
function demoFleetScenarios(
  choice: PlatformConfig['demoScenarios'],
  devices: readonly DeviceSpec[],
  start: number,
  log: (line: string) => void,
): ScenarioSpec[] {
  if (choice === undefined) return [];
  const byMn = new Map(devices.map((d) => [d.mn, d]));
  const named = (mn: string) => {
    const device = byMn.get(mn);
    return device === undefined ? mn : `${mn} (${device.enterprise} ${device.outlet})`;
  };
  if (choice === 'showcase') {
    // Exceedances go over each point's own limit: the devices carry the registry's limits.
    const showcase = demoScenarios(devices, start);
    for (const { spec, shows } of showcase)
      log(`demo scenario: ${spec.scenario} on ${named(spec.device)}: ${shows}`);
    return showcase.map((s) => s.spec);
  }
  const scenarios = [...choice(start)];
  for (const spec of scenarios)
    log(`demo scenario: ${spec.scenario} on ${spec.device === '*' ? 'every logger' : named(spec.device)}`);
  return scenarios;
}
