import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FrameDecoder } from '@qingyuan/hj212';
import { FleetClock, fleetClockStart, realtimeUpload } from './upload.js';

/**
 * The load process of bench/gateway (a separate process, as a fleet of data loggers would be): reads one
 * JSON job from the file named on argv, runs it against a server on loopback, prints one JSON result line.
 *
 *   max:  every connection sends a real-time upload, waits for its ack, sends the next (stop-and-wait, as
 *         a DAS does) for `durationMs` → frames/s and latency.
 *   rate: the fleet sends `rate` frames/s in total, spread over the connections, whatever the acks do →
 *         ack latency percentiles.
 *   hold: each connection sends one upload (so it is an authenticated, online device), then stays idle
 *         until stdin closes.
 */
export interface LoadJob {
  readonly port: number;
  readonly devices: readonly { mn: string; pw: string }[];
  readonly mode: 'max' | 'rate' | 'hold';
  readonly durationMs?: number;
  readonly rate?: number;
  /** For a run against a store: the latest DataTime an earlier run sent to it; this run's come after it. */
  readonly dataTimeAfter?: number;
}

// The job file's path (a device list of 10 000 does not fit on a command line).
const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as LoadJob;
let qnClock = Date.now();
// The fleet's DataTimes (upload.ts): one clock for all loggers, after any earlier run's.
const clock = new FleetClock(
  job.devices.length,
  Math.max(fleetClockStart(), (job.dataTimeAfter ?? 0) + 1000),
);
let dataTimeThrough = 0;

class Conn {
  readonly socket: Socket;
  readonly decoder = new FrameDecoder();
  readonly sentAt: number[] = [];
  n = 0;
  /** The DataTime of this logger's last upload. */
  dataTime = 0;
  onAck: (latencyMs: number) => void = () => undefined;
  constructor(
    readonly device: { mn: string; pw: string },
    socket: Socket,
  ) {
    this.socket = socket;
    socket.on('data', (chunk) => {
      for (const _ of this.decoder.push(chunk).frames) {
        const sent = this.sentAt.shift();
        if (sent !== undefined) this.onAck(performance.now() - sent);
      }
    });
    socket.on('error', () => undefined);
  }
  send(): void {
    this.sentAt.push(performance.now());
    this.dataTime = clock.next(this.dataTime);
    if (this.dataTime > dataTimeThrough) dataTimeThrough = this.dataTime;
    this.socket.write(realtimeUpload(this.device, this.n++, qnClock++, this.dataTime));
  }
}

async function open(device: { mn: string; pw: string }): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket = connect(job.port, '127.0.0.1', () => resolve(new Conn(device, socket)));
    socket.once('error', reject);
  });
}

async function openAll(): Promise<Conn[]> {
  const conns: Conn[] = [];
  for (let i = 0; i < job.devices.length; i += 200)
    conns.push(...(await Promise.all(job.devices.slice(i, i + 200).map(open))));
  return conns;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number);
}

const conns = await openAll();
const latencies: number[] = [];
let acked = 0;
if (job.mode === 'hold') {
  await Promise.all(
    conns.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.onAck = () => resolve();
          c.send();
        }),
    ),
  );
  process.stdout.write(`${JSON.stringify({ held: conns.length, dataTimeThrough })}\n`);
  process.stdin.resume();
  await new Promise((r) => process.stdin.once('end', r));
} else {
  const durationMs = job.durationMs ?? 10_000;
  let measuring = false;
  const started = { at: 0 };
  for (const c of conns)
    c.onAck = (ms) => {
      if (measuring) {
        acked++;
        latencies.push(ms);
      }
      if (job.mode === 'max') c.send();
    };
  if (job.mode === 'max') for (const c of conns) c.send();
  else {
    // Spread `rate` frames/s over the connections, one tick every 10 ms.
    const perTick = (job.rate ?? 100) / 100;
    let owed = 0;
    let next = 0;
    const timer = setInterval(() => {
      owed += perTick;
      while (owed >= 1) {
        (conns[next++ % conns.length] as Conn).send();
        owed -= 1;
      }
    }, 10);
    setTimeout(() => clearInterval(timer), durationMs + 1000);
  }
  // One second of warm-up, then measure.
  await new Promise((r) => setTimeout(r, 1000));
  measuring = true;
  // Tell the bench the measured window starts (it reads its own CPU time then).
  process.stdout.write(`${JSON.stringify({ phase: 'measure' })}\n`);
  const cpuBefore = process.cpuUsage();
  // This process's own stalls delay reading acks, which counts as latency: its loop delay is reported.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  started.at = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  measuring = false;
  loopDelay.disable();
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (performance.now() - started.at) / 1000;
  latencies.sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({
      framesPerSecond: acked / seconds,
      acked,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      // CPU time of this load process per acknowledged frame (user + system, µs).
      loadCpuUsPerFrame: (cpu.user + cpu.system) / Math.max(1, acked),
      // How late this process's event loop ran (ms): p99 and the longest stall.
      loadLoopDelayP99: loopDelay.percentile(99) / 1e6,
      loadLoopDelayMax: loopDelay.max / 1e6,
      dataTimeThrough,
    })}\n`,
  );
}
for (const c of conns) c.socket.destroy();
process.exit(0);
