import { createServer, type Server, type Socket } from 'node:net';
import { hostname } from 'node:os';
import type { Message } from '@qingyuan/hj212';
import {
  DeviceIndexWorker,
  DownlinkCommandRepository,
  FrameDeviceIndex,
  type IngestResult,
  IngestWriter,
  type ObservationPeriod,
  ObservationRepository,
  type ObservationSource,
  PointRepository,
  PresenceRepository,
  type Store,
  WalCheckpointer,
} from '@qingyuan/store';
import { BackfillScheduler } from './backfill.js';
import { ClockSkewLog } from './clock-skew.js';
import { type CommandOutcome, type CommandRequest, CommandService } from './commands.js';
import { type GatewayOptions, HOUR, type ResolvedOptions, resolveOptions } from './config.js';
import { CredentialCache, type Device } from './credentials.js';
import { DeviceIndexer } from './device-index.js';
import { DuplicateFilter } from './duplicates.js';
import { type GatewayCode, GatewayError } from './errors.js';
import { turnOffPretenuring } from './heap.js';
import { IngestQueue, type IngestUnit } from './ingest-queue.js';
import { ConnectionRegistry, type Link, type PresenceEvent } from './presence.js';
import type { GatewayCounters, GatewayServices } from './services.js';
import { Session } from './session.js';
import { AuthThrottle } from './throttle.js';

export interface GatewayLog {
  info(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
}

const SILENT: GatewayLog = { info: () => undefined, warn: () => undefined };

/** One observation the gateway stored (a new period or a revision). */
export interface ObservationWritten {
  readonly pointId: number;
  readonly factorCode: string;
  readonly period: ObservationPeriod;
  readonly periodStart: number;
  readonly outcome: 'inserted' | 'revision';
  readonly source: ObservationSource;
}

export interface GatewayStats extends GatewayCounters {
  readonly online: number;
  readonly sessions: number;
  readonly queuedFrames: number;
  readonly commits: number;
  readonly largestBatch: number;
  readonly commandsInFlight: number;
  readonly backfillRequests: number;
  /** SQLite: WAL checkpoints run by the checkpoint worker, and the largest log it saw (pages); 0 if none. */
  readonly walCheckpoints: number;
  readonly walLargestLogPages: number;
  /** Whether the archive's device index is kept by a worker thread (SQLite files) rather than this one. */
  readonly deviceIndexWorker: boolean;
}

/**
 * The HJ 212 TCP gateway: accepts data-logger connections, judges and archives every frame, acknowledges
 * only what is committed, keeps the connection registry, sends downlink commands and asks for missing data.
 */
export class Gateway implements GatewayServices {
  readonly options: ResolvedOptions;
  readonly credentials: CredentialCache;
  readonly throttle: AuthThrottle;
  readonly queue: IngestQueue;
  readonly registry: ConnectionRegistry;
  readonly commands: CommandService;
  readonly duplicates = new DuplicateFilter();
  readonly clockSkews: ClockSkewLog;
  readonly counters: GatewayCounters = {
    connections: 0,
    refused: 0,
    frames: 0,
    accepted: 0,
    duplicates: 0,
    discarded: 0,
    replies: 0,
    commitFailures: 0,
    rejected: {},
  };
  readonly #store: Store;
  readonly #presence: PresenceRepository;
  readonly #log: GatewayLog;
  readonly #sessions = new Set<Session>();
  readonly #perPeer = new Map<string, number>();
  readonly #backfill: BackfillScheduler | undefined;
  readonly #lastTimeSync = new Map<string, number>();
  readonly #listeners: ((event: PresenceEvent) => void)[] = [];
  readonly #committedListeners: (() => void)[] = [];
  readonly #ingestedListeners: ((written: readonly ObservationWritten[]) => void)[] = [];
  readonly #deviceInfoListeners: ((pointIds: readonly number[]) => void)[] = [];
  #server: Server | undefined;
  /** Called once the last session has closed while the gateway stops. */
  #allClosed: (() => void) | undefined;
  #sweeper: NodeJS.Timeout | undefined;
  #flusher: NodeJS.Timeout | undefined;
  /** The device index on the gateway's own thread: PostgreSQL, `:memory:`, or the worker failed. */
  readonly #deviceIndexer: DeviceIndexer;
  /** The device index on a worker thread (SQLite files: the index has a file of its own). */
  #indexWorker: DeviceIndexWorker | undefined;
  #checkpointer: WalCheckpointer | undefined;
  #paused = false;
  #nextId = 1;

  constructor(store: Store, options: GatewayOptions = {}, log: GatewayLog = SILENT) {
    this.#store = store;
    this.#log = log;
    this.options = resolveOptions(options, hostname());
    const now = this.options.now;
    this.clockSkews = new ClockSkewLog(this.options.clockSkewMs, this.options.clockSkewEventMs);
    this.#deviceIndexer = new DeviceIndexer(
      new FrameDeviceIndex(store),
      this.options.deviceIndexMs,
      (error) => this.#log.warn('device index not updated; will retry', { error: String(error) }),
      () => this.#checkpointer?.gate(),
    );
    this.credentials = new CredentialCache(new PointRepository(store), this.options.credentialsTtlMs, now);
    this.throttle = new AuthThrottle(
      this.options.authFailureLimit,
      this.options.authFailureWindowMs,
      this.options.throttleMs,
    );
    this.queue = new IngestQueue(
      new IngestWriter(store),
      this.options.maxBatchFrames,
      (queued) => this.#pressure(queued),
      () => this.#checkpointer?.gate(),
    );
    this.registry = new ConnectionRegistry(this.options.name, (event) => this.#presenceEvent(event));
    this.#presence = new PresenceRepository(store);
    this.commands = new CommandService(
      new DownlinkCommandRepository(store),
      this.registry,
      this.credentials,
      now,
    );
    if (this.options.backfill !== false)
      this.#backfill = new BackfillScheduler(
        this.options.backfill,
        this.registry,
        new ObservationRepository(store),
        (request) => this.commands.send(request),
        now,
      );
  }

  /** Where the gateway listens (after `start`). */
  get port(): number {
    const address = this.#server?.address();
    return typeof address === 'object' && address !== null ? address.port : this.options.port;
  }

  async start(): Promise<void> {
    if (!this.options.allocationSitePretenuring) turnOffPretenuring();
    const now = this.options.now();
    // Devices this gateway had online when it last stopped (or crashed) are offline since now.
    const stale = await this.#presence.markGatewayOffline(this.options.name, now);
    await this.#presence.recordEvents(
      stale.map((p) => ({
        pointId: p.point_id,
        mn: p.mn,
        kind: 'offline' as const,
        at: now,
        detail: { reason: 'gateway restarted', lastSeenAt: p.last_seen_at },
      })),
    );
    await new DownlinkCommandRepository(this.#store).abandonUnfinished(now);
    // Half-open allowed: a logger that shuts its side after sending still reads the replies to what it sent;
    // the session ends the connection once they are out (Session.#endOfStream).
    const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.#accept(socket));
    server.maxConnections = this.options.maxConnections;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(new GatewayError('GATEWAY_E_LISTEN', { port: this.options.port }, { cause: error })),
      );
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.#server = server;
    this.#sweeper = setInterval(() => this.#sweep(), 1000);
    this.#sweeper.unref();
    this.#flusher = setInterval(() => void this.flushPresence(), this.options.presenceFlushMs);
    this.#flusher.unref();
    this.#indexWorker = DeviceIndexWorker.start(this.#store, this.options.deviceIndexMs, (error) => {
      this.#log.warn('device index worker failed; the gateway indexes on its own thread again', {
        error: String(error),
      });
      this.#indexWorker = undefined;
      if (this.#server !== undefined) this.#deviceIndexer.start();
    });
    if (this.#indexWorker === undefined) this.#deviceIndexer.start();
    if (this.options.walCheckpointMs > 0)
      this.#checkpointer = WalCheckpointer.start(this.#store, this.options.walCheckpointMs, (error) =>
        this.#log.warn('WAL checkpoint worker failed; the writer checkpoints by itself again', {
          error: String(error),
        }),
      );
    this.#backfill?.start();
    this.#log.info('gateway listening', { port: this.port, name: this.options.name });
  }

  /** Stops accepting, closes every connection after its pending acks, writes presence. */
  async stop(): Promise<void> {
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    if (this.#flusher !== undefined) clearInterval(this.#flusher);
    this.#backfill?.stop();
    const server = this.#server;
    this.#server = undefined;
    const closed = server === undefined ? Promise.resolve() : new Promise((r) => server.close(() => r(null)));
    // Every session's own close, not only the server's (which Node may emit first): a session closing
    // hands what its unfinished split messages said to the queue (Session.#onClose).
    const sessionsClosed =
      this.#sessions.size === 0 ? Promise.resolve() : new Promise<void>((r) => (this.#allClosed = r));
    for (const session of this.#sessions) session.close('gateway stopping');
    await Promise.all([...this.#sessions].map((s) => s.settled()));
    await this.queue.idle();
    this.commands.stop();
    await closed;
    await sessionsClosed;
    this.#allClosed = undefined;
    await this.queue.idle();
    await this.flushPresence();
    await this.#indexWorker?.stop();
    this.#indexWorker = undefined;
    await this.#deviceIndexer.stop();
    await this.#checkpointer?.stop();
    this.#checkpointer = undefined;
  }

  /** Sends a downlink command (反控) to an online device; see CommandService. */
  sendCommand(request: CommandRequest): Promise<CommandOutcome> {
    return this.commands.send(request);
  }

  /** One backfill pass now (otherwise every `backfill.intervalMs`). */
  async backfillNow(): Promise<void> {
    await this.#backfill?.sweep();
  }

  /** Online and offline events as they happen (for the rules and live views). */
  onPresence(listener: (event: PresenceEvent) => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Observations that became durable (new values and revisions, not duplicates), after each commit: the
   * analysis engine re-judges the periods they touch.
   */
  onIngested(listener: (written: readonly ObservationWritten[]) => void): void {
    this.#ingestedListeners.push(listener);
  }

  /** Points whose device information (CN 3020) became durable, after each commit. */
  onDeviceInfo(listener: (pointIds: readonly number[]) => void): void {
    this.#deviceInfoListeners.push(listener);
  }

  /** Called after each durable commit (forwarding wakes on it). */
  onCommitted(listener: () => void): void {
    this.#committedListeners.push(listener);
  }

  online(): Link[] {
    return [...this.registry.links()];
  }

  stats(): GatewayStats {
    const queue = this.queue.stats();
    return {
      ...this.counters,
      rejected: { ...this.counters.rejected },
      online: this.registry.size,
      sessions: this.#sessions.size,
      queuedFrames: queue.queuedFrames,
      commits: queue.commits,
      largestBatch: queue.largestBatch,
      commandsInFlight: this.commands.inFlight,
      backfillRequests: this.#backfill?.requested ?? 0,
      walCheckpoints: this.#checkpointer?.stats().checkpoints ?? 0,
      walLargestLogPages: this.#checkpointer?.stats().largestLogPages ?? 0,
      deviceIndexWorker: this.#indexWorker !== undefined,
    };
  }

  async flushPresence(): Promise<void> {
    try {
      await this.registry.flush(this.#presence, this.options.now());
    } catch (error) {
      this.#log.warn('presence could not be written; will retry', { error: String(error) });
    }
  }

  // ── GatewayServices (called by sessions) ──

  sessionClosed(session: Session, reason: string): void {
    this.#sessions.delete(session);
    const left = (this.#perPeer.get(session.address) ?? 1) - 1;
    if (left <= 0) this.#perPeer.delete(session.address);
    else this.#perPeer.set(session.address, left);
    this.registry.closed(session, this.options.now(), reason);
    if (this.#sessions.size === 0) this.#allClosed?.();
  }

  authFailed(
    session: Session,
    message: Message,
    device: Device | undefined,
    code: GatewayCode,
    at: number,
  ): void {
    if (device !== undefined) this.registry.counted(device.mn, 'framesRejected');
    const detail = { peer: session.peer, code, cn: message.cn ?? null };
    void this.#presence
      .recordEvents([
        { pointId: device?.pointId ?? null, mn: message.mn ?? null, kind: 'auth-failed', at, detail },
      ])
      .catch(() => undefined);
    if (!this.throttle.fail(session.address, at)) return;
    void this.#presence
      .recordEvents([
        {
          pointId: device?.pointId ?? null,
          mn: message.mn ?? null,
          kind: 'throttled',
          at,
          detail: { address: session.address, untilMs: at + this.options.throttleMs },
        },
      ])
      .catch(() => undefined);
    this.#log.warn('peer throttled after repeated authentication failures', { address: session.address });
    for (const s of this.#sessions) if (s.address === session.address) s.close('throttled');
  }

  clockSkewed(device: Device, skewMs: number): void {
    if (!this.options.autoTimeSync) return;
    const now = this.options.now();
    if (now - (this.#lastTimeSync.get(device.mn) ?? 0) < HOUR) return;
    this.#syncTime(device, 'clock skew', skewMs);
  }

  timeRequested(device: Device): void {
    // 1013 asks for the time: the 9013 goes out with the frame's commit, then 1012 (HJ 212-2017 表 C.5/C.6).
    this.#syncTime(device, 'time calibration request (1013)', null);
  }

  commitFailed(session: Session, error: unknown): void {
    this.counters.commitFailures += 1;
    this.#log.warn('frames not committed, not acknowledged', { peer: session.peer, error: String(error) });
  }

  committed(unit: IngestUnit, result: IngestResult): void {
    for (const listener of this.#committedListeners) listener();
    if (this.#deviceInfoListeners.length > 0 && unit.deviceInfo !== undefined && unit.deviceInfo.length > 0) {
      const points = [...new Set(unit.deviceInfo.map((d) => d.item.pointId))];
      for (const listener of this.#deviceInfoListeners) listener(points);
    }
    if (this.#ingestedListeners.length === 0) return;
    if (unit.observations === undefined && unit.realtime === undefined) return;
    const written: ObservationWritten[] = [];
    unit.observations?.forEach((o, i) => {
      const outcome = result.observations[i];
      if (outcome === undefined || outcome === 'duplicate') return;
      written.push({
        pointId: o.row.pointId,
        factorCode: o.row.factorCode,
        period: o.period,
        periodStart: o.row.periodStart,
        outcome,
        source: o.row.source,
      });
    });
    unit.realtime?.forEach((upload, u) => {
      const outcomes = result.realtime[u];
      upload.factors.forEach((factor, i) => {
        const outcome = outcomes?.[i];
        if (outcome === undefined || outcome === 'duplicate') return;
        written.push({
          pointId: upload.pointId,
          factorCode: factor.factorCode,
          period: 'realtime',
          periodStart: upload.periodStart,
          outcome,
          source: upload.source,
        });
      });
    });
    if (written.length > 0) for (const listener of this.#ingestedListeners) listener(written);
  }

  // ── internals ──

  #syncTime(device: Device, reason: string, skewMs: number | null): void {
    const now = this.options.now();
    this.#lastTimeSync.set(device.mn, now);
    const at = now;
    void this.commands
      .send({
        mn: device.mn,
        command: 'set-system-time',
        params: { SystemTime: at },
        purpose: 'time-sync',
        requestedBy: 'gateway',
      })
      .then((outcome) =>
        this.#presence.recordEvents([
          {
            pointId: device.pointId,
            mn: device.mn,
            kind: 'time-sync',
            at: this.options.now(),
            detail: { reason, skewMs, state: outcome.state, commandId: outcome.id },
          },
        ]),
      )
      .catch(() => undefined);
  }

  #accept(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    const now = this.options.now();
    const refuse = (code: GatewayCode) => {
      this.counters.refused += 1;
      this.#log.warn('connection refused', { address, code });
      socket.destroy();
    };
    if (this.throttle.blockedUntil(address, now) !== undefined) {
      refuse('GATEWAY_E_THROTTLED');
      return;
    }
    const fromPeer = this.#perPeer.get(address) ?? 0;
    if (fromPeer >= this.options.maxConnectionsPerPeer) {
      refuse('GATEWAY_E_CONNECTION_LIMIT');
      return;
    }
    this.#perPeer.set(address, fromPeer + 1);
    this.counters.connections += 1;
    socket.setKeepAlive(true, 60_000);
    const session = new Session(this.#nextId++, socket, this);
    this.#sessions.add(session);
    if (this.#paused) session.pause();
  }

  /** Once a second: idle connections and slow (unfinished) frames are closed; memory is trimmed. */
  #sweep(): void {
    const now = this.options.now();
    for (const session of this.#sessions) {
      session.expireUnfinished(now);
      if (now - session.lastFrameAt > this.options.idleTimeoutMs) session.close('idle timeout');
      else if (
        session.partialSince !== undefined &&
        now - session.partialSince > this.options.partialFrameTimeoutMs
      )
        session.close('unfinished frame timeout');
    }
    this.throttle.sweep(now);
  }

  /** Backpressure: pause reading from every socket while too many frames wait for the database. */
  #pressure(queued: number): void {
    if (!this.#paused && queued > this.options.maxQueuedFrames) {
      this.#paused = true;
      for (const s of this.#sessions) s.pause();
    } else if (this.#paused && queued < this.options.maxQueuedFrames / 2) {
      this.#paused = false;
      for (const s of this.#sessions) s.resume();
    }
  }

  #presenceEvent(event: PresenceEvent): void {
    if (event.kind === 'online') this.commands.deviceOnline(event.mn);
    for (const listener of this.#listeners) listener(event);
  }
}
