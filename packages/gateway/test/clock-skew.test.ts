import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClockSkewLog } from '../src/clock-skew.js';

const M = 60_000;

describe('clock-skew events (ClockSkewLog)', () => {
  it('records the first skewed upload, then one every interval while the clock stays wrong', () => {
    const log = new ClockSkewLog(10 * M, 10 * M);
    const recorded: number[] = [];
    // A logger 3 h behind, uploading every 30 s for an hour.
    for (let t = 0; t < 60 * M; t += 30_000) if (log.observe('MN1', -3 * 60 * M, t)) recorded.push(t);
    expect(recorded).toEqual([0, 10 * M, 20 * M, 30 * M, 40 * M, 50 * M]);
  });

  it('records again at once when the clock was right in between, or when the skew moves by more than the tolerance', () => {
    const log = new ClockSkewLog(10 * M, 10 * M);
    expect(log.observe('MN1', 20 * M, 0)).toBe(true);
    expect(log.observe('MN1', 21 * M, 30_000)).toBe(false);
    expect(log.observe('MN1', 0, 60_000)).toBe(false); // on time: the episode can close
    expect(log.size).toBe(0);
    expect(log.observe('MN1', 20 * M, 90_000)).toBe(true); // wrong again: a new episode opens
    expect(log.observe('MN1', 45 * M, 120_000)).toBe(true); // jumped by 25 min
    expect(log.observe('MN2', -11 * M, 120_000)).toBe(true); // devices are independent
  });

  it('never records an on-time upload, and records every upload of a wrong clock within one interval of another', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -120, max: 120 }), fc.integer({ min: 1, max: 600 })), {
          maxLength: 200,
        }),
        (steps) => {
          const tolerance = 10 * M;
          const every = 10 * M;
          const log = new ClockSkewLog(tolerance, every);
          let at = 0;
          let lastRecorded: { at: number; skew: number } | undefined;
          let previousOnTime = true;
          for (const [skewMinutes, gapSeconds] of steps) {
            at += gapSeconds * 1000;
            const skew = skewMinutes * M;
            const recorded = log.observe('MN', skew, at);
            const onTime = Math.abs(skew) <= tolerance;
            if (onTime) expect(recorded).toBe(false);
            else if (previousOnTime) expect(recorded).toBe(true);
            else {
              // Not recorded only when a recorded event is recent and close in skew.
              const covered =
                lastRecorded !== undefined &&
                at - lastRecorded.at < every &&
                Math.abs(skew - lastRecorded.skew) <= tolerance;
              expect(recorded).toBe(!covered);
            }
            if (recorded) lastRecorded = { at, skew };
            if (onTime) lastRecorded = undefined;
            previousOnTime = onTime;
          }
        },
      ),
    );
  });
});
