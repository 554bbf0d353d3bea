import { describe, expect, it } from 'vitest';
import { probeMachine, summarise } from './machine-probe.js';

/** `n` chunks of `ms` each, back to back from `from`. */
function steady(from: number, n: number, ms: number): [number, number][] {
  return Array.from({ length: n }, (_, i) => [from + i * ms, ms] as [number, number]);
}

describe('machine probe', () => {
  it('finds no burst on a steady machine', () => {
    const probe = summarise(steady(0, 1000, 1));
    expect(probe).toEqual({
      chunks: 1000,
      medianMs: 1,
      p99Ratio: 1,
      slowShare: 0,
      bursts: 0,
      burstEveryMs: undefined,
    });
  });

  it('counts runs of slow chunks as bursts and times their spacing', () => {
    // Slow chunks (10× the median) at 1,000 ms (three in a row: one burst) and at 2,500 ms and 4,000 ms.
    const chunks = steady(0, 5000, 1);
    for (const at of [1000, 1001, 1002, 2500, 4000]) chunks[at] = [at, 10];
    const probe = summarise(chunks);
    expect(probe.bursts).toBe(3);
    expect(probe.burstEveryMs).toBe(1500);
    expect(probe.slowShare).toBeCloseTo(50 / (4995 + 50), 6);
    expect(probe.medianMs).toBe(1);
  });

  it('a chunk at three times the median is not slow; just above it is', () => {
    const chunks = steady(0, 100, 1);
    chunks[50] = [50, 3];
    expect(summarise(chunks).bursts).toBe(0);
    chunks[50] = [50, 3.01];
    expect(summarise(chunks).bursts).toBe(1);
  });

  it('refuses an empty series', () => {
    expect(() => summarise([])).toThrow(RangeError);
  });

  it('times real chunks', () => {
    const probe = probeMachine(100);
    expect(probe.chunks).toBeGreaterThan(0);
    expect(probe.medianMs).toBeGreaterThan(0);
    expect(probe.p99Ratio).toBeGreaterThanOrEqual(1);
  });
});
