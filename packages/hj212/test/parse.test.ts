import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Body,
  type Diagnostic,
  decodeOneFrame,
  HJ212_ERRORS,
  type Message,
  type ParsedSegment,
  parseDataSegment,
  parseDecimal,
} from '../src/index.js';
import { packet } from './reference-crc.js';

const MN = '010000A8900016F000169DC0';
const QN = '20160801085857223';
const H2017 = `QN=${QN};ST=32;CN=2011;PW=123456;MN=${MN};Flag=4;`;
const H2005 = 'ST=32;CN=2011;PW=123456;MN=88888880000001;';

const beijing = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3600 * 1000;
const codes = (list: readonly { code: string }[]): string[] => list.map((d) => d.code);
const find = (parsed: ParsedSegment, code: string): Diagnostic | undefined =>
  parsed.diagnostics.find((d) => d.code === code);

/** A 2017 data segment with header fields replaced/added by `fields` (undefined removes one). */
function seg2017(cn: string, cp: string, fields: Record<string, string | undefined> = {}): string {
  const header: Record<string, string | undefined> = {
    QN,
    ST: '32',
    CN: cn,
    PW: '123456',
    MN,
    Flag: '4',
    ...fields,
  };
  const head = Object.entries(header)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v};`)
    .join('');
  return `${head}CP=&&${cp}&&`;
}

function parse(text: string, direction?: 'up' | 'down'): ParsedSegment {
  return parseDataSegment(text, direction === undefined ? {} : { direction });
}
const body = (text: string, direction?: 'up' | 'down'): Body => parse(text, direction).message.body;

describe('header', () => {
  const fields: [string, string][] = [
    ['QN', QN],
    ['ST', '32'],
    ['CN', '2061'],
    ['PW', '123456'],
    ['MN', MN],
    ['Flag', '7'],
    ['PNUM', '3'],
    ['PNO', '2'],
  ];

  it('reads the fields by key, in any order', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(fields, { minLength: fields.length }), (shuffled) => {
        const text = `${shuffled.map(([k, v]) => `${k}=${v};`).join('')}CP=&&DataTime=20160801080000;w01018-Avg=1&&`;
        const parsed = parse(text);
        expect(parsed.diagnostics).toEqual([]);
        const m = parsed.message;
        expect([m.qn, m.st, m.cn, m.pw, m.mn, m.flag, m.pnum, m.pno]).toEqual([
          QN,
          '32',
          '2061',
          '123456',
          MN,
          7,
          3,
          2,
        ]);
        expect(m.version).toBe('2017');
        expect(m.ackRequested).toBe(true);
        expect(m.split).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['QN', 'HJ212_E_QN_MISSING'],
    ['ST', 'HJ212_E_ST_MISSING'],
    ['PW', 'HJ212_E_PW_MISSING'],
    ['MN', 'HJ212_E_MN_MISSING'],
  ])('a missing %s is a warning (%s); the packet is still read', (field, code) => {
    const text = seg2017('2011', 'DataTime=20160801080000;w01018-Rtd=1', { [field]: undefined });
    const parsed = parse(text);
    expect(codes(parsed.diagnostics)).toEqual([code]);
    expect(find(parsed, code)?.severity).toBe('warning');
    expect(parsed.message.body.type).toBe('observations');
    const decoded = decodeOneFrame(packet(text));
    expect(decoded.ok).toBe(true);
    expect(decodeOneFrame(packet(text), { strict: true }).ok).toBe(false);
  });

  it('a missing CN is an error: the packet cannot be interpreted', () => {
    const text = seg2017('2011', 'DataTime=20160801080000;w01018-Rtd=1', { CN: undefined });
    const parsed = parse(text);
    expect(codes(parsed.diagnostics)).toEqual(['HJ212_E_CN_MISSING']);
    expect(find(parsed, 'HJ212_E_CN_MISSING')?.severity).toBe('error');
    expect(parsed.message.body).toEqual({ type: 'unknown' });
    const decoded = decodeOneFrame(packet(text));
    expect(decoded.ok).toBe(false);
    expect(decoded.crc.ok).toBe(true);
    expect(codes(decoded.errors)).toEqual(['HJ212_E_CN_MISSING']);
  });

  it('2005 uploads may omit QN (2005 §6.3.2 "对于上传数据 QN，PNO，PNUM为可选项")', () => {
    const parsed = parse(`${H2005}CP=&&DataTime=20160801080000;011-Rtd=1&&`);
    expect(codes(parsed.diagnostics)).toEqual(['HJ212_E_FLAG_MISSING', 'HJ212_E_CODE_2005']);
  });

  it('no Flag reads as HJ/T 212-2005 without acknowledgement (HJ212_E_FLAG_MISSING, info)', () => {
    const parsed = parse(seg2017('2011', 'DataTime=20160801080000;w01018-Rtd=1', { Flag: undefined }));
    expect(parsed.message.version).toBe('2005');
    expect(parsed.message.flag).toBeUndefined();
    expect(parsed.message.ackRequested).toBe(false);
    expect(parsed.message.split).toBe(false);
    expect(find(parsed, 'HJ212_E_FLAG_MISSING')?.severity).toBe('info');
  });

  it('Flag: version = Flag >> 2 (0 2005, 1 2017, 2 2025), A = bit 0, D = bit 1 (表 3)', () => {
    const versions: Record<number, string> = { 0: '2005', 1: '2017', 2: '2025' };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), (flag) => {
        const parsed = parse(seg2017('2011', 'DataTime=20160801080000;w01018-Rtd=1', { Flag: String(flag) }));
        const m = parsed.message;
        expect(m.flag).toBe(flag);
        expect(m.version).toBe(versions[Math.floor(flag / 4)] ?? 'unknown');
        expect(m.ackRequested).toBe(flag % 2 === 1);
        expect(m.split).toBe(Math.floor(flag / 2) % 2 === 1);
        expect(codes(parsed.diagnostics).includes('HJ212_E_VERSION_UNKNOWN')).toBe(flag >= 12);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    [4, '2017', false, false],
    [5, '2017', true, false],
    [6, '2017', false, true],
    [7, '2017', true, true],
    [8, '2025', false, false],
    [9, '2025', true, false],
    [0, '2005', false, false],
    [3, '2005', true, true],
  ])('Flag=%i → %s, ack %s, split %s', (flag, version, ack, split) => {
    const m = parse(seg2017('2011', 'DataTime=20160801080000', { Flag: String(flag) })).message;
    expect([m.version, m.ackRequested, m.split]).toEqual([version, ack, split]);
  });

  it('Flag=12 names no known version: HJ212_E_VERSION_UNKNOWN', () => {
    const parsed = parse(seg2017('2011', 'DataTime=20160801080000;w01018-Rtd=1', { Flag: '12' }));
    expect(parsed.message.version).toBe('unknown');
    expect(find(parsed, 'HJ212_E_VERSION_UNKNOWN')?.detail).toEqual({ flag: 12, versionBits: 3 });
    // The body is still read with the newest definition of the CN.
    expect(parsed.message.body.type).toBe('observations');
  });

  it.each(['256', 'x', '-1', '4.0', ''])('Flag=%j is invalid and ignored', (flag) => {
    const parsed = parse(seg2017('2011', 'DataTime=20160801080000', { Flag: flag }));
    expect(parsed.message.flag).toBeUndefined();
    expect(codes(parsed.diagnostics)).toContain('HJ212_E_FLAG_INVALID');
  });

  it('"Flag=5CP=&&" (no ";" before CP, 表 C.19): HJ212_E_HEADER_SEPARATOR, Flag and CP read', () => {
    const parsed = parse(`QN=${QN};ST=32;CN=1062;PW=100000;MN=${MN};Flag=5CP=&&RtdInterval=30&&`);
    expect(codes(parsed.diagnostics)).toEqual(['HJ212_E_HEADER_SEPARATOR']);
    expect(parsed.message.flag).toBe(5);
    expect(parsed.message.body).toEqual({
      type: 'command',
      command: 'set-realtime-interval',
      params: { RtdInterval: 30 },
    });
  });

  it('"QN=…534,ST=32" (comma, 表 C.22/C.48): HJ212_E_HEADER_SEPARATOR, both fields read', () => {
    const parsed = parse(
      `QN=20160801085857534,ST=32;CN=2061;PW=123456;MN=${MN};Flag=4;CP=&&DataTime=20160801080000;w01018-Avg=1&&`,
    );
    expect(codes(parsed.diagnostics)).toEqual(['HJ212_E_HEADER_SEPARATOR']);
    expect(parsed.message.qn).toBe('20160801085857534');
    expect(parsed.message.st).toBe('32');
  });

  it('duplicate and unknown header fields', () => {
    const parsed = parse(
      `QN=${QN};ST=32;ST=21;CN=2011;PW=123456;MN=${MN};Flag=4;XX=1;CP=&&DataTime=20160801080000&&`,
    );
    expect(parsed.message.st).toBe('32');
    expect(find(parsed, 'HJ212_E_HEADER_DUPLICATE')?.detail).toEqual({ items: ['ST'] });
    expect(find(parsed, 'HJ212_E_HEADER_UNKNOWN')?.detail).toEqual({ items: ['XX'] });
  });

  it('format checks: QN, ST, CN, MN', () => {
    const parsed = parse(
      seg2017('2011', 'DataTime=20160801080000', { QN: '2016080108585722', ST: '3', CN: '20x1', MN: 'ABC' }),
    );
    expect(codes(parsed.diagnostics)).toEqual(
      expect.arrayContaining([
        'HJ212_E_QN_INVALID',
        'HJ212_E_ST_INVALID',
        'HJ212_E_CN_INVALID',
        'HJ212_E_MN_FORMAT',
      ]),
    );
    // 14-character 2005 MN and 24-hex 2017 MN are both fine.
    expect(
      codes(parse(seg2017('2011', 'DataTime=20160801080000', { MN: '88888880000001' })).diagnostics),
    ).toEqual([]);
  });

  it.each([
    ['Flag.D without PNUM/PNO', { Flag: '6' }],
    ['PNUM/PNO without Flag.D', { Flag: '4', PNUM: '2', PNO: '1' }],
    ['PNO > PNUM', { Flag: '6', PNUM: '2', PNO: '3' }],
    ['PNUM without PNO', { Flag: '6', PNUM: '2' }],
    ['PNO = 0', { Flag: '6', PNUM: '2', PNO: '0' }],
    ['PNUM with 5 digits', { Flag: '6', PNUM: '10000', PNO: '1' }],
  ])('HJ212_E_PACKET_NUMBERS: %s', (_, fields) => {
    expect(codes(parse(seg2017('2011', 'DataTime=20160801080000', fields)).diagnostics)).toContain(
      'HJ212_E_PACKET_NUMBERS',
    );
  });

  it('PNUM/PNO without any Flag are read (libem/HJ212-Moniter) and accepted', () => {
    const parsed = parse(
      seg2017('2051', 'DataTime=20160801080000', { Flag: undefined, PNO: '0002', PNUM: '0002' }),
    );
    expect([parsed.message.pnum, parsed.message.pno]).toEqual([2, 2]);
    expect(codes(parsed.diagnostics)).not.toContain('HJ212_E_PACKET_NUMBERS');
  });

  it('2005 packets must be ASCII', () => {
    const parsed = parse(`${H2005}CP=&&DataTime=20160801080000;B01-Rtd=1;note=水&&`);
    expect(codes(parsed.diagnostics)).toContain('HJ212_E_NON_ASCII_2005');
  });
});

describe('CP', () => {
  it('a missing closing "&&": HJ212_E_CP_UNTERMINATED, items still read', () => {
    const parsed = parse(`${H2017}CP=&&DataTime=20160801080000;w01018-Rtd=12.5`);
    expect(codes(parsed.diagnostics)).toEqual(['HJ212_E_CP_UNTERMINATED']);
    expect(find(parsed, 'HJ212_E_CP_UNTERMINATED')?.severity).toBe('warning');
    expect(parsed.message.body).toMatchObject({
      dataTime: beijing(2016, 8, 1, 8),
      factors: [{ code: 'w01018', values: { Rtd: 12.5 } }],
    });
  });

  it('no "CP=&&" at all: HJ212_E_CP_MISSING (error)', () => {
    const parsed = parse(`${H2017}DataTime=20160801080000`);
    expect(find(parsed, 'HJ212_E_CP_MISSING')?.severity).toBe('error');
    expect(parsed.message.cp).toEqual([]);
  });

  it('CP is split into ";" items and "," sub-fields, each key=value on the first "="', () => {
    const parsed = parse(`${H2017}CP=&&a=1;b=2,c=x=y;d&&`);
    expect(parsed.message.cp).toEqual([
      [{ key: 'a', value: '1' }],
      [
        { key: 'b', value: '2' },
        { key: 'c', value: 'x=y' },
      ],
      [{ key: 'd', value: null }],
    ]);
    expect(codes(parsed.diagnostics)).toContain('HJ212_E_CP_NO_VALUE');
  });

  it('empty items and spaces are reported and dropped/trimmed', () => {
    const parsed = parse(`${H2017}CP=&&DataTime=20160801080000;;w01018-Rtd = 1 ; ,a01012-Rtd=2&&`);
    expect(codes(parsed.diagnostics).sort()).toEqual(['HJ212_E_CP_EMPTY_ITEM', 'HJ212_E_CP_WHITESPACE']);
    expect(parsed.message.cp).toEqual([
      [{ key: 'DataTime', value: '20160801080000' }],
      [{ key: 'w01018-Rtd', value: '1' }],
      [{ key: 'a01012-Rtd', value: '2' }],
    ]);
  });

  it('CP longer than the 2017 limit (950 with "CP=&&…&&") is reported', () => {
    const items = Array.from({ length: 80 }, (_, i) => `a${String(10000 + i)}-Rtd=1.25`).join(';');
    expect(items.length + 7).toBeGreaterThan(950);
    expect(codes(parse(`${H2017}CP=&&${items}&&`).diagnostics)).toContain('HJ212_E_CP_TOO_LONG');
    const short = Array.from({ length: 10 }, (_, i) => `a${String(10000 + i)}-Rtd=1.25`).join(';');
    expect(codes(parse(`${H2017}CP=&&${short}&&`).diagnostics)).not.toContain('HJ212_E_CP_TOO_LONG');
  });

  it('a //…// log containing ";" and "," stays one item (表 B.10)', () => {
    const parsed = parse(
      seg2017('3020', 'DataTime=20160801080000;i21001-Info=//阀门A;泵B,关闭=0//;i22001-Info=0'),
    );
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.message.body).toEqual({
      type: 'device-info',
      dataTime: beijing(2016, 8, 1, 8),
      entries: [
        {
          items: [
            { code: 'i21001', value: '//阀门A;泵B,关闭=0//', text: '阀门A;泵B,关闭=0' },
            { code: 'i22001', value: '0' },
          ],
        },
      ],
      extras: [],
    });
  });
});

describe('factor codes', () => {
  it('2005 codes are mapped per field to 2017 codes, the original kept (HJ212_E_CODE_2005)', () => {
    const parsed = parse(
      `${H2005}CP=&&DataTime=20160801080000;011-Rtd=231.0,011-Flag=N;02-Rtd=5;S01-Rtd=8.1&&`,
    );
    const b = parsed.message.body;
    if (b.type !== 'observations') throw new Error(b.type);
    expect(b.factors.map((f) => [f.originalCode, f.code])).toEqual([
      ['011', 'w01018'],
      ['02', 'a21026'],
      ['S01', 'a19001'],
    ]);
    expect(find(parsed, 'HJ212_E_CODE_2005')?.detail).toEqual({
      items: ['011→w01018', '02→a21026', 'S01→a19001'],
    });
    expect(find(parsed, 'HJ212_E_CODE_2005')?.severity).toBe('info');
  });

  it('2005 codes without a 2017 equivalent are kept as sent', () => {
    const b = body(`${H2005}CP=&&DataTime=20160801080000;025-Rtd=1&&`);
    expect(b).toMatchObject({ factors: [{ code: '025', originalCode: '025' }] });
  });

  it('2005 codes whose unit changed are remarked (S08 MPa → a01013 kPa)', () => {
    const parsed = parse(`${H2005}CP=&&DataTime=20160801080000;S08-Rtd=0.1&&`);
    expect(find(parsed, 'HJ212_E_UNIT_CHANGED_2005')?.detail).toEqual({ items: ['S08'] });
    expect(parsed.message.body).toMatchObject({ factors: [{ code: 'a01013', values: { Rtd: 0.1 } }] });
  });

  it('a 2005 packet with 2017 codes, and a 2017 packet with 2005 codes: HJ212_E_CODE_VERSION_MIX', () => {
    const old = parse(`${H2005}CP=&&DataTime=20160801080000;w01018-Rtd=1;011-Rtd=2&&`);
    expect(find(old, 'HJ212_E_CODE_VERSION_MIX')?.detail).toEqual({ items: ['w01018'] });
    const neu = parse(seg2017('2011', 'DataTime=20160801080000;w01018-Rtd=1;060-Rtd=2'));
    expect(find(neu, 'HJ212_E_CODE_VERSION_MIX')?.detail).toEqual({ items: ['060'] });
    expect(neu.message.body).toMatchObject({
      factors: [{ code: 'w01018' }, { code: 'w21003', originalCode: '060' }],
    });
  });

  it('noise Ld/Ln: swapped in 2005 (HJ212_E_NOISE_DAY_NIGHT_2005), not in 2017', () => {
    const cp = 'DataTime=20160801000000;Ld-DayData=55.1,Ln-NightData=45.2';
    const old = parse(`ST=23;CN=2031;PW=123456;MN=88888880000001;Flag=0;CP=&&${cp}&&`);
    expect(old.message.body).toMatchObject({
      factors: [
        { code: 'Ln', originalCode: 'Ld', values: { DayData: 55.1 } },
        { code: 'Ld', originalCode: 'Ln', values: { NightData: 45.2 } },
      ],
    });
    expect(find(old, 'HJ212_E_NOISE_DAY_NIGHT_2005')?.severity).toBe('warning');
    const neu = parse(seg2017('2031', cp, { ST: '23' }));
    expect(neu.message.body).toMatchObject({
      factors: [
        { code: 'Ld', originalCode: 'Ld' },
        { code: 'Ln', originalCode: 'Ln' },
      ],
    });
    expect(codes(neu.diagnostics)).not.toContain('HJ212_E_NOISE_DAY_NIGHT_2005');
  });

  it('vendor suffixes are kept in `other` (HJ212_E_UNKNOWN_SUFFIX)', () => {
    const parsed = parse(
      seg2017('2051', 'DataTime=20160801080000;a01006-Avg=101.85,a01006-ValidNum=10,a01006-TotalNum=10'),
    );
    expect(parsed.message.body).toMatchObject({
      factors: [{ code: 'a01006', values: { Avg: 101.85 }, other: { ValidNum: '10', TotalNum: '10' } }],
    });
    expect(find(parsed, 'HJ212_E_UNKNOWN_SUFFIX')?.detail).toEqual({ items: ['ValidNum', 'TotalNum'] });
  });

  it('bare items without a suffix are kept in extras', () => {
    const b = body(seg2017('2011', 'DataTime=20160801080000;FANSTATUS=1;w01018-Rtd=2;Flag=N'));
    expect(b).toMatchObject({
      extras: [
        { key: 'FANSTATUS', value: '1' },
        { key: 'Flag', value: 'N' },
      ],
      factors: [{ code: 'w01018', values: { Rtd: 2 } }],
    });
  });

  it('a value that is not a number: HJ212_E_VALUE_NOT_NUMBER, kept as text in `other`', () => {
    const parsed = parse(
      seg2017('2011', 'DataTime=20160801080000;a21026-Rtd=N/A,a21026-Flag=D;a21002-Rtd=1e3'),
    );
    expect(parsed.message.body).toMatchObject({
      factors: [
        { code: 'a21026', values: {}, other: { Rtd: 'N/A' }, dataFlag: 'D' },
        { code: 'a21002', values: {}, other: { Rtd: '1e3' } },
      ],
    });
    expect(find(parsed, 'HJ212_E_VALUE_NOT_NUMBER')?.detail).toEqual({
      items: ['a21026-Rtd=N/A', 'a21002-Rtd=1e3'],
    });
  });

  it('negative and signed values parse (a01013-Min=-0.041)', () => {
    const b = body(
      seg2017('2051', 'DataTime=20160801080000;a01013-Min=-0.041,a01013-Avg=+0.5,a01013-Max=-12'),
    );
    expect(b).toMatchObject({ factors: [{ values: { Min: -0.041, Avg: 0.5, Max: -12 } }] });
  });

  it('the same factor and kind twice: the first value is used (HJ212_E_DUPLICATE_VALUE)', () => {
    const parsed = parse(
      seg2017('2011', 'DataTime=20160801080000;w01018-Rtd=1;w01018-Rtd=2,w01018-Flag=N,w01018-Flag=D'),
    );
    expect(parsed.message.body).toMatchObject({ factors: [{ values: { Rtd: 1 }, dataFlag: 'N' }] });
    expect(find(parsed, 'HJ212_E_DUPLICATE_VALUE')?.detail).toEqual({ items: ['w01018-Rtd', 'w01018-Flag'] });
  });

  it('data flags are checked against the version table (表 8 / 2005)', () => {
    // P (电源故障) is a 2005 flag, B a 2017 one.
    const old = parse(`${H2005}CP=&&DataTime=20160801080000;011-Rtd=1,011-Flag=P;060-Rtd=1,060-Flag=B&&`);
    expect(find(old, 'HJ212_E_DATA_FLAG_UNKNOWN')?.detail).toEqual({ items: ['B'] });
    const neu = parse(
      seg2017('2011', 'DataTime=20160801080000;w01018-Rtd=1,w01018-Flag=P;w21003-Rtd=1,w21003-Flag=B'),
    );
    expect(find(neu, 'HJ212_E_DATA_FLAG_UNKNOWN')?.detail).toEqual({ items: ['P'] });
  });
});

describe('timestamps', () => {
  it('an invalid DataTime (month 13): HJ212_E_TIME_INVALID, dataTime absent', () => {
    const parsed = parse(seg2017('2011', 'DataTime=20231301000000;w01018-Rtd=1'));
    expect(find(parsed, 'HJ212_E_TIME_INVALID')?.detail).toEqual({ items: ['DataTime=20231301000000'] });
    const b = parsed.message.body;
    expect(b.type).toBe('observations');
    expect('dataTime' in b).toBe(false);
  });

  it('a 17-digit DataTime is read to the millisecond with HJ212_E_TIME_MILLISECONDS', () => {
    const parsed = parse(seg2017('2011', 'DataTime=20160801080000123;w01018-Rtd=1'));
    expect(parsed.message.body).toMatchObject({ dataTime: beijing(2016, 8, 1, 8) + 123 });
    expect(codes(parsed.diagnostics)).toEqual(['HJ212_E_TIME_MILLISECONDS']);
  });

  it('a data upload without DataTime: HJ212_E_DATATIME_MISSING', () => {
    expect(codes(parse(seg2017('2051', 'w01018-Avg=1')).diagnostics)).toEqual(['HJ212_E_DATATIME_MISSING']);
  });
});

describe('bodies by CN', () => {
  it.each([
    ['2011', 'realtime'],
    ['2051', 'minute'],
    ['2061', 'hour'],
    ['2031', 'day'],
  ] as const)('%s observations (%s) with every value kind, Flag, EFlag and SampleTime', (cn, period) => {
    const cp =
      'DataTime=20160801080000;' +
      'a21026-Rtd=1.5,a21026-ZsRtd=2.5,a21026-Min=0.5,a21026-Avg=1.25,a21026-Max=3,a21026-Cou=100.75,' +
      'a21026-ZsMin=0.75,a21026-ZsAvg=1.75,a21026-ZsMax=3.5,a21026-Flag=N,a21026-EFlag=A01,' +
      'a21026-SampleTime=20160801075500;w01018-Avg=40.1,w01018-Flag=M';
    const parsed = parse(seg2017(cn, cp));
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.message.direction).toBe('up');
    expect(parsed.message.body).toEqual({
      type: 'observations',
      period,
      dataTime: beijing(2016, 8, 1, 8),
      factors: [
        {
          code: 'a21026',
          originalCode: 'a21026',
          values: {
            Rtd: 1.5,
            ZsRtd: 2.5,
            Min: 0.5,
            Avg: 1.25,
            Max: 3,
            Cou: 100.75,
            ZsMin: 0.75,
            ZsAvg: 1.75,
            ZsMax: 3.5,
          },
          dataFlag: 'N',
          eFlag: 'A01',
          sampleTime: beijing(2016, 8, 1, 7, 55),
        },
        { code: 'w01018', originalCode: 'w01018', values: { Avg: 40.1 }, dataFlag: 'M' },
      ],
      extras: [],
    });
  });

  it('noise -Data/-DayData/-NightData values', () => {
    expect(
      body(
        seg2017('2031', 'DataTime=20160801000000;Leq-Data=50.5,Leq-DayData=55,Leq-NightData=45', {
          ST: '23',
        }),
      ),
    ).toMatchObject({
      factors: [{ code: 'Leq', values: { Data: 50.5, DayData: 55, NightData: 45 } }],
    });
  });

  it('2021 run state (SBn-RS)', () => {
    expect(body(seg2017('2021', 'DataTime=20160801085857;SB1-RS=1;SB2-RS=0;SB3-RS=x;VENDOR=7'))).toEqual({
      type: 'run-state',
      dataTime: beijing(2016, 8, 1, 8, 58, 57),
      treatmentFacilities: [
        { id: 'SB1', state: 1 },
        { id: 'SB2', state: 0 },
      ],
      extras: [
        { key: 'SB3-RS', value: 'x' },
        { key: 'VENDOR', value: '7' },
      ],
    });
  });

  it('2041 run time (SBn-RT, hours)', () => {
    expect(body(seg2017('2041', 'DataTime=20160801000000;SB1-RT=23.5;SB2-RT=0'))).toEqual({
      type: 'run-time',
      dataTime: beijing(2016, 8, 1),
      treatmentFacilities: [
        { id: 'SB1', hours: 23.5 },
        { id: 'SB2', hours: 0 },
      ],
      extras: [],
    });
  });

  it('3020 device info: both PolId grouping styles give the same entries', () => {
    const standard =
      'DataTime=20160801085857;PolId=w01018;i12001-Info=1;i12003-Info=0;PolId=w21003;i13004-Info=168.0';
    const firmware =
      'DataTime=20160801085857;PolId=w01018,i12001-Info=1,i12003-Info=0;PolId=w21003,i13004-Info=168.0';
    const expected = {
      type: 'device-info',
      dataTime: beijing(2016, 8, 1, 8, 58, 57),
      entries: [
        {
          polId: 'w01018',
          items: [
            { code: 'i12001', value: '1' },
            { code: 'i12003', value: '0' },
          ],
        },
        { polId: 'w21003', items: [{ code: 'i13004', value: '168.0' }] },
      ],
      extras: [],
    };
    expect(body(seg2017('3020', standard))).toEqual(expected);
    expect(body(seg2017('3020', firmware))).toEqual(expected);
  });

  it('3020 info without PolId (表 C.40 note) forms an entry without polId', () => {
    expect(body(seg2017('3020', 'DataTime=20160801085857;i22001-Info=0'))).toMatchObject({
      entries: [{ items: [{ code: 'i22001', value: '0' }] }],
    });
  });

  it('2081 restart', () => {
    expect(body(seg2017('2081', 'DataTime=20160801085857;RestartTime=20160801085000'))).toEqual({
      type: 'restart',
      dataTime: beijing(2016, 8, 1, 8, 58, 57),
      restartTime: beijing(2016, 8, 1, 8, 50),
    });
  });

  it('1011 from the data logger is its clock; from the platform a request', () => {
    const up = parse(seg2017('1011', 'PolId=w01018;SystemTime=20160801085857'));
    expect(up.message.direction).toBe('up');
    expect(up.message.body).toEqual({
      type: 'system-time',
      polId: 'w01018',
      systemTime: beijing(2016, 8, 1, 8, 58, 57),
    });
    const down = parse(seg2017('1011', 'PolId=w01018', { Flag: '5' }));
    expect(down.message.direction).toBe('down');
    expect(down.message.body).toEqual({
      type: 'command',
      command: 'get-system-time',
      params: { PolId: 'w01018' },
    });
    const plain = parse(seg2017('1011', ''));
    expect(plain.message.body).toEqual({ type: 'command', command: 'get-system-time', params: {} });
  });

  it('1013 time-calibration request, with and without PolId', () => {
    expect(body(seg2017('1013', 'PolId=w01018'))).toEqual({
      type: 'time-calibration-request',
      polId: 'w01018',
    });
    expect(body(seg2017('1013', ''))).toEqual({ type: 'time-calibration-request' });
  });

  it('1061 and 3019 answers are plain parameters', () => {
    expect(body(seg2017('1061', 'RtdInterval=30'), 'up')).toEqual({
      type: 'parameters',
      params: { RtdInterval: '30' },
    });
    expect(body(seg2017('3019', 'PolId=w01018;w01018-SN=010000A8900016F000169DC0'))).toEqual({
      type: 'parameters',
      polId: 'w01018',
      params: { 'w01018-SN': '010000A8900016F000169DC0' },
    });
  });

  describe('replies', () => {
    it('2017 style: the request QN in the header', () => {
      expect(body(seg2017('9011', 'QnRtn=1', { ST: '91' }))).toEqual({
        type: 'request-reply',
        requestQn: QN,
        qnRtn: 1,
      });
      expect(body(seg2017('9012', 'ExeRtn=100', { ST: '91' }))).toEqual({
        type: 'execution-result',
        requestQn: QN,
        exeRtn: 100,
      });
      expect(body(seg2017('9013', '', { ST: '91' }))).toEqual({ type: 'notice-reply', requestQn: QN });
      expect(body(seg2017('9014', '', { ST: '91' }))).toEqual({ type: 'data-ack', requestQn: QN });
    });

    it('2005 style: the request QN (and for 9014 the CN, PNO, PNUM) inside CP', () => {
      const rq = '20040516010101001';
      const h = 'ST=91;PW=123456;MN=88888880000001;Flag=0;';
      expect(body(`${h}CN=9011;CP=&&QN=${rq};QnRtn=1&&`)).toEqual({
        type: 'request-reply',
        requestQn: rq,
        qnRtn: 1,
      });
      expect(body(`${h}CN=9012;CP=&&QN=${rq};ExeRtn=1&&`)).toEqual({
        type: 'execution-result',
        requestQn: rq,
        exeRtn: 1,
      });
      expect(body(`${h}CN=9013;CP=&&QN=${rq}&&`)).toEqual({ type: 'notice-reply', requestQn: rq });
      expect(body(`ST=91;CN=9014;CP=&&QN=${rq};CN=2051;PNO=1;PNUM=2&&`)).toEqual({
        type: 'data-ack',
        requestQn: rq,
        ackedCn: '2051',
        pno: 1,
        pnum: 2,
      });
    });

    it('a reply that names no request QN: HJ212_E_REPLY_QN_MISSING', () => {
      const parsed = parse('ST=91;CN=9011;PW=123456;MN=88888880000001;Flag=0;CP=&&QnRtn=1&&');
      expect(codes(parsed.diagnostics)).toContain('HJ212_E_REPLY_QN_MISSING');
      expect(parsed.message.body).toEqual({ type: 'request-reply', qnRtn: 1 });
    });
  });

  it('9015 (2025) and 9021 (field) heartbeats', () => {
    expect(body(seg2017('9015', '', { ST: '91', Flag: '8' }))).toEqual({ type: 'heartbeat' });
    const field = parse('ST=91;CN=9021;CP=&&&&');
    expect(field.message.body).toEqual({ type: 'heartbeat' });
    expect(field.message.direction).toBe('up');
  });

  it('2005 2072 alarm event', () => {
    const parsed = parse(
      'QN=20040516010101001;ST=32;CN=2072;PW=123456;MN=88888880000001;Flag=0;CP=&&AlarmTime=20040506010101;DataTime=20040506010000;011-Ala=120.5,AlarmType=0&&',
    );
    expect(parsed.message.body).toEqual({
      type: 'alarm',
      alarmTime: beijing(2004, 5, 6, 1, 1, 1),
      alarmType: 0,
      dataTime: beijing(2004, 5, 6, 1),
      factors: [{ code: 'w01018', originalCode: '011', values: { Ala: 120.5 } }],
    });
  });

  it('an unknown CN (8000): body unknown, CP kept whole, HJ212_E_CN_UNKNOWN (info)', () => {
    const parsed = parse(seg2017('8000', 'Mode=2;Port=502,Baud=9600'));
    expect(parsed.message.body).toEqual({ type: 'unknown' });
    expect(parsed.message.cp).toEqual([
      [{ key: 'Mode', value: '2' }],
      [
        { key: 'Port', value: '502' },
        { key: 'Baud', value: '9600' },
      ],
    ]);
    expect(find(parsed, 'HJ212_E_CN_UNKNOWN')?.severity).toBe('info');
  });

  it('a CN of another version is read with that version’s definition and remarked', () => {
    // 2072 exists only in 2005; in a 2017 packet it is still an alarm.
    const parsed = parse(seg2017('2072', 'AlarmTime=20160801085857;w01018-Ala=1,AlarmType=1'));
    expect(parsed.message.body).toMatchObject({ type: 'alarm', alarmType: 1 });
    expect(find(parsed, 'HJ212_E_CN_UNKNOWN')?.detail).toMatchObject({ cn: '2072', version: '2017' });
  });
});

describe('direction inference', () => {
  it('2061 with BeginTime/EndTime is the platform request get-hour-data, times as epoch ms', () => {
    const parsed = parse(seg2017('2061', 'BeginTime=20160801000000;EndTime=20160801020000', { Flag: '5' }));
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.message.direction).toBe('down');
    expect(parsed.message.body).toEqual({
      type: 'command',
      command: 'get-hour-data',
      params: { BeginTime: beijing(2016, 8, 1), EndTime: beijing(2016, 8, 1, 2) },
    });
  });

  it('2005 requests write the time range as one group (BeginTime=…,EndTime=…)', () => {
    const parsed = parse(
      'QN=20040516010101001;ST=32;CN=2051;PW=123456;MN=88888880000001;Flag=1;CP=&&BeginTime=20040506111000,EndTime=20040506151000&&',
    );
    expect(parsed.message.direction).toBe('down');
    expect(parsed.message.body).toEqual({
      type: 'command',
      command: 'get-minute-data',
      params: { BeginTime: beijing(2004, 5, 6, 11, 10), EndTime: beijing(2004, 5, 6, 15, 10) },
    });
  });

  it('2061 with DataTime is an hourly upload', () => {
    const parsed = parse(seg2017('2061', 'DataTime=20160801000000;w01018-Avg=1'));
    expect(parsed.message.direction).toBe('up');
    expect(parsed.message.body.type).toBe('observations');
  });

  it('the caller may state the direction', () => {
    const text = seg2017('2061', 'BeginTime=20160801000000;EndTime=20160801020000');
    const up = parse(text, 'up');
    expect(up.message.direction).toBe('up');
    expect(up.message.body).toMatchObject({
      type: 'observations',
      extras: [{ key: 'BeginTime' }, { key: 'EndTime' }],
    });
    expect(codes(up.diagnostics)).toContain('HJ212_E_DATATIME_MISSING');
    expect(parse(seg2017('2061', 'DataTime=20160801000000'), 'down').message.body).toEqual({
      type: 'command',
      command: 'get-hour-data',
      params: {},
    });
  });

  it('notices from the platform (2012) read as commands', () => {
    const parsed = parse(seg2017('2012', ''));
    expect(parsed.message.direction).toBe('down');
    expect(parsed.message.body).toEqual({ type: 'command', command: 'stop-realtime-data', params: {} });
  });
});

describe('numbers', () => {
  it('parseDecimal reads HJ 212 decimals (digits, optional sign and point) exactly like Number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[+-]?(\d{1,14}(\.\d{0,6})?|\.\d{1,6})$/), (text) => {
        expect(parseDecimal(text)).toBe(Number(text));
      }),
      { numRuns: 500 },
    );
  });

  it.each(['', '-', '+', '.', '1e3', '0x10', ' 1', '1 ', '1.2.3', 'NaN', 'Infinity', '--1', '1-', '１'])(
    'parseDecimal rejects %j',
    (text) => {
      expect(parseDecimal(text)).toBeUndefined();
    },
  );
});

describe('never throws', () => {
  it('on arbitrary text, and every diagnostic is catalogued', () => {
    const alphabet = fc.constantFrom(...'QNSTCPWMFlagPNUMO=;,&&-.0123456789 DataTime/#水\r\n'.split(''));
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: alphabet, maxLength: 300 })),
        (text) => {
          const parsed = parse(text);
          for (const d of parsed.diagnostics) {
            expect(Object.hasOwn(HJ212_ERRORS, d.code)).toBe(true);
            expect(d.severity).toBe(HJ212_ERRORS[d.code].severity);
          }
          const m: Message = parsed.message;
          expect(['2005', '2017', '2025', 'unknown']).toContain(m.version);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('observation fast path', () => {
  // Uploads are read by a one-pass scanner that hands irregular packets to the general reader. Both must
  // give the same body and the same diagnostics: the general reader is `rereadBody` over `splitCp`.
  const codesPool = ['w01018', 'a21026', 'w00000', '011', 'B01', '060', 'Ld', 'Leq', 'pms_rules', 'a01013'];
  const suffixPool = [
    'Rtd',
    'Min',
    'Avg',
    'Max',
    'Cou',
    'ZsRtd',
    'ZsAvg',
    'Data',
    'Ala',
    'Flag',
    'EFlag',
    'SampleTime',
    'ValidNum',
  ];
  const valuePool = [
    '1',
    '-0.041',
    '12.5',
    '+3',
    '.5',
    '7.',
    'N',
    'D',
    'P',
    'A01',
    'N/A',
    '',
    '1e3',
    '20160801080000',
    '20231301000000',
  ];
  const field = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...codesPool), fc.constantFrom(...suffixPool), fc.constantFrom(...valuePool))
        .map(([c, s, v]) => `${c}-${s}=${v}`),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'DataTime=20160801080000',
        'DataTime=20160801080000123',
        'DataTime=2016',
        'FANSTATUS=1',
        'X',
        ' w01018-Rtd = 2 ',
        '',
      ),
    },
  );
  const cpText = fc
    .array(fc.tuple(field, fc.constantFrom(';', ',')), { maxLength: 16 })
    .map((items) => items.map(([text, sep], i) => (i === 0 ? text : `${sep}${text}`)).join(''));
  const header = fc.constantFrom(
    `QN=${QN};ST=32;CN=2011;PW=123456;MN=${MN};Flag=4;`,
    `QN=${QN};ST=32;CN=2051;PW=123456;MN=${MN};Flag=5;`,
    `QN=${QN};ST=23;CN=2031;PW=123456;MN=${MN};Flag=8;`,
    'ST=32;CN=2061;PW=123456;MN=88888880000001;',
  );
  const sortDiagnostics = (list: readonly Diagnostic[]) => [...list].map((d) => JSON.stringify(d)).sort();

  it('gives the same body and diagnostics as the general reader', async () => {
    const { rereadBody } = await import('../src/parse.js');
    const { splitCp } = await import('../src/cp-text.js');
    fc.assert(
      fc.property(
        header,
        fc.oneof(cpText, fc.constant('DataTime=20160801080000;w01018-Rtd=1,w01018-Flag=N')),
        (head, cp) => {
          const text = `${head}CP=&&${cp}&&`;
          const parsed = parse(text);
          const m = parsed.message;
          // (An empty CP is the platform's request form of the CN; the bodies are compared all the same.)
          const notes = { emptyItems: 0, whitespace: 0, noValue: 0 };
          const groups = splitCp(text, text.indexOf('CP=&&') + 5, text.length - 2, notes);
          expect(m.cp).toEqual(groups);
          const general = rereadBody(m, groups);
          expect(m.body).toEqual(general.body);
          const expected: Diagnostic[] = [];
          if (m.flag === undefined) expected.push(HJ212_ERRORS_DIAGNOSTIC('HJ212_E_FLAG_MISSING'));
          if (notes.emptyItems > 0)
            expected.push(HJ212_ERRORS_DIAGNOSTIC('HJ212_E_CP_EMPTY_ITEM', { count: notes.emptyItems }));
          if (notes.whitespace > 0)
            expected.push(HJ212_ERRORS_DIAGNOSTIC('HJ212_E_CP_WHITESPACE', { count: notes.whitespace }));
          if (notes.noValue > 0)
            expected.push(HJ212_ERRORS_DIAGNOSTIC('HJ212_E_CP_NO_VALUE', { count: notes.noValue }));
          expected.push(...general.diagnostics);
          expect(sortDiagnostics(parsed.diagnostics)).toEqual(sortDiagnostics(expected));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

function HJ212_ERRORS_DIAGNOSTIC(
  code: keyof typeof HJ212_ERRORS,
  detail?: Record<string, unknown>,
): Diagnostic {
  const { severity, message } = HJ212_ERRORS[code];
  return detail === undefined ? { code, severity, message } : { code, severity, message, detail };
}
