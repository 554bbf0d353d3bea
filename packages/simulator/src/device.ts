import { connect, type Socket } from 'node:net';
import {
  type CommandBody,
  type Cp,
  CRC_VARIANTS,
  composeFlag,
  decodeFrame,
  ExeRtn,
  encodeMessage,
  encodeMessageSplit,
  executionResult,
  FrameDecoder,
  formatBeijingTime,
  formatQn,
  type Message,
  type MessageInput,
  noticeReply,
  type ProtocolVersion,
  QnRtn,
  requestReply,
} from '@qingyuan/hj212';
import type { SimClock } from './clock.js';
import type { DeviceSpec } from './devices.js';
import { DEFAULT_HISTORY_LIMITS, HistoryBuffer, type HistoryLimits } from './history.js';
import {
  type Accumulation,
  type AggregateRecord,
  accumulate,
  aggregateRecord,
  beijingDayStart,
  createModel,
  DAY_MS,
  type DeviceModel,
  HOUR_MS,
  mergeAccumulations,
  type ObservationRecord,
  realtimeRecord,
  SAMPLE_STEP_MS,
  type SampleTransform,
} from './model.js';
import { hashText, SeededRandom } from './random.js';
import { type DeviceInfoEntry, deviceInfoCp, observationCp, PERIOD_CN } from './records.js';
import {
  clockDrift,
  type FrameBehaviour,
  frameBehaviour,
  type InstrumentParameters,
  instrumentState,
  isOffline,
  type ScenarioSpec,
  scenarioTransform,
  tamperedParameters,
} from './scenarios.js';

/** A frame the platform acknowledged with 9014 (matched by QN). */
export interface AckedFrame {
  readonly mn: string;
  readonly qn: string;
  readonly cn: string;
  /** DataTime of the record (UTC epoch ms), when the frame carries one. */
  readonly dataTime: number | undefined;
  /** Sub-packet number and count, for a split upload. */
  readonly pno?: number;
  readonly pnum?: number;
}

export interface DeviceStats {
  readonly mn: string;
  readonly connected: boolean;
  /** Successful TCP connections so far. */
  readonly connects: number;
  /** Frames written (uploads, replies, resends; a lost frame counts as sent). */
  readonly framesSent: number;
  readonly acked: number;
  readonly resent: number;
  /** Frames given up after ReCount resends without 9014 (HJ 212-2017 §6.2: 通讯不可用). */
  readonly unacked: number;
  /** Frames waiting for 9014 plus records queued to be sent. */
  readonly pending: number;
  /** Frames swallowed by the packet-loss scenario. */
  readonly lost: number;
  /** Queued records dropped because the queue was full. */
  readonly dropped: number;
  readonly requestsAnswered: number;
  /** Frames from the platform that failed their CRC (ignored, 附录 A: "如果CRC错，执行结束"). */
  readonly badFrames: number;
}

export type DeviceEvent =
  | { readonly type: 'connected' | 'disconnected'; readonly mn: string }
  | {
      readonly type: 'acked' | 'resent' | 'gave-up';
      readonly mn: string;
      readonly qn: string;
      readonly cn: string;
    }
  | {
      readonly type: 'request';
      readonly mn: string;
      readonly cn: string;
      readonly command: string;
      readonly qn?: string;
    }
  | { readonly type: 'error'; readonly mn: string; readonly message: string };

/** What a device needs from its fleet. */
export interface DeviceEnvironment {
  readonly host: string;
  readonly port: number;
  readonly clock: SimClock;
  readonly seed: number;
  /** Scenarios of this device. */
  readonly scenarios: readonly ScenarioSpec[];
  /** Ask for 9014 (Flag.A = 1) on uploads. */
  readonly ack: boolean;
  /** OverTime (real ms) and ReCount (HJ 212-2017 §6.2 表 1: GPRS 10 s × 3); the platform may change them (1000). */
  readonly ackTimeoutMs: number;
  readonly retries: number;
  /** Frames waiting for 9014 at once. */
  readonly window: number;
  readonly realtime: boolean;
  /** Default RtdInterval (s) and MinInterval (min) when the device list gives none. */
  readonly rtdInterval: number;
  readonly minInterval: number;
  readonly history: HistoryLimits;
  /**
   * The logger has been recording for this long (simulated ms) before the start without uploading: its
   * hourly records of that time are uploaded first (补传), oldest first. 0: none.
   */
  readonly backlogMs?: number;
  /** Records queued while disconnected or behind, at most. */
  readonly maxQueue: number;
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  /** Runs `connect` when a connection slot is free (the fleet's concurrency limit). */
  readonly gate: (connect: (done: () => void) => void) => void;
  /** Called once, when the first connection attempt ended (or the logger starts offline). */
  readonly attempted?: () => void;
  readonly emit: (event: DeviceEvent) => void;
  readonly realNow: () => number;
}

interface Outgoing {
  readonly cn: string;
  readonly dataTime: number | undefined;
  /** CP in the dialect the frame is written in. */
  readonly cp: (dialect: ProtocolVersion) => Cp;
  /** Ask for 9014 (uploads); false for replies and history answers. */
  readonly ack: boolean;
  /** Use this QN (answers to 1011/1061/1063/3020 echo the request's). */
  readonly qn?: string;
}

interface InFlight {
  readonly qn: string;
  readonly cn: string;
  readonly dataTime: number | undefined;
  readonly bytes: Uint8Array;
  readonly pno?: number;
  readonly pnum?: number;
  sentAt: number;
  sends: number;
}

/** Catch-up bounds: records per period per tick, and the backlog beyond which old periods are skipped. */
const PER_TICK = 20;
const MAX_BACKLOG = 500;
/** Real-time values are not back-filled beyond this many intervals (a stall of the process). */
const REALTIME_BACKLOG = 120;
const MAX_SOCKET_BACKLOG = 256 * 1024;
/** How often (device time) scenario windows are checked for changes of the site information. */
const INFO_CHECK_MS = SAMPLE_STEP_MS;
/** Scenarios that change what 3020 reports (instrument state i12001, parameters i13001/i13007/i13008). */
const INFO_SCENARIOS = new Set(['parameter-tampering', 'maintenance', 'calibration', 'fault']);

/** One simulated data logger (数采仪): the I/O shell around the pure model and scenarios. */
export class SimulatedDevice {
  readonly mn: string;
  readonly spec: DeviceSpec;
  readonly model: DeviceModel;
  readonly acknowledged: AckedFrame[] = [];
  readonly history: HistoryBuffer;

  readonly #env: DeviceEnvironment;
  readonly #random: SeededRandom;
  readonly #scenarioTransform: SampleTransform | undefined;
  readonly #transform: SampleTransform;
  #password: string;
  #rtdMs: number;
  #minuteMs: number;
  #realtime: boolean;
  #overTimeMs: number;
  #reCount: number;
  /** Device clock = simulated time + #clockOffset + drift (scenario). */
  #clockOffset = 0;
  #nextRtd = 0;
  #nextMinuteEnd = 0;
  #nextHourEnd = 0;
  #nextDayEnd = 0;
  /** Hour records ending at or before this device time are the start's backlog (computed within a budget). */
  #backlogUntil = Number.NEGATIVE_INFINITY;
  readonly #hours = new Map<number, Accumulation>();
  /** Instrument parameters set by the platform (3021), each from a device time on. */
  readonly #parameterLog: {
    readonly from: number;
    readonly code: string;
    readonly params: InstrumentParameters;
  }[] = [];
  readonly #extraInfo = new Map<string, string>();
  #lastInfo = new Map<string, string>();
  #lastInfoCheck = Number.NEGATIVE_INFINITY;
  /** Whether scenarios can change the site information (else it changes only by 3021). */
  readonly #infoScenarios: boolean;
  #lastQnTime = 0;

  #socket: Socket | undefined;
  #decoder = new FrameDecoder();
  #connected = false;
  #connecting = false;
  #reconnectAt = 0;
  #attempts = 0;
  #started = false;
  #stopped = false;
  #greeted = false;
  #firstAttemptDone = false;
  readonly #outbox: Outgoing[] = [];
  readonly #inFlight = new Map<string, InFlight>();

  #stats = {
    connects: 0,
    framesSent: 0,
    acked: 0,
    resent: 0,
    unacked: 0,
    lost: 0,
    dropped: 0,
    requestsAnswered: 0,
    badFrames: 0,
  };

  constructor(spec: DeviceSpec, env: DeviceEnvironment) {
    this.mn = spec.mn;
    this.spec = spec;
    this.#env = env;
    this.model = createModel(
      {
        mn: spec.mn,
        kind: spec.kind,
        factors: spec.factors,
        ...(spec.referenceO2 === undefined ? {} : { referenceO2: spec.referenceO2 }),
        ...(spec.limits === undefined ? {} : { limits: spec.limits }),
      },
      env.seed,
    );
    this.history = new HistoryBuffer(env.history ?? DEFAULT_HISTORY_LIMITS);
    this.#random = new SeededRandom(env.seed ^ hashText(spec.mn));
    this.#scenarioTransform = scenarioTransform(env.scenarios);
    this.#infoScenarios = env.scenarios.some((spec) => INFO_SCENARIOS.has(spec.scenario));
    this.#transform = (sample, model) => {
      this.#applyParameters(sample.values, sample.time);
      this.#scenarioTransform?.(sample, model);
    };
    this.#password = spec.password;
    this.#rtdMs = (spec.rtdInterval ?? env.rtdInterval) * 1000;
    this.#minuteMs = (spec.minInterval ?? env.minInterval) * 60_000;
    this.#realtime = env.realtime;
    this.#overTimeMs = env.ackTimeoutMs;
    this.#reCount = env.retries;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Clock and schedule

  /** The logger's own clock at a simulated instant. */
  deviceTime(sim = this.#env.clock.now(this.#env.realNow())): number {
    return sim + this.#clockOffset + clockDrift(this.#env.scenarios, sim, this.#env.clock.start);
  }

  get password(): string {
    return this.#password;
  }

  get rtdIntervalSeconds(): number {
    return this.#rtdMs / 1000;
  }

  get minIntervalMinutes(): number {
    return this.#minuteMs / 60_000;
  }

  /** Starts the schedule (from the current device time) and the first connection. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const now = this.deviceTime();
    this.#schedule(now);
    const backlog = this.#env.backlogMs ?? 0;
    if (backlog > 0) {
      this.#nextHourEnd = Math.floor((now - backlog) / HOUR_MS) * HOUR_MS + HOUR_MS;
      this.#backlogUntil = now;
    }
    this.#reconnectAt = this.#env.realNow();
  }

  /** Next record boundaries from a device time on (at start, and after the clock is set). */
  #schedule(now: number): void {
    this.#nextRtd = Math.ceil(now / this.#rtdMs) * this.#rtdMs;
    this.#nextMinuteEnd = Math.floor(now / this.#minuteMs) * this.#minuteMs + this.#minuteMs;
    this.#nextHourEnd = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
    this.#nextDayEnd = beijingDayStart(now) + DAY_MS;
  }

  /**
   * Called by the fleet's shared ticker. Backlog hours (see `backlogMs`) are computed only while
   * `performance.now()` is before `deadline`, so that a fleet's backlog is spread over many ticks.
   */
  tick(realNow: number, deadline = Number.POSITIVE_INFINITY): void {
    if (!this.#started || this.#stopped) return;
    const sim = this.#env.clock.now(realNow);
    const offline = isOffline(this.#env.scenarios, sim);
    if (offline) this.#attempted();
    if (offline && (this.#connected || this.#connecting)) this.#socket?.destroy();
    if (!offline && !this.#connected && !this.#connecting && realNow >= this.#reconnectAt) this.#connect();
    const now = this.deviceTime(sim);
    this.#generate(now, offline, deadline);
    if (this.#infoScenarios && now - this.#lastInfoCheck >= INFO_CHECK_MS) {
      this.#lastInfoCheck = now;
      this.#uploadInfoChanges(now, false);
    }
    if (this.#connected) {
      this.#checkTimeouts(realNow);
      this.#pump();
    }
  }

  #generate(now: number, offline: boolean, deadline: number): void {
    if (this.#realtime) {
      this.#nextRtd = skipBacklog(this.#nextRtd, now, this.#rtdMs, REALTIME_BACKLOG);
      let n = 0;
      while (this.#nextRtd <= now && n++ < PER_TICK) {
        const record = realtimeRecord(this.model, this.#nextRtd, this.#transform);
        // Real-time values are never back-filled: only sent while connected.
        if (this.#connected) this.#enqueueRecord(record);
        this.#nextRtd += this.#rtdMs;
      }
    } else {
      this.#nextRtd = Math.ceil(now / this.#rtdMs) * this.#rtdMs;
    }
    this.#nextMinuteEnd = skipBacklog(this.#nextMinuteEnd, now, this.#minuteMs, MAX_BACKLOG);
    for (let n = 0; this.#nextMinuteEnd <= now && n < PER_TICK; n++) {
      const end = this.#nextMinuteEnd;
      const start = end - this.#minuteMs;
      const record = aggregateRecord(
        this.model,
        'minute',
        start,
        end,
        accumulate(this.model, start, end, this.#transform),
      );
      if (record !== undefined) this.#keep(record, offline);
      this.#nextMinuteEnd += this.#minuteMs;
    }
    this.#nextHourEnd = skipBacklog(this.#nextHourEnd, now, HOUR_MS, MAX_BACKLOG);
    for (let n = 0; this.#nextHourEnd <= now && n < PER_TICK; n++) {
      const end = this.#nextHourEnd;
      if (end <= this.#backlogUntil && performance.now() > deadline) break;
      const record = aggregateRecord(this.model, 'hour', end - HOUR_MS, end, this.#hour(end - HOUR_MS));
      if (record !== undefined) this.#keep(record, offline);
      this.#nextHourEnd += HOUR_MS;
    }
    this.#nextDayEnd = skipBacklog(this.#nextDayEnd, now, DAY_MS, MAX_BACKLOG);
    for (let n = 0; this.#nextDayEnd <= now && n < PER_TICK; n++) {
      const end = this.#nextDayEnd;
      const start = end - DAY_MS;
      const hours: Accumulation[] = [];
      for (let h = start; h < end; h += HOUR_MS) hours.push(this.#hour(h));
      const record = aggregateRecord(this.model, 'day', start, end, mergeAccumulations(hours));
      if (record !== undefined) this.#keep(record, offline);
      for (const key of this.#hours.keys()) if (key < end - HOUR_MS) this.#hours.delete(key);
      this.#nextDayEnd += DAY_MS;
    }
  }

  /** The accumulation of the hour starting at `start`, computed once (a day merges its 24 hours). */
  #hour(start: number): Accumulation {
    let hour = this.#hours.get(start);
    if (hour === undefined) {
      hour = accumulate(this.model, start, start + HOUR_MS, this.#transform);
      this.#hours.set(start, hour);
      if (this.#hours.size > 48) {
        const oldest = Math.min(...this.#hours.keys());
        this.#hours.delete(oldest);
      }
    }
    return hour;
  }

  #keep(record: AggregateRecord, offline: boolean): void {
    this.history.add(record);
    // Offline: kept in the history only (the platform may fetch it); otherwise queued, also while
    // disconnected, and sent on reconnection (补传).
    if (!offline) this.#enqueueRecord(record);
  }

  #enqueueRecord(record: ObservationRecord): void {
    this.#enqueue({
      cn: PERIOD_CN[record.period],
      dataTime: record.dataTime,
      cp: (dialect) => observationCp(record, this.model, dialect),
      ack: this.#env.ack,
    });
  }

  #enqueue(outgoing: Outgoing): void {
    this.#outbox.push(outgoing);
    if (this.#outbox.length > this.#env.maxQueue) {
      this.#outbox.shift();
      this.#stats.dropped++;
    }
  }

  /** Instrument parameters set by the platform (3021 i13007/i13008) act on every later sample. */
  #applyParameters(values: Record<string, number>, time: number): void {
    if (this.#parameterLog.length === 0) return;
    for (const factor of this.model.factors) {
      const params = this.#platformParameters(factor.code, time);
      if (params === undefined) continue;
      const value = values[factor.code];
      if (value !== undefined) values[factor.code] = value * params.slope + params.intercept;
    }
  }

  #platformParameters(code: string, time: number): InstrumentParameters | undefined {
    let found: InstrumentParameters | undefined;
    for (const entry of this.#parameterLog)
      if (entry.code === code && entry.from <= time) found = entry.params;
    return found;
  }

  #filedParameters(code: string): InstrumentParameters {
    const profile = this.model.factors.find((factor) => factor.code === code);
    return { measuringRange: profile?.range ?? 100, intercept: 0, slope: 1 };
  }

  /** Instrument parameters in force: tampering scenario, else the platform's, else as filed. */
  parametersAt(code: string, time: number): InstrumentParameters {
    const own = this.#platformParameters(code, time) ?? this.#filedParameters(code);
    return tamperedParameters(this.#env.scenarios, this.model, code, time, own) ?? own;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Device information (3020)

  /** Site information per instrument: i12001 state, i13001 range, i13007 intercept, i13008 slope (表 B.10). */
  deviceInfo(time: number): DeviceInfoEntry[] {
    const entries: DeviceInfoEntry[] = [];
    for (const factor of this.model.factors) {
      if (factor.role !== 'concentration' && factor.role !== 'ph') continue;
      const params = this.parametersAt(factor.code, time);
      const items = [
        {
          code: 'i12001',
          value: String(instrumentState(this.#env.scenarios, this.model, factor.code, time)),
        },
        { code: 'i13001', value: String(params.measuringRange) },
        { code: 'i13007', value: String(params.intercept) },
        { code: 'i13008', value: String(params.slope) },
      ];
      for (const [key, value] of this.#extraInfo) {
        const [polId, code] = key.split('/') as [string, string];
        if (polId === factor.code) items.push({ code, value });
      }
      entries.push({ polId: factor.code, items });
    }
    return entries;
  }

  /** Uploads 3020 for items that changed since the last upload (all of them the first time). */
  #uploadInfoChanges(now: number, all: boolean): void {
    const entries = this.deviceInfo(now);
    const current = new Map<string, string>();
    const changed: DeviceInfoEntry[] = [];
    for (const entry of entries) {
      const items = entry.items.filter((item) => {
        const key = `${entry.polId}/${item.code}`;
        current.set(key, item.value);
        return all || this.#lastInfo.get(key) !== item.value;
      });
      if (items.length > 0) changed.push({ ...entry, items });
    }
    const first = this.#lastInfo.size === 0;
    this.#lastInfo = current;
    // 3020 exists since HJ 212-2017 (§9 of the protocol notes: added 2081, 3015–3021).
    if (changed.length === 0 || (first && !all) || this.dialect() === '2005') return;
    this.#enqueue({
      cn: '3020',
      dataTime: now,
      cp: (dialect) => deviceInfoCp(now, changed, dialect),
      ack: this.#env.ack,
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Connection

  #attempted(): void {
    if (this.#firstAttemptDone) return;
    this.#firstAttemptDone = true;
    this.#env.attempted?.();
  }

  #connect(): void {
    this.#connecting = true;
    this.#env.gate((done) => {
      if (this.#stopped) {
        this.#connecting = false;
        done();
        return;
      }
      const socket = connect({ host: this.#env.host, port: this.#env.port });
      this.#socket = socket;
      this.#decoder = new FrameDecoder();
      socket.setNoDelay(true);
      let released = false;
      let connectedAt = 0;
      const release = () => {
        if (!released) {
          released = true;
          this.#attempted();
          done();
        }
      };
      socket.once('connect', () => {
        release();
        this.#connecting = false;
        this.#connected = true;
        connectedAt = this.#env.realNow();
        // The backoff is reset by the platform's first ack, not by the TCP handshake: a platform that
        // accepts and at once closes (connection limits, throttling) must not be hammered.
        this.#stats.connects++;
        this.#env.emit({ type: 'connected', mn: this.mn });
        this.#onConnected();
      });
      socket.on('data', (chunk: Buffer) => this.#onData(chunk));
      socket.on('error', (error) => {
        if (this.#connected) this.#env.emit({ type: 'error', mn: this.mn, message: error.message });
      });
      socket.once('close', () => {
        release();
        const was = this.#connected;
        this.#connecting = false;
        this.#connected = false;
        if (this.#socket === socket) this.#socket = undefined;
        if (was) this.#env.emit({ type: 'disconnected', mn: this.mn });
        // A connection that lasted (without acks, e.g. --no-ack) also counts as a success.
        if (was && this.#env.realNow() - connectedAt > 10_000) this.#attempts = 0;
        this.#attempts++;
        const backoff = Math.min(
          this.#env.reconnectMaxMs,
          this.#env.reconnectMinMs * 2 ** Math.min(this.#attempts - 1, 16),
        );
        this.#reconnectAt = this.#env.realNow() + backoff * (0.5 + this.#random.next() / 2);
      });
    });
  }

  #onConnected(): void {
    const now = this.deviceTime();
    if (!this.#greeted) {
      this.#greeted = true;
      // CN 2081 (上传数采仪开机时间) and the site information (3020) once after start; neither exists in
      // HJ/T 212-2005.
      if (this.dialect() !== '2005')
        this.#outbox.unshift({
          cn: '2081',
          dataTime: now,
          cp: () => [
            [{ key: 'DataTime', value: formatBeijingTime(now) }],
            [{ key: 'RestartTime', value: formatBeijingTime(now) }],
          ],
          ack: this.#env.ack,
        });
      this.#uploadInfoChanges(now, true);
    }
    // Frames that were waiting for 9014 when the connection dropped go out again, same QN.
    const realNow = this.#env.realNow();
    for (const frame of this.#inFlight.values()) this.#resend(frame, realNow);
    this.#pump();
  }

  /** Whether the logger is connected. */
  get connected(): boolean {
    return this.#connected;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Sending

  #behaviour(): FrameBehaviour {
    return frameBehaviour(this.#env.scenarios, this.#env.clock.now(this.#env.realNow()), this.#password);
  }

  /** The dialect frames are written in now. */
  dialect(behaviour = this.#behaviour()): ProtocolVersion {
    return behaviour.dialect ?? this.spec.protocol;
  }

  #nextQnTime(parts = 1): number {
    const time = Math.max(Math.floor(this.deviceTime()), this.#lastQnTime + 1);
    this.#lastQnTime = time + parts - 1;
    return time;
  }

  #st(): string {
    // HJ 212-2017 表 5: 32 地表水体环境污染源, 31 大气环境污染源.
    return this.spec.kind === 'water' ? '32' : '31';
  }

  #pump(): void {
    const socket = this.#socket;
    while (this.#connected && socket !== undefined && this.#outbox.length > 0) {
      if (socket.writableLength > MAX_SOCKET_BACKLOG) return;
      const next = this.#outbox[0] as Outgoing;
      if (next.ack && this.#inFlight.size >= this.#env.window) return;
      this.#outbox.shift();
      this.#send(next);
    }
  }

  /** Encodes and writes one message (split into sub-packets when the scenario says so). */
  #send(outgoing: Outgoing): void {
    const behaviour = this.#behaviour();
    const dialect = this.dialect(behaviour);
    const bare = behaviour.bare === true;
    const ack = outgoing.ack && !bare;
    const cp = outgoing.cp(dialect);
    const input: MessageInput = {
      st: this.#st(),
      cn: outgoing.cn,
      pw: behaviour.password ?? this.#password,
      mn: this.mn,
      ...(bare ? {} : { flag: composeFlag(dialect, { ack }) }),
      cp,
    };
    const crcVariant = behaviour.crcVariant ?? this.spec.crc[0] ?? 'hj212';
    let frames: Uint8Array[];
    let qnTime: number | undefined;
    if (bare) {
      frames = [encodeMessage(input, { crcVariant })];
    } else if (outgoing.qn !== undefined) {
      frames = [encodeMessage({ qn: outgoing.qn, ...input }, { crcVariant })];
    } else {
      qnTime = this.#nextQnTime();
      frames = encodeMessageSplit(
        { qn: formatQn(qnTime), ...input },
        {
          crcVariant,
          ...(behaviour.maxDataLength === undefined ? {} : { maxDataLength: behaviour.maxDataLength }),
        },
      );
      if (frames.length > 1) this.#lastQnTime = qnTime + frames.length - 1;
    }
    const realNow = this.#env.realNow();
    frames.forEach((bytes, index) => {
      if (ack) {
        const qn = outgoing.qn ?? formatQn((qnTime as number) + index);
        const frame: InFlight = {
          qn,
          cn: outgoing.cn,
          dataTime: outgoing.dataTime,
          bytes,
          ...(frames.length > 1 ? { pno: index + 1, pnum: frames.length } : {}),
          sentAt: realNow,
          sends: 1,
        };
        this.#inFlight.set(qn, frame);
      }
      this.#write(bytes, behaviour);
    });
  }

  #write(bytes: Uint8Array, behaviour = this.#behaviour()): void {
    const socket = this.#socket;
    this.#stats.framesSent++;
    if (socket === undefined || !this.#connected) return;
    if (behaviour.lossProbability !== undefined && this.#random.next() < behaviour.lossProbability) {
      this.#stats.lost++;
      return;
    }
    if (behaviour.garbageProbability !== undefined && this.#random.next() < behaviour.garbageProbability) {
      socket.write(this.#garbage());
    }
    socket.write(bytes);
  }

  /** 1–24 junk bytes: printable noise, control bytes, never "#" (it could fake a frame start). */
  #garbage(): Uint8Array {
    const length = 1 + Math.floor(this.#random.next() * 24);
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      let byte = Math.floor(this.#random.next() * 256);
      if (byte === 0x23) byte = 0x24;
      bytes[i] = byte;
    }
    return bytes;
  }

  #resend(frame: InFlight, realNow: number): void {
    frame.sends++;
    frame.sentAt = realNow;
    this.#stats.resent++;
    this.#env.emit({ type: 'resent', mn: this.mn, qn: frame.qn, cn: frame.cn });
    this.#write(frame.bytes);
  }

  /** OverTime without 9014: resend, up to ReCount times, then give up (HJ 212-2017 §6.2). */
  #checkTimeouts(realNow: number): void {
    for (const frame of this.#inFlight.values()) {
      if (realNow - frame.sentAt < this.#overTimeMs) continue;
      if (frame.sends <= this.#reCount) {
        this.#resend(frame, realNow);
      } else {
        this.#inFlight.delete(frame.qn);
        this.#stats.unacked++;
        this.#env.emit({ type: 'gave-up', mn: this.mn, qn: frame.qn, cn: frame.cn });
      }
    }
  }

  /** Writes a reply or answer at once (no 9014 wanted). */
  #reply(input: MessageInput): void {
    const behaviour = this.#behaviour();
    this.#write(
      encodeMessage(input, { crcVariant: behaviour.crcVariant ?? this.spec.crc[0] ?? 'hj212' }),
      behaviour,
    );
  }

  /** An upload answering a request, written at once (QN given, or a new one; Flag without A). */
  #answer(cn: string, cp: Cp, qn?: string): void {
    const dialect = this.dialect();
    this.#reply({
      qn: qn ?? formatQn(this.#nextQnTime()),
      st: this.#st(),
      cn,
      pw: this.#password,
      mn: this.mn,
      flag: composeFlag(dialect, { ack: false }),
      cp,
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Receiving

  #onData(chunk: Buffer): void {
    const { frames } = this.#decoder.push(new Uint8Array(chunk));
    for (const frame of frames) {
      const decoded = decodeFrame(frame, { direction: 'down', crcVariants: CRC_VARIANTS });
      const message = decoded.message;
      if (!decoded.crc.ok || message === undefined) {
        this.#stats.badFrames++;
        continue;
      }
      this.#onMessage(message);
    }
  }

  #onMessage(message: Message): void {
    const body = message.body;
    switch (body.type) {
      case 'data-ack': {
        const qn = body.requestQn ?? message.qn;
        const frame = qn === undefined ? undefined : this.#inFlight.get(qn);
        if (frame === undefined) return;
        this.#inFlight.delete(frame.qn);
        this.#stats.acked++;
        this.acknowledged.push({
          mn: this.mn,
          qn: frame.qn,
          cn: frame.cn,
          dataTime: frame.dataTime,
          ...(frame.pno === undefined ? {} : { pno: frame.pno, pnum: frame.pnum }),
        });
        this.#attempts = 0;
        this.#env.emit({ type: 'acked', mn: this.mn, qn: frame.qn, cn: frame.cn });
        this.#pump();
        return;
      }
      case 'notice-reply':
      case 'request-reply':
      case 'execution-result':
        return;
      case 'command':
        this.#onCommand(message, body);
        return;
      default:
        // A request this logger does not know: refuse it (HJ 212-2017 表 7: 8 CN 错误; 2005: 2 拒绝).
        if (message.cn !== undefined && message.qn !== undefined) {
          const dialect = this.dialect();
          this.#refuse(message, dialect === '2005' ? QnRtn.REJECTED : QnRtn.WRONG_CN);
        }
    }
  }

  #replyTo(message: Message) {
    return { qn: message.qn, pw: this.#password, mn: this.mn, cn: message.cn };
  }

  #refuse(message: Message, qnRtn: number): void {
    this.#stats.requestsAnswered++;
    this.#reply(requestReply(this.#replyTo(message), this.dialect(), qnRtn));
  }

  #onCommand(message: Message, body: CommandBody): void {
    const dialect = this.dialect();
    this.#env.emit({
      type: 'request',
      mn: this.mn,
      cn: message.cn ?? '',
      command: body.command,
      ...(message.qn === undefined ? {} : { qn: message.qn }),
    });
    if (message.mn !== undefined && message.mn !== this.mn) {
      this.#refuse(message, dialect === '2005' ? QnRtn.REJECTED : QnRtn.WRONG_MN);
      return;
    }
    const notice = body.command === 'stop-realtime-data' || body.command === 'stop-run-state';
    if (notice) {
      // 2012 / 2022 are notices: answered with 9013 (HJ 212-2017 表 C.13).
      if (body.command === 'stop-realtime-data') this.#realtime = false;
      this.#stats.requestsAnswered++;
      this.#reply(noticeReply(this.#replyTo(message), dialect));
      return;
    }
    if (message.pw !== undefined && message.pw !== this.#password) {
      this.#refuse(message, QnRtn.WRONG_PW);
      return;
    }
    this.#stats.requestsAnswered++;
    const request = this.#replyTo(message);
    this.#reply(requestReply(request, dialect, QnRtn.READY));
    const exeRtn = this.#execute(message, body, dialect);
    this.#reply(executionResult({ ...request, pw: this.#password }, dialect, exeRtn));
    if (body.command === 'set-device-parameter') this.#uploadInfoChanges(this.deviceTime(), false);
  }

  /** Executes a request after its 9011; returns the ExeRtn for 9012 (HJ 212-2017 表 6). */
  #execute(message: Message, body: CommandBody, dialect: ProtocolVersion): number {
    const params = body.params;
    const now = this.deviceTime();
    const number = (key: string): number | undefined =>
      typeof params[key] === 'number' ? (params[key] as number) : undefined;
    const polId = typeof params.PolId === 'string' ? [{ key: 'PolId', value: params.PolId }] : [];
    switch (body.command) {
      case 'set-timeout-retries': {
        const overTime = number('OverTime');
        const reCount = number('ReCount');
        if (overTime === undefined || reCount === undefined) return ExeRtn.BAD_CONDITIONS;
        this.#overTimeMs = overTime * 1000;
        this.#reCount = reCount;
        return ExeRtn.SUCCESS;
      }
      case 'get-system-time':
        this.#answer(
          '1011',
          [...(polId.length > 0 ? [polId] : []), [{ key: 'SystemTime', value: formatBeijingTime(now) }]],
          message.qn,
        );
        return ExeRtn.SUCCESS;
      case 'set-system-time': {
        const time = number('SystemTime');
        if (time === undefined) return ExeRtn.BAD_CONDITIONS;
        this.#clockOffset += time - now;
        this.#lastQnTime = Math.min(this.#lastQnTime, time);
        // A logger whose clock is set restarts its schedule from the new time: no back-fill over the jump.
        this.#schedule(time);
        return ExeRtn.SUCCESS;
      }
      case 'get-realtime-interval':
        this.#answer('1061', [[{ key: 'RtdInterval', value: String(this.#rtdMs / 1000) }]], message.qn);
        return ExeRtn.SUCCESS;
      case 'set-realtime-interval': {
        const seconds = number('RtdInterval');
        if (seconds === undefined || seconds <= 0) return ExeRtn.BAD_CONDITIONS;
        this.#rtdMs = seconds * 1000;
        this.#nextRtd = Math.ceil(now / this.#rtdMs) * this.#rtdMs;
        return ExeRtn.SUCCESS;
      }
      case 'get-minute-interval':
        this.#answer('1063', [[{ key: 'MinInterval', value: String(this.#minuteMs / 60_000) }]], message.qn);
        return ExeRtn.SUCCESS;
      case 'set-minute-interval': {
        const minutes = number('MinInterval');
        if (minutes === undefined || minutes <= 0 || 60 % minutes !== 0) return ExeRtn.BAD_CONDITIONS;
        this.#minuteMs = minutes * 60_000;
        this.#nextMinuteEnd = Math.floor(now / this.#minuteMs) * this.#minuteMs + this.#minuteMs;
        return ExeRtn.SUCCESS;
      }
      case 'set-password': {
        const next = params.NewPW ?? params.PW;
        if (typeof next !== 'string' || next.length === 0) return ExeRtn.BAD_CONDITIONS;
        this.#password = next;
        return ExeRtn.SUCCESS;
      }
      case 'start-realtime-data':
        this.#realtime = true;
        return ExeRtn.SUCCESS;
      case 'get-minute-data':
      case 'get-hour-data':
      case 'get-day-data': {
        const begin = number('BeginTime');
        const end = number('EndTime');
        if (begin === undefined || end === undefined) return ExeRtn.BAD_CONDITIONS;
        const period =
          body.command === 'get-minute-data' ? 'minute' : body.command === 'get-hour-data' ? 'hour' : 'day';
        const records = this.history.range(period, begin, end);
        // 表 C.21: one upload per record with a new QN, then 9012 with the request's QN.
        for (const record of records)
          this.#answer(PERIOD_CN[period], observationCp(record, this.model, dialect));
        return records.length > 0 ? ExeRtn.SUCCESS : ExeRtn.NO_DATA;
      }
      case 'get-run-time-data':
        return ExeRtn.NO_DATA;
      case 'get-device-info': {
        const infoId = typeof params.InfoId === 'string' ? params.InfoId : undefined;
        const entries = this.deviceInfo(now)
          .filter((entry) => typeof params.PolId !== 'string' || entry.polId === params.PolId)
          .map((entry) => ({
            ...entry,
            items: entry.items.filter((item) => infoId === undefined || item.code === infoId),
          }))
          .filter((entry) => entry.items.length > 0);
        if (entries.length === 0) return ExeRtn.NO_DATA;
        this.#answer('3020', deviceInfoCp(now, entries, dialect), message.qn);
        return ExeRtn.SUCCESS;
      }
      case 'set-device-parameter':
        return this.#setParameter(params, now);
      default:
        // 3011 calibrate, 3012 sample now, 3013–3019, 2021 …: accepted and "done".
        return ExeRtn.SUCCESS;
    }
  }

  /** 3021: i13001 range, i13007 intercept, i13008 slope change the data from now on; others are kept as text. */
  #setParameter(params: Readonly<Record<string, string | number>>, now: number): number {
    const polId = params.PolId;
    const infoId = params.InfoId;
    const value = params.Info;
    if (typeof polId !== 'string' || typeof infoId !== 'string' || value === undefined)
      return ExeRtn.BAD_CONDITIONS;
    if (!this.model.factors.some((factor) => factor.code === polId)) return ExeRtn.BAD_CONDITIONS;
    const numeric = Number(value);
    const current = this.#platformParameters(polId, now) ?? this.#filedParameters(polId);
    const key = { i13001: 'measuringRange', i13007: 'intercept', i13008: 'slope' }[infoId] as
      | keyof InstrumentParameters
      | undefined;
    if (key === undefined) {
      this.#extraInfo.set(`${polId}/${infoId}`, String(value));
      return ExeRtn.SUCCESS;
    }
    if (!Number.isFinite(numeric)) return ExeRtn.BAD_CONDITIONS;
    this.#parameterLog.push({ from: now, code: polId, params: { ...current, [key]: numeric } });
    return ExeRtn.SUCCESS;
  }

  // ---------------------------------------------------------------------------------------------------------

  stats(): DeviceStats {
    return {
      mn: this.mn,
      connected: this.#connected,
      ...this.#stats,
      pending: this.#inFlight.size + this.#outbox.length,
    };
  }

  /** Stops: no more connections; the socket is ended (or destroyed after 1 s). */
  async stop(): Promise<void> {
    this.#stopped = true;
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 1000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }
}

/**
 * Bounds catching up: when more than `backlog` periods are due (the process stalled, or a clock jumped),
 * only the latest is produced.
 */
function skipBacklog(next: number, now: number, period: number, backlog: number): number {
  if (next > now) return next;
  const due = Math.floor((now - next) / period) + 1;
  return due > backlog ? next + (due - 1) * period : next;
}
