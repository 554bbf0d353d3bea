import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseDevicesCsv, startFleet } from '@qingyuan/simulator';
import { exportDevices, RawFrameRepository } from '@qingyuan/store';
import { expect, it } from 'vitest';
import { describeEachDialect, insertPoint, sleep } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Starts the gateway in a child process; resolves once it listens. */
function startChild(url: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, String(port)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (d) => {
      err += String(d);
    });
    child.stdout?.on('data', (d) => {
      if (String(d).includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`gateway child exited (${code}): ${err}`)));
  });
}

describeEachDialect('crash: kill -9 while the simulator streams', (store) => {
  it('loses no acknowledged frame, and the archive hash chain verifies after restart', async () => {
    for (let i = 0; i < 12; i++) await insertPoint(store(), { kind: i % 2 === 0 ? 'gas' : 'water' });
    const devices = parseDevicesCsv(await exportDevices(store()));
    const port = await freePort();
    let child = await startChild(store().url, port);
    // A week of simulated time per minute: minute and hour records stream continuously.
    const fleet = await startFleet({
      devices,
      host: '127.0.0.1',
      port,
      speed: 3000,
      start: Date.UTC(2026, 9, 1),
      ackTimeoutMs: 1000,
      reconnectMinMs: 100,
      reconnectMaxMs: 500,
    });
    try {
      // Stream until some hour records are acknowledged (the time that takes depends on the machine's load).
      const hourAcked = () => fleet.devices.some((d) => d.acknowledged.some((a) => a.cn === '2061'));
      for (let i = 0; i < 200 && (fleet.stats().acked <= 50 || !hourAcked()); i++) await sleep(100);
      const ackedBefore = fleet.stats().acked;
      expect(ackedBefore).toBeGreaterThan(50);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await sleep(300);
      child = await startChild(store().url, port);
      for (let i = 0; i < 200 && fleet.stats().acked <= ackedBefore + 50; i++) await sleep(100);
      expect(fleet.stats().acked).toBeGreaterThan(ackedBefore);
    } finally {
      await fleet.stop();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    const archive = new RawFrameRepository(store());
    const frames = await archive.list({ limit: 1_000_000 });
    const stored = new Set(
      frames
        .filter((f) => f.verdict === 'accepted' || f.verdict === 'duplicate')
        .map((f) => `${f.mn}|${f.qn}|${f.cn}`),
    );
    const acknowledged = fleet.devices.flatMap((d) => d.acknowledged);
    const lost = acknowledged.filter((a) => !stored.has(`${a.mn}|${a.qn}|${a.cn}`));
    expect(acknowledged.length).toBeGreaterThan(100);
    expect(lost).toEqual([]);
    // Every acknowledged hour record is readable as an observation.
    const hours = acknowledged.filter((a) => a.cn === '2061' && a.dataTime !== undefined);
    expect(hours.length).toBeGreaterThan(0);
    const points = new Map(
      (await store().db.selectFrom('monitoring_point').select(['id', 'mn']).execute()).map((p) => [
        p.mn,
        Number(p.id),
      ]),
    );
    for (const hour of hours.slice(0, 50)) {
      const row = await store()
        .db.selectFrom('obs_hour')
        .select('period_start')
        .where('point_id', '=', points.get(hour.mn) as number)
        .where('period_start', '=', hour.dataTime as number)
        .executeTakeFirst();
      expect(row, `hour ${hour.dataTime} of ${hour.mn}`).toBeDefined();
    }
    const days = [...new Set(frames.map((f) => f.chain_day))];
    for (const day of days) expect(await archive.verifyDay(day)).toMatchObject({ ok: true });
  }, 60_000);
});
