import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import {
  buildCommand,
  type CommandParams,
  CRC_VARIANTS,
  type DecodedFrame,
  decodeFrame,
  dialectOf,
  encodeMessage,
  FrameDecoder,
  type Message,
  type ProtocolVersion,
  platformReply,
} from '@qingyuan/hj212';

/** A frame as the test platform received it. */
export interface Received {
  readonly decoded: DecodedFrame;
  readonly message: Message;
  readonly text: string;
  readonly at: number;
}

export interface TestPlatformOptions {
  /** Answer uploads that ask for it with 9014 (default true); a function decides per message. */
  readonly ack?: boolean | ((message: Message) => boolean);
}

/**
 * A tiny HJ 212 platform for tests: node:net + the codec's FrameDecoder. Records every frame (all CRC
 * variants are accepted so the test can look at which one matched), answers 9014 on request, and sends
 * platform commands.
 */
export class TestPlatform {
  readonly frames: Received[] = [];
  /** Bytes the decoder dropped (garbage). */
  readonly discarded: Uint8Array[] = [];
  readonly sockets = new Set<Socket>();
  readonly connections: { mn?: string; socket: Socket; at: number }[] = [];
  #server: Server;
  #options: TestPlatformOptions;
  #waiters: { predicate: () => boolean; resolve: () => void }[] = [];
  #lastQn = 0;

  constructor(options: TestPlatformOptions = {}) {
    this.#options = options;
    this.#server = createServer((socket) => this.#accept(socket));
  }

  async listen(): Promise<number> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  setAck(ack: TestPlatformOptions['ack']): void {
    this.#options = { ...this.#options, ack };
  }

  #accept(socket: Socket): void {
    this.sockets.add(socket);
    const connection: { mn?: string; socket: Socket; at: number } = { socket, at: Date.now() };
    this.connections.push(connection);
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      const batch = decoder.push(new Uint8Array(chunk));
      for (const dropped of batch.diagnostics) this.discarded.push(dropped.bytes.slice());
      for (const frame of batch.frames) {
        const decoded = decodeFrame(frame, { crcVariants: CRC_VARIANTS, direction: 'up' });
        const message = decoded.message;
        if (message === undefined) continue;
        connection.mn ??= message.mn;
        const text = new TextDecoder().decode(frame.bytes);
        this.frames.push({ decoded, message: { ...message, cp: message.cp }, text, at: Date.now() });
        const ack = this.#options.ack ?? true;
        const wanted = typeof ack === 'function' ? ack(message) : ack;
        const reply = platformReply(message);
        if (wanted && reply !== undefined) {
          socket.write(encodeMessage(reply, { crcVariant: decoded.crc.variant ?? 'hj212' }));
        }
      }
      this.#check();
    });
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
  }

  #check(): void {
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.predicate()) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves when the predicate holds (checked after every received chunk), or rejects after timeoutMs. */
  waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.#waiters.push({
        predicate,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Frames of a CN (and optionally of an MN). */
  of(cn: string, mn?: string): Received[] {
    return this.frames.filter((f) => f.message.cn === cn && (mn === undefined || f.message.mn === mn));
  }

  /** Sends a platform request to the device's connection; returns its QN. */
  command(
    mn: string,
    name: string,
    params: CommandParams,
    target: { pw: string; st?: string; version?: ProtocolVersion },
  ): string {
    const now = this.nextQnTime();
    const connection = [...this.connections].reverse().find((c) => c.mn === mn && !c.socket.destroyed);
    if (connection === undefined) throw new Error(`${mn} is not connected`);
    const version = target.version ?? '2017';
    const input = buildCommand(name, params, { mn, pw: target.pw, st: target.st ?? '32', version }, now);
    connection.socket.write(encodeMessage(input));
    return input.qn as string;
  }

  /** A request time for a QN, unique even for requests within one millisecond. */
  nextQnTime(): number {
    this.#lastQn = Math.max(Date.now(), this.#lastQn + 1);
    return this.#lastQn;
  }

  /** Raw write to a device's connection. */
  write(mn: string, bytes: Uint8Array): void {
    const connection = [...this.connections].reverse().find((c) => c.mn === mn && !c.socket.destroyed);
    connection?.socket.write(bytes);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.#server.close();
    await once(this.#server, 'close').catch(() => {});
  }
}

export { dialectOf };
