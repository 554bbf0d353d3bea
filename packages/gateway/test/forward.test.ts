import { createServer, type Server, type Socket } from 'node:net';
import { dataAck, decodeFrame, encodeMessage, FrameDecoder, formatQn } from '@qingyuan/hj212';
import {
  ForwardingRepository,
  type FrameArrival,
  type FrameVerdict,
  RawFrameRepository,
  type Store,
} from '@qingyuan/store';
import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/test/dialects.js';
import { insertPoint } from '../../store/test/fixtures.js';
import { backoffDelay } from '../src/forward/backoff.js';
import { type ForwarderOptions, ForwardService } from '../src/index.js';
import { waitFor } from './helpers.js';

/** Short timings so that a drop, the backoff and the ack timeouts all happen within a second. */
const FAST: ForwarderOptions = {
  pollIntervalMs: 20,
  reconnectBaseMs: 20,
  reconnectMaxMs: 80,
  connectTimeoutMs: 1000,
  ackTimeoutMs: 80,
  ackRetries: 2,
  cursorFlushMs: 10,
  confirmAfterMs: 150,
  lagRefreshMs: 0,
  closeGraceMs: 500,
};

const T0 = Date.UTC(2026, 4, 10, 1, 0, 0);
let serial = 0;

interface Received {
  readonly connection: number;
  readonly qn: string;
  readonly mn: string;
  readonly cn: string;
}

/**
 * A fake upstream platform: records every frame it receives (per connection), answers 9014 to frames that
 * ask for one when `acks` is on, and can drop the connection after a number of frames and stop listening
 * for a while, then listen again on the same port.
 */
class FakeUpstream {
  readonly received: Received[] = [];
  acks: boolean;
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #connections = 0;
  port = 0;

  constructor(acks: boolean) {
    this.acks = acks;
  }

  get connections(): number {
    return this.#connections;
  }

  async listen(port = 0): Promise<void> {
    const server = createServer((socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.port = (server.address() as { port: number }).port;
  }

  /** Stops listening and drops every connection (a platform going down). */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server !== undefined) await new Promise((resolve) => server.close(resolve));
  }

  /** After `frames` more frames, go down for `downMs`, then listen again on the same port. */
  dropAfter(frames: number, downMs: number): Promise<void> {
    const target = this.received.length + frames;
    return new Promise((resolve) => {
      this.#onFrame = () => {
        if (this.received.length < target) return;
        this.#onFrame = undefined;
        void this.down().then(() => setTimeout(() => void this.listen(this.port).then(resolve), downMs));
      };
    });
  }

  #onFrame: (() => void) | undefined;

  #accept(socket: Socket): void {
    const connection = ++this.#connections;
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => undefined);
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      if (!this.#sockets.has(socket)) return;
      for (const frame of decoder.push(chunk).frames) {
        const message = decodeFrame(frame).message;
        if (message === undefined) continue;
        this.received.push({
          connection,
          qn: message.qn ?? '',
          mn: message.mn ?? '',
          cn: message.cn ?? '',
        });
        if (this.acks && message.ackRequested) socket.write(encodeMessage(dataAck(message, '2017')));
        this.#onFrame?.();
        if (!this.#sockets.has(socket)) return;
      }
    });
  }
}

/** A point of an enterprise in `region`. */
async function pointIn(store: Store, region: string): Promise<string> {
  const point = await insertPoint(store);
  await store.db
    .updateTable('enterprise')
    .set({ region_code: region })
    .where('id', '=', point.enterpriseId)
    .execute();
  return point.mn;
}

/** Archives HJ 212-2017 uploads (realistic frames from the encoder); returns id by QN, in order. */
async function archive(
  store: Store,
  frames: { mn: string; ack?: boolean; cn?: string; verdict?: FrameVerdict }[],
): Promise<{ id: number; qn: string; mn: string }[]> {
  const arrivals: FrameArrival[] = frames.map((f) => {
    serial++;
    const at = T0 + serial * 1000;
    const qn = formatQn(at);
    const cn = f.cn ?? (serial % 2 === 0 ? '2051' : '2011');
    const bytes = encodeMessage({
      qn,
      st: '31',
      cn,
      pw: '123456',
      mn: f.mn,
      flag: f.ack === true ? 5 : 4,
      cp: [[{ key: 'DataTime', value: '20260510090000' }], [{ key: 'a21026-Rtd', value: String(serial) }]],
    });
    return {
      receivedAt: at,
      peer: '10.1.1.1:5000',
      mn: f.mn,
      cn,
      qn,
      bytes,
      verdict: f.verdict ?? 'accepted',
    };
  });
  const out = await new RawFrameRepository(store).append(arrivals);
  return out.map((a, i) => ({ id: a.id, qn: arrivals[i]?.qn as string, mn: arrivals[i]?.mn as string }));
}

/** Ids of what the upstream received, in arrival order. */
function receivedIds(upstream: FakeUpstream, frames: { id: number; qn: string }[]): number[] {
  const byQn = new Map(frames.map((f) => [f.qn, f.id]));
  return upstream.received.map((r) => byQn.get(r.qn) ?? -1);
}

describe('forwarding backoff', () => {
  it('doubles up to the cap, with half of each delay random', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffDelay(n, 100, 1000, () => 0))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect([1, 2, 10].map((n) => backoffDelay(n, 100, 1000, () => 0.999999))).toEqual([100, 200, 1000]);
  });
});

describeEachDialect('upstream forwarding', (store) => {
  it('forwards accepted data uploads of the target region in id order and waits for each 9014', async () => {
    const s = store();
    const repo = new ForwardingRepository(s);
    const a = await pointIn(s, '420111'); // 洪山区 under 武汉市
    const b = await pointIn(s, '420106'); // 武昌区 under 武汉市
    const outside = await pointIn(s, '420202'); // 黄石: another city
    const upstream = new FakeUpstream(true);
    await upstream.listen();
    const target = await repo.createTarget(
      { name: 'wuhan', host: '127.0.0.1', port: upstream.port, waitAck: true, regions: ['420100'] },
      T0,
    );
    const service = new ForwardService({ store: s, options: FAST });
    try {
      const frames = await archive(s, [
        { mn: a, ack: true },
        { mn: b },
        { mn: outside, ack: true },
        { mn: a, ack: true, verdict: 'crc_error' },
        { mn: a, ack: true, verdict: 'duplicate' },
        { mn: b, cn: '9014' },
        { mn: a, cn: '1011' },
        { mn: b, ack: true, cn: '2061' },
        { mn: a },
        { mn: b, ack: true, cn: '3020' },
      ]);
      const expected = [0, 1, 7, 8, 9].map((i) => frames[i]?.id as number);
      await service.start();
      service.notify();
      await waitFor('five frames upstream', () => upstream.received.length >= 5);
      await waitFor('cursor', async () => (await repo.cursor(target.id)) >= (expected[4] as number));
      expect(receivedIds(upstream, frames)).toEqual(expected);
      const stats = service.stats()[0];
      expect(stats).toMatchObject({
        name: 'wuhan',
        connected: true,
        sent: 5,
        acked: 3,
        retries: 0,
        givenUp: 0,
      });
      await waitFor('lag 0', () => service.stats()[0]?.lagFrames === 0);
      expect(service.stats()[0]?.lagSeconds).toBe(0);
      // Frames committed later are forwarded on notify().
      const more = await archive(s, [{ mn: b, ack: true }]);
      service.notify();
      await waitFor('the later frame', () => upstream.received.length === 6);
      expect(receivedIds(upstream, more)[5]).toBe(more[0]?.id);
    } finally {
      await service.stop();
      await upstream.down();
      await repo.deleteTarget(target.id);
    }
  });

  it('forwarding to a fake upstream that drops and comes back: every frame arrives, in order, duplicates bounded', async () => {
    const s = store();
    const repo = new ForwardingRepository(s);
    const a = await pointIn(s, '420500');
    const b = await pointIn(s, '420500');
    const upstream = new FakeUpstream(false);
    await upstream.listen();
    const target = await repo.createTarget(
      { name: 'yichang', host: '127.0.0.1', port: upstream.port, mns: [a, b] },
      T0,
    );
    const service = new ForwardService({ store: s, options: { ...FAST, resendWindow: 50 } });
    try {
      const frames = await archive(
        s,
        Array.from({ length: 30 }, (_, i) => ({ mn: i % 3 === 0 ? b : a })),
      );
      const back = upstream.dropAfter(8, 200);
      await service.start();
      await back;
      await waitFor('every frame after the drop', () => {
        const ids = new Set(receivedIds(upstream, frames));
        return frames.every((f) => ids.has(f.id));
      });
      const live = service.stats()[0];
      expect(live?.reconnects).toBeGreaterThanOrEqual(1);
      expect(live?.retries).toBeGreaterThan(0);
      expect(live?.lastError).toMatch(/GATEWAY_E_FORWARD_(LOST|CONNECT)/);
      await service.stop();
      const ids = receivedIds(upstream, frames);
      expect(ids).not.toContain(-1);
      expect(upstream.connections).toBeGreaterThanOrEqual(2);
      // Within each connection the frames are in id order, so each device's frames are in order.
      for (let c = 1; c <= upstream.connections; c++) {
        const onConnection = upstream.received
          .map((r, i) => ({ r, id: ids[i] as number }))
          .filter((x) => x.r.connection === c)
          .map((x) => x.id);
        expect(onConnection).toEqual([...onConnection].sort((x, y) => x - y));
        expect(new Set(onConnection).size).toBe(onConnection.length);
      }
      // Only the frames not confirmed when the connection dropped are sent again: bounded duplicates.
      const duplicates = ids.length - new Set(ids).size;
      expect(duplicates).toBeLessThanOrEqual(50);
      expect(service.stats()).toEqual([]); // stopped
      expect(await repo.cursor(target.id)).toBe(frames[29]?.id);
      expect(await repo.lag(target.id, Date.now())).toMatchObject({ frames: 0 });
    } finally {
      await service.stop();
      await upstream.down();
      await repo.deleteTarget(target.id);
    }
  });

  it('waiting for 9014 across a drop: each frame is acknowledged, at most one sent twice per drop', async () => {
    const s = store();
    const repo = new ForwardingRepository(s);
    const a = await pointIn(s, '420600');
    const upstream = new FakeUpstream(true);
    await upstream.listen();
    const target = await repo.createTarget(
      { name: 'xiangyang', host: '127.0.0.1', port: upstream.port, waitAck: true, mns: [a] },
      T0,
    );
    const service = new ForwardService({ store: s, options: FAST });
    try {
      const frames = await archive(
        s,
        Array.from({ length: 12 }, () => ({ mn: a, ack: true })),
      );
      const back = upstream.dropAfter(5, 150);
      await service.start();
      await back;
      await waitFor('all twelve', () => new Set(receivedIds(upstream, frames)).size === 12);
      const ids = receivedIds(upstream, frames);
      expect(ids.length - new Set(ids).size).toBeLessThanOrEqual(1);
      expect(ids.filter((id, i) => i > 0 && id < (ids[i - 1] as number))).toEqual([]);
      await waitFor('acks counted', () => (service.stats()[0]?.acked ?? 0) >= 11);
      expect(service.stats()[0]?.reconnects).toBeGreaterThanOrEqual(1);
      expect(service.stats()[0]?.givenUp).toBe(0);
    } finally {
      await service.stop();
      await upstream.down();
      await repo.deleteTarget(target.id);
    }
  });

  it('while the upstream is unreachable: not connected, lag reported, connection retried with backoff', async () => {
    const s = store();
    const repo = new ForwardingRepository(s);
    const a = await pointIn(s, '420900');
    const gone = new FakeUpstream(false);
    await gone.listen();
    await gone.down(); // a port nobody listens on
    const target = await repo.createTarget(
      { name: 'xiaogan', host: '127.0.0.1', port: gone.port, mns: [a] },
      T0,
    );
    // A clock a day after the frames were received (whatever the machine's date), still advancing.
    const started = Date.now();
    const now = () => T0 + 86_400_000 + (Date.now() - started);
    const service = new ForwardService({ store: s, options: { ...FAST, now } });
    try {
      const frames = await archive(s, [{ mn: a }, { mn: a }, { mn: a }]);
      await service.start();
      await waitFor('lag counted', () => service.stats()[0]?.lagFrames === 3);
      const stats = service.stats()[0];
      expect(stats).toMatchObject({ connected: false, sent: 0, position: (frames[0]?.id as number) - 1 });
      expect(stats?.lagSeconds).toBeGreaterThanOrEqual(86_400 - 600);
      expect(stats?.lastError).toContain('GATEWAY_E_FORWARD_CONNECT');
      // It comes up: everything pending goes out.
      await gone.listen(gone.port);
      await waitFor('the three frames', () => gone.received.length === 3);
      expect(service.stats()[0]?.reconnects).toBe(1);
    } finally {
      await service.stop();
      await gone.down();
      await repo.deleteTarget(target.id);
    }
  });

  it('a restarted service continues from the durable cursor', async () => {
    const s = store();
    const repo = new ForwardingRepository(s);
    const a = await pointIn(s, '420700');
    const upstream = new FakeUpstream(false);
    await upstream.listen();
    const target = await repo.createTarget(
      { name: 'ezhou', host: '127.0.0.1', port: upstream.port, mns: [a] },
      T0,
    );
    try {
      const first = await archive(
        s,
        Array.from({ length: 5 }, () => ({ mn: a })),
      );
      const one = new ForwardService({ store: s, options: FAST });
      await one.start();
      await waitFor('first five', () => upstream.received.length === 5);
      await one.stop();
      expect(await repo.cursor(target.id)).toBe(first[4]?.id);

      const second = await archive(
        s,
        Array.from({ length: 4 }, () => ({ mn: a })),
      );
      const two = new ForwardService({ store: s, options: FAST });
      await two.start();
      await waitFor('next four', () => upstream.received.length >= 9);
      await two.stop();
      // A graceful stop wrote the whole position: nothing is sent twice.
      expect(receivedIds(upstream, [...first, ...second])).toEqual([...first, ...second].map((f) => f.id));
      expect(await repo.cursor(target.id)).toBe(second[3]?.id);
    } finally {
      await upstream.down();
      await repo.deleteTarget(target.id);
    }
  });

  it('an upstream that never acknowledges: frames are given up after the attempts, recorded, and forwarding goes on', async () => {
    const s = store();
    const repo = new ForwardingRepository(s);
    const a = await pointIn(s, '420800');
    const upstream = new FakeUpstream(false);
    await upstream.listen();
    const target = await repo.createTarget(
      { name: 'jingmen', host: '127.0.0.1', port: upstream.port, waitAck: true, mns: [a] },
      T0,
    );
    const service = new ForwardService({ store: s, options: FAST });
    try {
      const frames = await archive(s, [{ mn: a, ack: true }, { mn: a }, { mn: a, ack: true }, { mn: a }]);
      await service.start();
      await waitFor(
        'cursor past the last frame',
        async () => (await repo.cursor(target.id)) >= (frames[3]?.id as number),
      );
      // 1 + ackRetries (2) sends of each frame that asked for a 9014, one of each other frame.
      expect(receivedIds(upstream, frames)).toEqual([
        frames[0]?.id,
        frames[0]?.id,
        frames[0]?.id,
        frames[1]?.id,
        frames[2]?.id,
        frames[2]?.id,
        frames[2]?.id,
        frames[3]?.id,
      ]);
      const givenUp = await repo.givenUp(target.id);
      expect(givenUp.map((g) => g.frameId)).toEqual([frames[2]?.id, frames[0]?.id]);
      expect(givenUp[0]).toMatchObject({
        attempts: 3,
        lastError: expect.stringContaining('GATEWAY_E_FORWARD_NO_ACK'),
      });
      expect(service.stats()[0]).toMatchObject({ sent: 8, acked: 0, retries: 4, givenUp: 2 });
      expect(service.stats()[0]?.lastError).toContain('GATEWAY_E_FORWARD_NO_ACK');
    } finally {
      await service.stop();
      await upstream.down();
      await repo.deleteTarget(target.id);
    }
  });

  it('each target gets only its region subtree; a disabled target nothing; reload applies changes', async () => {
    const s = store();
    const repo = new ForwardingRepository(s);
    const huangshi = await pointIn(s, '420281'); // 大冶市 under 黄石市 420200
    const shiyan = await pointIn(s, '420302'); // 茅箭区 under 十堰市 420300
    const up1 = new FakeUpstream(false);
    const up2 = new FakeUpstream(false);
    await up1.listen();
    await up2.listen();
    const t1 = await repo.createTarget(
      { name: 'huangshi', host: '127.0.0.1', port: up1.port, regions: ['420200'] },
      T0,
    );
    const t2 = await repo.createTarget(
      { name: 'shiyan', host: '127.0.0.1', port: up2.port, regions: ['420300'], enabled: false },
      T0,
    );
    const service = new ForwardService({ store: s, options: FAST });
    try {
      const frames = await archive(s, [{ mn: huangshi }, { mn: shiyan }, { mn: huangshi }, { mn: shiyan }]);
      await service.start();
      await waitFor('黄石 frames', () => up1.received.length === 2);
      expect(receivedIds(up1, frames)).toEqual([frames[0]?.id, frames[2]?.id]);
      expect(service.stats().map((x) => x.name)).toEqual(['huangshi']);
      // Enabling the second target later: it starts from its cursor (created before the frames).
      await repo.updateTarget(t2.id, { enabled: true }, T0 + 1);
      await service.reload();
      await waitFor('十堰 frames', () => up2.received.length === 2);
      expect(receivedIds(up2, frames)).toEqual([frames[1]?.id, frames[3]?.id]);
      expect(up1.received).toHaveLength(2);
      expect(service.stats().map((x) => x.name)).toEqual(['huangshi', 'shiyan']);
    } finally {
      await service.stop();
      await up1.down();
      await up2.down();
      await repo.deleteTarget(t1.id);
      await repo.deleteTarget(t2.id);
    }
  });
});
