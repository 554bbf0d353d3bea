import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DiscardedBytes,
  decodeFrame,
  decodeOneFrame,
  decodeStream,
  encodeFrame,
  FACTOR_CODES,
  FrameDecoder,
  type FrameDecoderOptions,
  type RawFrame,
} from '../src/index.js';
import { packet, referenceHj212 } from './reference-crc.js';
import { concatBytes, SAMPLES, sample, segmentOf, utf8 } from './samples.js';

const codes = (list: readonly { code: string }[]): string[] => list.map((d) => d.code);
const HASH = 0x23;

interface Run {
  readonly frames: RawFrame[];
  readonly discarded: DiscardedBytes[];
}

/** Pushes `stream` cut at `cuts` (sorted offsets), then ends it. */
function run(stream: Uint8Array, cuts: readonly number[] = [], options: FrameDecoderOptions = {}): Run {
  const decoder = new FrameDecoder(options);
  const frames: RawFrame[] = [];
  const discarded: DiscardedBytes[] = [];
  let from = 0;
  for (const cut of [...cuts, stream.length]) {
    const batch = decoder.push(stream.subarray(from, cut));
    frames.push(...batch.frames);
    discarded.push(...batch.diagnostics);
    from = cut;
  }
  const last = decoder.end();
  frames.push(...last.frames);
  discarded.push(...last.diagnostics);
  expect(decoder.offset).toBe(stream.length);
  return { frames, discarded };
}

/** Cut points for a stream: any subset of offsets, sorted. */
const cutsFor = (length: number) =>
  fc
    .uniqueArray(fc.nat({ max: Math.max(0, length) }), { maxLength: 40 })
    .map((cuts) => cuts.sort((a, b) => a - b));

/** Every byte of the stream is in exactly one frame or one discarded range, in stream order. */
function expectTiling(result: Run, stream: Uint8Array): void {
  const pieces = [
    ...result.frames.map((f) => ({ offset: f.offset, bytes: f.bytes })),
    ...result.discarded.map((d) => ({ offset: d.offset, bytes: d.bytes })),
  ].sort((a, b) => a.offset - b.offset);
  let at = 0;
  for (const piece of pieces) {
    expect(piece.offset).toBe(at);
    expect(piece.bytes).toEqual(stream.subarray(at, at + piece.bytes.length));
    at += piece.bytes.length;
  }
  expect(at).toBe(stream.length);
}

const wires = SAMPLES.map((s) => s.wire);
const ok212 = sample('CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5');
const ack = sample('QN=20160801085000001;ST=91;CN=9014');

describe('split and merged packets', () => {
  it('a packet split across pushes is emitted once its CR LF arrives', () => {
    const decoder = new FrameDecoder();
    const wire = ok212.wire;
    const first = decoder.push(wire.subarray(0, 100));
    expect(first.frames).toEqual([]);
    expect(decoder.buffered).toBe(100);
    const second = decoder.push(wire.subarray(100));
    expect(second.frames).toHaveLength(1);
    expect(second.frames[0]?.bytes).toEqual(wire);
    expect(second.frames[0]?.offset).toBe(0);
    expect(decoder.buffered).toBe(0);
    expect(decoder.end()).toEqual({ frames: [], diagnostics: [] });
  });

  it('merged packets in one push come out as separate frames with their offsets', () => {
    const decoder = new FrameDecoder();
    const batch = decoder.push(concatBytes([ok212.wire, ack.wire, ok212.wire]));
    expect(batch.diagnostics).toEqual([]);
    expect(batch.frames.map((f) => f.offset)).toEqual([
      0,
      ok212.wire.length,
      ok212.wire.length + ack.wire.length,
    ]);
    expect(batch.frames.map((f) => f.bytes)).toEqual([ok212.wire, ack.wire, ok212.wire]);
    for (const frame of batch.frames) expect(decodeFrame(frame).ok).toBe(true);
  });

  it('holds copies: a pushed chunk may be reused once push() returns (pending bytes and garbage)', () => {
    const decoder = new FrameDecoder();
    const wire = ok212.wire;
    const reused = new Uint8Array(103);
    reused.set(utf8('xyz'));
    reused.set(wire.subarray(0, 100), 3);
    expect(decoder.push(reused).frames).toEqual([]);
    reused.fill(0x41);
    const batch = decoder.push(wire.subarray(100));
    expect(batch.frames.map((f) => [f.offset, f.bytes])).toEqual([[3, wire]]);
    expect(batch.diagnostics.map((d) => [d.code, d.offset, d.bytes])).toEqual([
      ['HJ212_E_GARBAGE_SKIPPED', 0, utf8('xyz')],
    ]);
  });

  it('offsets continue across end()', () => {
    const decoder = new FrameDecoder();
    decoder.push(ok212.wire);
    decoder.end();
    const batch = decoder.push(ack.wire);
    expect(batch.frames[0]?.offset).toBe(ok212.wire.length);
    expect(decoder.offset).toBe(ok212.wire.length + ack.wire.length);
  });
});

describe('chunking never changes the result', () => {
  const garbage = fc.uint8Array({ maxLength: 48 }).map((b) => b.map((x) => (x === HASH ? 0x2a : x)));

  it('sample packets with garbage (no "#") between them: exact frames and garbage ranges, any cuts', () => {
    const layout = fc.tuple(
      fc.array(fc.tuple(garbage, fc.constantFrom(...wires.keys())), { minLength: 1, maxLength: 8 }),
      garbage,
    );
    const scenario = layout.chain(([items, tail]) => {
      const parts: Uint8Array[] = [];
      const frames: { offset: number; bytes: Uint8Array }[] = [];
      const junk: { code: string; offset: number; bytes: Uint8Array }[] = [];
      let offset = 0;
      const addGarbage = (bytes: Uint8Array) => {
        if (bytes.length === 0) return;
        junk.push({ code: 'HJ212_E_GARBAGE_SKIPPED', offset, bytes });
        parts.push(bytes);
        offset += bytes.length;
      };
      for (const [before, index] of items) {
        addGarbage(before);
        const wire = wires[index] as Uint8Array;
        frames.push({ offset, bytes: wire });
        parts.push(wire);
        offset += wire.length;
      }
      addGarbage(tail);
      const stream = concatBytes(parts);
      return fc.tuple(fc.constant({ stream, frames, junk }), cutsFor(stream.length));
    });
    fc.assert(
      fc.property(scenario, ([{ stream, frames, junk }, cuts]) => {
        const result = run(stream, cuts);
        expect(result.frames.map((f) => ({ offset: f.offset, bytes: f.bytes }))).toEqual(frames);
        expect(result.discarded.map((d) => ({ code: d.code, offset: d.offset, bytes: d.bytes }))).toEqual(
          junk,
        );
      }),
      { numRuns: 300 },
    );
  });

  /** Pieces that stress the framer: whole, unterminated, LF-only and truncated packets, "#"-rich noise. */
  const piece = fc.oneof(
    fc.constantFrom(...wires),
    fc.constantFrom(...SAMPLES.map((s) => utf8(s.text))),
    fc.constantFrom(...SAMPLES.map((s) => utf8(`${s.text}\n`))),
    fc.tuple(fc.constantFrom(...wires), fc.nat()).map(([wire, cut]) => wire.subarray(0, cut % wire.length)),
    fc.uint8Array({ maxLength: 40 }),
    fc
      .array(fc.constantFrom(...'##0123456789\r\n&&ABCF;='), { maxLength: 40 })
      .map((chars) => utf8(chars.join(''))),
  );
  const options = fc.constantFrom<FrameDecoderOptions>({}, { maxGarbageBytes: 50, maxFrameBytes: 400 });

  it('any mix of packets, fragments and noise: chunked = whole, and every byte is accounted for', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 10 }).map((parts) => concatBytes(parts)),
        options,
        fc.infiniteStream(fc.nat()),
        (stream, opts, seeds) => {
          const whole = run(stream, [], opts);
          expectTiling(whole, stream);
          const cutCount = seeds.next().value % 30;
          const cuts = [
            ...new Set(Array.from({ length: cutCount }, () => seeds.next().value % (stream.length + 1))),
          ].sort((a, b) => a - b);
          expect(run(stream, cuts, opts)).toEqual(whole);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('one byte at a time gives the same result as one push', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 6 }).map((parts) => concatBytes(parts)),
        (stream) => {
          const cuts = Array.from({ length: stream.length }, (_, i) => i);
          expect(run(stream, cuts)).toEqual(run(stream));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('garbage and resynchronisation', () => {
  it('garbage before "##" is reported once, with its bytes and offset', () => {
    const junk = utf8('AT+CIPSEND\r\nhello');
    const stream = concatBytes([junk, ok212.wire]);
    for (const cuts of [[], Array.from({ length: stream.length }, (_, i) => i)]) {
      const result = run(stream, cuts);
      expect(result.discarded).toHaveLength(1);
      expect(result.discarded[0]).toMatchObject({
        code: 'HJ212_E_GARBAGE_SKIPPED',
        severity: 'warning',
        offset: 0,
      });
      expect(result.discarded[0]?.bytes).toEqual(junk);
      expect(result.frames.map((f) => f.offset)).toEqual([junk.length]);
    }
  });

  it('"###0101…" resynchronises on the real frame start', () => {
    const worked = utf8(
      '###0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n',
    );
    const result = run(worked);
    expect(result.discarded.map((d) => [d.code, d.offset, [...d.bytes]])).toEqual([
      ['HJ212_E_GARBAGE_SKIPPED', 0, [HASH]],
    ]);
    expect(result.frames).toHaveLength(1);
    expect(result.frames[0]?.offset).toBe(1);
    expect(decodeFrame(result.frames[0] as RawFrame).ok).toBe(true);
  });

  it('"##" not followed by four digits is not a frame start', () => {
    const result = run(concatBytes([utf8('##ab##1x'), ack.wire]));
    expect(codes(result.discarded)).toEqual(['HJ212_E_GARBAGE_SKIPPED']);
    expect(result.discarded[0]?.bytes).toEqual(utf8('##ab##1x'));
    expect(result.frames.map((f) => f.offset)).toEqual([8]);
  });

  it('megabytes of garbage without "##" are flushed in bounded pieces; buffered stays bounded', () => {
    const maxGarbageBytes = 16 * 1024;
    const decoder = new FrameDecoder();
    let seed = 0x1234567;
    const chunk = new Uint8Array(64 * 1024);
    const discarded: DiscardedBytes[] = [];
    const total = 4 * 1024 * 1024;
    for (let sent = 0; sent < total; sent += chunk.length) {
      for (let i = 0; i < chunk.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const byte = seed >>> 24;
        chunk[i] = byte === HASH ? 0 : byte;
      }
      // A lone "#" now and then (never two in a row).
      chunk[100] = HASH;
      const batch = decoder.push(chunk);
      expect(batch.frames).toEqual([]);
      discarded.push(...batch.diagnostics);
      expect(decoder.buffered).toBeLessThanOrEqual(maxGarbageBytes + 8);
    }
    const tail = decoder.push(ok212.wire);
    discarded.push(...tail.diagnostics);
    expect(tail.frames.map((f) => f.offset)).toEqual([total]);
    let at = 0;
    for (const d of discarded) {
      expect(d.code).toBe('HJ212_E_GARBAGE_SKIPPED');
      expect(d.offset).toBe(at);
      expect(d.bytes.length).toBeLessThanOrEqual(maxGarbageBytes);
      at += d.bytes.length;
    }
    expect(at).toBe(total);
    expect(discarded.length).toBeGreaterThanOrEqual(total / maxGarbageBytes);
  });

  it('the garbage limit is configurable', () => {
    const result = run(new Uint8Array(1000).fill(0x41), [], { maxGarbageBytes: 100 });
    expect(result.discarded.map((d) => d.bytes.length)).toEqual(Array(10).fill(100));
  });
});

describe('length field', () => {
  /** A valid 2011 data segment of exactly `size` bytes (many factors, padded with a vendor field). */
  function segmentOfSize(size: number): string {
    let segment =
      'QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&DataTime=20160801085857';
    for (const factor of FACTOR_CODES) {
      const item = `;${factor.code}-Rtd=12.5,${factor.code}-Flag=N`;
      if (segment.length + item.length + 20 > size) break;
      segment += item;
    }
    const pad = size - segment.length - ';PAD=&&'.length;
    if (pad < 1) throw new Error('size too small');
    return `${segment};PAD=${'x'.repeat(pad)}&&`;
  }

  it('a 1500-byte packet is accepted with HJ212_E_LENGTH_OVER_LIMIT', () => {
    const segment = segmentOfSize(1500);
    expect(utf8(segment).length).toBe(1500);
    const wire = encodeFrame(segment);
    expect(wire.length).toBe(1512);
    const [frame] = run(wire).frames;
    if (frame === undefined) throw new Error('no frame');
    expect(frame.length).toEqual({ declared: 1500, bytes: 1500, characters: 1500, basis: 'bytes' });
    expect(codes(frame.diagnostics)).toEqual(['HJ212_E_LENGTH_OVER_LIMIT']);
    const decoded = decodeFrame(frame);
    expect(decoded.ok).toBe(true);
    expect(decoded.diagnostics.find((d) => d.code === 'HJ212_E_LENGTH_OVER_LIMIT')?.severity).toBe('warning');
    expect(decodeFrame(frame, { strict: true }).ok).toBe(false);
  });

  it('1024 bytes is within the standard, 1025 is over', () => {
    expect(codes(run(encodeFrame(segmentOfSize(1024))).frames[0]?.diagnostics ?? [])).toEqual([]);
    expect(codes(run(encodeFrame(segmentOfSize(1025))).frames[0]?.diagnostics ?? [])).toEqual([
      'HJ212_E_LENGTH_OVER_LIMIT',
    ]);
  });

  const chinese = sample('i11001-Info=//清洗管路//').text;
  const byCharacters = chinese.replace('##0152', '##0144');

  it('a length counted in characters (0144 for 144 characters, 152 bytes) is recognised', () => {
    // The CRC covers only the data segment, so the rewritten packet keeps a valid CRC.
    expect(
      referenceHj212(utf8(segmentOf(byCharacters)))
        .toString(16)
        .toUpperCase(),
    ).toBe(byCharacters.slice(-4));
    const wire = utf8(`${byCharacters}\r\n`);
    const [frame, ...rest] = run(wire).frames;
    if (frame === undefined) throw new Error('no frame');
    expect(rest).toEqual([]);
    expect(frame.bytes).toEqual(wire);
    expect(frame.length).toEqual({ declared: 144, bytes: 152, characters: 144, basis: 'characters' });
    expect(codes(frame.diagnostics)).toEqual(['HJ212_E_LENGTH_COUNTS_CHARACTERS']);
    const decoded = decodeFrame(frame);
    expect(decoded.ok).toBe(true);
    expect(decoded.crc.variant).toBe('hj212');
  });

  it('a fully character-based packet (length 0144, CRC 35C0) is accepted with both warnings', () => {
    const wire = utf8(`${byCharacters.slice(0, -4)}35C0\r\n`);
    const decoded = decodeOneFrame(wire);
    expect(decoded.ok).toBe(true);
    expect(codes(decoded.diagnostics)).toEqual(
      expect.arrayContaining(['HJ212_E_LENGTH_COUNTS_CHARACTERS', 'HJ212_E_CRC_OVER_CHARACTERS']),
    );
    expect(decodeOneFrame(wire, { strict: true }).ok).toBe(false);
  });

  it('a character-counted packet without CR LF followed by another packet is still delimited', () => {
    const stream = concatBytes([utf8(byCharacters), ack.wire]);
    const result = run(stream);
    expect(result.discarded).toEqual([]);
    expect(result.frames.map((f) => f.bytes)).toEqual([utf8(byCharacters), ack.wire]);
    expect(codes(result.frames[0]?.diagnostics ?? [])).toEqual([
      'HJ212_E_LENGTH_COUNTS_CHARACTERS',
      'HJ212_E_TERMINATOR_MISSING',
    ]);
  });

  it.each([
    ['too large', '0200'],
    ['too small', '0050'],
  ])('a stale length (%s) still delimits at "&&XXXX\\r\\n"', (_, length) => {
    const stale = utf8(`${ack.text.replace('##0087', `##${length}`)}\r\n`);
    const stream = concatBytes([stale, ok212.wire, stale]);
    const result = run(stream);
    expect(result.discarded).toEqual([]);
    expect(result.frames.map((f) => f.bytes)).toEqual([stale, ok212.wire, stale]);
    const first = result.frames[0] as RawFrame;
    expect(first.length).toEqual({ declared: Number(length), bytes: 87, characters: 87, basis: 'mismatch' });
    expect(codes(first.diagnostics)).toEqual(['HJ212_E_LENGTH_MISMATCH']);
    expect(decodeFrame(first).ok).toBe(true);
  });
});

describe('terminators and truncation', () => {
  it('a packet without CR LF followed by another packet: both frames, the first flagged', () => {
    const stream = concatBytes([utf8(ok212.text), ack.wire]);
    const result = run(stream);
    expect(result.discarded).toEqual([]);
    expect(result.frames.map((f) => f.bytes)).toEqual([utf8(ok212.text), ack.wire]);
    expect(result.frames.map((f) => f.terminator)).toEqual(['none', 'crlf']);
    expect(codes(result.frames[0]?.diagnostics ?? [])).toEqual(['HJ212_E_TERMINATOR_MISSING']);
    expect(result.frames.map((f) => decodeFrame(f).ok)).toEqual([true, true]);
  });

  it('a packet without CR LF at the end of the stream is kept once the stream ends', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(utf8(ok212.text)).frames).toEqual([]);
    const last = decoder.end();
    expect(last.frames).toHaveLength(1);
    expect(last.frames[0]?.terminator).toBe('none');
    expect(decodeFrame(last.frames[0] as RawFrame).ok).toBe(true);
  });

  it('a packet ended by LF alone is a frame with HJ212_E_TERMINATOR_LF', () => {
    const stream = concatBytes([utf8(`${ok212.text}\n`), ack.wire]);
    const result = run(stream);
    expect(result.frames.map((f) => f.terminator)).toEqual(['lf', 'crlf']);
    expect(codes(result.frames[0]?.diagnostics ?? [])).toEqual(['HJ212_E_TERMINATOR_LF']);
    expect(decodeFrame(result.frames[0] as RawFrame).ok).toBe(true);
  });

  it('a truncated packet followed by a good one: HJ212_E_FRAME_TRUNCATED with its bytes, then the frame', () => {
    const cut = ok212.wire.subarray(0, 120);
    const stream = concatBytes([cut, ack.wire]);
    for (const cuts of [[], [60], [120], [121, 130]]) {
      const result = run(stream, cuts);
      expect(result.discarded).toHaveLength(1);
      expect(result.discarded[0]).toMatchObject({
        code: 'HJ212_E_FRAME_TRUNCATED',
        severity: 'error',
        offset: 0,
      });
      expect(result.discarded[0]?.bytes).toEqual(cut);
      expect(result.frames.map((f) => [f.offset, f.bytes])).toEqual([[120, ack.wire]]);
    }
  });

  it('a packet cut off by the end of the stream is reported as truncated', () => {
    const cut = ok212.wire.subarray(0, 200);
    const result = run(cut);
    expect(result.frames).toEqual([]);
    expect(codes(result.discarded)).toEqual(['HJ212_E_FRAME_TRUNCATED']);
    expect(result.discarded[0]?.bytes).toEqual(cut);
  });

  it('slowloris: a valid frame pushed one byte at a time is emitted on its last byte', () => {
    const decoder = new FrameDecoder();
    const wire = ok212.wire;
    for (let i = 0; i < wire.length - 1; i++) {
      const batch = decoder.push(wire.subarray(i, i + 1));
      expect(batch.frames).toEqual([]);
      expect(batch.diagnostics).toEqual([]);
    }
    const last = decoder.push(wire.subarray(wire.length - 1));
    expect(last.frames.map((f) => f.bytes)).toEqual([wire]);
    expect(decoder.buffered).toBe(0);
  });

  it('a frame that never ends is dropped with HJ212_E_FRAME_TOO_LONG after maxFrameBytes', () => {
    for (const maxFrameBytes of [undefined, 2048]) {
      const limit = maxFrameBytes ?? 32 * 1024;
      const decoder = new FrameDecoder(maxFrameBytes === undefined ? {} : { maxFrameBytes });
      const head = utf8('##0100QN=20160801085857223;ST=32;CN=2011;CP=&&');
      const discarded: DiscardedBytes[] = [...decoder.push(head).diagnostics];
      const filler = new Uint8Array(1024).fill(0x41);
      for (let i = 0; i < 100; i++) {
        discarded.push(...decoder.push(filler).diagnostics);
        expect(decoder.buffered).toBeLessThanOrEqual(limit + 16 * 1024 + 8);
      }
      const after = decoder.push(ack.wire);
      discarded.push(...after.diagnostics);
      expect(after.frames.map((f) => f.bytes)).toEqual([ack.wire]);
      expect(discarded[0]).toMatchObject({ code: 'HJ212_E_FRAME_TOO_LONG', severity: 'error', offset: 0 });
      expect(discarded[0]?.bytes.length).toBe(limit);
      expect(discarded.slice(1).every((d) => d.code === 'HJ212_E_GARBAGE_SKIPPED')).toBe(true);
      const dropped = discarded.reduce((n, d) => n + d.bytes.length, 0);
      expect(dropped).toBe(head.length + 100 * 1024);
    }
  });
});

describe('decodeStream', () => {
  it('decodes every frame and lists what was dropped', () => {
    const stream = concatBytes([utf8('noise'), ok212.wire, ok212.wire.subarray(0, 50), ack.wire]);
    const { frames, discarded } = decodeStream(stream);
    expect(frames.map((f) => f.message?.cn)).toEqual(['2051', '9014']);
    expect(frames.every((f) => f.ok)).toBe(true);
    expect(codes(discarded)).toEqual(['HJ212_E_GARBAGE_SKIPPED', 'HJ212_E_FRAME_TRUNCATED']);
  });

  it('packet() in the reference helper builds the same bytes as encodeFrame', () => {
    const segment = segmentOf(ok212.text);
    expect(packet(segment)).toEqual(encodeFrame(segment));
    expect(packet(segment)).toEqual(ok212.wire);
  });
});
