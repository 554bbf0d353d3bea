import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { hostCpuTicks, otherThreadsCpuUsPerFrame, threadCpuUs } from './fleet.js';

describe('otherThreadsCpuUsPerFrame', () => {
  it('gives the other threads’ CPU per frame over the window, largest first, the main thread left out', () => {
    const before = new Map([
      [process.pid, 1_000_000],
      [11, 200_000],
      [12, 50_000],
      [13, 10_000],
    ]);
    const after = new Map([
      [process.pid, 9_000_000],
      [11, 1_100_000], // +900 ms
      [12, 2_050_000], // +2 s
      [13, 10_200], // +0.2 ms: under 0.05 µs a frame
      [14, 300_000], // started during the window: all of it counts
    ]);
    expect(otherThreadsCpuUsPerFrame(before, after, 100_000)).toEqual([20, 9, 3]);
  });
});

describe.runIf(process.platform === 'linux')('threadCpuUs', () => {
  it('reads every thread of this process, and a busy worker thread’s CPU grows', async () => {
    const spin = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.once('message', () => {
         const until = Date.now() + 400;
         let x = 0;
         while (Date.now() < until) x += Math.sqrt(x + 1);
         parentPort.postMessage(x);
       });`,
      { eval: true },
    );
    await new Promise((resolve) => spin.once('online', resolve));
    const before = threadCpuUs();
    expect(before.has(process.pid)).toBe(true);
    spin.postMessage('go');
    await new Promise((resolve) => spin.once('message', resolve));
    const after = threadCpuUs();
    await spin.terminate();
    // 400 ms of work on one thread: at least 200 ms of it counted (clock ticks of 10 ms, a loaded machine).
    const shares = otherThreadsCpuUsPerFrame(before, after, 1);
    expect(shares[0]).toBeGreaterThanOrEqual(200_000);
  });
});

describe.runIf(process.platform === 'linux')('hostCpuTicks', () => {
  it('reads the machine’s CPU ticks and its steal, which is part of them, both growing', async () => {
    const before = hostCpuTicks();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = hostCpuTicks();
    for (const t of [before, after]) {
      expect(Number.isInteger(t.total) && Number.isInteger(t.steal)).toBe(true);
      expect(t.steal).toBeGreaterThanOrEqual(0);
      expect(t.steal).toBeLessThan(t.total);
    }
    // 100 ms of every CPU's time, at 100 ticks a second: at least a few ticks.
    expect(after.total - before.total).toBeGreaterThanOrEqual(5);
    expect(after.steal).toBeGreaterThanOrEqual(before.steal);
  });
});
