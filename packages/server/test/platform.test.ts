import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoScenarios, syntheticDevices } from '@qingyuan/simulator';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/accounts/demo-users.js';
import { demoScenarioChoice, gatewayOptions, startCommand } from '../src/cli/start-command.js';
import { type Platform, startPlatform } from '../src/platform.js';
import { cli } from './cli-io.js';

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('the platform in one process (qingyuan start)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qy-platform-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds an empty database, runs the gateway, the status server and a demo fleet whose data arrives', async () => {
    const lines: string[] = [];
    const platform: Platform = await startPlatform({
      databaseUrl: `sqlite:${join(dir, 'demo.db')}`,
      gatewayPort: 0,
      httpPort: 0,
      host: '127.0.0.1',
      demoDevices: 6,
      demoSpeed: 120,
      log: (line) => lines.push(line),
    });
    try {
      expect(lines.join('\n')).toMatch(/demo registry seeded: 200 enterprises/);
      expect(platform.fleet?.devices).toHaveLength(6);
      // Simulated loggers connect, authenticate and get their uploads acknowledged.
      expect(await until(() => platform.gateway.stats().online >= 5, 15_000)).toBe(true);
      expect(await until(() => (platform.fleet?.stats().acked ?? 0) >= 12, 15_000)).toBe(true);
      const base = platform.urls.http;
      // The full status is the province's: log in as the demo province account.
      expect(lines.join('\n')).toMatch(/province administrator created: admin \/ \S{16} /);
      expect(platform.demoAccounts.map((a) => a.role)).toEqual(
        expect.arrayContaining(['province', 'city', 'county', 'enterprise', 'om_contractor']),
      );
      expect((await fetch(`${base}api/v1/system/status`)).status).toBe(401);
      const login = await fetch(`${base}api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'demo.province', password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const status = (await (await fetch(`${base}api/v1/system/status`, { headers: { cookie } })).json()) as {
        registry: { points: number };
        gateway: { accepted: number; rejected: Record<string, number> };
        recentFrames: { verdict: string }[];
      };
      expect(status.registry.points).toBeGreaterThan(300);
      expect(status.gateway.accepted).toBeGreaterThan(0);
      expect(status.gateway.rejected).toEqual({});
      expect(status.recentFrames.some((f) => f.verdict === 'accepted')).toBe(true);
      // The status page: at '/status' always ('/' is the web application once packages/web is built).
      const page = await (await fetch(`${base}status`)).text();
      expect(page).toContain('<html lang="zh-CN">');
      expect(page).toContain('在线设备');
      expect(page).toContain('demo.province');
      expect(page).not.toContain(platform.fleet?.devices[0]?.mn as string);
      expect(await (await fetch(`${base}status?lang=en`)).text()).toContain('online devices');
      const metrics = await (await fetch(`${base}metrics`)).text();
      expect(metrics).toMatch(/qingyuan_gateway_accepted_total [1-9]/);
      expect(metrics).toContain('# TYPE qingyuan_rule_seconds histogram');
      expect(await (await fetch(`${base}healthz`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${base}readyz`)).json()).toEqual({ status: 'ready' });
    } finally {
      await platform.stop();
    }
  }, 60_000);

  it('on a newly seeded database the demo loggers first upload their last hours; not on a later start', async () => {
    const url = `sqlite:${join(dir, 'backlog.db')}`;
    const options = {
      databaseUrl: url,
      gatewayPort: 0,
      httpPort: 0,
      host: '127.0.0.1',
      demoDevices: 4,
      demoBacklogHours: 6,
    };
    const hoursBefore = async (platform: Platform, before: number) => {
      const rows = await platform.store.db
        .selectFrom('obs_hour as h')
        .innerJoin('monitoring_point as p', 'p.id', 'h.point_id')
        .select(['p.mn', 'h.period_start'])
        .distinct()
        .where('h.period_start', '<', before)
        .execute();
      return rows;
    };
    const HOUR = 3_600_000;
    const lines: string[] = [];
    const first = await startPlatform({ ...options, log: (line) => lines.push(line) });
    const started = Date.now();
    try {
      expect(lines.join('\n')).toMatch(/uploading their last 6 h of hourly data first/);
      const mns = new Set(first.fleet?.devices.map((d) => d.mn));
      // 6 hours per logger (the hour holding "now − 6 h" to the last complete hour), from the start's
      // backlog: hours that began before the start.
      expect(
        await until(async () => (await hoursBefore(first, started - HOUR)).length >= 4 * 6, 30_000),
      ).toBe(true);
      const rows = await hoursBefore(first, started - HOUR);
      expect(new Set(rows.map((r) => r.mn))).toEqual(mns);
      const oldest = Math.min(...rows.map((r) => Number(r.period_start)));
      expect(oldest).toBeGreaterThanOrEqual(Math.floor((started - 7 * HOUR) / HOUR) * HOUR);
    } finally {
      await first.stop();
    }
    const again: string[] = [];
    const second = await startPlatform({ ...options, log: (line) => again.push(line) });
    await second.stop();
    expect(again.join('\n')).not.toMatch(/seeded|uploading their last/);
  }, 60_000);

  it('has a few demo loggers misbehave (the showcase), and the platform raises what they do', async () => {
    const lines: string[] = [];
    const platform = await startPlatform({
      databaseUrl: `sqlite:${join(dir, 'showcase.db')}`,
      gatewayPort: 0,
      httpPort: 0,
      host: '127.0.0.1',
      demoDevices: 12,
      demoBacklogHours: 6,
      demoSpeed: 60,
      demoScenarios: 'showcase',
      log: (line) => lines.push(line),
    });
    try {
      // Each one is named with its logger, so a person knows where to look.
      const named = new Map(
        lines
          .map((line) => /^demo scenario: (\S+) on (\w+) \(/.exec(line))
          .filter((m) => m !== null)
          .map((m) => [m[2] as string, m[1] as string]),
      );
      // The showcase's list itself is the simulator's (its tests pin it): every one of it is played here.
      const showcase = demoScenarios(syntheticDevices(40, 3), 0).map((s) => s.spec.scenario);
      expect(showcase.length).toBeGreaterThan(5);
      expect([...named.values()]).toEqual(showcase);
      const points = await platform.store.db
        .selectFrom('monitoring_point')
        .select(['id', 'mn'])
        .where('mn', 'in', [...named.keys()])
        .execute();
      const scenarioOf = new Map(points.map((p) => [p.id, named.get(p.mn)]));
      const raised = async () => {
        const alarms = await platform.store.db.selectFrom('alarm').select(['point_id', 'type']).execute();
        return new Set(alarms.map((a) => `${scenarioOf.get(a.point_id) ?? 'none'} → ${a.type}`));
      };
      const expected = [
        'exceedance → hourly-exceedance',
        'constant-value → constant-value',
        'dilution → dilution',
      ];
      await until(async () => {
        const now = await raised();
        return expected.every((e) => now.has(e));
      }, 40_000);
      const seen = await raised();
      expect([...seen].filter((e) => expected.includes(e)).sort()).toEqual([...expected].sort());
      // Both exceedances, the gas one over its point's own SO2 limit (a steel works' 550 mg/m³).
      const exceeded = await platform.store.db
        .selectFrom('alarm')
        .select('point_id')
        .distinct()
        .where('type', '=', 'hourly-exceedance')
        .execute();
      expect(exceeded.filter((a) => scenarioOf.get(a.point_id) === 'exceedance')).toHaveLength(2);
      // The loggers that behave raise no exceedance and no early warning: each keeps under its point's
      // own limits (the registry's, some stricter than the simulator's typical ones).
      const others = await platform.store.db
        .selectFrom('alarm')
        .select(['point_id', 'type', 'factor_code'])
        .where((eb) => eb.or([eb('type', 'like', '%exceedance%'), eb('type', 'like', '%early-warning%')]))
        .execute();
      expect(others.filter((a) => !scenarioOf.has(a.point_id))).toEqual([]);
    } finally {
      await platform.stop();
    }
  }, 60_000);

  it('with --no-demo starts on an empty database without seeding or simulating', async () => {
    const platform = await startPlatform({
      databaseUrl: `sqlite:${join(dir, 'empty.db')}`,
      gatewayPort: 0,
      httpPort: 0,
      host: '127.0.0.1',
      demo: false,
    });
    try {
      expect(platform.fleet).toBeUndefined();
      expect(platform.demoAccounts).toEqual([]);
      expect(platform.firstAdmin?.username).toBe('admin');
      const summary = (await (await fetch(`${platform.urls.http}api/v1/system/summary`)).json()) as {
        registry: { enterprises: number };
      };
      expect(summary.registry.enterprises).toBe(0);
      // The one-time password works once for login and must be changed.
      const login = await fetch(`${platform.urls.http}api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: platform.firstAdmin?.password }),
      });
      expect(
        ((await login.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword,
      ).toBe(true);
    } finally {
      await platform.stop();
    }
  });

  it('refuses bad start options with a usage error', async () => {
    const result = await cli(['start', '--gateway-port', 'abc']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/QY_E_CLI_USAGE.*--gateway-port must be a port number/);
    const history = await cli(['start', '--demo-history', '1.5']);
    expect(history.code).toBe(2);
    expect(history.stderr).toMatch(/QY_E_CLI_USAGE.*--demo-history must be a whole number of hours/);
  });

  it('takes gateway options (--gateway-config) and demo scenarios (--demo-scenarios) from files, refusing bad ones before starting', async () => {
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const db = join(dir, 'configured.db');
    const refused = async (config: string, pattern: RegExp, option = '--gateway-config') => {
      const result = await cli(['start', '--db', `sqlite:${db}`, option, config]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(pattern);
    };
    await refused(join(dir, 'missing.json'), /QY_E_CLI_INPUT.*--gateway-config: ENOENT/);
    await refused(file('broken.json', '{"idleTimeoutMs": 600000,'), /QY_E_CLI_INPUT.*JSON/);
    await refused(
      file('misspelt.json', '{"idleTimeout": 600000}'),
      /GATEWAY_E_OPTION.*"option":"idleTimeout".*unknown option/,
    );
    await refused(file('range.json', '{"backfill": {"maxInFlight": 0}}'), /"option":"backfill.maxInFlight"/);
    // Nothing was started or created for a configuration that cannot run.
    expect(existsSync(db)).toBe(false);
    const example = gatewayOptions(join(__dirname, '../../gateway/gateway-config.example.json'), undefined);
    expect(example).toMatchObject({ autoTimeSync: true, backfill: { periods: ['hour'] } });
    expect(gatewayOptions(file('quiet.json', '{"clockSkewMs": 60000}'), true)).toEqual({
      clockSkewMs: 60_000,
      autoTimeSync: true,
    });
    expect(gatewayOptions(undefined, undefined)).toEqual({});
    // --demo-scenarios: the showcase by default, none, or a scenario file checked before starting.
    expect(demoScenarioChoice(undefined)).toBe('showcase');
    expect(demoScenarioChoice('none')).toBeUndefined();
    const chosen = demoScenarioChoice(
      file('scenarios.json', '[{"scenario": "offline", "device": "*", "from": "+1h", "to": "+2h"}]'),
    );
    expect(typeof chosen === 'function' && chosen(1_000_000)).toEqual([
      { scenario: 'offline', device: '*', from: 1_000_000 + 3_600_000, to: 1_000_000 + 7_200_000 },
    ]);
    await refused(
      file('bad-scenarios.json', '[{"scenario": "meteor", "device": "*"}]'),
      /QY_E_CLI_INPUT.*SIMULATOR_E_SCENARIO.*unknown scenario/,
      '--demo-scenarios',
    );
    await refused(join(dir, 'nowhere.json'), /QY_E_CLI_INPUT.*--demo-scenarios: ENOENT/, '--demo-scenarios');
    expect(existsSync(db)).toBe(false);

    // A setting reaches the running gateway: a connection that sends nothing is closed after idleTimeoutMs.
    let stdout = '';
    const stop = new AbortController();
    const running = startCommand(
      [
        ...['--db', `sqlite:${db}`, '--no-demo', '--host', '127.0.0.1'],
        ...['--gateway-port', '0', '--http-port', '0'],
        ...['--gateway-config', file('idle.json', '{"idleTimeoutMs": 500}')],
      ],
      {
        stdin: (async function* () {})(),
        stdout: { write: (c) => (stdout += String(c)) },
        stderr: { write: () => 0 },
      },
      stop.signal,
    );
    try {
      expect(await until(() => stdout.includes('Press Ctrl-C'), 15_000)).toBe(true);
      const port = Number(/tcp:\/\/[^:]+:(\d+)/.exec(stdout)?.[1]);
      const opened = Date.now();
      const closedAfter = await new Promise<number>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', reject);
        socket.on('close', () => resolve(Date.now() - opened));
      });
      // Checked once a second: closed after the 500 ms, long before the 10 minutes of the default.
      expect(closedAfter).toBeGreaterThanOrEqual(450);
      expect(closedAfter).toBeLessThan(5000);
    } finally {
      stop.abort();
      expect(await running).toBe(0);
    }
  }, 30_000);
});
