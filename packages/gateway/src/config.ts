import { GatewayError } from './errors.js';

/** Everything an operator may tune about the gateway, with the defaults a province would start from. */
export interface GatewayOptions {
  /** TCP port (default 9212); 0 picks a free one (tests). */
  readonly port?: number;
  readonly host?: string;
  /** Name of this gateway process in the connection registry (default `gateway-<hostname>`). */
  readonly name?: string;
  /** No complete frame for this long → close (default 10 min). */
  readonly idleTimeoutMs?: number;
  /** An unfinished frame older than this → close (slowloris; default 60 s). */
  readonly partialFrameTimeoutMs?: number;
  readonly maxConnections?: number;
  readonly maxConnectionsPerPeer?: number;
  /** Authentication failures from one address within `authFailureWindowMs` before it is throttled. */
  readonly authFailureLimit?: number;
  readonly authFailureWindowMs?: number;
  /** How long a throttled address is refused. */
  readonly throttleMs?: number;
  /** |DataTime − receipt| above this on a real-time upload is recorded as clock skew (default 10 min). */
  readonly clockSkewMs?: number;
  /** While a device's clock stays skewed, one clock-skew event at most this often (default 10 min). */
  readonly clockSkewEventMs?: number;
  /** Send 1012 (set time) to a device whose clock is skewed (default false). */
  readonly autoTimeSync?: boolean;
  /**
   * The longest archived frames wait to be added to the archive's device index (default 1 s); sooner once
   * 20,000 wait (store `INDEX_WAITING_ROWS`). Reads by device never wait for it.
   */
  readonly deviceIndexMs?: number;
  /**
   * SQLite: how often a worker thread checkpoints the write-ahead log (store `WalCheckpointer`; default
   * 250 ms), so the event loop never waits for a checkpoint's syncs; 0 leaves checkpoints to the writer.
   */
  readonly walCheckpointMs?: number;
  /** Credentials cache lifetime (registry changes take effect within it; default 30 s). */
  readonly credentialsTtlMs?: number;
  /** Group commit: at most this many frames per transaction (default 500). */
  readonly maxBatchFrames?: number;
  /** Frames waiting for commit above which sockets are paused (backpressure; default 20 000). */
  readonly maxQueuedFrames?: number;
  /** How often presence rows are written (default 30 s). */
  readonly presenceFlushMs?: number;
  /** Split messages whose parts do not all arrive within this are closed incomplete (default 120 s). */
  readonly subPacketTimeoutMs?: number;
  readonly maxFrameBytes?: number;
  /** Backfill (补数): disabled when false. */
  readonly backfill?: BackfillOptions | false;
  /**
   * Keep V8's allocation-site pretenuring (default false: the gateway turns it off for its process when it
   * starts — `heap.ts` says why and what it costs).
   */
  readonly allocationSitePretenuring?: boolean;
  /** Wall clock (tests). */
  readonly now?: () => number;
}

export interface BackfillOptions {
  /** How often gaps are looked for (default 10 min). */
  readonly intervalMs?: number;
  /** How far back gaps are looked for (default 48 h). */
  readonly lookBackMs?: number;
  /** Gaps closer to now than this are not yet gaps (the device may still send; default 2 h). */
  readonly graceMs?: number;
  /** History requests per device per sweep, and in flight across the gateway. */
  readonly maxRequestsPerDevice?: number;
  readonly maxInFlight?: number;
  /** A range asked for is not asked for again before this (default 6 h). */
  readonly retryAfterMs?: number;
  readonly periods?: readonly ('hour' | 'minute')[];
}

export type ResolvedOptions = Required<Omit<GatewayOptions, 'backfill'>> & {
  readonly backfill: Required<BackfillOptions> | false;
};

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** The longest delay Node's timers hold (2^31 − 1 ms, ≈ 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export type Rule = readonly [min: number, max: number, integer: boolean];
const DURATION: Rule = [0, Number.MAX_SAFE_INTEGER, false];
/** Run by setInterval/setTimeout: held to Node's limit. */
export const TIMER: Rule = [1, MAX_TIMER_MS, false];
const COUNT: Rule = [1, Number.MAX_SAFE_INTEGER, true];

/** The range of every number option (`group.name` inside a group). */
export const RULES: Readonly<Record<string, Rule>> = {
  port: [0, 65_535, true],
  idleTimeoutMs: DURATION,
  partialFrameTimeoutMs: DURATION,
  maxConnections: COUNT,
  maxConnectionsPerPeer: COUNT,
  authFailureLimit: COUNT,
  authFailureWindowMs: DURATION,
  throttleMs: DURATION,
  clockSkewMs: DURATION,
  clockSkewEventMs: DURATION,
  deviceIndexMs: TIMER,
  walCheckpointMs: [0, MAX_TIMER_MS, false],
  credentialsTtlMs: DURATION,
  maxBatchFrames: COUNT,
  maxQueuedFrames: COUNT,
  presenceFlushMs: TIMER,
  subPacketTimeoutMs: DURATION,
  maxFrameBytes: [64, Number.MAX_SAFE_INTEGER, true],
  'backfill.intervalMs': TIMER,
  'backfill.lookBackMs': DURATION,
  'backfill.graceMs': DURATION,
  'backfill.maxRequestsPerDevice': COUNT,
  'backfill.maxInFlight': COUNT,
  'backfill.retryAfterMs': DURATION,
};

/** A number option out of its range is an error (GATEWAY_E_OPTION by default) naming it and its range. */
export function checkNumber(
  option: string,
  value: unknown,
  [min, max, integer]: Rule,
  code: 'GATEWAY_E_OPTION' | 'GATEWAY_E_COMMAND' = 'GATEWAY_E_OPTION',
): void {
  if (value === undefined) return;
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    value <= max &&
    (!integer || Number.isInteger(value))
  )
    return;
  const range = `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`;
  throw new GatewayError(code, { option, value: String(value), expected: range });
}

export function resolveOptions(options: GatewayOptions, hostname: string): ResolvedOptions {
  for (const [option, rule] of Object.entries(RULES)) {
    const [group, name] = option.includes('.') ? option.split('.') : [undefined, option];
    const holder = group === undefined ? options : (options as Record<string, unknown>)[group];
    if (typeof holder === 'object' && holder !== null)
      checkNumber(option, (holder as Record<string, unknown>)[name as string], rule);
  }
  if (options.backfill !== undefined && options.backfill !== false)
    for (const period of options.backfill.periods ?? [])
      if (period !== 'hour' && period !== 'minute')
        throw new GatewayError('GATEWAY_E_OPTION', {
          option: 'backfill.periods',
          value: String(period),
          expected: "'hour' or 'minute'",
        });
  const backfill: Required<BackfillOptions> | false =
    options.backfill === false
      ? false
      : {
          intervalMs: 10 * MINUTE,
          lookBackMs: 48 * HOUR,
          graceMs: 2 * HOUR,
          maxRequestsPerDevice: 2,
          maxInFlight: 20,
          retryAfterMs: 6 * HOUR,
          periods: ['hour'],
          ...options.backfill,
        };
  return {
    port: 9212,
    host: '0.0.0.0',
    name: `gateway-${hostname}`,
    idleTimeoutMs: 10 * MINUTE,
    partialFrameTimeoutMs: MINUTE,
    maxConnections: 20_000,
    maxConnectionsPerPeer: 200,
    authFailureLimit: 10,
    authFailureWindowMs: MINUTE,
    throttleMs: 5 * MINUTE,
    clockSkewMs: 10 * MINUTE,
    clockSkewEventMs: 10 * MINUTE,
    autoTimeSync: false,
    credentialsTtlMs: 30_000,
    deviceIndexMs: 1000,
    walCheckpointMs: 250,
    maxBatchFrames: 500,
    maxQueuedFrames: 20_000,
    presenceFlushMs: 30_000,
    subPacketTimeoutMs: 120_000,
    maxFrameBytes: 32 * 1024,
    allocationSitePretenuring: false,
    now: Date.now,
    ...stripUndefined(options),
    backfill,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
