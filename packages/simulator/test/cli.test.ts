import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@qingyuan/server';
import { afterAll, describe, expect, it } from 'vitest';
import { TestPlatform } from './platform.js';

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdin: (async function* () {})(),
    stdout: { write: (chunk: string | Uint8Array) => (stdout += String(chunk)) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}

describe('qingyuan simulate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qy-simulate-'));
  const platform = new TestPlatform();
  let port = 0;
  afterAll(async () => {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a device list against an endpoint for --duration, then prints the statistics', async () => {
    port = await platform.listen();
    const devices = join(dir, 'devices.csv');
    writeFileSync(
      devices,
      'mn,password,protocol,crc,kind,enterprise,outlet,factors\n' +
        'CLI0001,123456,2017,hj212,water,E1,DW001,w00000;w01018\n' +
        'CLI0002,654321,2017,hj212,gas,E2,DA001,\n' +
        'CLI0003,111111,2017,hj212,gas,E3,DA002,\n',
    );
    const result = await cli([
      'simulate',
      '--devices',
      devices,
      '--port',
      String(port),
      '--count',
      '2',
      '--speed',
      '3600',
      '--start',
      '2026-03-02T08:00:00+08:00',
      '--duration',
      '1.5',
      '--scenario',
      'exceedance:CLI0001@+0h..',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const stats = JSON.parse(result.stdout) as {
      devices: number;
      acked: number;
      perDevice: { mn: string }[];
    };
    expect(stats.devices).toBe(2);
    expect(stats.perDevice.map((d) => d.mn)).toEqual(['CLI0001', 'CLI0002']);
    expect(stats.acked).toBeGreaterThan(10);
    expect(new Set(platform.frames.map((f) => f.message.mn))).toEqual(new Set(['CLI0001', 'CLI0002']));
    const hour = platform.frames.find((f) => f.message.mn === 'CLI0001' && f.message.cn === '2061');
    expect(hour?.text).toMatch(/w01018-Avg=(\d{3,})/); // exceedance: COD ≥ 100
  }, 20_000);

  it('prints a human summary, and refuses bad input with codes', async () => {
    const run = await cli([
      'simulate',
      '--count',
      '1',
      '--port',
      String(port),
      '--duration',
      '0.3',
      '--no-realtime',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/simulating 1 data logger → 127\.0\.0\.1:\d+/);
    expect(run.stdout).toMatch(/frames sent \d+, acknowledged \d+/);
    const usage = await cli(['simulate']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('QY_E_CLI_USAGE');
    const scenario = await cli(['simulate', '--count', '1', '--scenario', 'flood']);
    expect(scenario.code).toBe(2);
    expect(scenario.stderr).toContain('SIMULATOR_E_SCENARIO');
    const missing = await cli(['simulate', '--devices', join(dir, 'none.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('SIMULATOR_E_DEVICES_READ');
    const help = await cli(['help']);
    expect(help.stdout).toContain('qingyuan simulate --devices');
  });
});
