import { createServer, type Server, type Socket } from 'node:net';
import { dataAck, decodeFrame, encodeMessage, FrameDecoder } from '@qingyuan/hj212';
import { ForwardingRepository } from '@qingyuan/store';
import { expect, it } from 'vitest';
import { ForwardService } from '../src/index.js';
import {
  describeEachDialect,
  frameOf,
  insertPoint,
  sleep,
  startGateway,
  TestLogger,
  upload,
} from './helpers.js';

/** An upstream platform that acks by QN, records the raw frames, and can drop and come back on its port. */
class Upstream {
  readonly frames: string[] = [];
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  port = 0;
  dropAfter = Number.POSITIVE_INFINITY;

  async listen(): Promise<void> {
    const server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => undefined);
      const decoder = new FrameDecoder();
      socket.on('data', (chunk) => {
        for (const raw of decoder.push(chunk).frames) {
          this.frames.push(new TextDecoder().decode(raw.bytes));
          const message = decodeFrame(raw).message;
          if (message?.ackRequested) socket.write(encodeMessage(dataAck(message, '2017')));
          if (this.frames.length === this.dropAfter) void this.drop();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** Drops every connection and stops listening for a while, then listens again on the same port. */
  async drop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    await new Promise((r) => server?.close(r));
    await sleep(300);
    await this.listen();
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise((r) => this.#server?.close(r));
  }
}

describeEachDialect('gateway → upstream forwarding over TCP', (store) => {
  it('forwards the original bytes of accepted frames, in order, across an upstream that drops and returns', async () => {
    const { mn } = await insertPoint(store());
    const upstream = new Upstream();
    await upstream.listen();
    upstream.dropAfter = 3;
    await new ForwardingRepository(store()).createTarget(
      { name: `national-${mn}`, host: '127.0.0.1', port: upstream.port, waitAck: true, mns: [mn] },
      Date.now(),
    );
    const gateway = await startGateway(store());
    const forwarding = new ForwardService({
      store: store(),
      options: { pollIntervalMs: 50, reconnectBaseMs: 50, reconnectMaxMs: 200, ackTimeoutMs: 500 },
    });
    await forwarding.start();
    gateway.onCommitted(() => forwarding.notify());
    const logger = await TestLogger.connect(gateway.port);
    try {
      const sent: string[] = [];
      for (let i = 0; i < 8; i++) {
        const bytes = frameOf(upload(mn, '123456', { cn: '2061', dataTime: Date.UTC(2026, 10, 1, i) }));
        sent.push(new TextDecoder().decode(bytes));
        logger.send(bytes);
      }
      logger.send(frameOf(upload(mn, 'wrong-password')));
      await logger.waitForReplies(9);
      const deadline = Date.now() + 10_000;
      // The upstream's last 9014 may still be on its way when its frame has arrived: wait for both.
      const done = () =>
        sent.every((f) => upstream.frames.includes(f)) && (forwarding.stats()[0]?.acked ?? 0) >= 8;
      while (Date.now() < deadline && !done()) await sleep(50);
      // Every accepted frame arrived byte for byte; the refused one never did; order kept (first arrivals).
      const firsts = upstream.frames.filter((f, i) => upstream.frames.indexOf(f) === i);
      expect(firsts).toEqual(sent);
      const stats = forwarding.stats()[0];
      expect(stats?.reconnects).toBeGreaterThanOrEqual(1);
      expect(stats?.acked).toBeGreaterThanOrEqual(8);
    } finally {
      logger.close();
      await forwarding.stop();
      await gateway.stop();
      await upstream.close();
    }
  }, 30_000);
});
