import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
      const status = (await (await fetch(`${base}api/v1/status`)).json()) as {
        registry: { points: number };
        gateway: { accepted: number; rejected: Record<string, number> };
        recentFrames: { verdict: string }[];
      };
      expect(status.registry.points).toBeGreaterThan(300);
      expect(status.gateway.accepted).toBeGreaterThan(0);
      expect(status.gateway.rejected).toEqual({});
      expect(status.recentFrames.some((f) => f.verdict === 'accepted')).toBe(true);
      const page = await (await fetch(base)).text();
      expect(page).toContain('<html lang="zh-CN">');
      expect(page).toContain('在线设备');
      expect(await (await fetch(`${base}?lang=en`)).text()).toContain('Online devices');
      expect(await (await fetch(`${base}healthz`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${base}readyz`)).json()).toEqual({ status: 'ready' });
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
      const status = (await (await fetch(`${platform.urls.http}api/v1/status`)).json()) as {
        registry: { enterprises: number };
      };
      expect(status.registry.enterprises).toBe(0);
    } finally {
      await platform.stop();
    }
  });

  it('refuses bad start options with a usage error', async () => {
    const result = await cli(['start', '--gateway-port', 'abc']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/QY_E_CLI_USAGE.*--gateway-port must be a port number/);
  });
});
