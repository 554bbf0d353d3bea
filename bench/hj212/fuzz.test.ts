import { describe, expect, it } from 'vitest';
import { samplePackets } from './corpus.js';
import { runFuzz } from './fuzz-run.js';

// The CI slice of `npm run fuzz:hj212` (which runs a million inputs): a fixed seed, so a failure here
// reproduces with `npm run fuzz:hj212 -- --count 20000 --seed 212`.
describe('hj212 fuzz slice', () => {
  it('20 000 mutated and random inputs: nothing thrown, every code catalogued, memory bounded', () => {
    const report = runFuzz({ count: 20_000, seed: 212, corpus: samplePackets(), slowMs: 2000 });
    expect(report.findings).toEqual([]);
    expect(report.frames).toBeGreaterThan(10_000);
  });
});
