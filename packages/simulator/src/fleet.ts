import { createClock, type SimClock } from './clock.js';
import { type AckedFrame, type DeviceEvent, type DeviceStats, SimulatedDevice } from './device.js';
import type { DeviceSpec } from './devices.js';
import { SimulatorError } from './errors.js';
import { DEFAULT_HISTORY_LIMITS, type HistoryLimits } from './history.js';
import { type ScenarioSpec, scenariosFor } from './scenarios.js';

export interface FleetOptions {
  readonly devices: readonly DeviceSpec[];
  /** HJ 212 endpoint (default 127.0.0.1:9212). */
  readonly host?: string;
  readonly port?: number;
  /** Simulated seconds per real second (default 1). */
  readonly speed?: number;
  /** Simulated start (UTC epoch ms; default now). May be in the past for historical timestamps. */
  readonly start?: number;
  /** Seed of the data model and of every random choice (default 1): the same seed, the same data. */
  readonly seed?: number;
  readonly scenarios?: readonly ScenarioSpec[];
  /** Stop by itself after this many real milliseconds (default: run until stop()). */
  readonly durationMs?: number;
  /** Connections being opened at once (default 50). */
  readonly connectConcurrency?: number;
  /** Ask for 9014 on uploads (Flag.A = 1; default true). */
  readonly ack?: boolean;
  /** OverTime in real ms and ReCount (default 10 000 ms × 3, HJ 212-2017 §6.2 表 1 GPRS). */
  readonly ackTimeoutMs?: number;
  readonly retries?: number;
  /** Uploads waiting for 9014 at once, per device (default 8). */
  readonly window?: number;
  /** Send 2011 real-time data (default true; the platform can start/stop it with 2011/2012). */
  readonly realtime?: boolean;
  /** RtdInterval (s, default 30) and MinInterval (min, default 10) for devices whose list gives none. */
  readonly rtdInterval?: number;
  readonly minInterval?: number;
  readonly history?: HistoryLimits;
  /**
   * The loggers have been recording for this many hours before `start` without uploading (at most 480):
   * each uploads those hourly records first (补传), oldest first, before and along with its live data —
   * a new platform then has the last hours' data at once. Hour records only (a device-day of 30-second
   * samples costs about 40 ms to compute; the fleet spends at most half of each tick on it). Default 0.
   */
  readonly backlogHours?: number;
  /** Records queued per device at most (default 2000; the oldest are dropped). */
  readonly maxQueue?: number;
  /** Reconnection backoff bounds (real ms; default 500 … 30 000, doubled per failure, jittered). */
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  /** Shared ticker period (real ms, default 20). */
  readonly tickMs?: number;
  readonly onEvent?: (event: DeviceEvent) => void;
}

export interface FleetDevice {
  readonly mn: string;
  readonly spec: DeviceSpec;
  /** Frames the platform acknowledged (9014 matched by QN), in order. */
  readonly acknowledged: readonly AckedFrame[];
  readonly connected: boolean;
  stats(): DeviceStats;
  /** The device's own clock (simulated time, plus 1012 offset and drift). */
  deviceTime(): number;
}

export interface FleetStats {
  readonly devices: number;
  readonly connected: number;
  readonly framesSent: number;
  readonly acked: number;
  readonly resent: number;
  readonly unacked: number;
  readonly pending: number;
  readonly lost: number;
  readonly dropped: number;
  readonly requestsAnswered: number;
  readonly badFrames: number;
  /** Simulated time now (UTC epoch ms). */
  readonly simulatedTime: number;
  readonly perDevice: readonly DeviceStats[];
}

export interface Fleet {
  readonly devices: readonly FleetDevice[];
  readonly clock: SimClock;
  stats(): FleetStats;
  /** Stops every device and the ticker; resolves when the sockets are closed. Idempotent. */
  stop(): Promise<void>;
  /** Resolves once the fleet has stopped (by stop() or at the end of durationMs). */
  readonly finished: Promise<void>;
}

function positive(
  name: string,
  value: number | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0 || v > max)
    throw new SimulatorError('SIMULATOR_E_OPTION', { option: name, value: v });
  return v;
}

/** A counting semaphore for connection attempts. */
function connectionGate(limit: number): (run: (done: () => void) => void) => void {
  let active = 0;
  const waiting: ((done: () => void) => void)[] = [];
  const next = () => {
    while (active < limit && waiting.length > 0) {
      const run = waiting.shift() as (done: () => void) => void;
      active++;
      let finished = false;
      run(() => {
        if (finished) return;
        finished = true;
        active--;
        next();
      });
    }
  };
  return (run) => {
    waiting.push(run);
    next();
  };
}

/**
 * Starts a fleet of simulated data loggers against an HJ 212 endpoint. One shared ticker drives every
 * device (no timer per device); resolves when every device has made its first connection attempt.
 */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  if (options.devices.length === 0) throw new SimulatorError('SIMULATOR_E_DEVICES_EMPTY');
  const seen = new Set<string>();
  for (const device of options.devices) {
    if (seen.has(device.mn)) throw new SimulatorError('SIMULATOR_E_DEVICES_DUPLICATE', { mn: device.mn });
    seen.add(device.mn);
  }
  const port = positive('port', options.port, 9212, 65535);
  const tickMs = positive('tickMs', options.tickMs, 20, 10_000);
  const realNow = Date.now;
  const clock = createClock({
    ...(options.start === undefined ? {} : { start: options.start }),
    speed: options.speed ?? 1,
    realNow,
  });
  const scenarios = options.scenarios ?? [];
  const emit = options.onEvent ?? (() => {});
  const firstAttempts: Promise<void>[] = [];
  const baseGate = connectionGate(positive('connectConcurrency', options.connectConcurrency, 50));
  const environment = {
    host: options.host ?? '127.0.0.1',
    port,
    clock,
    seed: options.seed ?? 1,
    ack: options.ack ?? true,
    ackTimeoutMs: positive('ackTimeoutMs', options.ackTimeoutMs, 10_000),
    retries: options.retries ?? 3,
    window: positive('window', options.window, 8, 10_000),
    realtime: options.realtime ?? true,
    rtdInterval: positive('rtdInterval', options.rtdInterval, 30, 86_400),
    minInterval: positive('minInterval', options.minInterval, 10, 60),
    history: options.history ?? DEFAULT_HISTORY_LIMITS,
    backlogMs:
      options.backlogHours === undefined || options.backlogHours === 0
        ? 0
        : positive('backlogHours', options.backlogHours, 0, 480) * 3_600_000,
    maxQueue: positive('maxQueue', options.maxQueue, 2000),
    reconnectMinMs: positive('reconnectMinMs', options.reconnectMinMs, 500),
    reconnectMaxMs: positive('reconnectMaxMs', options.reconnectMaxMs, 30_000),
    emit,
    realNow,
  };
  if (!Number.isInteger(environment.retries) || environment.retries < 0 || environment.retries > 99) {
    throw new SimulatorError('SIMULATOR_E_OPTION', {
      option: 'retries',
      value: environment.retries,
      reason: '0–99',
    });
  }
  const devices = options.devices.map((spec) => {
    let resolveFirst: () => void = () => {};
    firstAttempts.push(new Promise<void>((resolve) => (resolveFirst = resolve)));
    return new SimulatedDevice(spec, {
      ...environment,
      gate: baseGate,
      attempted: resolveFirst,
      scenarios: scenariosFor(spec.mn, scenarios),
    });
  });

  let stopping: Promise<void> | undefined;
  let resolveFinished: () => void = () => {};
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
  // Backlog hours are computed in at most half of each tick (the rest is the process's: often a gateway).
  const deadline = () => performance.now() + tickMs / 2;
  const ticker = setInterval(() => {
    const now = realNow();
    const until = deadline();
    for (const device of devices) device.tick(now, until);
  }, tickMs);
  const durationTimer =
    options.durationMs === undefined
      ? undefined
      : setTimeout(() => void stop(), positive('durationMs', options.durationMs, 1));

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(ticker);
      if (durationTimer !== undefined) clearTimeout(durationTimer);
      await Promise.all(devices.map((device) => device.stop()));
      resolveFinished();
    })();
    return stopping;
  };

  const stats = (): FleetStats => {
    const perDevice = devices.map((device) => device.stats());
    const sum = (key: keyof Omit<DeviceStats, 'mn' | 'connected'>) =>
      perDevice.reduce((total, s) => total + s[key], 0);
    return {
      devices: devices.length,
      connected: perDevice.filter((s) => s.connected).length,
      framesSent: sum('framesSent'),
      acked: sum('acked'),
      resent: sum('resent'),
      unacked: sum('unacked'),
      pending: sum('pending'),
      lost: sum('lost'),
      dropped: sum('dropped'),
      requestsAnswered: sum('requestsAnswered'),
      badFrames: sum('badFrames'),
      simulatedTime: clock.now(),
      perDevice,
    };
  };

  const now = realNow();
  const until = deadline();
  for (const device of devices) {
    device.start();
    device.tick(now, until);
  }
  await Promise.all(firstAttempts);
  return {
    devices: devices.map(
      (device): FleetDevice => ({
        mn: device.mn,
        spec: device.spec,
        acknowledged: device.acknowledged,
        get connected() {
          return device.connected;
        },
        stats: () => device.stats(),
        deviceTime: () => device.deviceTime(),
      }),
    ),
    clock,
    stats,
    stop,
    finished,
  };
}
