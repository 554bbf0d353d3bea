import { connect, type Socket } from 'node:net';
import {
  decodeFrame,
  encodeMessageSplit,
  FrameDecoder,
  formatQn,
  type ProtocolVersion,
} from '@qingyuan/hj212';
import { beijingDay, RawFrameRepository, repositories } from '@qingyuan/store';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Gateway } from '../src/index.js';
import { describeEachDialect, frameOf, insertPoint, sleep, startGateway, upload } from './helpers.js';

/**
 * Loggers over real TCP doing any mix of what loggers in the field do — real-time, minute and hour uploads
 * cut anywhere into TCP segments, re-sends, uploads that ask for no ack, split uploads (whole or never
 * finished), bad CRCs, wrong passwords, noise — ending each connection in any of the three ways one ends
 * (the logger waits for its answers, shuts its side down at once, or drops it) and reconnecting to send
 * again what was not answered. Whatever the mix, the gateway acknowledges only what it stored, answers
 * every logger that is still listening, stores each upload once, and has no device online after.
 */

const PW = '123456';
/** The loggers of each round, one per point, each in its dialect (a 2005 logger's QN is inside CP). */
const DIALECTS: readonly ProtocolVersion[] = ['2017', '2005', '2025', '2017'];
const LOGGERS = DIALECTS.length;
/**
 * One more logger shares the first one's MN (a second logger set up with the same MN, or the same logger's
 * old connection still open): the newest connection wins, and the one it replaced may close before it
 * answers what it read last, so the two are not held to every answer.
 */
const TWIN_OF = 0;
/** Uploads take these CNs in turn: real-time (stored as packs), minute and hour data (rows). */
const CNS = [
  { cn: '2011', period: 'realtime' },
  { cn: '2051', period: 'minute' },
  { cn: '2061', period: 'hour' },
] as const;

/** `split-unfinished`: a split upload whose first sub-packet never comes. */
type Step = 'upload' | 'resend' | 'split' | 'split-unfinished' | 'no-ack' | 'bad-crc' | 'wrong-pw' | 'noise';
type Ending = 'wait' | 'half-close' | 'drop';

/** One connection of a logger. */
interface Visit {
  readonly steps: readonly Step[];
  readonly ending: Ending;
  /** Where the connection's bytes are cut into writes (fractions of their length). */
  readonly cuts: readonly number[];
  /** How long a logger that drops its connection waits after its last write. */
  readonly dropAfterMs: number;
}

const visitArb: fc.Arbitrary<Visit> = fc.record({
  steps: fc.array(
    fc.constantFrom<Step>(
      'upload',
      'upload',
      'resend',
      'split',
      'split-unfinished',
      'no-ack',
      'bad-crc',
      'wrong-pw',
      'noise',
    ),
    { minLength: 1, maxLength: 6 },
  ),
  ending: fc.constantFrom<Ending>('wait', 'half-close', 'drop'),
  cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
  dropAfterMs: fc.integer({ min: 0, max: 15 }),
});

/** A logger's connections, one after another; each later one first re-sends what is still unanswered. */
const scriptArb = fc.array(visitArb, { minLength: 1, maxLength: 3 });

/** One frame of an upload, as sent (a re-send sends the same frame again). */
interface Sent {
  readonly qn: string;
  readonly bytes: Uint8Array;
  readonly period: (typeof CNS)[number]['period'];
  readonly dataTime: number;
  /** A factor it carries (a sub-packet: one of its own), and the value sent for it. */
  readonly factor: string;
  readonly value: number;
  /** Valid, from a registered device with its password: to be stored. */
  readonly valid: boolean;
  /** Valid and asking for an ack (Flag A = 1). */
  readonly wantsAck: boolean;
}

/** What one logger did and got over its connections. */
interface Played {
  readonly pointId: number;
  /** Every frame sent, a copy per send. */
  readonly sent: Sent[];
  /** QNs of every 9014 received, one per ack. */
  readonly acked: string[];
  /** QNs of valid frames sent on a connection the logger did not drop: the gateway read them all. */
  readonly listenedTo: Set<string>;
  /** Per connection the logger ended (did not drop): 9014s owed and received on it. */
  readonly answered: { owed: number; got: number }[];
  /** Every connection closed (one the logger ended: the gateway closed it too). */
  closed: boolean;
  /** Shares its MN with another logger of the round (TWIN_OF). */
  readonly twin: boolean;
}

interface Logger {
  readonly mn: string;
  readonly pointId: number;
  readonly version: ProtocolVersion;
}

describeEachDialect('gateway over TCP, any mix of logger behaviour', (store) => {
  let gateway: Gateway | undefined;
  let points: Logger[] = [];
  let hour = 0;

  beforeAll(async () => {
    points = [];
    for (const version of DIALECTS) {
      const point = await insertPoint(store());
      await store()
        .db.updateTable('monitoring_point')
        .set({ protocol_version: version })
        .where('id', '=', point.pointId)
        .execute();
      points.push({ ...point, version });
    }
    // Wrong passwords are part of the mix: the address must not be throttled for them.
    gateway = await startGateway(store(), { authFailureLimit: 1_000_000 });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  /** The frames of one step (none for a re-send with nothing before it). */
  function framesOf(step: Step, logger: Logger, last: Sent | undefined): Sent[] {
    if (step === 'resend') return last === undefined ? [] : [last];
    if (step === 'noise') {
      const bytes = new TextEncoder().encode('\x00garbage ## not a frame\r\n');
      return [
        { qn: '', bytes, period: 'hour', dataTime: 0, factor: '', value: 0, valid: false, wantsAck: false },
      ];
    }
    // Each upload its own instant (unique across the whole test), CN and QN (a second apart: a split upload's
    // sub-packets take the milliseconds after its QN).
    const { cn, period } = CNS[hour % CNS.length] as (typeof CNS)[number];
    const dataTime = Date.UTC(2025, 0, 1) + hour * 3_600_000;
    const value = hour % 1000;
    const qn = formatQn(Date.UTC(2025, 0, 1) + hour * 1000);
    hour++;
    // A split upload (PNUM/PNO, not in the 2005 dialect): enough factors for several sub-packets.
    const split = step.startsWith('split') && logger.version !== '2005';
    const values: Record<string, number> = { a21026: value };
    if (split) for (let i = 0; i < 30; i++) values[`a9${String(i).padStart(4, '0')}`] = i;
    const input = upload(logger.mn, step === 'wrong-pw' ? 'wrong!' : PW, {
      cn,
      dataTime,
      qn,
      values,
      version: logger.version,
      ack: step !== 'no-ack',
    });
    if (split) {
      // Each sub-packet has its own QN and is acknowledged with it; they may arrive in any order.
      const parts = encodeMessageSplit(input, { maxDataLength: 400 });
      return (step === 'split' ? parts : parts.slice(1)).reverse().map((bytes) => {
        const text = new TextDecoder().decode(bytes);
        const [, factor, partValue] = /(a\d{5})-(?:Avg|Rtd)=([\d.]+)/.exec(text) as RegExpExecArray;
        return {
          qn: qnOf(bytes) as string,
          bytes,
          period,
          dataTime,
          factor: factor as string,
          value: Number(partValue),
          valid: true,
          wantsAck: true,
        };
      });
    }
    let bytes = frameOf(input);
    if (step === 'bad-crc') {
      const text = new TextDecoder().decode(bytes);
      const crc = text.slice(-6, -2);
      bytes = new TextEncoder().encode(`${text.slice(0, -6)}${crc === 'FFFF' ? '0000' : 'FFFF'}\r\n`);
    }
    // A 2005 logger's split step sends its upload whole.
    const valid = step === 'upload' || step.startsWith('split') || step === 'no-ack';
    return [
      { qn, bytes, period, dataTime, factor: 'a21026', value, valid, wantsAck: valid && step !== 'no-ack' },
    ];
  }

  /** One connection: what is still unanswered first, then the visit's steps, then its ending. */
  async function visit(v: Visit, logger: Logger, played: Played): Promise<void> {
    const frames: Sent[] = [];
    const unanswered = new Map<string, Sent>();
    for (const s of played.sent) if (s.wantsAck && !played.acked.includes(s.qn)) unanswered.set(s.qn, s);
    frames.push(...unanswered.values());
    let last = [...played.sent].reverse().find((s) => s.wantsAck && s.factor === 'a21026');
    for (const step of v.steps) {
      const made = framesOf(step, logger, last);
      frames.push(...made);
      if (step !== 'resend' && made.length === 1 && made[0]?.wantsAck) last = made[0];
    }
    played.sent.push(...frames.filter((f) => f.qn !== ''));
    const all = Buffer.concat(frames.map((f) => f.bytes));
    const cuts = [...new Set(v.cuts.map((c) => Math.floor(c * all.length)))].sort((a, b) => a - b);

    const socket: Socket = await new Promise((resolve, reject) => {
      const s = connect((gateway as Gateway).port, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    const decoder = new FrameDecoder();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const answered = { owed: frames.filter((f) => f.wantsAck).length, got: 0 };
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      for (const frame of decoder.push(chunk).frames) {
        const reply = decodeFrame(frame).message;
        const qn = qnOf(frame.bytes);
        if (reply?.cn !== '9014' || qn === undefined) continue;
        played.acked.push(qn);
        answered.got++;
      }
    });
    let from = 0;
    for (const cut of [...cuts, all.length]) {
      if (cut > from) socket.write(all.subarray(from, cut));
      from = Math.max(from, cut);
      await sleep(1);
    }
    if (v.ending === 'drop') {
      if (v.dropAfterMs > 0) await sleep(v.dropAfterMs);
      socket.destroy();
    } else {
      // Half-close: the logger's side ends with its last byte. Wait: once its acks are in. Either way the
      // gateway reads every byte before our FIN, answers, and closes the connection itself.
      if (v.ending === 'half-close') socket.end();
      const deadline = Date.now() + (played.twin ? 300 : 5000);
      while (answered.got < answered.owed && Date.now() < deadline) await sleep(5);
      if (v.ending === 'wait') socket.end();
      for (const f of frames) if (f.valid) played.listenedTo.add(f.qn);
      played.answered.push(answered);
    }
    // A gateway that never closes a connection the logger ended would leave it half-open for good.
    const wasClosed = await Promise.race([closed.then(() => true), sleep(5000).then(() => false)]);
    if (!wasClosed) socket.destroy();
    played.closed &&= wasClosed;
  }

  async function play(script: readonly Visit[], logger: Logger, twin: boolean): Promise<Played> {
    const played: Played = {
      twin,
      pointId: logger.pointId,
      sent: [],
      acked: [],
      listenedTo: new Set(),
      answered: [],
      closed: true,
    };
    for (const v of script) await visit(v, logger, played);
    return played;
  }

  it('acks only what it stored, answers every logger still listening, stores each upload once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(scriptArb, { minLength: LOGGERS + 1, maxLength: LOGGERS + 1 }),
        async (scripts) => {
          const g = gateway as Gateway;
          const played = await Promise.all(
            scripts.map((s, i) =>
              i < LOGGERS
                ? play(s, points[i] as Logger, i === TWIN_OF)
                : play(s, points[TWIN_OF] as Logger, true),
            ),
          );
          // Whatever a dropped connection left behind is committed before the store is read.
          const deadline = Date.now() + 5000;
          while ((g.stats().sessions > 0 || g.stats().queuedFrames > 0) && Date.now() < deadline)
            await sleep(5);
          await g.queue.idle();
          expect(g.stats().sessions).toBe(0);
          expect(g.stats().online).toBe(0);

          const observations = repositories(store()).observations;
          for (const p of played) {
            expect(p.closed).toBe(true);
            const byQn = new Map(p.sent.map((s) => [s.qn, s]));
            // Acks only for valid uploads that asked for one; on a connection the logger kept, one per copy.
            for (const qn of p.acked) expect(byQn.get(qn)?.wantsAck).toBe(true);
            if (!p.twin) for (const a of p.answered) expect(a.got).toBe(a.owed);
            for (const s of byQn.values()) {
              const rows = await observations.revisions(s.period, p.pointId, s.factor, s.dataTime);
              // Acknowledged, or sent to a gateway that kept listening: stored, and once (re-sends too).
              if (p.acked.includes(s.qn) || p.listenedTo.has(s.qn))
                expect(rows.map((r) => r.avg ?? r.rtd)).toEqual([s.value]);
              if (!s.valid) expect(rows).toEqual([]);
              expect(rows.length).toBeLessThanOrEqual(1);
            }
          }
        },
      ),
      { numRuns: Number(process.env.QY_BEHAVIOUR_RUNS ?? 30) },
    );
    // Every frame of the mix is in the archive's chain, and the chain holds.
    const archive = new RawFrameRepository(store());
    expect(await archive.verifyDay(beijingDay(Date.now()))).toMatchObject({ ok: true });
  }, 120_000);
});

/** A frame's QN: in the header, or (a 2005 reply) inside CP. */
function qnOf(bytes: Uint8Array): string | undefined {
  return /QN=(\d+)/.exec(new TextDecoder().decode(bytes))?.[1];
}
