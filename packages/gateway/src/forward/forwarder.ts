import type { ForwardFrame, ForwardingRepository, ForwardTargetView } from '@qingyuan/store';
import { GatewayError } from '../errors.js';
import { backoffDelay } from './backoff.js';
import { UpstreamConnection } from './upstream-connection.js';

/** Where forwarding reports what it does; the gateway passes its logger. */
export interface ForwardLog {
  info(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
}

/** Tuning of every forwarder, with defaults for a provincial deployment. */
export interface ForwarderOptions {
  /** Frames read from the archive per query (default 200). */
  readonly batchSize?: number;
  /** Forwardable frames of any device looked at per query (default 5000; see `nextFrames`). */
  readonly scanLimit?: number;
  /** How often the archive is polled when nothing woke the forwarder (default 1 s). */
  readonly pollIntervalMs?: number;
  /** First reconnect delay, doubled per failure (default 1 s) up to `reconnectMaxMs` (default 60 s). */
  readonly reconnectBaseMs?: number;
  readonly reconnectMaxMs?: number;
  /** A connection attempt that takes longer fails (default 10 s). */
  readonly connectTimeoutMs?: number;
  /**
   * Wait for a 9014 this long, and resend this many times (HJ 212-2017 §6.2 表 1 defaults for mobile
   * networks: 10 s, 3 resends); then the frame is recorded as given up and forwarding moves on.
   */
  readonly ackTimeoutMs?: number;
  readonly ackRetries?: number;
  /**
   * Frames written without a confirmation (no 9014 asked for) are sent again after a lost connection, and
   * the durable cursor trails them: at most `resendWindow` frames (default 100) written within the last
   * `confirmAfterMs` (default 10 s). A frame written longer ago on a connection still open counts as
   * delivered. Together they bound the duplicates after a drop or a crash.
   */
  readonly resendWindow?: number;
  readonly confirmAfterMs?: number;
  /** The durable cursor is written after this many frames or this long (defaults 100 frames, 1 s). */
  readonly cursorFlushFrames?: number;
  readonly cursorFlushMs?: number;
  /** How often `lagFrames`/`lagSeconds` are recounted from the archive (default 5 s). */
  readonly lagRefreshMs?: number;
  /** On stop, how long to wait for the upstream to take what was written (default 2 s). */
  readonly closeGraceMs?: number;
  /** Wall clock and jitter source (tests). */
  readonly now?: () => number;
  readonly random?: () => number;
}

type Resolved = Required<ForwarderOptions>;

export function resolveForwarderOptions(options: ForwarderOptions = {}): Resolved {
  return {
    batchSize: 200,
    scanLimit: 5000,
    pollIntervalMs: 1000,
    reconnectBaseMs: 1000,
    reconnectMaxMs: 60_000,
    connectTimeoutMs: 10_000,
    ackTimeoutMs: 10_000,
    ackRetries: 3,
    resendWindow: 100,
    confirmAfterMs: 10_000,
    cursorFlushFrames: 100,
    cursorFlushMs: 1000,
    lagRefreshMs: 5000,
    closeGraceMs: 2000,
    now: Date.now,
    random: Math.random,
    ...withoutUndefined(options),
  };
}

/** What a forwarder has done since it started (`ForwardService.stats()`). */
export interface ForwarderStats {
  readonly targetId: number;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly connected: boolean;
  /** Frame writes, resends included. */
  readonly sent: number;
  /** 9014s received for frames waited on. */
  readonly acked: number;
  /** Frames sent again: after an ack timeout, or after a lost connection. */
  readonly retries: number;
  /** Connections made after a lost or failed one. */
  readonly reconnects: number;
  readonly givenUp: number;
  /** Frames of the target not yet forwarded, and the age of the oldest of them in seconds. */
  readonly lagFrames: number;
  readonly lagSeconds: number;
  /** Last frame dealt with (in memory) and the durable cursor. */
  readonly position: number;
  readonly cursor: number;
  readonly lastError: string | null;
}

const NO_LOG: ForwardLog = { info: () => undefined, warn: () => undefined };

/**
 * Forwards one target's frames (数据转发): reads the archive in id order from the target's durable cursor
 * and writes each frame's original bytes to the upstream over one TCP connection, so every device's
 * frames arrive in the order they were received. Where the target waits for acknowledgements and the
 * frame asked for one (Flag A), the next frame is sent only after the upstream's 9014 with the same QN, or
 * after the last resend timed out — then the frame is recorded as given up, never skipped silently.
 *
 * Delivery is at least once. A 9014 confirms its frame and every frame written before it on that
 * connection; frames nothing confirmed (at most `resendWindow`, written within `confirmAfterMs`) are sent
 * again after a lost connection, and the durable cursor trails them (written every `cursorFlushFrames`
 * frames or `cursorFlushMs`, and on stop). So after a drop or a crash the upstream may see a bounded
 * number of frames twice; HJ 212 platforms de-duplicate by MN + QN (a packet's identity), which the
 * original bytes keep. Connection failures never count as attempts: a frame waits for the upstream.
 */
export class Forwarder {
  readonly #target: ForwardTargetView;
  readonly #repo: ForwardingRepository;
  readonly #log: ForwardLog;
  readonly #options: Resolved;
  #abort = new AbortController();
  #running = false;
  #loop: Promise<void> | undefined;
  #connection: UpstreamConnection | undefined;
  #connectFailures = 0;
  #everConnected = false;
  /** The last frame dealt with; may move back after a lost connection (the unconfirmed frames). */
  #position = 0;
  /** The durable cursor as last written. */
  #cursor = 0;
  #framesSinceFlush = 0;
  #lastFlushAt = 0;
  #lastLagAt = Number.NEGATIVE_INFINITY;
  /** Frames written on this connection that nothing confirmed yet: id and when, oldest first, bounded. */
  #unconfirmed: { readonly id: number; readonly at: number }[] = [];
  /** Frames up to this id were written before (a resend after a lost connection counts as a retry). */
  #resendThrough = 0;
  /** Bumped when a connection is lost: a batch read before must not move the position on. */
  #epoch = 0;
  #wake: (() => void) | undefined;
  #notified = false;
  #stats = {
    sent: 0,
    acked: 0,
    retries: 0,
    reconnects: 0,
    givenUp: 0,
    lagFrames: 0,
    lagSeconds: 0,
    lastError: null as string | null,
  };

  constructor(
    target: ForwardTargetView,
    repo: ForwardingRepository,
    options: ForwarderOptions = {},
    log = NO_LOG,
  ) {
    this.#target = target;
    this.#repo = repo;
    this.#log = log;
    this.#options = resolveForwarderOptions(options);
  }

  get target(): ForwardTargetView {
    return this.#target;
  }

  /** Loads the durable cursor and starts forwarding in the background. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#cursor = await this.#repo.cursor(this.#target.id);
    this.#position = this.#cursor;
    this.#lastFlushAt = this.#options.now();
    this.#abort = new AbortController();
    this.#running = true;
    this.#loop = this.#run();
  }

  /** New frames were committed: look now rather than at the next poll. */
  notify(): void {
    this.#notified = true;
    this.#wake?.();
  }

  stats(): ForwarderStats {
    return {
      targetId: this.#target.id,
      name: this.#target.name,
      host: this.#target.host,
      port: this.#target.port,
      connected: this.#connection !== undefined && !this.#connection.closed,
      ...this.#stats,
      position: this.#position,
      cursor: this.#cursor,
    };
  }

  /**
   * Stops: a frame waiting for its 9014 is abandoned (it is sent again after the next start), the
   * connection is ended gracefully and the cursor written.
   */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#abort.abort();
    this.#wake?.();
    await this.#loop;
    const connection = this.#connection;
    this.#connection = undefined;
    // Once the upstream has closed its side after ours, it has read everything written.
    if (connection !== undefined && (await connection.close(this.#options.closeGraceMs)))
      this.#unconfirmed = [];
    await this.#flush(true).catch((error: unknown) => this.#failed('cursor not written on stop', error));
  }

  async #run(): Promise<void> {
    const o = this.#options;
    while (this.#running) {
      try {
        const before = this.#position;
        const epoch = this.#epoch;
        const batch = await this.#repo.nextFrames(this.#target.id, o.batchSize, {
          after: before,
          scanLimit: o.scanLimit,
        });
        // A connection lost meanwhile moved the position back (its unconfirmed frames): read from there.
        if (this.#epoch !== epoch) continue;
        let complete = true;
        for (const frame of batch.frames) {
          if (!this.#running || !(await this.#forward(frame)) || this.#epoch !== epoch) {
            complete = false;
            break;
          }
          this.#position = frame.id;
          this.#framesSinceFlush++;
          await this.#flush(false);
        }
        if (complete && this.#running && this.#epoch === epoch)
          this.#position = Math.max(this.#position, batch.through);
        if (batch.frames.length > 0 || batch.through > before || !this.#running) {
          await this.#refreshLag();
          continue;
        }
        // Caught up: nothing of the target is pending; write the cursor, then sleep until notified or the
        // next poll.
        this.#stats.lagFrames = 0;
        this.#stats.lagSeconds = 0;
        this.#lastLagAt = o.now();
        await this.#flush(true);
        await this.#idle(o.pollIntervalMs);
      } catch (error) {
        // The store is unreachable: keep the position, try again after a poll interval.
        this.#failed('forwarding paused: the archive cannot be read', error);
        await this.#idle(o.pollIntervalMs);
      }
    }
  }

  /** Sends one frame; true when it is dealt with, false when stopping or the connection was lost. */
  async #forward(frame: ForwardFrame): Promise<boolean> {
    const o = this.#options;
    const waits = this.#target.waitAck && frame.wantsAck && frame.qn !== null;
    const epoch = this.#epoch;
    let attempts = 0;
    while (this.#running) {
      const connection = await this.#connected();
      // A connection lost since the batch was read moved the position back: read again from there.
      if (connection === undefined || this.#epoch !== epoch) return false;
      const ack = waits ? connection.expectAck(frame.qn as string, frame.mn) : undefined;
      try {
        await connection.write(frame.bytes);
      } catch (error) {
        ack?.cancel();
        this.#lost(connection, error);
        return false;
      }
      if (this.#connection !== connection) return false;
      this.#stats.sent++;
      if (attempts > 0 || frame.id <= this.#resendThrough) this.#stats.retries++;
      attempts++;
      if (ack === undefined) {
        this.#unconfirmed.push({ id: frame.id, at: o.now() });
        if (this.#unconfirmed.length > o.resendWindow) this.#unconfirmed.shift();
        return true;
      }
      const outcome = await ack.wait(o.ackTimeoutMs, this.#abort.signal);
      if (outcome === 'acked') {
        this.#stats.acked++;
        this.#unconfirmed = [];
        return true;
      }
      if (outcome === 'closed') {
        // A lost connection is not an attempt: the frame goes again once connected.
        this.#lost(
          connection,
          new GatewayError('GATEWAY_E_FORWARD_LOST', { reason: 'closed while waiting for 9014' }),
        );
        return false;
      }
      if (outcome === 'aborted' || !this.#running) return false;
      if (attempts > o.ackRetries) {
        const error = new GatewayError('GATEWAY_E_FORWARD_NO_ACK', {
          target: this.#target.name,
          frameId: frame.id,
          mn: frame.mn,
          qn: frame.qn,
          attempts,
        });
        await this.#repo.giveUp(this.#target.id, frame.id, attempts, error.message, o.now());
        this.#stats.givenUp++;
        this.#stats.lastError = error.message;
        this.#log.warn('forwarded frame given up: no 9014 from the upstream', { ...error.detail });
        return true;
      }
    }
    return false;
  }

  /** The open connection, connecting (with backoff after failures) if needed; undefined when stopping. */
  async #connected(): Promise<UpstreamConnection | undefined> {
    const o = this.#options;
    while (this.#running) {
      const current = this.#connection;
      if (current !== undefined && !current.closed) return current;
      if (this.#connectFailures > 0) {
        await this.#sleep(backoffDelay(this.#connectFailures, o.reconnectBaseMs, o.reconnectMaxMs, o.random));
        if (!this.#running) return undefined;
      }
      try {
        const connection = await UpstreamConnection.connect(this.#target.host, this.#target.port, {
          timeoutMs: o.connectTimeoutMs,
          signal: this.#abort.signal,
        });
        if (!this.#running) {
          connection.destroy();
          return undefined;
        }
        connection.onClose((error) => this.#lost(connection, error));
        this.#connection = connection;
        if (this.#everConnected || this.#connectFailures > 0) this.#stats.reconnects++;
        this.#everConnected = true;
        this.#connectFailures = 0;
        this.#log.info('connected to the upstream platform', this.#where());
        return connection;
      } catch (error) {
        if (!this.#running) return undefined;
        this.#connectFailures++;
        this.#failed('upstream platform not reachable', error, { failures: this.#connectFailures });
        // While the upstream is away the lag is what an operator watches: keep it current.
        await this.#refreshLag().catch(() => undefined);
      }
    }
    return undefined;
  }

  /** The connection is gone: the frames it did not confirm are sent again, from the oldest. */
  #lost(connection: UpstreamConnection, error: unknown): void {
    if (this.#connection !== connection) return;
    this.#connection = undefined;
    this.#epoch++;
    connection.destroy();
    const first = this.#oldestUnconfirmed();
    if (first !== undefined && first <= this.#position) {
      this.#resendThrough = Math.max(this.#resendThrough, this.#position);
      this.#position = first - 1;
    }
    this.#unconfirmed = [];
    if (this.#running) this.#failed('connection to the upstream platform lost', error);
  }

  /** Writes the cursor when due (or now): up to the oldest unconfirmed frame, never backwards. */
  async #flush(force: boolean): Promise<void> {
    const o = this.#options;
    const first = this.#oldestUnconfirmed();
    const safe = first === undefined ? this.#position : Math.min(this.#position, first - 1);
    if (safe <= this.#cursor) return;
    const now = o.now();
    if (!force && this.#framesSinceFlush < o.cursorFlushFrames && now - this.#lastFlushAt < o.cursorFlushMs)
      return;
    await this.#repo.advance(this.#target.id, safe, now);
    this.#cursor = safe;
    this.#framesSinceFlush = 0;
    this.#lastFlushAt = now;
  }

  /** The oldest frame still unconfirmed, after forgetting those written more than `confirmAfterMs` ago. */
  #oldestUnconfirmed(): number | undefined {
    const horizon = this.#options.now() - this.#options.confirmAfterMs;
    while (this.#unconfirmed.length > 0 && (this.#unconfirmed[0]?.at ?? 0) <= horizon)
      this.#unconfirmed.shift();
    return this.#unconfirmed[0]?.id;
  }

  async #refreshLag(): Promise<void> {
    const now = this.#options.now();
    if (now - this.#lastLagAt < this.#options.lagRefreshMs) return;
    const lag = await this.#repo.lag(this.#target.id, now, this.#position);
    this.#stats.lagFrames = lag.frames;
    this.#stats.lagSeconds = lag.seconds;
    this.#lastLagAt = now;
  }

  /** Sleeps until the poll interval passes, `notify()` is called or the forwarder stops. */
  async #idle(ms: number): Promise<void> {
    if (this.#notified) {
      this.#notified = false;
      return;
    }
    await this.#sleep(ms, true);
    this.#notified = false;
  }

  #sleep(ms: number, wakeOnNotify = false): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#abort.signal.removeEventListener('abort', done);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#abort.signal.addEventListener('abort', done);
      if (wakeOnNotify) this.#wake = done;
    });
  }

  #failed(message: string, error: unknown, extra: Record<string, unknown> = {}): void {
    const text = error instanceof Error ? error.message : String(error);
    this.#stats.lastError = text;
    this.#log.warn(message, { ...this.#where(), ...extra, error: text });
  }

  #where(): Record<string, unknown> {
    return { target: this.#target.name, host: this.#target.host, port: this.#target.port };
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
