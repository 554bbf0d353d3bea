import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsampleMinMax } from '../src/index.js';

interface Sample {
  readonly t: number;
  readonly v: number | null;
}

/** A time series (ascending, distinct times) with gaps (null values). */
const series = fc
  .array(fc.option(fc.double({ min: -1000, max: 1000, noNaN: true }), { freq: 6 }), { maxLength: 600 })
  .map((values) => values.map((v, i): Sample => ({ t: i * 60_000, v })));
const maxPoints = fc.integer({ min: 2, max: 300 });
const sampleValue = (s: Sample) => s.v;
const numbers = (list: readonly Sample[]) => list.map((s) => s.v).filter((v): v is number => v !== null);

describe('downsampleMinMax', () => {
  it('returns a short series unchanged', () => {
    fc.assert(
      fc.property(series, maxPoints, (input, max) => {
        fc.pre(input.length <= max);
        expect(downsampleMinMax(input, max, sampleValue)).toEqual(input);
      }),
    );
  });

  it('never returns more than maxPoints samples, in their original order, chosen from the input', () => {
    fc.assert(
      fc.property(series, maxPoints, (input, max) => {
        const out = downsampleMinMax(input, max, sampleValue);
        expect(out.length).toBeLessThanOrEqual(Math.max(max, 2));
        let last = -1;
        for (const s of out) {
          const at = input.indexOf(s);
          expect(at).toBeGreaterThan(last);
          last = at;
        }
      }),
    );
  });

  it('keeps the extremes', () => {
    fc.assert(
      fc.property(series, maxPoints, (input, max) => {
        const all = numbers(input);
        fc.pre(all.length > 0);
        const kept = numbers(downsampleMinMax(input, max, sampleValue));
        expect(Math.min(...kept)).toBe(Math.min(...all));
        expect(Math.max(...kept)).toBe(Math.max(...all));
      }),
    );
  });

  it('keeps every exceedance episode visible: each bucket with a value over a limit keeps one over it', () => {
    fc.assert(
      fc.property(
        series,
        maxPoints,
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        (input, max, limit) => {
          fc.pre(input.length > max);
          const out = downsampleMinMax(input, max, sampleValue);
          // Over any stretch of the input as long as two buckets, an exceedance there leaves a kept sample
          // over the limit within that stretch.
          const bucket = Math.ceil(input.length / Math.floor(Math.max(max, 2) / 2));
          for (let i = 0; i < input.length; i++) {
            const v = input[i]?.v ?? null;
            if (v === null || v <= limit) continue;
            const near = out.filter((s) => Math.abs(s.t - (input[i] as Sample).t) <= bucket * 60_000);
            expect(near.some((s) => s.v !== null && s.v > limit)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a gap-only bucket keeps one sample, so the gap stays visible', () => {
    const input: Sample[] = [
      ...Array.from({ length: 10 }, (_, i) => ({ t: i, v: i })),
      ...Array.from({ length: 10 }, (_, i) => ({ t: 10 + i, v: null })),
    ];
    const out = downsampleMinMax(input, 4, sampleValue);
    expect(out).toEqual([
      { t: 0, v: 0 },
      { t: 9, v: 9 },
      { t: 10, v: null },
    ]);
  });
});
