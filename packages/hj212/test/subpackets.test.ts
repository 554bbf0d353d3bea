import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AssembledMessage, type Message, parseDataSegment, SubPacketAssembler } from '../src/index.js';

const MN = '010000A8900016F000169DC0';
const DATA_TIME = 'DataTime=20160801080000';
const codes = (list: readonly { code: string }[]): string[] => list.map((d) => d.code);
/** A 14-character (2005-style) MN for a short tag. */
const mn = (tag: string): string => tag.padEnd(14, '0');

/** Sub-packet `pno` of `pnum` of a 2061 upload (Flag=7, 表 C.50 style: its own QN, DataTime repeated). */
function part(
  pno: number,
  pnum: number,
  items: string,
  options: { mn?: string; cn?: string; qn?: string } = {},
): Message {
  const qn = options.qn ?? `2016080108585753${pno}`;
  const text = `QN=${qn};ST=32;CN=${options.cn ?? '2061'};PW=123456;MN=${options.mn ?? MN};Flag=7;PNUM=${pnum};PNO=${pno};CP=&&${DATA_TIME};${items}&&`;
  const parsed = parseDataSegment(text);
  expect(parsed.diagnostics).toEqual([]);
  return parsed.message;
}

const item = (code: string, avg: number) => `${code}-Avg=${avg},${code}-Flag=N`;
const one = (out: AssembledMessage[]): AssembledMessage => {
  expect(out).toHaveLength(1);
  return out[0] as AssembledMessage;
};
const factorCodes = (a: AssembledMessage): string[] =>
  a.message.body.type === 'observations' ? a.message.body.factors.map((f) => f.code) : [];

describe('SubPacketAssembler', () => {
  it('passes unsplit messages through at once', () => {
    const assembler = new SubPacketAssembler();
    const plain = parseDataSegment(
      `QN=20160801085857223;ST=32;CN=2061;PW=1;MN=${MN};Flag=5;CP=&&${DATA_TIME}&&`,
    ).message;
    expect(assembler.push(plain, 0)).toEqual([
      {
        message: plain,
        parts: [{ pno: 1, qn: '20160801085857223' }],
        missing: [],
        complete: true,
        diagnostics: [],
      },
    ]);
    // PNUM=1 is a whole message too.
    expect(one(assembler.push(part(1, 1, item('w01018', 1)), 0)).complete).toBe(true);
    expect(assembler.pending).toBe(0);
  });

  it('reassembles parts that arrive out of order, CP in PNO order, DataTime once', () => {
    const assembler = new SubPacketAssembler();
    expect(assembler.push(part(3, 3, item('w21003', 3)), 0)).toEqual([]);
    expect(assembler.push(part(1, 3, item('w00000', 1)), 1)).toEqual([]);
    expect(assembler.pending).toBe(1);
    const done = one(assembler.push(part(2, 3, item('w01018', 2)), 2));
    expect(done.complete).toBe(true);
    expect(done.missing).toEqual([]);
    expect(done.diagnostics).toEqual([]);
    expect(done.parts.map((p) => p.pno)).toEqual([1, 2, 3]);
    expect(done.parts.map((p) => p.qn)).toEqual([
      '20160801085857531',
      '20160801085857532',
      '20160801085857533',
    ]);
    expect(done.message.qn).toBe('20160801085857531');
    expect(factorCodes(done)).toEqual(['w00000', 'w01018', 'w21003']);
    expect(done.message.cp.flat().filter((f) => f.key === 'DataTime')).toHaveLength(1);
    expect(done.message.body).toMatchObject({ dataTime: Date.UTC(2016, 7, 1, 0, 0, 0) });
    expect(assembler.pending).toBe(0);
  });

  it('ignores a repeated part (HJ212_E_SUBPACKET_DUPLICATE)', () => {
    const assembler = new SubPacketAssembler();
    assembler.push(part(1, 2, item('w00000', 1)), 0);
    expect(assembler.push(part(1, 2, item('w00000', 1)), 1)).toEqual([]);
    const done = one(assembler.push(part(2, 2, item('w01018', 2)), 2));
    expect(done.complete).toBe(true);
    expect(codes(done.diagnostics)).toEqual(['HJ212_E_SUBPACKET_DUPLICATE']);
    expect(done.diagnostics[0]?.severity).toBe('info');
    expect(done.diagnostics[0]?.detail).toMatchObject({ pno: 1 });
    expect(factorCodes(done)).toEqual(['w00000', 'w01018']);
  });

  it('a part re-sent after its message completed (a lost 9014) opens no phantom message', () => {
    const assembler = new SubPacketAssembler({ timeoutMs: 1000 });
    assembler.push(part(1, 2, item('w00000', 1)), 0);
    expect(one(assembler.push(part(2, 2, item('w01018', 2)), 1)).complete).toBe(true);
    expect(assembler.push(part(2, 2, item('w01018', 2)), 2)).toEqual([]);
    expect(assembler.pending).toBe(0);
    expect(assembler.expire(5000)).toEqual([]);
    // After the memory expires, the same part starts a new message again (a real re-upload).
    expect(assembler.push(part(2, 2, item('w01018', 2)), 6000)).toEqual([]);
    expect(assembler.pending).toBe(1);
    // A new message reusing the key with other content is a new message, not a repeat.
    const other = new SubPacketAssembler();
    other.push(part(1, 2, item('w00000', 1)), 0);
    other.push(part(2, 2, item('w01018', 2)), 1);
    other.push(part(1, 2, item('w00000', 9), { qn: '20160801095857531' }), 2);
    expect(other.pending).toBe(1);
  });

  it('closes the old message when a PNO arrives again with other content (HJ212_E_SUBPACKET_CONFLICT)', () => {
    const assembler = new SubPacketAssembler();
    assembler.push(part(1, 3, item('w00000', 1)), 0);
    assembler.push(part(2, 3, item('w01018', 2)), 0);
    const closed = one(assembler.push(part(1, 3, item('w00000', 9)), 5));
    expect(closed.complete).toBe(false);
    expect(closed.missing).toEqual([3]);
    expect(codes(closed.diagnostics)).toEqual(['HJ212_E_SUBPACKET_CONFLICT', 'HJ212_E_SUBPACKET_GAP']);
    expect(closed.message.body).toMatchObject({ factors: [{ values: { Avg: 1 } }, { code: 'w01018' }] });
    // The new part began a new message.
    expect(assembler.pending).toBe(1);
    assembler.push(part(2, 3, item('w01018', 8)), 6);
    const fresh = one(assembler.push(part(3, 3, item('w21003', 7)), 7));
    expect(fresh.complete).toBe(true);
    expect(fresh.message.body).toMatchObject({
      factors: [{ values: { Avg: 9 } }, { values: { Avg: 8 } }, { values: { Avg: 7 } }],
    });
  });

  it('expire(now) closes messages whose parts did not all arrive in time, naming the missing ones', () => {
    const assembler = new SubPacketAssembler();
    assembler.push(part(2, 4, item('w01018', 2)), 1000);
    expect(assembler.expire(1000 + 119_999)).toEqual([]);
    const late = one(assembler.expire(1000 + 120_000));
    expect(late.complete).toBe(false);
    expect(late.missing).toEqual([1, 3, 4]);
    expect(late.parts).toEqual([{ pno: 2, qn: '20160801085857532' }]);
    const gap = late.diagnostics.find((d) => d.code === 'HJ212_E_SUBPACKET_GAP');
    expect(gap?.detail).toEqual({ pnum: 4, missing: [1, 3, 4] });
    expect(gap?.severity).toBe('warning');
    expect(assembler.pending).toBe(0);
  });

  it('push() expires first, with a configurable timeout', () => {
    const assembler = new SubPacketAssembler({ timeoutMs: 10 });
    assembler.push(part(1, 2, item('w00000', 1), { mn: mn('A') }), 0);
    const out = assembler.push(part(1, 2, item('w00000', 1), { mn: mn('B') }), 10);
    expect(out).toHaveLength(1);
    expect(out[0]?.message.mn).toBe(mn('A'));
    expect(out[0]?.missing).toEqual([2]);
    expect(assembler.pending).toBe(1);
    // An unsplit message expires what is held too (B's part, now overdue), and comes after it.
    const whole = assembler.push(part(1, 1, item('w01018', 1), { mn: mn('C') }), 20);
    expect(whole.map((a) => [a.message.mn, a.complete])).toEqual([
      [mn('B'), false],
      [mn('C'), true],
    ]);
    expect(assembler.pending).toBe(0);
  });

  it('keys parts by MN, CN and PNUM', () => {
    const assembler = new SubPacketAssembler();
    assembler.push(part(1, 2, item('w00000', 1), { mn: mn('A') }), 0);
    assembler.push(part(1, 2, item('w00000', 1), { mn: mn('B') }), 0);
    assembler.push(part(1, 2, item('w00000', 1), { mn: mn('A'), cn: '2051' }), 0);
    assembler.push(part(1, 3, item('w00000', 1), { mn: mn('A') }), 0);
    expect(assembler.pending).toBe(4);
    const done = one(assembler.push(part(2, 2, item('w01018', 2), { mn: mn('B') }), 0));
    expect(done.message.mn).toBe(mn('B'));
    expect(assembler.pending).toBe(3);
  });

  it('holds at most maxPending messages, closing the oldest', () => {
    const assembler = new SubPacketAssembler({ maxPending: 2 });
    assembler.push(part(1, 2, item('w00000', 1), { mn: mn('A') }), 0);
    assembler.push(part(1, 2, item('w00000', 1), { mn: mn('B') }), 1);
    const evicted = one(assembler.push(part(1, 2, item('w00000', 1), { mn: mn('C') }), 2));
    expect(evicted.message.mn).toBe(mn('A'));
    expect(evicted.complete).toBe(false);
    expect(codes(evicted.diagnostics)).toContain('HJ212_E_SUBPACKET_GAP');
    expect(assembler.pending).toBe(2);
    for (let i = 0; i < 100; i++) {
      assembler.push(part(1, 2, item('w00000', 1), { mn: mn(`M${i}`) }), 3);
      expect(assembler.pending).toBeLessThanOrEqual(2);
    }
  });

  it('flush() closes everything held', () => {
    const assembler = new SubPacketAssembler();
    assembler.push(part(1, 2, item('w00000', 1), { mn: mn('A') }), 0);
    assembler.push(part(2, 3, item('w00000', 1), { mn: mn('B') }), 0);
    const out = assembler.flush();
    expect(out.map((a) => [a.message.mn, a.missing])).toEqual([
      [mn('A'), [2]],
      [mn('B'), [1, 3]],
    ]);
    expect(assembler.pending).toBe(0);
    expect(assembler.flush()).toEqual([]);
  });

  it('any arrival order with repeats restores the whole message exactly once', () => {
    const codes2017 = [
      'w00000',
      'w01001',
      'w01018',
      'w21003',
      'w21011',
      'w21001',
      'a21026',
      'a21002',
      'a34013',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        (pnum, order) => {
          const parts = Array.from({ length: pnum }, (_, i) =>
            part(i + 1, pnum, item(codes2017[i] as string, i)),
          );
          // Every part once, in random order, with random repeats in between.
          const sequence = [...parts.keys()].sort(
            (a, b) => ((order[a % order.length] ?? 0) ^ a) - ((order[b % order.length] ?? 0) ^ b),
          );
          // A repeat of the part that completes the message would open a new one (see the report), so
          // parts are repeated only before the last arrives.
          const withRepeats = sequence.flatMap((i, k) =>
            k < sequence.length - 1 && (order[k % order.length] ?? 0) % 3 === 0 ? [i, i] : [i],
          );
          const assembler = new SubPacketAssembler();
          const done = withRepeats.flatMap((i, t) => assembler.push(parts[i] as Message, t));
          expect(done).toHaveLength(1);
          const result = done[0] as AssembledMessage;
          expect(result.complete).toBe(true);
          expect(factorCodes(result)).toEqual(codes2017.slice(0, pnum));
          expect(result.message.cp.flat().filter((f) => f.key === 'DataTime')).toHaveLength(1);
          expect(codes(result.diagnostics).every((c) => c === 'HJ212_E_SUBPACKET_DUPLICATE')).toBe(true);
          expect(assembler.pending).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
