import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crcHj212IfPlain } from '../src/crc.js';
import {
  CRC_VARIANTS,
  crcHj212,
  crcHj212SignedChar,
  crcHj212Utf16,
  crcModbus,
  crcText,
  decodeOneFrame,
  encodeFrame,
  isCrcVariant,
} from '../src/index.js';
import {
  hex4,
  packet,
  referenceHj212,
  referenceHj212SignedChar,
  referenceHj212Utf16,
  referenceModbus,
} from './reference-crc.js';
import { sample, segmentOf, utf8 } from './samples.js';

const codes = (list: readonly { code: string }[]): string[] => list.map((d) => d.code);

/** HJ 212-2017 附录 A worked example (digest §2): 101 bytes, CRC 1C80 (the prose's "1C08" is a typo). */
const WORKED_EXAMPLE =
  '##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80';

/** The 表 C.40 log upload with Chinese text (digest §1: 144 characters, 152 UTF-8 bytes). */
const CHINESE_LOG = segmentOf(sample('i11001-Info=//清洗管路//').text);

describe('check values', () => {
  it('the bit-by-bit references used below reproduce the published check values', () => {
    expect(referenceHj212(utf8('123456789'))).toBe(0x2f80);
    expect(referenceModbus(utf8('123456789'))).toBe(0x4b37);
    expect(referenceHj212Utf16(CHINESE_LOG)).toBe(0x35c0);
    expect(referenceHj212SignedChar(utf8(CHINESE_LOG))).toBe(0x9c01);
  });

  it('HJ 212 附录 A: "123456789" → 0x2F80, empty → 0xFFFF', () => {
    expect(crcHj212(utf8('123456789'))).toBe(0x2f80);
    expect(crcHj212(new Uint8Array(0))).toBe(0xffff);
  });

  it('CRC-16/MODBUS: "123456789" → 0x4B37 (not the HJ 212 value)', () => {
    expect(crcModbus(utf8('123456789'))).toBe(0x4b37);
    expect(crcModbus(new Uint8Array(0))).toBe(0xffff);
  });

  it('crcText writes four upper-case hex digits, high byte first, per variant', () => {
    const bytes = utf8('123456789');
    expect(crcText(bytes)).toBe('2F80');
    expect(crcText(bytes, 'hj212')).toBe('2F80');
    expect(crcText(bytes, 'modbus')).toBe('4B37');
    expect(crcText(bytes, 'modbus-swapped')).toBe('374B');
    // Leading zeros are kept (the xiaoyao9184 "880" bug): "1" gives a CRC below 0x1000.
    const small = [...Array(256).keys()]
      .map((b) => new Uint8Array([b]))
      .find((b) => referenceHj212(b) < 0x1000);
    if (small === undefined) throw new Error('no single byte with a CRC below 0x1000');
    expect(crcText(small)).toMatch(/^0[0-9A-F]{3}$/);
  });

  it('honours start/end', () => {
    const bytes = utf8('xx123456789yy');
    expect(crcHj212(bytes, 2, 11)).toBe(0x2f80);
    expect(crcModbus(bytes, 2, 11)).toBe(0x4b37);
    expect(crcText(bytes, 'hj212', 2, 11)).toBe('2F80');
  });

  it("the standard's worked example verifies (CRC 1C80 over 101 bytes)", () => {
    const segment = utf8(segmentOf(WORKED_EXAMPLE));
    expect(segment.length).toBe(101);
    expect(crcHj212(segment)).toBe(0x1c80);
    expect(referenceHj212(segment)).toBe(0x1c80);
    const decoded = decodeOneFrame(`${WORKED_EXAMPLE}\r\n`);
    expect(decoded.ok).toBe(true);
    expect(decoded.crc).toEqual({
      ok: true,
      variant: 'hj212',
      basis: 'bytes',
      received: '1C80',
      expected: '1C80',
    });
  });

  it('isCrcVariant accepts exactly the three variants', () => {
    expect([...CRC_VARIANTS]).toEqual(['hj212', 'modbus', 'modbus-swapped']);
    for (const v of CRC_VARIANTS) expect(isCrcVariant(v)).toBe(true);
    for (const v of ['HJ212', 'crc16', '', null, 1]) expect(isCrcVariant(v)).toBe(false);
  });
});

describe('table-driven CRCs equal bit-by-bit references', () => {
  const bytes = fc.uint8Array({ maxLength: 2048 });

  it('crcHj212 = the literal 附录 A C loop', () => {
    fc.assert(
      fc.property(bytes, (data) => {
        expect(crcHj212(data)).toBe(referenceHj212(data));
      }),
      { numRuns: 500 },
    );
  });

  it('crcHj212 over a sub-range = the reference over the slice', () => {
    fc.assert(
      fc.property(bytes, fc.nat(), fc.nat(), (data, a, b) => {
        const start = data.length === 0 ? 0 : a % (data.length + 1);
        const end = start + (data.length - start === 0 ? 0 : b % (data.length - start + 1));
        expect(crcHj212(data, start, end)).toBe(referenceHj212(data.subarray(start, end)));
        expect(crcModbus(data, start, end)).toBe(referenceModbus(data.subarray(start, end)));
      }),
      { numRuns: 300 },
    );
  });

  it('crcModbus = bit-by-bit CRC-16/MODBUS', () => {
    fc.assert(
      fc.property(bytes, (data) => {
        expect(crcModbus(data)).toBe(referenceModbus(data));
      }),
      { numRuns: 500 },
    );
  });

  it('crcHj212Utf16 = the 附录 A loop over UTF-16 units', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(crcHj212Utf16(text)).toBe(referenceHj212Utf16(text));
      }),
      { numRuns: 500 },
    );
  });

  it('crcHj212Utf16 equals crcHj212 on ASCII text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 300 }), (text) => {
        expect(crcHj212Utf16(text)).toBe(crcHj212(utf8(text)));
      }),
      { numRuns: 300 },
    );
  });

  it('crcHj212SignedChar = the 附录 A loop with sign-extended bytes', () => {
    fc.assert(
      fc.property(bytes, (data) => {
        expect(crcHj212SignedChar(data)).toBe(referenceHj212SignedChar(data));
      }),
      { numRuns: 500 },
    );
  });
});

describe('data-logger CRC bugs on non-ASCII segments (digest §1)', () => {
  it('the 表 C.40 log: UTF-8 bytes 9741, UTF-16 units 35C0, signed char 9C01', () => {
    expect(crcHj212(utf8(CHINESE_LOG))).toBe(0x9741);
    expect(crcHj212Utf16(CHINESE_LOG)).toBe(0x35c0);
    expect(crcHj212SignedChar(utf8(CHINESE_LOG))).toBe(0x9c01);
  });

  it('a CRC written over UTF-16 units: accepted in lenient mode with a warning, rejected in strict mode', () => {
    const frame = packet(CHINESE_LOG, { crc: '35C0' });
    const lenient = decodeOneFrame(frame);
    expect(lenient.ok).toBe(true);
    expect(lenient.crc).toEqual({
      ok: true,
      variant: 'hj212',
      basis: 'utf16',
      received: '35C0',
      expected: '9741',
    });
    const note = lenient.diagnostics.find((d) => d.code === 'HJ212_E_CRC_OVER_CHARACTERS');
    expect(note?.severity).toBe('warning');
    const strict = decodeOneFrame(frame, { strict: true });
    expect(strict.ok).toBe(false);
    expect(codes(strict.errors)).toContain('HJ212_E_CRC_OVER_CHARACTERS');
  });

  it('a CRC computed with signed char: accepted in lenient mode with a warning, rejected in strict mode', () => {
    const frame = packet(CHINESE_LOG, { crc: '9C01' });
    const lenient = decodeOneFrame(frame);
    expect(lenient.ok).toBe(true);
    expect(lenient.crc).toMatchObject({ ok: true, variant: 'hj212', basis: 'signed-char', received: '9C01' });
    expect(codes(lenient.diagnostics)).toContain('HJ212_E_CRC_SIGNED_CHAR');
    expect(decodeOneFrame(frame, { strict: true }).ok).toBe(false);
  });

  it('the UTF-16 and signed-char fallbacks do not apply to ASCII segments', () => {
    // For ASCII both bugs give the standard value, so a wrong CRC stays wrong.
    const segment = segmentOf(WORKED_EXAMPLE);
    const decoded = decodeOneFrame(packet(segment, { crc: '1C81' }));
    expect(decoded.ok).toBe(false);
    expect(decoded.crc.variant).toBeNull();
    expect(codes(decoded.errors)).toEqual(['HJ212_E_CRC_MISMATCH']);
  });
});

describe('MODBUS variants are recognised but accepted only when allowed per device', () => {
  const segment = segmentOf(WORKED_EXAMPLE);
  const data = utf8(segment);
  const modbus = referenceModbus(data);
  const swapped = ((modbus & 0xff) << 8) | (modbus >>> 8);

  it('the three CRCs of the example segment differ (so the test can tell them apart)', () => {
    expect(new Set([referenceHj212(data), modbus, swapped]).size).toBe(3);
  });

  it('encodeFrame writes each variant', () => {
    expect(encodeFrame(segment)).toEqual(packet(segment));
    expect(encodeFrame(segment, { crcVariant: 'modbus' })).toEqual(packet(segment, { crc: hex4(modbus) }));
    expect(encodeFrame(segment, { crcVariant: 'modbus-swapped' })).toEqual(
      packet(segment, { crc: hex4(swapped) }),
    );
  });

  it.each([
    ['modbus', modbus],
    ['modbus-swapped', swapped],
  ] as const)('%s: reported by name, ok only when that variant is allowed', (variant, value) => {
    const frame = encodeFrame(segment, { crcVariant: variant });
    const byDefault = decodeOneFrame(frame);
    expect(byDefault.crc).toMatchObject({ ok: false, variant, basis: 'bytes', received: hex4(value) });
    expect(byDefault.ok).toBe(false);
    expect(codes(byDefault.errors)).toEqual(['HJ212_E_CRC_VARIANT_NOT_ALLOWED']);
    // The message is still read, for evidence.
    expect(byDefault.message?.cn).toBe('1062');

    const other = variant === 'modbus' ? 'modbus-swapped' : 'modbus';
    expect(decodeOneFrame(frame, { crcVariants: ['hj212', other] }).ok).toBe(false);
    const allowed = decodeOneFrame(frame, { crcVariants: ['hj212', variant] });
    expect(allowed.ok).toBe(true);
    expect(allowed.crc).toMatchObject({ ok: true, variant });
    expect(allowed.errors).toEqual([]);
  });

  it('a device restricted to MODBUS rejects the standard CRC', () => {
    const decoded = decodeOneFrame(encodeFrame(segment), { crcVariants: ['modbus'] });
    expect(decoded.crc).toMatchObject({ ok: false, variant: 'hj212' });
    expect(decoded.ok).toBe(false);
  });
});

describe('CRC text', () => {
  const asciiSegment = fc
    .string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789=;,-._'),
      maxLength: 200,
    })
    .map((body) => `QN=20160801085857223;ST=32;CN=2011;Flag=4;CP=&&${body}&&`);

  it('lower- and upper-case CRC hex are equivalent; lower case is only remarked', () => {
    fc.assert(
      fc.property(asciiSegment, (segment) => {
        const crc = hex4(referenceHj212(utf8(segment)));
        const upper = decodeOneFrame(packet(segment, { crc }));
        const lower = decodeOneFrame(packet(segment, { crc: crc.toLowerCase() }));
        expect(upper.crc.ok).toBe(true);
        expect(lower.crc.ok).toBe(true);
        expect(lower.crc.variant).toBe(upper.crc.variant);
        expect(lower.crc.received).toBe(crc.toLowerCase());
        expect(lower.message).toEqual(upper.message);
        expect(lower.ok).toBe(upper.ok);
        const hasLetter = /[A-F]/.test(crc);
        expect(codes(lower.diagnostics).includes('HJ212_E_CRC_LOWERCASE')).toBe(hasLetter);
        expect(codes(upper.diagnostics)).not.toContain('HJ212_E_CRC_LOWERCASE');
        // Lower case stays acceptable in strict mode (an info, not a warning).
        expect(decodeOneFrame(packet(segment, { crc: crc.toLowerCase() }), { strict: true }).crc.ok).toBe(
          true,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a CRC that is not four hex digits is an error', () => {
    const segment = segmentOf(WORKED_EXAMPLE);
    for (const crc of ['1C8G', 'ZZZZ', '1c8 ']) {
      const decoded = decodeOneFrame(packet(segment, { crc }));
      expect(decoded.ok).toBe(false);
      expect(decoded.crc).toMatchObject({ ok: false, variant: null, received: crc, expected: '1C80' });
      expect(codes(decoded.errors)).toContain('HJ212_E_CRC_NOT_HEX');
    }
  });

  it('any single-bit change of the segment is detected', () => {
    const data = utf8(segmentOf(WORKED_EXAMPLE));
    fc.assert(
      fc.property(fc.nat({ max: data.length * 8 - 1 }), (bit) => {
        const flipped = data.slice();
        flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
        expect(crcHj212(flipped)).not.toBe(0x1c80);
      }),
      { numRuns: 300 },
    );
  });
});

describe('crcHj212IfPlain (the framing pass)', () => {
  it('is the Appendix-A CRC when every byte is above "#", flags non-ASCII in bit 16, and is -1 otherwise', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (bytes, cut) => {
        const start = bytes.length === 0 ? 0 : cut % bytes.length;
        const slice = bytes.subarray(start);
        const result = crcHj212IfPlain(bytes, start, bytes.length);
        if (slice.some((byte) => byte <= 0x23)) {
          expect(result).toBe(-1);
        } else {
          expect(result & 0xffff).toBe(referenceHj212(slice));
          expect(result > 0xffff).toBe(slice.some((byte) => byte >= 0x80));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
