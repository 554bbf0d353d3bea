/**
 * How steady this machine's CPU is while nothing else of ours runs: equal chunks of work (≈ 1–2 ms each)
 * timed back to back. On a shared virtual machine a chunk can take many times the median when the host
 * runs something else (steal time stays at 0: the vCPU keeps running, only slower). Such bursts slow every
 * thread of a bench alike — a group commit of 40 frames then takes as long as one of 400 — so the gateway
 * bench prints this probe before and after its runs: a reader can tell a noisy host from a slow gateway
 * (docs/benchmarks.md, bench/gateway, "Fourteenth look").
 *
 *   npm run bench:machine [-- seconds]          # 10 s by default
 */

export interface MachineProbe {
  readonly chunks: number;
  /** The median chunk (ms). */
  readonly medianMs: number;
  /** The 99th-percentile chunk over the median. */
  readonly p99Ratio: number;
  /** Share of the window spent in chunks over `SLOW` times the median. */
  readonly slowShare: number;
  /** Bursts: runs of such chunks, a new one when `BURST_GAP_MS` pass without one. */
  readonly bursts: number;
  /** Mean time from one burst's start to the next (ms), when there were two or more. */
  readonly burstEveryMs: number | undefined;
}

/** A chunk this many times the median is slow. */
const SLOW = 3;
/** Slow chunks closer than this (ms) belong to one burst. */
const BURST_GAP_MS = 200;

/** Summarises timed chunks: each `[startMs, durationMs]`, in order. Pure (the probe's arithmetic). */
export function summarise(chunks: readonly (readonly [number, number])[]): MachineProbe {
  if (chunks.length === 0) throw new RangeError('summarise needs at least one chunk');
  const sorted = chunks.map(([, ms]) => ms).sort((a, b) => a - b);
  const medianMs = sorted[sorted.length >> 1] as number;
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] as number;
  let total = 0;
  let slow = 0;
  const starts: number[] = [];
  let lastSlowAt = Number.NEGATIVE_INFINITY;
  for (const [at, ms] of chunks) {
    total += ms;
    if (ms <= SLOW * medianMs) continue;
    slow += ms;
    if (at - lastSlowAt > BURST_GAP_MS) starts.push(at);
    lastSlowAt = at;
  }
  return {
    chunks: chunks.length,
    medianMs,
    p99Ratio: p99 / medianMs,
    slowShare: total > 0 ? slow / total : 0,
    bursts: starts.length,
    burstEveryMs:
      starts.length > 1
        ? ((starts[starts.length - 1] as number) - (starts[0] as number)) / (starts.length - 1)
        : undefined,
  };
}

const scratch = new Float64Array(1 << 16);

/** One chunk: a fixed amount of arithmetic over a 512 KiB array (fits the L2 cache of these machines). */
function chunk(): number {
  let sum = 0;
  for (let round = 0; round < 20; round++)
    for (let i = 0; i < scratch.length; i++) {
      scratch[i] = (scratch[i] as number) * 1.0000001 + i;
      sum += scratch[i] as number;
    }
  return sum;
}

/** Runs chunks back to back for `durationMs` on this thread (it blocks the event loop meanwhile). */
export function probeMachine(durationMs: number): MachineProbe {
  const timed: [number, number][] = [];
  let sink = 0;
  const start = performance.now();
  for (let at = start; at - start < durationMs; ) {
    sink += chunk();
    const end = performance.now();
    timed.push([at - start, end - at]);
    at = end;
  }
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the work from being optimised away');
  // The first chunks run before the loop is optimised: left out.
  return summarise(timed.slice(Math.min(20, timed.length - 1)));
}

/** One line for a bench's output. */
export function describeProbe(probe: MachineProbe, seconds: number): string {
  const every =
    probe.burstEveryMs === undefined ? '' : `, one every ${(probe.burstEveryMs / 1000).toFixed(1)} s`;
  return `machine probe (${seconds} s of fixed CPU work, nothing else running): median chunk ${probe.medianMs.toFixed(2)} ms, p99 ${probe.p99Ratio.toFixed(1)}× the median, ${(100 * probe.slowShare).toFixed(1)} % of the time in chunks over ${SLOW}× (${probe.bursts} bursts${every})`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.argv[2] ?? 10);
  if (!(seconds > 0)) throw new Error('usage: machine-probe.ts [seconds > 0]');
  console.log(describeProbe(probeMachine(seconds * 1000), seconds));
}
