import { describe, expect, it } from 'vitest';
import {
  type BodyType,
  type DecodedFrame,
  decodeOneFrame,
  decodeStream,
  type Message,
  SubPacketAssembler,
} from '../src/index.js';
import { concatBytes, SAMPLES, type Sample, sample, segmentOf } from './samples.js';

const codes = (list: readonly { code: string }[]): string[] => list.map((d) => d.code);
const beijing = (y: number, mo: number, d: number, h: number, mi: number, s: number): number =>
  Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3600 * 1000;

function messageOf(decoded: DecodedFrame): Message {
  if (decoded.message === undefined) throw new Error('no message decoded');
  return decoded.message;
}

/** Header fields read straight from the packet text (everything before "CP=&&", split on ";"). */
function headerFromText(text: string): Record<string, string> {
  const segment = segmentOf(text);
  const head = segment.slice(0, segment.indexOf('CP=&&'));
  const fields: Record<string, string> = {};
  for (const part of head.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    fields[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return fields;
}

/** The body a packet's CN defines for a data logger's packet (HJ 212-2017 表 9, 2005 命令列表). */
const UPLOAD_BODY: Readonly<Record<string, BodyType>> = {
  '1013': 'time-calibration-request',
  '2011': 'observations',
  '2021': 'run-state',
  '2051': 'observations',
  '2061': 'observations',
  '2072': 'alarm',
  '3020': 'device-info',
  '9011': 'request-reply',
  '9012': 'execution-result',
  '9013': 'notice-reply',
  '9014': 'data-ack',
};

/** Platform requests in the file carry request parameters (BeginTime…, RtdInterval) as CP. */
const isPlatformRequest = (text: string): boolean => /CP=&&(BeginTime|RtdInterval)=/.test(text);

describe('the sample file', () => {
  it('holds packets, each with a CRC verdict and length facts in its comment', () => {
    expect(SAMPLES.length).toBeGreaterThanOrEqual(25);
    for (const s of SAMPLES) {
      expect(s.crc, `line ${s.line}: CRC verdict not recognised in "${s.comment}"`).toBeDefined();
      expect(s.length, `line ${s.line}: length facts not recognised`).toBeDefined();
    }
    // The file covers each verdict at least once.
    const kinds = new Set(SAMPLES.map((s) => s.crc?.kind));
    expect([...kinds].sort()).toEqual(['mismatch', 'modbus', 'verified']);
  });
});

describe.each(SAMPLES.map((s) => [`line ${s.line}: ${s.text.slice(0, 48)}…`, s] as const))(
  '%s',
  (_, s: Sample) => {
    const decoded = decodeOneFrame(s.wire);

    it('has the length the comment states', () => {
      const claim = s.length;
      if (claim === undefined) throw new Error('no length claim');
      expect(decoded.frame.length.declared).toBe(claim.declared);
      expect(decoded.frame.length.bytes).toBe(claim.bytes);
      expect(decoded.frame.length.characters).toBe(claim.characters);
      expect(decoded.frame.length.basis).toBe(claim.declared === claim.bytes ? 'bytes' : 'characters');
      expect(decoded.frame.terminator).toBe('crlf');
      expect(decoded.frame.bytes).toEqual(s.wire);
    });

    it('has the CRC verdict the comment states', () => {
      const claim = s.crc;
      if (claim === undefined) throw new Error('no CRC claim');
      switch (claim.kind) {
        case 'verified':
          expect(decoded.crc).toMatchObject({
            ok: true,
            variant: 'hj212',
            basis: 'bytes',
            expected: claim.crc,
          });
          expect(decoded.crc.received.toUpperCase()).toBe(claim.crc);
          expect(decoded.ok).toBe(true);
          expect(decoded.errors).toEqual([]);
          break;
        case 'modbus': {
          expect(decoded.crc).toMatchObject({ ok: false, variant: 'modbus', expected: claim.expected });
          expect(decoded.crc.received).toBe(claim.received);
          expect(decoded.ok).toBe(false);
          expect(codes(decoded.errors)).toContain('HJ212_E_CRC_VARIANT_NOT_ALLOWED');
          const allowed = decodeOneFrame(s.wire, { crcVariants: ['hj212', 'modbus'] });
          expect(allowed.crc).toMatchObject({ ok: true, variant: 'modbus' });
          expect(allowed.ok).toBe(true);
          expect(allowed.errors).toEqual([]);
          break;
        }
        case 'mismatch':
          expect(decoded.crc).toMatchObject({
            ok: false,
            variant: null,
            basis: null,
            expected: claim.expected,
          });
          expect(decoded.crc.received).toBe(claim.received);
          expect(decoded.ok).toBe(false);
          expect(codes(decoded.errors)).toContain('HJ212_E_CRC_MISMATCH');
          // No variant rescues it.
          expect(decodeOneFrame(s.wire, { crcVariants: ['hj212', 'modbus', 'modbus-swapped'] }).ok).toBe(
            false,
          );
          break;
      }
    });

    it('reads the header fields written in the packet', () => {
      const header = headerFromText(s.text);
      const m = messageOf(decoded);
      expect(m.qn).toBe(header.QN);
      expect(m.st).toBe(header.ST);
      expect(m.cn).toBe(header.CN);
      expect(m.pw).toBe(header.PW);
      expect(m.mn).toBe(header.MN);
      expect(m.flag).toBe(header.Flag === undefined ? undefined : Number(header.Flag));
      expect(m.pnum).toBe(header.PNUM === undefined ? undefined : Number(header.PNUM));
      expect(m.pno).toBe(header.PNO === undefined ? undefined : Number(header.PNO));
      // Flag >> 2: 0 = 2005, 1 = 2017 (HJ 212-2017 表 3); no Flag reads as 2005.
      const flag = header.Flag === undefined ? undefined : Number(header.Flag);
      expect(m.version).toBe(flag === undefined ? '2005' : ['2005', '2017'][flag >> 2]);
      expect(m.ackRequested).toBe(flag !== undefined && flag % 2 === 1);
      expect(m.split).toBe(flag !== undefined && (flag & 2) === 2);
      if (flag === undefined) expect(codes(decoded.diagnostics)).toContain('HJ212_E_FLAG_MISSING');
    });

    it('reads the body its CN defines', () => {
      const m = messageOf(decoded);
      const expected = isPlatformRequest(s.text) ? 'command' : UPLOAD_BODY[header(s).CN ?? ''];
      expect(expected, `no expectation for CN ${m.cn}`).toBeDefined();
      expect(m.body.type).toBe(expected);
      expect(m.direction).toBe(expected === 'command' ? 'down' : 'up');
    });

    it('decodes the same without CR LF, adding only HJ212_E_TERMINATOR_MISSING', () => {
      const printed = decodeOneFrame(s.text);
      expect(printed.message).toEqual(decoded.message);
      expect(printed.crc).toEqual(decoded.crc);
      expect(printed.ok).toBe(decoded.ok);
      expect(codes(printed.diagnostics).sort()).toEqual(
        [...codes(decoded.diagnostics), 'HJ212_E_TERMINATOR_MISSING'].sort(),
      );
      expect(printed.frame.terminator).toBe('none');
    });
  },
);

function header(s: Sample): Record<string, string> {
  return headerFromText(s.text);
}

describe('notable sample packets', () => {
  it('3020 log with Chinese text (表 C.40): one PolId entry holding the i11001 log', () => {
    const s = sample('i11001-Info=//清洗管路//');
    const d = decodeOneFrame(s.wire);
    expect(d.ok).toBe(true);
    expect(d.diagnostics).toEqual([]);
    expect(messageOf(d).body).toEqual({
      type: 'device-info',
      dataTime: beijing(2010, 3, 1, 14, 50, 0),
      entries: [{ polId: 'w01018', items: [{ code: 'i11001', value: '//清洗管路//', text: '清洗管路' }] }],
      extras: [],
    });
  });

  it('2005 9014 data ack: no PW/MN, requestQn and ackedCn from CP', () => {
    const d = decodeOneFrame(sample('CN=9014;CP=&&QN=20040516010101001;CN=2051&&').wire);
    const m = messageOf(d);
    expect(d.ok).toBe(true);
    expect(m.version).toBe('2005');
    expect(m.qn).toBeUndefined();
    expect(m.body).toEqual({ type: 'data-ack', requestQn: '20040516010101001', ackedCn: '2051' });
    // 2005 9014 omits PW and MN by the standard, so their absence is not reported.
    expect(codes(d.diagnostics)).toEqual(['HJ212_E_FLAG_MISSING']);
  });

  it('2005 2072 alarm: factor 101 mapped to w21011, Ala 1.1, AlarmType 1', () => {
    const d = decodeOneFrame(sample('CN=2072').wire);
    const m = messageOf(d);
    expect(d.ok).toBe(true);
    expect(m.version).toBe('2005');
    expect(m.body).toEqual({
      type: 'alarm',
      alarmTime: beijing(2004, 5, 6, 1, 1, 1),
      alarmType: 1,
      factors: [{ code: 'w21011', originalCode: '101', values: { Ala: 1.1 } }],
    });
    expect(codes(d.diagnostics)).toEqual(
      expect.arrayContaining(['HJ212_E_CODE_2005', 'HJ212_E_CP_WHITESPACE']),
    );
  });

  it('2005-code 2011: B01/011/060 mapped, 17-digit DataTime read to the second', () => {
    const d = decodeOneFrame(sample('&&4980').wire);
    const m = messageOf(d);
    expect(d.ok).toBe(true);
    expect(m.version).toBe('2005');
    expect(m.body).toEqual({
      type: 'observations',
      period: 'realtime',
      dataTime: Date.UTC(2016, 7, 23, 16, 38, 17),
      factors: [
        { code: 'w00000', originalCode: 'B01', values: { Rtd: 36.91 } },
        { code: 'w01018', originalCode: '011', values: { Rtd: 231 }, dataFlag: 'N' },
        { code: 'w21003', originalCode: '060', values: { Rtd: 1.803 }, dataFlag: 'N' },
      ],
      extras: [],
    });
    const time = d.diagnostics.find((x) => x.code === 'HJ212_E_TIME_MILLISECONDS');
    expect(time?.severity).toBe('warning');
    expect(time?.detail).toEqual({ items: ['DataTime'] });
    const mapped = d.diagnostics.find((x) => x.code === 'HJ212_E_CODE_2005');
    expect(mapped?.detail).toEqual({ items: ['B01→w00000', '011→w01018', '060→w21003'] });
  });

  it('表 C.50 sub-packets reassemble into one 2061 message with one DataTime', () => {
    const first = messageOf(decodeOneFrame(sample('PNUM=2;PNO=1').wire));
    const second = messageOf(decodeOneFrame(sample('Flag=7;PNUM=2;PNO=2').wire));
    expect([first.qn, second.qn]).toEqual(['20160801085857534', '20160801085857535']);
    const assembler = new SubPacketAssembler();
    expect(assembler.push(second, 0)).toEqual([]);
    const [done, ...rest] = assembler.push(first, 1);
    expect(rest).toEqual([]);
    if (done === undefined) throw new Error('not assembled');
    expect(done.complete).toBe(true);
    expect(done.missing).toEqual([]);
    expect(done.parts).toEqual([
      { pno: 1, qn: '20160801085857534' },
      { pno: 2, qn: '20160801085857535' },
    ]);
    expect(done.message.cn).toBe('2061');
    const body = done.message.body;
    if (body.type !== 'observations') throw new Error(`body ${body.type}`);
    expect(body.period).toBe('hour');
    expect(body.dataTime).toBe(beijing(2016, 8, 1, 8, 0, 0));
    expect(body.factors.map((f) => f.code)).toEqual(['w00000', 'w01001', 'w01018']);
    expect(body.factors[2]).toEqual({
      code: 'w01018',
      originalCode: 'w01018',
      values: { Cou: 63, Min: 40.1, Avg: 40.1, Max: 40.1 },
      dataFlag: 'N',
    });
    const dataTimes = done.message.cp.flat().filter((f) => f.key === 'DataTime');
    expect(dataTimes).toEqual([{ key: 'DataTime', value: '20160801080000' }]);
    expect(assembler.pending).toBe(0);
  });

  it('9014 with a lower-case CRC is accepted with HJ212_E_CRC_LOWERCASE', () => {
    const d = decodeOneFrame(sample('&&&&f001').wire);
    expect(d.ok).toBe(true);
    expect(d.crc).toMatchObject({ ok: true, received: 'f001', expected: 'F001' });
    expect(d.diagnostics.find((x) => x.code === 'HJ212_E_CRC_LOWERCASE')?.severity).toBe('info');
  });

  it('1013 printed "CP=&& PolId=w01018": whitespace reported, PolId read', () => {
    const d = decodeOneFrame(sample('CN=1013').wire);
    expect(d.ok).toBe(true);
    expect(codes(d.diagnostics)).toEqual(['HJ212_E_CP_WHITESPACE']);
    expect(messageOf(d).body).toEqual({ type: 'time-calibration-request', polId: 'w01018' });
  });

  it('strict mode rejects a 2017 packet with a whitespace deviation and accepts a canonical one', () => {
    const deviating = decodeOneFrame(sample('CN=1013').wire, { strict: true });
    expect(deviating.ok).toBe(false);
    expect(codes(deviating.errors)).toEqual(['HJ212_E_CP_WHITESPACE']);
    expect(deviating.crc.ok).toBe(true);
    const canonical = decodeOneFrame(sample('CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5').wire, {
      strict: true,
    });
    expect(canonical.ok).toBe(true);
    expect(canonical.errors).toEqual([]);
  });

  it('a stream of every sample yields every packet, in order, at its offset', () => {
    const stream = concatBytes(SAMPLES.map((s) => s.wire));
    const { frames, discarded } = decodeStream(stream);
    expect(discarded).toEqual([]);
    expect(frames).toHaveLength(SAMPLES.length);
    let offset = 0;
    SAMPLES.forEach((s, i) => {
      const frame = frames[i] as DecodedFrame;
      expect(frame.frame.offset).toBe(offset);
      expect(frame.frame.bytes).toEqual(s.wire);
      expect(frame.message).toEqual(decodeOneFrame(s.wire).message);
      offset += s.wire.length;
    });
  });
});
