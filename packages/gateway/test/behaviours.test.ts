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
 * Loggers over real TCP doing any mix of what loggers in the field do — uploads cut anywhere into TCP
 * segments, re-sends, uploads that ask for no ack, bad CRCs, wrong passwords, noise — and ending in any
 * of the three ways a connection ends: the logger waits for its answers, shuts its side down at once
 * (half-close), or drops the connection. Whatever the mix, the gateway acknowledges only what it stored,
 * answers every logger that is still listening, stores each upload once, and has no device online after.
 */

const PW = '123456';
/** The loggers of each round, one per point, each in its dialect (a 2005 logger's QN is inside CP). */
const DIALECTS: readonly ProtocolVersion[] = ['2017', '2005', '2025', '2017'];
const LOGGERS = DIALECTS.length;

/** `split-unfinished`: a split upload whose first sub-packet never comes. */
type Step = 'upload' | 'resend' | 'split' | 'split-unfinished' | 'no-ack' | 'bad-crc' | 'wrong-pw' | 'noise';
type Ending = 'wait' | 'half-close' | 'drop';

interface Script {
  readonly steps: readonly Step[];
  readonly ending: Ending;
  /** Where the script's bytes are cut into writes (fractions of its length). */
  readonly cuts: readonly number[];
  /** How long a logger that drops its connection waits after its last write. */
  readonly dropAfterMs: number;
}

const scriptArb: fc.Arbitrary<Script> = fc.record({
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
    {
      minLength: 1,
      maxLength: 6,
    },
  ),
  ending: fc.constantFrom<Ending>('wait', 'half-close', 'drop'),
  cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
  dropAfterMs: fc.integer({ min: 0, max: 15 }),
});

/** One hourly upload sent, and what the gateway owes for it. */
interface Sent {
  readonly qn: string;
  readonly dataTime: number;
  /** A factor it carries (a sub-packet: one of its own), and the value sent for it. */
  readonly factor: string;
  readonly value: number;
  /** Valid, from a registered device with its password: to be stored. */
  readonly valid: boolean;
  /** Valid and asking for an ack (Flag A = 1). */
  readonly wantsAck: boolean;
}

interface Played {
  readonly pointId: number;
  readonly ending: Ending;
  readonly sent: Sent[];
  /** QNs of the 9014s received, one per ack. */
  readonly acked: string[];
  /** The connection closed (for a logger that ended its side: the gateway closed it too). */
  closed: boolean;
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

  /** Plays one logger's script on its own connection; resolves when the connection is closed. */
  async function play(script: Script, point: Logger): Promise<Played> {
    const played: Played = {
      pointId: point.pointId,
      ending: script.ending,
      sent: [],
      acked: [],
      closed: false,
    };
    const parts: Uint8Array[] = [];
    let last: { bytes: Uint8Array; sent: Sent } | undefined;
    for (const step of script.steps) {
      if (step === 'resend') {
        // The last acked upload again (its ack lost, as the logger sees it); nothing before it: nothing.
        if (last !== undefined) {
          parts.push(last.bytes);
          played.sent.push(last.sent);
        }
        continue;
      }
      if (step === 'noise') {
        parts.push(new TextEncoder().encode('\x00garbage ## not a frame\r\n'));
        continue;
      }
      // Each upload its own hour (unique across the whole test) and QN.
      const dataTime = Date.UTC(2025, 0, 1) + hour * 3_600_000;
      const value = hour++ % 1000;
      // QNs a second apart: a split upload's sub-packets take the milliseconds after its QN.
      const qn = formatQn(Date.UTC(2025, 0, 1) + hour * 1000);
      // A split upload (PNUM/PNO, not in the 2005 dialect): enough factors for several sub-packets.
      const split = step.startsWith('split') && point.version !== '2005';
      const values: Record<string, number> = { a21026: value };
      if (split) for (let i = 0; i < 30; i++) values[`a9${String(i).padStart(4, '0')}`] = i;
      const input = upload(point.mn, step === 'wrong-pw' ? 'wrong!' : PW, {
        cn: '2061',
        dataTime,
        qn,
        values,
        version: point.version,
        ack: step !== 'no-ack',
      });
      if (split) {
        // Each sub-packet has its own QN and is acknowledged with it; they may arrive in any order.
        const all = encodeMessageSplit(input, { maxDataLength: 400 });
        for (const part of (step === 'split' ? all : all.slice(1)).reverse()) {
          const text = new TextDecoder().decode(part);
          const partQn = /QN=(\d+)/.exec(text)?.[1] as string;
          const [, factor, partValue] = /(a\d{5})-Avg=([\d.]+)/.exec(text) as RegExpExecArray;
          parts.push(part);
          played.sent.push({
            qn: partQn,
            dataTime,
            factor: factor as string,
            value: Number(partValue),
            valid: true,
            wantsAck: true,
          });
        }
        continue;
      }
      let bytes = frameOf(input);
      if (step === 'bad-crc') {
        const text = new TextDecoder().decode(bytes);
        const crc = text.slice(-6, -2);
        bytes = new TextEncoder().encode(`${text.slice(0, -6)}${crc === 'FFFF' ? '0000' : 'FFFF'}\r\n`);
      }
      const valid = step === 'upload' || step.startsWith('split') || step === 'no-ack';
      const sent: Sent = {
        qn,
        dataTime,
        factor: 'a21026',
        value,
        valid,
        wantsAck: valid && step !== 'no-ack',
      };
      played.sent.push(sent);
      parts.push(bytes);
      if (sent.wantsAck) last = { bytes, sent };
    }
    const all = Buffer.concat(parts);
    const cuts = [...new Set(script.cuts.map((c) => Math.floor(c * all.length)))].sort((a, b) => a - b);

    const socket: Socket = await new Promise((resolve, reject) => {
      const s = connect((gateway as Gateway).port, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    const decoder = new FrameDecoder();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      for (const frame of decoder.push(chunk).frames) {
        const reply = decodeFrame(frame).message;
        // The QN answered: in the header, or (2005) inside CP.
        const qn = /QN=(\d+)/.exec(new TextDecoder().decode(frame.bytes))?.[1];
        if (reply?.cn === '9014' && qn !== undefined) played.acked.push(qn);
      }
    });
    let from = 0;
    for (const cut of [...cuts, all.length]) {
      if (cut > from) socket.write(all.subarray(from, cut));
      from = Math.max(from, cut);
      await sleep(1);
    }
    const owed = countOwed(played);
    if (script.ending === 'drop') {
      if (script.dropAfterMs > 0) await sleep(script.dropAfterMs);
      socket.destroy();
    } else {
      // Half-close: the logger's side ends with its last byte. Wait: once its acks are in. Either way the
      // gateway reads every byte before our FIN, answers, and closes the connection itself.
      if (script.ending === 'half-close') socket.end();
      const deadline = Date.now() + 5000;
      while (played.acked.length < owed && Date.now() < deadline) await sleep(5);
      if (script.ending === 'wait') socket.end();
    }
    // A gateway that never closes a connection the logger ended would leave it half-open for good.
    played.closed = await Promise.race([closed.then(() => true), sleep(5000).then(() => false)]);
    if (!played.closed) socket.destroy();
    return played;
  }

  it('acks only what it stored, answers every logger still listening, stores each upload once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(scriptArb, { minLength: LOGGERS, maxLength: LOGGERS }), async (scripts) => {
        const g = gateway as Gateway;
        const played = await Promise.all(
          scripts.map((s, i) => play(s, points[i] as (typeof points)[number])),
        );
        // Whatever a dropped connection left behind is committed before the store is read.
        const deadline = Date.now() + 5000;
        while ((g.stats().sessions > 0 || g.stats().queuedFrames > 0) && Date.now() < deadline)
          await sleep(5);
        await g.queue.idle();
        expect(g.stats().sessions).toBe(0);
        expect(g.stats().online).toBe(0);

        const observations = repositories(store()).observations;
        if (process.env.QY_DEBUG_BEHAVIOUR)
          console.log(played.map((p) => `${p.ending}:${p.sent.length}/${p.acked.length}`).join(' '));
        for (const p of played) {
          expect(p.closed).toBe(true);
          const byQn = new Map(p.sent.map((s) => [s.qn, s]));
          // Acks only for valid uploads that asked for one; one ack per copy sent.
          for (const qn of p.acked) expect(byQn.get(qn)?.wantsAck).toBe(true);
          if (p.ending !== 'drop') expect(p.acked.length).toBe(countOwed(p));
          for (const s of new Map(p.sent.map((x) => [x.qn, x])).values()) {
            const rows = await observations.revisions('hour', p.pointId, s.factor, s.dataTime);
            // Acknowledged, or sent to a gateway that kept listening: stored, and once (re-sends too).
            const mustBeStored = p.acked.includes(s.qn) || (s.valid && p.ending !== 'drop');
            if (mustBeStored) expect(rows.map((r) => r.avg ?? r.rtd)).toEqual([s.value]);
            if (!s.valid) expect(rows).toEqual([]);
            expect(rows.length).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: Number(process.env.QY_BEHAVIOUR_RUNS ?? 30) },
    );
    // Every frame of the mix is in the archive's chain, and the chain holds.
    const archive = new RawFrameRepository(store());
    const today = beijingDay(Date.now());
    expect(await archive.verifyDay(today)).toMatchObject({ ok: true });
  }, 120_000);
});

/** 9014s the logger is owed: one per copy sent of a valid upload that asked for an ack. */
function countOwed(p: Played): number {
  return p.sent.filter((s) => s.wantsAck).length;
}
