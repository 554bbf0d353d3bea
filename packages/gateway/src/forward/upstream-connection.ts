import { Socket } from 'node:net';
import { CRC_VARIANTS, decodeFrame, FrameDecoder } from '@qingyuan/hj212';
import { GatewayError } from '../errors.js';

/** How waiting for a 9014 ended (`aborted`: the caller's signal fired, e.g. the forwarder stops). */
export type AckOutcome = 'acked' | 'timeout' | 'closed' | 'aborted';

/** A 9014 being waited for; register it before writing the frame, so a fast reply is not missed. */
export interface AckWait {
  wait(timeoutMs: number, signal?: AbortSignal): Promise<AckOutcome>;
  cancel(): void;
}

interface Waiter {
  readonly qn: string;
  readonly mn: string | null;
  settle(outcome: AckOutcome): void;
}

/**
 * One TCP connection to an upstream platform: writes frames and reads the platform's replies with the
 * codec's `FrameDecoder`, matching each 9014 数据应答 to the frame it answers by QN (HJ 212-2017 表 C.14:
 * the reply echoes the upload's QN in its header; HJ/T 212-2005 puts it in CP) and, when the reply names
 * one, by MN. Any CRC variant is tolerated on replies: an acknowledgement is only ever a hint to move on.
 * Other packets from the upstream (its own requests to devices) are ignored.
 */
export class UpstreamConnection {
  readonly #socket: Socket;
  readonly #decoder = new FrameDecoder();
  readonly #waiters = new Set<Waiter>();
  readonly #closeListeners: ((error: Error) => void)[] = [];
  #closed = false;
  #closeError: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => {
      this.#closeError ??= new GatewayError(
        'GATEWAY_E_FORWARD_LOST',
        { reason: error.message },
        { cause: error },
      );
    });
    socket.on('close', () => {
      this.#closed = true;
      const error =
        this.#closeError ?? new GatewayError('GATEWAY_E_FORWARD_LOST', { reason: 'closed by the upstream' });
      for (const waiter of this.#waiters) waiter.settle('closed');
      this.#waiters.clear();
      for (const listener of this.#closeListeners) listener(error);
    });
  }

  /** Connects; rejects with GATEWAY_E_FORWARD_CONNECT (refused, unreachable, timed out or aborted). */
  static connect(
    host: string,
    port: number,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<UpstreamConnection> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const { signal } = options;
      const onAbort = () => fail('aborted');
      const fail = (reason: string, cause?: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        reject(new GatewayError('GATEWAY_E_FORWARD_CONNECT', { host, port, reason }, { cause }));
      };
      const timer = setTimeout(() => fail(`no connection within ${options.timeoutMs} ms`), options.timeoutMs);
      // The signal aborts the attempt only: an open connection is ended by its owner (gracefully).
      if (signal?.aborted === true) return fail('aborted');
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('error', (error) => fail(error.message, error));
      socket.connect({ host, port }, () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        // Detects an upstream that vanished without closing (a half-open connection) within minutes.
        socket.setKeepAlive(true, 30_000);
        resolve(new UpstreamConnection(socket));
      });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Called once when the connection ends, whoever ended it. */
  onClose(listener: (error: Error) => void): void {
    this.#closeListeners.push(listener);
  }

  /** Writes `bytes`; resolves once the kernel has taken them, rejects when the connection fails. */
  write(bytes: Uint8Array): Promise<void> {
    if (this.#closed)
      return Promise.reject(
        this.#closeError ?? new GatewayError('GATEWAY_E_FORWARD_LOST', { reason: 'connection closed' }),
      );
    return new Promise((resolve, reject) => {
      this.#socket.write(bytes, (error) => {
        if (error === undefined || error === null) resolve();
        else reject(new GatewayError('GATEWAY_E_FORWARD_LOST', { reason: error.message }, { cause: error }));
      });
    });
  }

  expectAck(qn: string, mn: string | null): AckWait {
    let settle: (outcome: AckOutcome) => void = () => undefined;
    const outcome = new Promise<AckOutcome>((resolve) => {
      settle = resolve;
    });
    const waiter: Waiter = {
      qn,
      mn,
      settle: (result) => {
        this.#waiters.delete(waiter);
        settle(result);
      },
    };
    if (this.#closed) waiter.settle('closed');
    else this.#waiters.add(waiter);
    return {
      wait: async (timeoutMs, signal) => {
        let timer: NodeJS.Timeout | undefined;
        let onAbort: (() => void) | undefined;
        const timeout = new Promise<AckOutcome>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
          onAbort = () => resolve('aborted');
          if (signal?.aborted === true) onAbort();
          else signal?.addEventListener('abort', onAbort, { once: true });
        });
        try {
          return await Promise.race([outcome, timeout]);
        } finally {
          clearTimeout(timer);
          if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
          this.#waiters.delete(waiter);
        }
      },
      cancel: () => this.#waiters.delete(waiter),
    };
  }

  /** Ends the connection after what was written is sent; true when the upstream closed its side too in time. */
  async close(graceMs: number): Promise<boolean> {
    if (this.#closed) return this.#closeError === undefined;
    const closed = new Promise<boolean>((resolve) => {
      this.#closeListeners.push(() => resolve(this.#closeError === undefined));
    });
    this.#socket.end();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const clean = await Promise.race([closed, late]);
    clearTimeout(timer);
    this.#socket.destroy();
    return clean;
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    const { frames } = this.#decoder.push(chunk);
    for (const frame of frames) {
      const message = decodeFrame(frame, { crcVariants: CRC_VARIANTS }).message;
      if (message?.cn !== '9014') continue;
      const qn = message.body.type === 'data-ack' ? (message.body.requestQn ?? message.qn) : message.qn;
      if (qn === undefined) continue;
      for (const waiter of this.#waiters) {
        if (waiter.qn !== qn) continue;
        if (message.mn !== undefined && waiter.mn !== null && message.mn !== waiter.mn) continue;
        waiter.settle('acked');
        break;
      }
    }
  }
}
