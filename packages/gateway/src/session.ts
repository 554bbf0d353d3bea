import type { Socket } from 'node:net';
import {
  type AssembledMessage,
  CRC_VARIANTS,
  type CrcVariant,
  type DecodedFrame,
  type DecodeOptions,
  type DiscardedBytes,
  decodeFrame,
  dialectOf,
  type EncodeOptions,
  encodeMessage,
  FrameDecoder,
  type Message,
  type MessageInput,
  newHeaderHint,
  QnRtn,
  type RawFrame,
  requestReply,
  SubPacketAssembler,
} from '@qingyuan/hj212';
import type { FrameArrival, FrameVerdict, IngestResult, ObservationSource } from '@qingyuan/store';
import type { ResolvedOptions } from './config.js';
import { type Device, passwordMatches, peerAllowed } from './credentials.js';
import type { GatewayCode } from './errors.js';
import type { IngestQueue, IngestUnit } from './ingest-queue.js';
import { dataTimeOf, interpret, type UnitRecords } from './interpret.js';
import { answersFor, type Judgement, refusal, refusalOf, wantsAnswer } from './judgement.js';
import type { LinkSession } from './presence.js';
import type { GatewayServices } from './services.js';

interface UnitBuilder extends UnitRecords {
  frames: FrameArrival[];
}

/** Whose a split message is, for reading it once it closes without its current frame (see #storeUnfinished). */
interface SplitSource {
  readonly pointId: number;
  readonly mn: string;
  readonly source: ObservationSource;
  /** When its latest part arrived. */
  readonly receivedAt: number;
}

/**
 * One TCP connection from a data logger (or several: some loggers multiplex MNs). Frames are cut by the
 * codec's FrameDecoder, judged one after another in arrival order, archived (every frame, whatever its
 * verdict) with what they mean through the group-commit queue, and answered only once durable — replies
 * go out in the order the frames arrived.
 */
export class Session implements LinkSession {
  readonly id: number;
  readonly peer: string;
  readonly address: string;
  readonly #socket: Socket;
  readonly #decoder: FrameDecoder;
  readonly #services: GatewayServices;
  readonly #options: ResolvedOptions;
  readonly #assembler: SubPacketAssembler;
  /** Per MN that sent a part of a split message on this connection: whose its messages are. */
  readonly #splitSources = new Map<string, SplitSource>();
  /** Every CRC variant (the device's own is checked once it is known), and this connection's last header. */
  readonly #decodeOptions: DecodeOptions = { crcVariants: CRC_VARIANTS, headerHint: newHeaderHint() };
  /**
   * Frames cut from the stream and not yet judged, in arrival order. They are judged as they come, unless a
   * frame's device is not in the credential cache: then the ones behind it wait for the registry's answer.
   */
  readonly #unjudged: RawFrame[] = [];
  #lookingUp = false;
  /** Units handed to the group commit whose replies are not written yet (the queue answers in order). */
  #unanswered = 0;
  /** Waiting for every frame received so far to be judged, committed and answered (`settled`). */
  #onSettled: (() => void)[] = [];
  #closed = false;
  #closing = false;
  /** The device and PW that last passed the check on this connection (see #passwordOk). */
  #passed: { readonly device: Device; readonly pw: string } | undefined;
  lastFrameAt: number;
  /** When the bytes of the unfinished frame started to arrive (slowloris), or undefined. */
  partialSince: number | undefined;
  readonly openedAt: number;

  constructor(id: number, socket: Socket, services: GatewayServices) {
    this.id = id;
    this.#socket = socket;
    this.#services = services;
    this.#options = services.options;
    this.address = socket.remoteAddress ?? 'unknown';
    this.peer = `${this.address}:${socket.remotePort ?? 0}`;
    this.#decoder = new FrameDecoder({ maxFrameBytes: this.#options.maxFrameBytes });
    this.#assembler = new SubPacketAssembler({ timeoutMs: this.#options.subPacketTimeoutMs, maxPending: 64 });
    this.openedAt = this.#options.now();
    this.lastFrameAt = this.openedAt;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('end', () => this.#endOfStream());
    socket.on('error', () => undefined);
    socket.on('close', () => this.#onClose());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes held for an unfinished frame. */
  get buffered(): number {
    return this.#decoder.buffered;
  }

  send(bytes: Uint8Array): boolean {
    if (this.#closed) return false;
    return this.#socket.write(bytes);
  }

  close(reason: string): void {
    if (this.#closed || this.#closing) return;
    this.#closing = true;
    this.#closeReason = reason;
    // What was read is judged, stored and answered first, then the connection ends. What still arrives is
    // archived and stored too (never answered: the logger sends it again on its next connection).
    void this.settled().then(() => this.#socket.end());
    setTimeout(() => this.#socket.destroy(), 2000).unref();
  }

  get closing(): boolean {
    return this.#closing;
  }

  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
  }

  /** Resolves when every frame received so far has been judged, committed and answered. */
  settled(): Promise<void> {
    if (this.#isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.#onSettled.push(resolve));
  }

  #isSettled(): boolean {
    return this.#unjudged.length === 0 && !this.#lookingUp && this.#unanswered === 0;
  }

  #checkSettled(): void {
    if (this.#onSettled.length > 0 && this.#isSettled())
      for (const resolve of this.#onSettled.splice(0)) resolve();
  }

  #closeReason = 'peer closed the connection';
  /** What to do once the current frame's replies are written. */
  #afterReply: (() => void) | undefined;

  #receive(chunk: Buffer): void {
    const batch = this.#decoder.push(chunk);
    const now = this.#options.now();
    this.partialSince = this.#decoder.buffered > 0 ? (this.partialSince ?? now) : undefined;
    for (const dropped of batch.diagnostics) this.#archiveDiscarded(dropped, now);
    if (batch.frames.length > 0) this.lastFrameAt = now;
    for (const frame of batch.frames) this.#unjudged.push(frame);
    this.#judgeWaiting();
  }

  #endOfStream(): void {
    const rest = this.#decoder.end();
    const now = this.#options.now();
    for (const dropped of rest.diagnostics) this.#archiveDiscarded(dropped, now);
    for (const frame of rest.frames) this.#unjudged.push(frame);
    this.#judgeWaiting();
    void this.settled().then(() => this.#finish());
  }

  /**
   * Our side of a connection the peer has ended, once every reply to what it sent is written. With nothing
   * left in Node's buffer the socket is closed at once: the kernel still sends what it holds, then our FIN,
   * as `end()` would, without a shutdown call and its request object first — when a whole network drops,
   * that was most of the gateway's cost per connection (docs/benchmarks.md, "Twenty-first look").
   */
  #finish(): void {
    if (this.#socket.writableLength === 0) this.#socket.destroy();
    else this.#socket.end();
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    // Parts of split messages already acknowledged must not wait for parts that can no longer come.
    if (this.#assembler.pending > 0) this.#storeUnfinished(this.#assembler.flush());
    this.#services.sessionClosed(this, this.#closeReason);
  }

  /**
   * Split messages whose parts stopped coming while the connection stays quiet: stored as far as they got
   * once `subPacketTimeoutMs` has passed (the gateway's sweep, once a second), as the next frame would.
   */
  expireUnfinished(now: number): void {
    if (this.#assembler.pending > 0) this.#storeUnfinished(this.#assembler.expire(now));
  }

  /**
   * Split messages closed without a frame of this turn (the connection closed, or they timed out): each
   * part was archived and answered when it came; what the parts said is stored now, pointing at no frame.
   */
  #storeUnfinished(closed: readonly AssembledMessage[]): void {
    const unit: UnitBuilder = { frames: [] };
    for (const assembled of closed) {
      const from = this.#splitSources.get(assembled.message.mn ?? '');
      if (from !== undefined) interpret(assembled.message, { ...from, frame: null }, unit);
    }
    if (closed.length > 0) this.#commitThenReply(unit, []);
  }

  /** Bytes the decoder dropped (noise between frames, an oversized or truncated packet): kept as evidence. */
  #archiveDiscarded(dropped: DiscardedBytes, now: number): void {
    this.#services.counters.discarded += 1;
    const unit: IngestUnit = {
      frames: [
        {
          receivedAt: now,
          peer: this.peer,
          bytes: dropped.bytes,
          verdict: 'discarded',
          errorCode: dropped.code,
        },
      ],
    };
    this.#commitThenReply(unit, []);
  }

  /**
   * Judges the frames received so far, in order, each as far as its commit: at once while their devices are
   * in the credential cache; a device that is not waits for the registry, and the frames behind it with it.
   */
  #judgeWaiting(): void {
    while (!this.#lookingUp && this.#unjudged.length > 0) {
      const raw = this.#unjudged[0] as RawFrame;
      const receivedAt = this.#options.now();
      const decoded = decodeFrame(raw, this.#decodeOptions);
      let judgement = refusalOf(decoded);
      if (judgement === undefined) {
        const mn = (decoded.message as Message).mn as string;
        const cached = this.#services.credentials.cached(mn);
        if (cached === undefined) {
          this.#awaitDevice(mn, raw, decoded, receivedAt);
          return;
        }
        judgement = this.#judge(decoded, cached.device, receivedAt);
      }
      this.#unjudged.shift();
      this.#handle(raw, receivedAt, judgement);
    }
    this.#checkSettled();
  }

  /** Asks the registry for the device of the frame first in line; the frames behind it wait. */
  #awaitDevice(mn: string, raw: RawFrame, decoded: DecodedFrame, receivedAt: number): void {
    this.#lookingUp = true;
    this.#services.credentials.lookup(mn).then(
      (device) => {
        this.#lookingUp = false;
        this.#unjudged.shift();
        this.#handle(raw, receivedAt, this.#judge(decoded, device, receivedAt));
        this.#judgeWaiting();
      },
      (error: unknown) => {
        // The registry cannot be read, so neither can the archive be written: nothing of this connection is
        // judged, stored or answered; the logger sends it again on its next connection.
        this.#lookingUp = false;
        this.#unjudged.length = 0;
        this.#services.commitFailed(this, error);
        this.close('registry unavailable');
        this.#checkSettled();
      },
    );
  }

  /** Archives a judged frame with what it means (accepted) and answers it once that is committed. */
  #handle(raw: RawFrame, receivedAt: number, judgement: Judgement): void {
    const message = judgement.message;
    const counters = this.#services.counters;
    counters.frames += 1;
    const unit: UnitBuilder = {
      frames: [
        {
          receivedAt,
          peer: this.peer,
          mn: message?.mn ?? null,
          cn: message?.cn ?? null,
          qn: message?.qn ?? null,
          bytes: raw.bytes,
          verdict: judgement.verdict,
          errorCode: judgement.errorCode,
        },
      ],
    };
    const device = judgement.device;
    if (judgement.verdict === 'accepted' && message !== undefined && device !== undefined) {
      counters.accepted += 1;
      this.#read(message, device, receivedAt, unit);
    } else if (judgement.verdict === 'duplicate') counters.duplicates += 1;
    else counters.rejected[judgement.verdict] = (counters.rejected[judgement.verdict] ?? 0) + 1;
    const after = this.#afterReply;
    this.#afterReply = undefined;
    this.#commitThenReply(unit, judgement.replies, after);
  }

  /** Verdict for a readable frame with an MN, given what the registry says of its device: trusted, new. */
  #judge(decoded: DecodedFrame, device: Device | undefined, now: number): Judgement {
    const message = decoded.message as Message;
    const services = this.#services;
    const failAuth = (verdict: FrameVerdict, code: GatewayCode, qnRtn: number) => {
      services.authFailed(this, message, device, code, now);
      const answer = wantsAnswer(message) ? [requestReply(message, dialectOf(message.version), qnRtn)] : [];
      return refusal(message, verdict, code, answer);
    };
    if (device === undefined) return failAuth('unknown_device', 'GATEWAY_E_UNKNOWN_DEVICE', QnRtn.WRONG_MN);
    if (!peerAllowed(device, this.address))
      return failAuth('auth_failed', 'GATEWAY_E_PEER_NOT_ALLOWED', QnRtn.REJECTED);
    if (!this.#passwordOk(device, message.pw))
      return failAuth('auth_failed', 'GATEWAY_E_PASSWORD', QnRtn.WRONG_PW);
    if (!device.crcVariants.includes(decoded.crc.variant as CrcVariant))
      return { ...refusal(message, 'crc_error', 'GATEWAY_E_CRC_VARIANT'), device };
    services.throttle.succeed(this.address);
    const link = services.registry.seen(
      device.mn,
      device.pointId,
      this,
      now,
      this.peer,
      dialectOf(message.version),
      message.st ?? '32',
    );
    // Judged after its connection closed (the frame waited for the registry): the device was online while it
    // sent, and is not now — without this it stayed online with no connection to close it.
    if (this.#closed) services.registry.closed(this, now, this.#closeReason);
    const replies = answersFor(message);
    if (services.duplicates.seen(message)) {
      link.duplicates += 1;
      return { verdict: 'duplicate', errorCode: null, message, device, replies };
    }
    link.framesReceived += 1;
    return { verdict: 'accepted', errorCode: null, message, device, replies };
  }

  /**
   * The constant-time password check, remembered for the connection: a logger sends the same PW in every
   * frame. A PW equal to one this peer already passed with is accepted without hashing again; comparing
   * with what the peer itself sent tells it nothing it does not know. A new device record (the credential
   * cache reloaded it, e.g. after a password change) is checked afresh.
   */
  #passwordOk(device: Device, pw: string | undefined): boolean {
    const passed = this.#passed;
    if (passed !== undefined && passed.device === device && passed.pw === pw) return true;
    if (!passwordMatches(device, pw)) return false;
    this.#passed = { device, pw: pw as string };
    return true;
  }

  /** What an accepted frame means, added to its unit (this frame is index 0). */
  #read(message: Message, device: Device, receivedAt: number, unit: UnitBuilder): void {
    const services = this.#services;
    const source: ObservationSource = services.commands.observe(message) === 'backfill' ? 'backfill' : 'das';
    const pointId = device.pointId;
    // A split message (PNUM > 1) means something once its last part arrives (then it points at that part);
    // one whose parts stopped coming is read as far as it got, pointing at no single frame — it may be
    // another MN's, on a connection that carries several.
    if (message.pnum !== undefined && message.pnum > 1)
      this.#splitSources.set(device.mn, { pointId, mn: device.mn, source, receivedAt });
    for (const assembled of this.#assembler.push(message, receivedAt)) {
      const other =
        assembled.message.mn === device.mn ? undefined : this.#splitSources.get(assembled.message.mn ?? '');
      interpret(
        assembled.message,
        other === undefined
          ? { pointId, mn: device.mn, receivedAt, source, frame: assembled.complete ? 0 : null }
          : { ...other, frame: null },
        unit,
      );
    }
    const skew = this.#skewOf(message, receivedAt);
    if (skew !== undefined && services.clockSkews.observe(device.mn, skew, receivedAt)) {
      unit.events ??= [];
      unit.events.push({
        frame: 0,
        pointId,
        mn: device.mn,
        kind: 'clock-skew',
        at: receivedAt,
        detail: { skewMs: skew },
      });
    }
    if (skew !== undefined && services.clockSkews.skewed(skew)) services.clockSkewed(device, skew);
    // 1013 asks for the time: answered 9013 with the commit, then set (1012) once that reply is out.
    if (message.body.type === 'time-calibration-request')
      this.#afterReply = () => services.timeRequested(device);
  }

  /**
   * How far a real-time upload's DataTime is from our clock (HJ 212 times are the logger's clock), or
   * undefined for other uploads. Which skews become events: ClockSkewLog.
   */
  #skewOf(message: Message, receivedAt: number): number | undefined {
    if (message.cn !== '2011') return undefined;
    const dataTime = dataTimeOf(message);
    return dataTime === undefined ? undefined : dataTime - receivedAt;
  }

  /**
   * Commits the unit (through the group commit), then writes the replies — in arrival order: the queue
   * answers units in the order they were handed to it.
   */
  #commitThenReply(unit: IngestUnit, replies: readonly MessageInput[], after?: () => void): void {
    this.#unanswered += 1;
    this.#services.queue.enqueue(unit, (result, error) => {
      this.#unanswered -= 1;
      // Not durable, so not acknowledged: the logger will send it again.
      if (result === undefined) this.#services.commitFailed(this, error);
      else this.#reply(unit, result, replies, after);
      this.#checkSettled();
    });
  }

  #reply(unit: IngestUnit, result: IngestResult, replies: readonly MessageInput[], after?: () => void): void {
    this.#services.committed(unit, result);
    for (const reply of replies) {
      if (this.#closed) return;
      this.#socket.write(encodeMessage(reply, REPLY_ENCODING));
      this.#services.counters.replies += 1;
    }
    after?.();
  }
}

/** Replies are written into slices of Node's buffer pool: cheaper than a new array for every ack. */
const REPLY_ENCODING: EncodeOptions = { allocate: (size) => Buffer.allocUnsafe(size) };

export type { IngestQueue };
