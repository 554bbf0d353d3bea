import { SimulatorError } from './errors.js';

/**
 * Simulated time: sim = start + (real − realStart) × speed. With a start in the past every timestamp is
 * historical; with speed 1000 a simulated week passes in about ten minutes.
 */
export interface SimClock {
  readonly start: number;
  readonly speed: number;
  /** Simulated time (UTC epoch ms) at a real instant (default: now). */
  now(real?: number): number;
  /** Real duration (ms) of a simulated duration. */
  realDuration(simulatedMs: number): number;
}

export function createClock(options: {
  start?: number;
  speed?: number;
  realStart?: number;
  realNow?: () => number;
}): SimClock {
  const realNow = options.realNow ?? Date.now;
  const realStart = options.realStart ?? realNow();
  const start = options.start ?? realStart;
  const speed = options.speed ?? 1;
  if (!Number.isFinite(start))
    throw new SimulatorError('SIMULATOR_E_OPTION', { option: 'start', value: start });
  if (!Number.isFinite(speed) || speed <= 0 || speed > 1_000_000) {
    throw new SimulatorError('SIMULATOR_E_OPTION', {
      option: 'speed',
      value: speed,
      reason: '0 < speed ≤ 1000000',
    });
  }
  return {
    start,
    speed,
    now: (real = realNow()) => start + (real - realStart) * speed,
    realDuration: (simulatedMs) => simulatedMs / speed,
  };
}
