import { describe, expect, it } from 'vitest';
import {
  dataAck,
  decodeOneFrame,
  encodeDataSegment,
  encodeFrame,
  Hj212Error,
  parseDataSegment,
  platformReply,
} from '../src/index.js';

const codes = (list: readonly { code: string }[]): string[] => list.map((d) => d.code);
const HEAD = 'QN=20260101000000000;ST=32;PW=123456;MN=010000A8900016F000169DC0';

describe('field deviations found while reviewing the codec', () => {
  it('an unclosed "//" log is read as plain text, keeping the items after it', () => {
    const { message, diagnostics } = parseDataSegment(
      `${HEAD};CN=3020;Flag=4;CP=&&DataTime=20260101000000;PolId=w01018;i11001-Info=//清洗;i12001-Info=1&&`,
    );
    expect(codes(diagnostics)).toContain('HJ212_E_CP_LOG_UNTERMINATED');
    expect(message.body).toMatchObject({
      type: 'device-info',
      entries: [
        {
          polId: 'w01018',
          items: [
            { code: 'i11001', value: '//清洗' },
            { code: 'i12001', value: '1' },
          ],
        },
      ],
    });
  });

  it('device-chosen keys such as __proto__ and constructor are plain parameters', () => {
    const { message } = parseDataSegment(
      `${HEAD};CN=3019;Flag=4;CP=&&PolId=w01018;__proto__=x;constructor=y&&`,
    );
    expect(message.body.type).toBe('parameters');
    const params = message.body.type === 'parameters' ? message.body.params : {};
    expect(Object.keys(params).sort()).toEqual(['__proto__', 'constructor']);
    expect(params.constructor).toBe('y');
    expect(Object.getPrototypeOf(params)).toBeNull();
  });

  it('heartbeats are acknowledged only when the logger asks (Flag.A = 1)', () => {
    const quiet = parseDataSegment(`${HEAD};CN=9015;Flag=8;CP=&&&&`).message;
    expect(quiet.body.type).toBe('heartbeat');
    expect(platformReply(quiet)).toBeUndefined();
    const asking = parseDataSegment(`${HEAD};CN=9015;Flag=9;CP=&&&&`).message;
    expect(platformReply(asking)).toEqual(dataAck(asking, '2025'));
    expect(platformReply(asking)?.cn).toBe('9014');
  });

  it('the encoder refuses values a reader would trim, so what it writes reads back unchanged', () => {
    for (const value of [' 1.5', '1.5 ', '\t1']) {
      expect(() => encodeDataSegment({ cn: '2011', cp: [[{ key: 'w01018-Rtd', value }]] })).toThrowError(
        Hj212Error,
      );
    }
    const inner = encodeDataSegment({ cn: '3020', cp: [[{ key: 'i11001-Info', value: '//清洗 管路//' }]] });
    expect(decodeOneFrame(encodeFrame(inner)).message?.cp).toEqual([
      [{ key: 'i11001-Info', value: '//清洗 管路//' }],
    ]);
  });
});

describe('header memo', () => {
  it('a remembered header reads exactly as a fresh one, with its own QN and QN check', async () => {
    const fc = (await import('fast-check')).default;
    const { clearHeaderMemo } = await import('../src/header.js');
    const qn = fc.oneof(
      fc
        .integer({ min: 0, max: 1e12 })
        .map((ms) => new Date(ms).toISOString().replace(/\D/g, '').slice(0, 17)),
      fc.constantFrom('20261399999999999', 'ABCDEFGHIJKLMNOPQ'),
    );
    const tail = fc.constantFrom(
      'ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;',
      'ST=31;CN=2061;PW=1;MN=ABCDEFG1234567;Flag=7;PNUM=2;PNO=1;',
      'ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;Flag=4;',
      'ST=32;CN=2011;PW=123456;MN=x;',
      'ST=91;CN=9014;Flag=4;',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(qn, tail), { minLength: 1, maxLength: 6 }), (packets) => {
        const read = (q: string, t: string) => {
          const { message, diagnostics } = parseDataSegment(
            `QN=${q};${t}CP=&&DataTime=20260101000000;w01018-Rtd=1&&`,
          );
          return JSON.parse(JSON.stringify({ message, diagnostics }));
        };
        clearHeaderMemo();
        const warm = packets.map(([q, t]) => read(q, t));
        const cold = packets.map(([q, t]) => {
          clearHeaderMemo();
          return read(q, t);
        });
        expect(warm).toEqual(cold);
      }),
      { numRuns: 300 },
    );
  });
});
