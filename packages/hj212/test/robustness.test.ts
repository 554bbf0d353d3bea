import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DecodedFrame,
  type Diagnostic,
  decodeFrame,
  decodeOneFrame,
  FrameDecoder,
  type FrameDecoderOptions,
  HJ212_ERRORS,
} from '../src/index.js';
import { concatBytes, SAMPLES } from './samples.js';

function expectCatalogued(list: readonly Diagnostic[]): void {
  for (const d of list) {
    expect(Object.hasOwn(HJ212_ERRORS, d.code), d.code).toBe(true);
    expect(d.severity).toBe(HJ212_ERRORS[d.code].severity);
    expect(d.message).toBe(HJ212_ERRORS[d.code].message);
  }
}

/** What every decode result must satisfy, whatever the input. */
function expectConsistent(decoded: DecodedFrame, strict = false): void {
  expectCatalogued(decoded.errors);
  expectCatalogued(decoded.diagnostics);
  expect(decoded.ok).toBe(decoded.errors.length === 0 && decoded.crc.ok);
  for (const d of decoded.errors) {
    if (!strict) expect(d.severity).toBe('error');
    else expect(d.severity).not.toBe('info');
  }
  for (const d of decoded.diagnostics)
    expect(d.severity === 'error' || (strict && d.severity === 'warning')).toBe(false);
}

const OPTIONS: FrameDecoderOptions = { maxGarbageBytes: 256, maxFrameBytes: 512 };
const BOUND = 256 + 512 + 8;

/** Feeds `stream` in chunks of the given sizes through FrameDecoder and decodeFrame. */
function feed(stream: Uint8Array, sizes: readonly number[]): void {
  const decoder = new FrameDecoder(OPTIONS);
  let at = 0;
  let i = 0;
  const check = (batch: ReturnType<FrameDecoder['push']>) => {
    expectCatalogued(batch.diagnostics);
    for (const frame of batch.frames) {
      expectCatalogued(frame.diagnostics);
      expectConsistent(decodeFrame(frame));
      expectConsistent(
        decodeFrame(frame, { strict: true, crcVariants: ['hj212', 'modbus', 'modbus-swapped'] }),
        true,
      );
    }
  };
  while (at < stream.length) {
    const size = Math.max(1, sizes.length === 0 ? stream.length : (sizes[i++ % sizes.length] as number));
    check(decoder.push(stream.subarray(at, at + size)));
    at += size;
    expect(decoder.buffered).toBeLessThanOrEqual(BOUND);
  }
  check(decoder.end());
  expect(decoder.buffered).toBe(0);
}

const sizes = fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 8 });

/** A sample packet (or several) with random byte flips, insertions and deletions. */
const mutated = fc
  .tuple(
    fc.array(fc.constantFrom(...SAMPLES.map((s) => s.wire)), { minLength: 1, maxLength: 4 }),
    fc.array(
      fc.tuple(fc.constantFrom('flip', 'insert', 'delete'), fc.nat(), fc.integer({ min: 0, max: 255 })),
      {
        maxLength: 8,
      },
    ),
  )
  .map(([wires, edits]) => {
    const bytes = [...concatBytes(wires)];
    for (const [kind, position, value] of edits) {
      const at = position % (bytes.length + 1);
      if (kind === 'insert') bytes.splice(at, 0, value);
      else if (bytes.length > 0 && kind === 'delete') bytes.splice(at % bytes.length, 1);
      else if (bytes.length > 0) bytes[at % bytes.length] = value;
    }
    return Uint8Array.from(bytes);
  });

describe('never throws, reports only catalogued codes, bounded memory', () => {
  it('arbitrary bytes through FrameDecoder + decodeFrame', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), sizes, (bytes, chunking) => feed(bytes, chunking)),
      { numRuns: 400 },
    );
  });

  it('"#"-rich noise (frame starts, digits, CR LF, &&) through FrameDecoder + decodeFrame', () => {
    const noise = fc
      .array(
        fc.constantFrom(
          ...'##0123456789\r\n&&;=,ABCDEF'.split(''),
          '##0087',
          '##0100',
          'CP=&&',
          '&&1C80\r\n',
        ),
        {
          maxLength: 600,
        },
      )
      .map((parts) => new TextEncoder().encode(parts.join('')));
    fc.assert(
      fc.property(noise, sizes, (bytes, chunking) => feed(bytes, chunking)),
      { numRuns: 300 },
    );
  });

  it('mutated sample packets through FrameDecoder + decodeFrame and decodeOneFrame', () => {
    fc.assert(
      fc.property(mutated, sizes, (bytes, chunking) => {
        feed(bytes, chunking);
        expectConsistent(decodeOneFrame(bytes));
        expectConsistent(decodeOneFrame(bytes, { strict: true }), true);
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary bytes and strings through decodeOneFrame', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 4096 }),
          fc.string({ maxLength: 2000 }),
          fc.string({ unit: 'binary', maxLength: 500 }),
        ),
        (input) => {
          expectConsistent(decodeOneFrame(input));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('decodeOneFrame without a packet', () => {
  it("'' is HJ212_E_NO_FRAME", () => {
    const decoded = decodeOneFrame('');
    expect(decoded.ok).toBe(false);
    expect(decoded.errors.map((d) => d.code)).toEqual(['HJ212_E_NO_FRAME']);
    expect(decoded.message).toBeUndefined();
    expect(decoded.crc.ok).toBe(false);
  });

  it('random strings are rejected with HJ212_E_NO_FRAME or another catalogued error', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 })),
        (text) => {
          const decoded = decodeOneFrame(text);
          expect(decoded.ok).toBe(false);
          expect(decoded.errors.length).toBeGreaterThan(0);
          expectConsistent(decoded);
          if (!text.includes('##')) expect(decoded.errors.map((d) => d.code)).toContain('HJ212_E_NO_FRAME');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('garbage around a packet is reported but the packet is still read', () => {
    const wire = SAMPLES[0]?.wire as Uint8Array;
    const decoded = decodeOneFrame(concatBytes([new TextEncoder().encode('junk'), wire]));
    expect(decoded.message?.cn).toBe('1062');
    expect(decoded.diagnostics.map((d) => d.code)).toContain('HJ212_E_GARBAGE_SKIPPED');
    expect(decodeOneFrame(concatBytes([new TextEncoder().encode('junk'), wire]), { strict: true }).ok).toBe(
      false,
    );
  });
});
