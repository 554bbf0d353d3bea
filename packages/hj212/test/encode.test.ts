import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildCommand,
  COMMANDS,
  type CommandDefinition,
  type CommandParams,
  type CpField,
  crcText,
  DEVICE_INFO_CODES,
  dataAck,
  decodeOneFrame,
  encodeDataSegment,
  encodeFrame,
  encodeMessage,
  encodeMessageSplit,
  executionResult,
  FACTOR_CODES,
  Hj212Error,
  type Message,
  type MessageInput,
  noticeReply,
  type ProtocolVersion,
  platformReply,
  requestReply,
  SubPacketAssembler,
} from '../src/index.js';
import {
  BEIJING_MS,
  beijingText,
  decimalArb,
  FLAG_VERSION_BITS,
  type Generated,
  instant,
  instantMs,
  mnArb,
  pwArb,
  stArb,
  uploadArb,
} from './generators.js';
import { packet } from './reference-crc.js';
import { SAMPLES, sample, segmentOf, utf8 } from './samples.js';

const codes = (list: readonly { code: string }[]): string[] => list.map((d) => d.code);

function messageOf(input: string | Uint8Array): Message {
  const decoded = decodeOneFrame(input);
  if (decoded.message === undefined) throw new Error('no message');
  return decoded.message;
}

function headerOf(m: Message): Omit<MessageInput, 'cp'> {
  return { qn: m.qn, st: m.st, cn: m.cn, pw: m.pw, mn: m.mn, flag: m.flag, pnum: m.pnum, pno: m.pno };
}

describe('round trip of the sample packets', () => {
  const canonical = SAMPLES.filter((s) => {
    const d = decodeOneFrame(s.wire);
    return d.ok && d.errors.length === 0 && d.diagnostics.length === 0;
  });

  it('a good share of the samples is canonical (decodes without any diagnostic)', () => {
    expect(canonical.length).toBeGreaterThanOrEqual(10);
  });

  it.each(canonical.map((s) => [s.text.slice(0, 60), s] as const))('%s… re-encodes byte for byte', (_, s) => {
    const m = messageOf(s.wire);
    const segment = encodeDataSegment({ ...headerOf(m), cp: m.cp });
    expect(segment).toBe(segmentOf(s.text));
    expect(encodeFrame(segment)).toEqual(s.wire);
    expect(encodeMessage({ ...headerOf(m), cp: m.cp })).toEqual(s.wire);
  });
});

describe('framing (encodeFrame)', () => {
  /** The frame as HJ 212-2017 §6.3.2 spells it, built the plain way: UTF-8 bytes, length, CRC over them. */
  function reference(segment: string, variant: 'hj212' | 'modbus' | 'modbus-swapped'): Uint8Array {
    const data = utf8(segment);
    const head = utf8(`##${String(data.length).padStart(4, '0')}`);
    const tail = utf8(`${crcText(data, variant)}\r\n`);
    return Uint8Array.from([...head, ...data, ...tail]);
  }
  const segmentArb = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.string({ unit: fc.constantFrom('a', 'Z', '9', ';', '=', '水', 'é', '\u{1F600}'), maxLength: 300 }),
  );
  const variantArb = fc.constantFrom('hj212' as const, 'modbus' as const, 'modbus-swapped' as const);

  it('ASCII or not, the frame is "##", the UTF-8 length, the bytes, the CRC of the variant and CR LF', () => {
    fc.assert(
      fc.property(segmentArb, variantArb, (segment, variant) => {
        expect(encodeFrame(segment, { crcVariant: variant })).toEqual(reference(segment, variant));
      }),
    );
  });

  it('writes every byte of what `allocate` gives (a pooled Buffer holds old bytes) and returns it', () => {
    fc.assert(
      fc.property(segmentArb, variantArb, (segment, variant) => {
        const given: Uint8Array[] = [];
        const frame = encodeFrame(segment, {
          crcVariant: variant,
          allocate: (size) => {
            const bytes = new Uint8Array(size).fill(0xaa);
            given.push(bytes);
            return bytes;
          },
        });
        expect(given.at(-1)).toBe(frame);
        expect(Array.from(frame)).toEqual(Array.from(reference(segment, variant)));
      }),
    );
  });
});

describe('encodeMessage (the message written straight into the frame)', () => {
  // Header values and CP text from a small alphabet: ASCII, separators, CR LF, non-ASCII, and empty.
  const textArb = fc.string({
    unit: fc.constantFrom('a', '7', '-', ' ', ';', ',', '=', '&', '\r', '\n', '水', 'é', '\u{1F600}'),
    maxLength: 12,
  });
  const cleanArb = fc.string({
    unit: fc.constantFrom('A', 'b', '0', '9', '-', '.'),
    minLength: 1,
    maxLength: 24,
  });
  const valueArb = fc.oneof(cleanArb, cleanArb, textArb);
  const numberArb = fc.oneof(
    fc.integer({ min: 0, max: 9999 }),
    fc.constantFrom(-1, 0.5, 256, 10_000, Number.NaN, 1e21),
  );
  const fieldArb = fc.record({ key: fc.oneof(cleanArb, textArb), value: fc.option(valueArb) });
  const inputArb: fc.Arbitrary<MessageInput> = fc.record(
    {
      qn: valueArb,
      st: valueArb,
      cn: valueArb,
      pw: valueArb,
      mn: valueArb,
      flag: numberArb,
      pnum: numberArb,
      pno: numberArb,
      cp: fc.array(fc.array(fieldArb, { minLength: 0, maxLength: 3 }), { maxLength: 4 }),
    },
    { requiredKeys: ['cp'] },
  );
  const outcome = (encode: () => Uint8Array): { bytes: number[] } | { error: unknown } => {
    try {
      return { bytes: Array.from(encode()) };
    } catch (error) {
      return { error: error instanceof Hj212Error ? [error.code, error.detail] : String(error) };
    }
  };

  it('gives the bytes of encodeFrame(encodeDataSegment(input)), or throws the same error, for any input', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const dirty = { allocate: (size: number) => new Uint8Array(size).fill(0xaa) };
        expect(outcome(() => encodeMessage(input, dirty))).toEqual(
          outcome(() => encodeFrame(encodeDataSegment(input))),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('a segment over 9,999 bytes is refused as before', () => {
    const input: MessageInput = { qn: '1', cp: [[{ key: 'k', value: 'v'.repeat(10_000) }]] };
    expect(() => encodeMessage(input)).toThrow(Hj212Error);
    expect(outcome(() => encodeMessage(input))).toEqual(outcome(() => encodeFrame(encodeDataSegment(input))));
  });
});

describe('encode → decode restores every upload body', () => {
  function roundTrip(g: Generated): void {
    const wire = encodeMessage(g.input);
    const decoded = decodeOneFrame(wire);
    expect(decoded.errors).toEqual([]);
    expect(decoded.ok).toBe(true);
    const m = decoded.message as Message;
    expect(m.version).toBe(g.version);
    expect(m.direction).toBe('up');
    expect(headerOf(m)).toEqual({ pnum: undefined, pno: undefined, ...g.input, cp: undefined });
    expect(m.body).toEqual(g.body);
    expect(m.cp).toEqual(g.input.cp);
  }

  it('observations, run state/time, device info, restart, clock, parameters, alarms', () => {
    fc.assert(fc.property(uploadArb, roundTrip), { numRuns: 1000 });
  });
});

describe('replies', () => {
  const c16 = sample('CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5');
  const subpacket2 = sample('Flag=7;PNUM=2;PNO=2');

  it('2017 9014 for the 表 C.16 upload reproduces the standard’s example byte for byte', () => {
    expect(encodeMessage(dataAck(messageOf(c16.wire), '2017'))).toEqual(sample('&&&&C241').wire);
  });

  it('2017 9014 for 表 C.50 sub-packet 2 echoes that sub-packet’s QN', () => {
    expect(encodeMessage(dataAck(messageOf(subpacket2.wire), '2017'))).toEqual(sample('&&&&4A40').wire);
  });

  it('2005 9014: QN and CN inside CP, no PW/MN (HJ/T 212-2005 附录 C)', () => {
    const upload = { qn: '20040516010101001', cn: '2051', pw: '123456', mn: '88888880000001' };
    expect(encodeMessage(dataAck(upload, '2005'))).toEqual(
      sample('CP=&&QN=20040516010101001;CN=2051&&').wire,
    );
    // A 2005 sub-packet is named by PNO/PNUM.
    expect(encodeDataSegment(dataAck({ ...upload, pnum: 2, pno: 1 }, '2005'))).toBe(
      'ST=91;CN=9014;CP=&&QN=20040516010101001;CN=2051;PNO=1;PNUM=2&&',
    );
  });

  it('2005 9011: QN inside CP with QnRtn', () => {
    const request = { qn: '20040516010101001', pw: '123456', mn: '88888880000001' };
    expect(encodeMessage(requestReply(request, '2005', 1))).toEqual(sample('&&7200').wire);
  });

  it('2017 9011 and 9012 for the 表 C.1 request', () => {
    const request = { qn: '20160801085857223', pw: '123456', mn: '010000A8900016F000169DC0' };
    expect(encodeMessage(requestReply(request, '2017', 1))).toEqual(sample('QnRtn=1&&1B00').wire);
    expect(encodeMessage(executionResult(request, '2017', 1))).toEqual(sample('ExeRtn=1&&6240').wire);
  });

  it('2017 9013 for the 表 C.4 1013: the standard’s example with its printed space removed', () => {
    const printed = sample('CN=9013;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&& &&');
    const segment = segmentOf(printed.text).replace('CP=&& &&', 'CP=&&&&');
    const reply = noticeReply(messageOf(sample('CN=1013').wire), '2017');
    expect(encodeDataSegment(reply)).toBe(segment);
    expect(encodeMessage(reply)).toEqual(packet(segment));
  });

  it('2005 9013 for a 2072 alarm: QN inside CP', () => {
    expect(encodeDataSegment(noticeReply(messageOf(sample('CN=2072').wire), '2005'))).toBe(
      'ST=91;CN=9013;PW=123456;MN=88888880000001;Flag=0;CP=&&QN=20040516010101001&&',
    );
  });

  it('replies in both dialects decode back to their bodies', () => {
    const request = fc.record({
      qn: instantMs.map((t) => beijingText(t, true)),
      pw: pwArb,
      mn: mnArb,
      cn: fc.constantFrom('2011', '2051', '2061'),
    });
    fc.assert(
      fc.property(
        request,
        fc.constantFrom<ProtocolVersion>('2005', '2017'),
        fc.integer({ min: 1, max: 100 }),
        (rq, dialect, code) => {
          const cases: [MessageInput, object][] = [
            [requestReply(rq, dialect, code), { type: 'request-reply', requestQn: rq.qn, qnRtn: code }],
            [
              executionResult(rq, dialect, code),
              { type: 'execution-result', requestQn: rq.qn, exeRtn: code },
            ],
            [noticeReply(rq, dialect), { type: 'notice-reply', requestQn: rq.qn }],
            [
              dataAck(rq, dialect),
              dialect === '2005'
                ? { type: 'data-ack', requestQn: rq.qn, ackedCn: rq.cn }
                : { type: 'data-ack', requestQn: rq.qn },
            ],
          ];
          for (const [input, expected] of cases) {
            const decoded = decodeOneFrame(encodeMessage(input));
            expect(decoded.ok).toBe(true);
            expect(decoded.message?.body).toEqual(expected);
            expect(decoded.message?.st).toBe('91');
            expect(decoded.message?.qn).toBe(dialect === '2005' ? undefined : rq.qn);
            expect(decoded.message?.version).toBe(dialect);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('platformReply', () => {
  it('an upload asking for an ack (Flag.A = 1) gets a 9014', () => {
    const reply = platformReply(
      messageOf(sample('CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5').wire),
    );
    expect(reply && encodeMessage(reply)).toEqual(sample('&&&&C241').wire);
  });

  it('a 2005 upload with Flag.A = 1 gets a 2005-style 9014', () => {
    const upload = messageOf(
      packet(
        'QN=20040516010101001;ST=32;CN=2051;PW=123456;MN=88888880000001;Flag=1;CP=&&DataTime=20040516010000;011-Avg=1&&',
      ),
    );
    expect(upload.direction).toBe('up');
    const reply = platformReply(upload);
    expect(reply && encodeDataSegment(reply)).toBe('ST=91;CN=9014;CP=&&QN=20040516010101001;CN=2051&&');
  });

  it('an upload with A = 0, or without Flag, gets none', () => {
    expect(platformReply(messageOf(sample('MN=JLYP01_AIR01_0001;Flag=4').wire))).toBeUndefined();
    expect(platformReply(messageOf(sample('CN=2021').wire))).toBeUndefined();
  });

  it('a 1013 notice gets a 9013 with its QN', () => {
    const reply = platformReply(messageOf(sample('CN=1013').wire));
    expect(reply).toMatchObject({ qn: '20160801085857223', st: '91', cn: '9013', flag: 4, cp: [] });
  });

  it('a 2005 2072 alarm gets a 2005 9013', () => {
    expect(platformReply(messageOf(sample('CN=2072').wire))).toMatchObject({
      cn: '9013',
      flag: 0,
      cp: [[{ key: 'QN', value: '20040516010101001' }]],
    });
  });

  it('replies from the data logger and platform commands get none', () => {
    expect(platformReply(messageOf(sample('QnRtn=1&&1B00').wire))).toBeUndefined();
    expect(platformReply(messageOf(sample('CN=1062').wire))).toBeUndefined();
    expect(platformReply(messageOf(sample('&&&&C241').wire))).toBeUndefined();
  });

  it('each acknowledged sub-packet gets its own 9014', () => {
    const replies = [sample('PNUM=2;PNO=1'), sample('Flag=7;PNUM=2;PNO=2')].map((s) =>
      platformReply(messageOf(s.wire)),
    );
    expect(replies.map((r) => r?.qn)).toEqual(['20160801085857534', '20160801085857535']);
    expect(replies[1] && encodeMessage(replies[1])).toEqual(sample('&&&&4A40').wire);
  });
});

describe('commands', () => {
  const target = fc.record({ mn: mnArb, pw: pwArb, st: stArb });
  const iCodes = DEVICE_INFO_CODES.map((row) => row.code).filter((c) => !c.endsWith('x'));
  const polIds = FACTOR_CODES.filter((r) => r.medium !== 'noise').map((r) => r.code);

  /** Random valid parameters for a command and the typed parameters they must decode to. */
  function paramsArb(
    command: CommandDefinition,
  ): fc.Arbitrary<{ params: CommandParams; expected: Record<string, string | number> }> {
    const entries = command.params.map((param) => {
      let value: fc.Arbitrary<string | number>;
      switch (param.type) {
        case 'time':
          value = instant;
          break;
        case 'integer':
          value = param.oneOf
            ? fc.constantFrom(...param.oneOf)
            : fc.integer({ min: param.range?.[0] ?? 0, max: param.range?.[1] ?? 9999 });
          break;
        case 'hhmmss':
          value = fc
            .tuple(
              fc.integer({ min: 0, max: 23 }),
              fc.integer({ min: 0, max: 59 }),
              fc.integer({ min: 0, max: 59 }),
            )
            .map((t) => t.map((n) => String(n).padStart(2, '0')).join(''));
          break;
        default:
          value =
            param.key === 'PolId'
              ? fc.constantFrom(...polIds)
              : param.key === 'InfoId'
                ? fc.constantFrom(...iCodes)
                : param.key === 'Info'
                  ? decimalArb.map((d) => d.text)
                  : pwArb;
      }
      return fc.tuple(fc.constant(param.key), param.required ? value : fc.option(value, { nil: undefined }));
    });
    return fc.tuple(...entries).map((pairs) => {
      const params: Record<string, string | number> = {};
      for (const [key, value] of pairs) if (value !== undefined) params[key] = value;
      return { params, expected: { ...params } };
    });
  }

  const cases = COMMANDS.filter((command) => command.decodeOnly !== true).flatMap((command) =>
    command.versions.map(
      (version) => [`${command.name} (${command.cn}, ${version})`, command, version] as const,
    ),
  );

  it('every buildable command exists in at least one version', () => {
    const buildable = COMMANDS.filter((command) => command.decodeOnly !== true);
    expect(cases.length).toBeGreaterThanOrEqual(buildable.length);
  });

  it('2005 3013/3014 (meanings changed in 2017) are read back but never built', () => {
    const t = { mn: '88888880000001', pw: '123456', st: '32', version: '2005' as const };
    expect(() => buildCommand('set-sampling-hours', { PolId: '011' }, t, 0)).toThrowError(
      expect.objectContaining({ code: 'HJ212_E_ENCODE_COMMAND' }),
    );
    const request = decodeOneFrame(
      encodeFrame(
        'QN=20040516010101001;ST=32;CN=3014;PW=123456;MN=88888880000001;Flag=1;CP=&&PolId=011,CTime=04,CTime=10&&',
      ),
    );
    expect(request.message?.direction).toBe('down');
    expect(request.message?.body).toEqual({
      type: 'command',
      command: 'set-sampling-hours',
      params: { PolId: '011' },
    });
    // The same CN in 2017 is comparison sampling.
    const comparison = decodeOneFrame(
      encodeFrame(
        'QN=20170516010101001;ST=32;CN=3014;PW=123456;MN=88888880000001;Flag=5;CP=&&PolId=w01018&&',
      ),
    );
    expect(comparison.message?.body).toEqual({
      type: 'command',
      command: 'comparison-sample',
      params: { PolId: 'w01018' },
    });
  });

  it.each(cases)(
    '%s: buildCommand → encode → decode gives the command and its parameters',
    (_, command, version) => {
      fc.assert(
        fc.property(paramsArb(command), target, instantMs, ({ params, expected }, t, now) => {
          const input = buildCommand(command.name, params, { ...t, version }, now);
          const decoded = decodeOneFrame(encodeMessage(input));
          expect(decoded.errors).toEqual([]);
          expect(decoded.ok).toBe(true);
          const m = decoded.message as Message;
          expect(m.direction).toBe('down');
          expect(m.version).toBe(version);
          expect([m.cn, m.mn, m.pw, m.st, m.flag]).toEqual([
            command.cn,
            t.mn,
            t.pw,
            t.st,
            (FLAG_VERSION_BITS[version] << 2) | 1,
          ]);
          expect(m.qn).toBe(beijingText(now, true));
          expect(m.body).toEqual({ type: 'command', command: command.name, params: expected });
        }),
        { numRuns: 40 },
      );
    },
  );

  it('2005 writes the history time range as one group, 2017 as two (digest §3)', () => {
    const params = { BeginTime: Date.UTC(2004, 4, 6, 3, 10), EndTime: Date.UTC(2004, 4, 6, 7, 10) };
    const t = { mn: '88888880000001', pw: '123456', st: '32' };
    const now = Date.UTC(2004, 4, 15, 17, 1, 1, 1);
    expect(encodeDataSegment(buildCommand('get-minute-data', params, { ...t, version: '2005' }, now))).toBe(
      'QN=20040516010101001;ST=32;CN=2051;PW=123456;MN=88888880000001;Flag=1;CP=&&BeginTime=20040506111000,EndTime=20040506151000&&',
    );
    expect(
      encodeDataSegment(buildCommand('get-minute-data', params, { ...t, version: '2017' }, now)),
    ).toContain('Flag=5;CP=&&BeginTime=20040506111000;EndTime=20040506151000&&');
  });

  it("the standard's worked example is buildCommand('set-realtime-interval', { RtdInterval: 30 })", () => {
    const now = Date.UTC(2016, 7, 1, 8, 58, 57, 223) - BEIJING_MS;
    const input = buildCommand(
      'set-realtime-interval',
      { RtdInterval: 30 },
      { mn: '010000A8900016F000169DC0', pw: '100000', st: '32', version: '2017' },
      now,
    );
    expect(encodeMessage(input)).toEqual(sample('CN=1062').wire);
  });
});

describe('sub-packets (encodeMessageSplit)', () => {
  const groups = (count: number): CpField[][] =>
    FACTOR_CODES.filter((r) => r.medium !== 'noise')
      .slice(0, count)
      .map((r, i) => [
        { key: `${r.code}-Avg`, value: `${i}.25` },
        { key: `${r.code}-Max`, value: `${i + 1}.5` },
        { key: `${r.code}-Flag`, value: 'N' },
      ]);

  it('a message that fits is one unsplit frame', () => {
    const input: MessageInput = {
      qn: '20160801085857223',
      st: '32',
      cn: '2061',
      pw: '123456',
      mn: 'M',
      flag: 5,
      cp: [[{ key: 'DataTime', value: '20160801080000' }], ...groups(3)],
    };
    expect(encodeMessageSplit(input)).toEqual([encodeMessage(input)]);
  });

  it('splits a long message into ≤ 1024-byte sub-packets that reassemble exactly, in any order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 120 }),
        fc.integer({ min: 300, max: 1024 }),
        instantMs,
        fc.infiniteStream(fc.nat()),
        (count, maxDataLength, qnTime, shuffle) => {
          const dataTime = '20160801080000';
          const input: MessageInput = {
            qn: beijingText(qnTime, true),
            st: '32',
            cn: '2061',
            pw: '123456',
            mn: '010000A8900016F000169DC0',
            flag: 5,
            cp: [[{ key: 'DataTime', value: dataTime }], ...groups(count)],
          };
          const frames = encodeMessageSplit(input, { maxDataLength });
          const whole = utf8(encodeDataSegment(input)).length;
          if (whole <= maxDataLength) {
            expect(frames).toHaveLength(1);
            return;
          }
          expect(frames.length).toBeGreaterThan(1);
          const messages = frames.map((frame, i) => {
            expect(frame.length - 12).toBeLessThanOrEqual(maxDataLength);
            const decoded = decodeOneFrame(frame);
            expect(decoded.errors).toEqual([]);
            expect(decoded.ok).toBe(true);
            const m = decoded.message as Message;
            expect([m.flag, m.split, m.ackRequested, m.pnum, m.pno]).toEqual([
              7,
              true,
              true,
              frames.length,
              i + 1,
            ]);
            expect(m.body).toMatchObject({ type: 'observations', dataTime: Date.UTC(2016, 7, 1, 0, 0, 0) });
            return m;
          });
          expect(new Set(messages.map((m) => m.qn)).size).toBe(frames.length);
          const order = messages.map((m) => ({ m, key: shuffle.next().value })).sort((a, b) => a.key - b.key);
          const assembler = new SubPacketAssembler();
          const done = order.flatMap(({ m }, i) => assembler.push(m, i));
          expect(done).toHaveLength(1);
          const [result] = done;
          expect(result?.complete).toBe(true);
          expect(result?.message.cp).toEqual(input.cp);
          expect(result?.message.body).toEqual({
            type: 'observations',
            period: 'hour',
            dataTime: Date.UTC(2016, 7, 1, 0, 0, 0),
            factors: groups(count).map((g, i) => ({
              code: g[0]?.key.replace('-Avg', ''),
              originalCode: g[0]?.key.replace('-Avg', ''),
              values: { Avg: i + 0.25, Max: i + 1.5 },
              dataFlag: 'N',
            })),
            extras: [],
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a message with 100 factors splits under the standard limit and reassembles in shuffled order', () => {
    const input: MessageInput = {
      qn: '20160801085857223',
      st: '32',
      cn: '2061',
      pw: '123456',
      mn: '010000A8900016F000169DC0',
      flag: 5,
      cp: [[{ key: 'DataTime', value: '20160801080000' }], ...groups(100)],
    };
    const frames = encodeMessageSplit(input);
    expect(frames.length).toBeGreaterThan(2);
    const parts = frames.map((frame, i) => {
      expect(frame.length - 12).toBeLessThanOrEqual(1024);
      const decoded = decodeOneFrame(frame);
      expect(decoded.ok).toBe(true);
      expect(decoded.errors).toEqual([]);
      const m = decoded.message as Message;
      expect([m.split, m.pnum, m.pno]).toEqual([true, frames.length, i + 1]);
      expect(m.cp[0]).toEqual([{ key: 'DataTime', value: '20160801080000' }]);
      return m;
    });
    // Each part has its own QN: the original for the first, then one millisecond later per part.
    expect(parts.map((m) => m.qn)).toEqual(
      parts.map((_, i) => beijingText(Date.UTC(2016, 7, 1, 0, 58, 57, 223 + i), true)),
    );
    const shuffled = [...parts].reverse();
    shuffled.push(shuffled.splice(1, 1)[0] as Message);
    const assembler = new SubPacketAssembler();
    const [done, ...rest] = shuffled.flatMap((m, t) => assembler.push(m, t));
    expect(rest).toEqual([]);
    expect(done?.complete).toBe(true);
    expect(done?.message.cp).toEqual(input.cp);
    const body = done?.message.body;
    expect(body?.type === 'observations' ? body.factors.map((x) => x.code) : []).toEqual(
      groups(100).map((g) => g[0]?.key.replace('-Avg', '')),
    );
  });

  it('a single group longer than the limit cannot be split', () => {
    const input: MessageInput = {
      qn: '20160801085857223',
      st: '32',
      cn: '3020',
      flag: 4,
      cp: [[{ key: 'i11001-Info', value: `//${'x'.repeat(2000)}//` }]],
    };
    expect(() => encodeMessageSplit(input)).toThrow(
      expect.objectContaining({ code: 'HJ212_E_ENCODE_TOO_LONG' }),
    );
  });
});

describe('invalid input is refused', () => {
  const base: MessageInput = {
    qn: '20160801085857223',
    st: '32',
    cn: '2011',
    pw: '123456',
    mn: 'MN1',
    flag: 4,
    cp: [],
  };
  const withValue = (value: string): MessageInput => ({ ...base, cp: [[{ key: 'w01018-Rtd', value }]] });

  function thrown(fn: () => unknown): Hj212Error {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(Hj212Error);
      return error as Hj212Error;
    }
    throw new Error('did not throw');
  }

  it.each([
    ['a value with ";"', withValue('1;2')],
    ['a value with ","', withValue('1,2')],
    ['a value with "="', withValue('1=2')],
    ['a value with CR', withValue('1\r')],
    ['a value with LF', withValue('1\n')],
    ['a value with "&&"', withValue('1&&2')],
    ['a log with CR LF', withValue('//a\r\nb//')],
    ['an unclosed log "//x"', withValue('//x')],
    ['a bare "//"', withValue('//')],
    ['a log containing its delimiter "//a//b,c//"', withValue('//see http://host/a, b//')],
    ['an empty key', { ...base, cp: [[{ key: '', value: '1' }]] }],
    ['a key with "="', { ...base, cp: [[{ key: 'a=b', value: '1' }]] }],
    ['an empty CP group', { ...base, cp: [[]] }],
    ['Flag 300', { ...base, flag: 300 }],
    ['Flag -1', { ...base, flag: -1 }],
    ['Flag 4.5', { ...base, flag: 4.5 }],
    ['PNUM 10000', { ...base, pnum: 10000, pno: 1 }],
    ['an empty MN', { ...base, mn: '' }],
    ['a PW with ";"', { ...base, pw: '12;34' }],
    ['a QN with "&"', { ...base, qn: '2016&' }],
  ])('%s: HJ212_E_ENCODE_FIELD', (_, input) => {
    expect(thrown(() => encodeDataSegment(input)).code).toBe('HJ212_E_ENCODE_FIELD');
  });

  it('values that are safe inside a //…// log are accepted and read back', () => {
    const log = '//阀门A;泵B,关闭=0 & more//';
    const m = messageOf(
      encodeMessage({
        ...base,
        cn: '3020',
        cp: [[{ key: 'i21001-Info', value: log }], [{ key: 'i22001-Info', value: '0' }]],
      }),
    );
    expect(m.body).toMatchObject({
      entries: [
        {
          items: [
            { code: 'i21001', value: log },
            { code: 'i22001', value: '0' },
          ],
        },
      ],
    });
  });

  const t = { mn: '010000A8900016F000169DC0', pw: '123456', st: '32' };
  it.each([
    [
      'set-realtime-interval RtdInterval 10 in 2017 (30–3600 s, 表 C.8)',
      () => buildCommand('set-realtime-interval', { RtdInterval: 10 }, { ...t, version: '2017' }, 0),
      'HJ212_E_ENCODE_FIELD',
    ],
    [
      'set-minute-interval 7 (表 C.10)',
      () => buildCommand('set-minute-interval', { MinInterval: 7 }, { ...t, version: '2017' }, 0),
      'HJ212_E_ENCODE_FIELD',
    ],
    [
      'set-timeout-retries OverTime 100',
      () => buildCommand('set-timeout-retries', { OverTime: 100, ReCount: 3 }, { ...t, version: '2017' }, 0),
      'HJ212_E_ENCODE_FIELD',
    ],
    [
      'a missing required parameter',
      () => buildCommand('get-hour-data', { BeginTime: 0 }, { ...t, version: '2017' }, 0),
      'HJ212_E_ENCODE_FIELD',
    ],
    [
      'a time that is not a number',
      () =>
        buildCommand(
          'get-hour-data',
          { BeginTime: '20160801000000', EndTime: 0 },
          { ...t, version: '2017' },
          0,
        ),
      'HJ212_E_ENCODE_FIELD',
    ],
    [
      'CstartTime 246000',
      () =>
        buildCommand(
          'set-sampling-period',
          { PolId: 'w01018', CstartTime: '246000', Ctime: 2 },
          { ...t, version: '2017' },
          0,
        ),
      'HJ212_E_ENCODE_FIELD',
    ],
    [
      "'start-cleaning' in 2005 (3013 changed meaning)",
      () => buildCommand('start-cleaning', { PolId: 'w01018' }, { ...t, version: '2005' }, 0),
      'HJ212_E_ENCODE_COMMAND',
    ],
    [
      'an unknown command',
      () => buildCommand('self-destruct', {}, { ...t, version: '2017' }, 0),
      'HJ212_E_ENCODE_COMMAND',
    ],
  ] as const)('%s', (_, fn, code) => {
    expect(thrown(fn).code).toBe(code);
  });

  it('RtdInterval 10 is valid in 2005 (any N4)', () => {
    expect(() =>
      buildCommand('set-realtime-interval', { RtdInterval: 10 }, { ...t, version: '2005' }, 0),
    ).not.toThrow();
  });

  it('a data segment over 9999 bytes cannot be framed', () => {
    expect(thrown(() => encodeFrame('x'.repeat(10_000))).code).toBe('HJ212_E_ENCODE_TOO_LONG');
  });

  it('Hj212Error carries its code, detail and a readable message', () => {
    const error = thrown(() => encodeDataSegment({ ...base, flag: 300 }));
    expect(error.name).toBe('Hj212Error');
    expect(error.detail).toEqual({ field: 'Flag', value: 300 });
    expect(error.message).toMatch(/^HJ212_E_ENCODE_FIELD: /);
  });

  it('decoding never throws where encoding refuses', () => {
    expect(codes(decodeOneFrame(packet('QN=1;ST=32;CN=2011;Flag=300;CP=&&&&')).diagnostics)).toContain(
      'HJ212_E_FLAG_INVALID',
    );
  });
});
