import { connect, type Socket } from 'node:net';
import {
  type CpField,
  composeFlag,
  type DecodedFrame,
  decodeFrame,
  encodeMessage,
  FrameDecoder,
  formatBeijingTime,
  formatQn,
  type MessageInput,
  type ProtocolVersion,
} from '@qingyuan/hj212';
import type { Store } from '@qingyuan/store';
import { Gateway, type GatewayOptions } from '../src/index.js';

export { describeEachDialect } from '../../store/test/dialects.js';
export { insertPoint } from '../../store/test/fixtures.js';

/** A gateway on a free loopback port, with backfill off unless asked for. */
export async function startGateway(store: Store, options: GatewayOptions = {}): Promise<Gateway> {
  const gateway = new Gateway(store, { port: 0, host: '127.0.0.1', backfill: false, ...options });
  await gateway.start();
  return gateway;
}

/** A scripted data logger over real TCP: sends bytes, collects every frame the platform sends back. */
export class TestLogger {
  readonly socket: Socket;
  readonly replies: DecodedFrame[] = [];
  readonly #decoder = new FrameDecoder();
  #waiters: (() => void)[] = [];
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk) => {
      for (const frame of this.#decoder.push(chunk).frames) this.replies.push(decodeFrame(frame));
      for (const w of this.#waiters.splice(0)) w();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.#waiters.splice(0)) w();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<TestLogger> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new TestLogger(socket)));
      socket.once('error', reject);
    });
  }

  send(bytes: Uint8Array | string): void {
    this.socket.write(bytes);
  }

  /** Waits until at least `n` replies arrived (or the connection closed, or the timeout). */
  async waitForReplies(n: number, timeoutMs = 5000): Promise<DecodedFrame[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length < n && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.replies;
  }

  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await sleep(20);
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `condition` every 10 ms until it holds; throws, naming `what`, after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let qnCounter = 0;

/** An upload frame (2011 real-time by default) asking for an ack, in the given dialect. */
export function upload(
  mn: string,
  pw: string,
  options: {
    cn?: string;
    dataTime?: number;
    values?: Record<string, number>;
    version?: ProtocolVersion;
    ack?: boolean;
    qn?: string;
    extra?: CpField[][];
  } = {},
): MessageInput {
  const version = options.version ?? '2017';
  const dataTime = options.dataTime ?? Math.floor(Date.now() / 1000) * 1000;
  const cn = options.cn ?? '2011';
  const kind = cn === '2011' ? 'Rtd' : 'Avg';
  const values = options.values ?? { a21026: 35.2, a21002: 80.1 };
  const cp: CpField[][] = [[{ key: 'DataTime', value: formatBeijingTime(dataTime) }]];
  for (const [code, value] of Object.entries(values))
    cp.push([
      { key: `${code}-${kind}`, value: String(value) },
      { key: `${code}-Flag`, value: 'N' },
    ]);
  const input: MessageInput = {
    qn: options.qn ?? formatQn(Date.now() + qnCounter++),
    st: '22',
    cn,
    pw,
    mn,
    flag: composeFlag(version, { ack: options.ack ?? true }),
    cp: [...cp, ...(options.extra ?? [])],
  };
  return input;
}

export const frameOf = (input: MessageInput) => encodeMessage(input);
