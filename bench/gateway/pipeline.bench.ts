import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { Session as Inspector } from 'node:inspector/promises';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Gateway } from '@qingyuan/gateway';
// The per-connection pipeline is not part of the package's API: the bench drives the built class itself.
import { Session } from '../../packages/gateway/dist/session.js';
import { createStore } from '../store/common.js';
import { mainThreadCpuUs, seedDevices } from './fleet.js';
import { fleetClockStart, realtimeUpload } from './upload.js';

/**
 * bench/gateway/pipeline — the gateway's CPU per frame without the network: the same sessions, judging,
 * group commit (SQLite, durable acks) and replies as `npm run bench:gateway`, but each connection is an
 * in-process stand-in that hands the session its next frame as soon as the ack is written (stop-and-wait,
 * 500 devices). No load process and no system calls for sockets share the machine, so the figure moves
 * less between runs than frames/s over loopback: for A/B runs of a change to the gateway's own work.
 *
 *   npm run bench:pipeline                # 500 devices, 120 000 frames after 20 000 of warm-up
 *   npm run bench:pipeline -- --quick     # 200 devices, 30 000 frames
 *   npm run bench:pipeline -- --profile out.cpuprofile   # and a CPU profile of the measured frames alone
 *   npm run bench:pipeline -- --heap-profile out.heapprofile   # or where they allocate (every 512 bytes
 *                                         # sampled, objects already collected counted too; with
 *                                         # --survivors only those that outlived a scavenge, i.e. what
 *                                         # the young generation's collections copy and promote)
 *
 * Prints CPU µs per frame (this process, all threads, and its main thread alone) and frames/s.
 */
const quick = process.argv.includes('--quick');
const profileTo = process.argv[process.argv.indexOf('--profile') + 1];
const profiling = process.argv.includes('--profile') && profileTo !== undefined;
const heapProfileTo = process.argv[process.argv.indexOf('--heap-profile') + 1];
const heapProfiling = process.argv.includes('--heap-profile') && heapProfileTo !== undefined;
const survivorsOnly = process.argv.includes('--survivors');
const DEVICES = quick ? 200 : 500;
const WARM_UP = quick ? 5_000 : 20_000;
const FRAMES = quick ? 30_000 : 120_000;

/**
 * The fleet's clock (upload.ts, FleetClock): the stand-ins are served in turn, so it is each device's count,
 * a second per upload from five minutes before now — the ≤ 280 uploads of each stay within the gateway's
 * default clock-skew tolerance (ten minutes), and none is recorded as skewed.
 */
const CLOCK_START = fleetClockStart(5 * 60_000);

/** The real-time uploads each device sends, encoded beforehand (the frames' cost is not measured). */
function uploads(device: { mn: string; pw: string }, count: number, qnFrom: number): Uint8Array[] {
  return Array.from({ length: count }, (_, n) =>
    realtimeUpload(device, n, qnFrom + n, CLOCK_START + n * 1000),
  );
}

/** What a session needs of a socket; `write` (the ack) hands over the device's next frame. */
class StandIn extends EventEmitter {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort: number;
  #next = 0;
  constructor(
    port: number,
    private readonly frames: readonly Uint8Array[],
    private readonly onAck: () => boolean,
  ) {
    super();
    this.remotePort = port;
  }
  send(): void {
    const frame = this.frames[this.#next++];
    if (frame !== undefined) this.emit('data', Buffer.from(frame));
  }
  write(_bytes: Uint8Array): boolean {
    if (this.onAck()) setImmediate(() => this.send());
    return true;
  }
  pause(): void {}
  resume(): void {}
  end(): void {}
  destroy(): void {}
}

const { store, dispose } = await createStore('sqlite');
try {
  const devices = await seedDevices(store, DEVICES);
  const perDevice = Math.ceil((WARM_UP + FRAMES) / DEVICES) + 2;
  const fleet = devices.map((d, i) => uploads(d, perDevice, Date.now() + i * perDevice));
  const gateway = new Gateway(store, {
    port: 0,
    host: '127.0.0.1',
    backfill: false,
    presenceFlushMs: 60_000,
  });
  await gateway.start();
  console.log(
    `# bench/gateway/pipeline — node ${process.version}, ${cpus()[0]?.model ?? 'CPU'} ×${cpus().length}; ${DEVICES} in-process devices, stop-and-wait, ${FRAMES} frames after ${WARM_UP} of warm-up; SQLite, durable acks`,
  );
  let acked = 0;
  let measuring: { cpu: NodeJS.CpuUsage; main: number; at: number } | undefined;
  let done: (() => void) | undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const onAck = (): boolean => {
    acked += 1;
    if (acked === WARM_UP) {
      if (profiling) void inspector.post('Profiler.start');
      if (heapProfiling)
        void inspector.post('HeapProfiler.startSampling', {
          samplingInterval: 512,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: !survivorsOnly,
        });
      measuring = { cpu: process.cpuUsage(), main: mainThreadCpuUs(), at: performance.now() };
    }
    if (acked === WARM_UP + FRAMES) done?.();
    return acked < WARM_UP + FRAMES;
  };
  const inspector = new Inspector();
  if (profiling || heapProfiling) inspector.connect();
  if (profiling) await inspector.post('Profiler.enable');
  const standIns = fleet.map((frames, i) => new StandIn(40_000 + i, frames, onAck));
  for (const [i, s] of standIns.entries())
    new Session(i + 1, s as unknown as import('node:net').Socket, gateway as never);
  for (const s of standIns) s.send();
  await finished;
  const start = measuring as NonNullable<typeof measuring>;
  const cpu = process.cpuUsage(start.cpu);
  const seconds = (performance.now() - start.at) / 1000;
  const main = mainThreadCpuUs() - start.main;
  if (profiling) {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(profileTo, JSON.stringify(profile));
  }
  if (heapProfiling) {
    const { profile } = await inspector.post('HeapProfiler.stopSampling');
    writeFileSync(heapProfileTo, JSON.stringify(profile));
  }
  if (profiling || heapProfiling) inspector.disconnect();
  await gateway.stop();
  console.log(
    JSON.stringify({
      cpuUsPerFrame: Number(((cpu.user + cpu.system) / FRAMES).toFixed(1)),
      mainThreadCpuUsPerFrame: Number((main / FRAMES).toFixed(1)),
      framesPerSecond: Math.round(FRAMES / seconds),
      commits: gateway.stats().commits,
    }),
  );
} finally {
  await dispose();
}
