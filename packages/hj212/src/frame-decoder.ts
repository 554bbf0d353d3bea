import { crcHj212, crcHj212Unless, crcModbus, swapBytes } from './crc.js';
import { type Diagnostic, diagnostic } from './errors.js';
import {
  type DiscardedBytes,
  FRAME_HEAD_BYTES,
  type FrameLength,
  type RawFrame,
  STANDARD_MAX_DATA_LENGTH,
  type Terminator,
  utf16Length,
} from './frame.js';

export interface FrameDecoderOptions {
  /** Garbage (bytes outside any packet) held before it is reported and dropped. Default 16 KiB. */
  readonly maxGarbageBytes?: number;
  /**
   * Largest packet, "##" to CR LF, before the decoder gives up waiting for its end and resynchronises.
   * Default 32 KiB: a 9999-unit data segment whose length was counted in characters can take ~30 KB.
   */
  readonly maxFrameBytes?: number;
}

export interface FrameBatch {
  readonly frames: RawFrame[];
  /** Stream-level diagnostics; each names the dropped bytes and where they were in the stream. */
  readonly diagnostics: DiscardedBytes[];
}

const HASH = 0x23;
const CR = 0x0d;
const LF = 0x0a;
const AMP = 0x26;

/** Outcome of looking at the bytes after a frame start. */
type Scan =
  | { readonly kind: 'more' }
  | { readonly kind: 'not-a-start' }
  | {
      readonly kind: 'frame';
      readonly end: number;
      readonly dataEnd: number;
      readonly terminator: Terminator;
      readonly dataCrc?: number;
    }
  | { readonly kind: 'truncated'; readonly end: number }
  | { readonly kind: 'too-long'; readonly end: number };

/**
 * Cuts HJ 212 packets out of a TCP byte stream (HJ 212-2017 §6.3, 表 2: "##", four length digits, the
 * data segment, four CRC hex digits, CR LF).
 *
 * It handles split and merged packets (拆包/粘包), garbage before "##" (resynchronising on the next
 * frame start), lengths up to 9999 (over 1024 with a diagnostic), lengths counted in characters instead
 * of UTF-8 bytes, packets without CR LF, and bounded memory. Every decision depends only on the bytes it
 * looks at, never on where a chunk ended, so any chunking of a stream yields the same frames.
 */
export class FrameDecoder {
  readonly #maxGarbage: number;
  readonly #maxFrame: number;
  /** Pending bytes; the unconsumed part is [#start, #end). */
  #buffer: Uint8Array = new Uint8Array(0);
  #start = 0;
  #end = 0;
  /** Stream offset of #buffer[0]. */
  #base = 0;
  /** Garbage waiting to be reported: offset of its first byte and the bytes (≤ maxGarbage). */
  #garbageOffset = -1;
  #garbage: Uint8Array[] = [];
  #garbageLength = 0;
  /** #buffer is the caller's chunk (during a push with nothing pending), not the decoder's own. */
  #borrowed = false;
  /** For the packet starting at #start: where scanning for its end resumes. */
  #resumeAt = -1;

  constructor(options: FrameDecoderOptions = {}) {
    this.#maxGarbage = Math.max(1, options.maxGarbageBytes ?? 16 * 1024);
    this.#maxFrame = Math.max(64, options.maxFrameBytes ?? 32 * 1024);
  }

  /** Bytes held (an unfinished packet and unreported garbage). Bounded by maxFrameBytes + maxGarbageBytes. */
  get buffered(): number {
    return this.#end - this.#start + this.#garbageLength;
  }

  /** Stream offset of the next byte to be pushed. */
  get offset(): number {
    return this.#base + this.#end;
  }

  push(chunk: Uint8Array): FrameBatch {
    const batch: FrameBatch = { frames: [], diagnostics: [] };
    if (chunk.length === 0) return batch;
    if (this.#start === this.#end) {
      // Nothing pending: scan the chunk where it is (frames are copied out), keep only its unfinished tail.
      const owned = this.#buffer;
      this.#base += this.#end;
      this.#buffer = chunk;
      this.#start = 0;
      this.#end = chunk.length;
      this.#borrowed = true;
      this.#drain(batch, false);
      this.#borrowed = false;
      const pending = this.#end - this.#start;
      // The owned buffer is reused when it fits (and is not oversized); the chunk is never kept.
      const keep =
        owned.length >= pending && owned.length <= 1 << 16 ? owned : new Uint8Array(Math.max(pending, 4096));
      if (pending > 0) keep.set(chunk.subarray(this.#start, this.#end), 0);
      this.#base += this.#start;
      if (this.#resumeAt >= 0) this.#resumeAt -= this.#start;
      this.#buffer = keep;
      this.#start = 0;
      this.#end = pending;
      return batch;
    }
    this.#append(chunk);
    this.#drain(batch, false);
    return batch;
  }

  /** The stream ended (connection closed, or the caller's partial-packet timeout fired): flush what is held. */
  end(): FrameBatch {
    const batch: FrameBatch = { frames: [], diagnostics: [] };
    this.#drain(batch, true);
    this.#flushGarbage(batch, 'end of stream');
    this.#base += this.#end;
    this.#buffer = new Uint8Array(0);
    this.#start = 0;
    this.#end = 0;
    this.#resumeAt = -1;
    return batch;
  }

  #append(chunk: Uint8Array): void {
    const pending = this.#end - this.#start;
    if (this.#end + chunk.length > this.#buffer.length) {
      if (pending + chunk.length <= this.#buffer.length && this.#start > 0) {
        this.#buffer.copyWithin(0, this.#start, this.#end);
      } else {
        const grown = new Uint8Array(
          Math.max(pending + chunk.length, Math.min(this.#buffer.length * 2, 1 << 20)),
        );
        grown.set(this.#buffer.subarray(this.#start, this.#end), 0);
        this.#buffer = grown;
      }
      this.#base += this.#start;
      if (this.#resumeAt >= 0) this.#resumeAt -= this.#start;
      this.#start = 0;
      this.#end = pending;
    }
    this.#buffer.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  #drain(batch: FrameBatch, atEnd: boolean): void {
    const buf = this.#buffer;
    while (this.#start < this.#end) {
      const start = this.#start;
      const head = findFrameStart(buf, start, this.#end);
      if (head !== start) {
        // Everything before the next "##" is garbage; keep a lone trailing "#" (it may begin "##").
        const garbageEnd =
          head >= 0 ? head : buf[this.#end - 1] === HASH && !atEnd ? this.#end - 1 : this.#end;
        if (garbageEnd > start) this.#addGarbage(batch, start, garbageEnd);
        this.#start = garbageEnd;
        this.#resumeAt = -1;
        if (head < 0) return;
        continue;
      }
      const scan = scanFrame(buf, start, this.#end, Math.max(this.#resumeAt, start), this.#maxFrame, atEnd);
      switch (scan.kind) {
        case 'more':
          this.#resumeAt = Math.max(start + FRAME_HEAD_BYTES, this.#end - 6);
          return;
        case 'not-a-start':
          this.#addGarbage(batch, start, start + 1);
          this.#start = start + 1;
          this.#resumeAt = -1;
          continue;
        case 'frame':
          this.#flushGarbage(batch, 'frame start');
          batch.frames.push(this.#frame(start, scan.end, scan.dataEnd, scan.terminator, scan.dataCrc));
          break;
        case 'truncated':
          this.#flushGarbage(batch, 'frame start');
          batch.diagnostics.push(this.#discard('HJ212_E_FRAME_TRUNCATED', start, scan.end));
          break;
        case 'too-long':
          this.#flushGarbage(batch, 'frame start');
          batch.diagnostics.push(this.#discard('HJ212_E_FRAME_TOO_LONG', start, scan.end));
          break;
      }
      this.#start = scan.end;
      this.#resumeAt = -1;
    }
  }

  #frame(start: number, end: number, dataEnd: number, terminator: Terminator, dataCrc?: number): RawFrame {
    // A frame inside the pushed chunk is a view of it; one assembled in the decoder's own buffer is copied.
    const bytes = this.#borrowed ? this.#buffer.subarray(start, end) : this.#buffer.slice(start, end);
    const declared = readLength(bytes, 0);
    const dataBytes = dataEnd - start - FRAME_HEAD_BYTES;
    const diagnostics: Diagnostic[] = [];
    let length: FrameLength;
    // `characters` is documented as UTF-16 units: count them even when the length matches the bytes
    // (an all-ASCII segment, which the fast path's CRC pass reports, has as many units as bytes).
    const characters =
      dataCrc !== undefined && dataCrc < 0x10000
        ? dataBytes
        : utf16Length(bytes, FRAME_HEAD_BYTES, dataEnd - start);
    if (dataBytes === declared) {
      length = { declared, bytes: dataBytes, characters, basis: 'bytes' };
    } else {
      const basis = characters === declared ? 'characters' : 'mismatch';
      length = { declared, bytes: dataBytes, characters, basis };
      diagnostics.push(
        diagnostic(basis === 'characters' ? 'HJ212_E_LENGTH_COUNTS_CHARACTERS' : 'HJ212_E_LENGTH_MISMATCH', {
          declared,
          bytes: dataBytes,
          characters,
        }),
      );
    }
    if (declared > STANDARD_MAX_DATA_LENGTH || dataBytes > STANDARD_MAX_DATA_LENGTH) {
      diagnostics.push(diagnostic('HJ212_E_LENGTH_OVER_LIMIT', { declared, bytes: dataBytes }));
    }
    if (terminator === 'none') diagnostics.push(diagnostic('HJ212_E_TERMINATOR_MISSING'));
    else if (terminator === 'lf') diagnostics.push(diagnostic('HJ212_E_TERMINATOR_LF'));
    const crcAt = dataEnd - start;
    const crcText = String.fromCharCode(
      bytes[crcAt] as number,
      bytes[crcAt + 1] as number,
      bytes[crcAt + 2] as number,
      bytes[crcAt + 3] as number,
    );
    return {
      bytes,
      offset: this.#base + start,
      dataEnd: dataEnd - start,
      crcText,
      terminator,
      length,
      diagnostics,
      dataCrc: dataCrc === undefined ? undefined : dataCrc & 0xffff,
    };
  }

  #discard(
    code: 'HJ212_E_FRAME_TRUNCATED' | 'HJ212_E_FRAME_TOO_LONG',
    start: number,
    end: number,
  ): DiscardedBytes {
    const offset = this.#base + start;
    return {
      ...diagnostic(code, { offset, length: end - start }),
      offset,
      bytes: this.#buffer.slice(start, end),
    };
  }

  #addGarbage(batch: FrameBatch, start: number, end: number): void {
    let from = start;
    while (from < end) {
      if (this.#garbageOffset < 0) this.#garbageOffset = this.#base + from;
      const take = Math.min(end - from, this.#maxGarbage - this.#garbageLength);
      this.#garbage.push(this.#buffer.slice(from, from + take));
      this.#garbageLength += take;
      from += take;
      if (this.#garbageLength >= this.#maxGarbage) this.#flushGarbage(batch, 'garbage limit');
    }
  }

  #flushGarbage(batch: FrameBatch, reason: string): void {
    if (this.#garbageLength === 0) return;
    const bytes = new Uint8Array(this.#garbageLength);
    let at = 0;
    for (const part of this.#garbage) {
      bytes.set(part, at);
      at += part.length;
    }
    const offset = this.#garbageOffset;
    batch.diagnostics.push({
      ...diagnostic('HJ212_E_GARBAGE_SKIPPED', { offset, length: bytes.length, reason }),
      offset,
      bytes,
    });
    this.#garbage = [];
    this.#garbageLength = 0;
    this.#garbageOffset = -1;
  }
}

/** Index of the first "##" in [from, end), or -1. */
function findFrameStart(buf: Uint8Array, from: number, end: number): number {
  let at = from;
  while (at < end) {
    const hash = buf.indexOf(HASH, at);
    if (hash < 0 || hash >= end) return -1;
    if (hash + 1 >= end) return -1;
    if (buf[hash + 1] === HASH) return hash;
    at = hash + 1;
  }
  return -1;
}

const isDigit = (byte: number | undefined): boolean => byte !== undefined && byte >= 0x30 && byte <= 0x39;

const isHex = (byte: number | undefined): boolean =>
  byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66));

function readLength(buf: Uint8Array, at: number): number {
  return (
    ((buf[at + 2] as number) - 0x30) * 1000 +
    ((buf[at + 3] as number) - 0x30) * 100 +
    ((buf[at + 4] as number) - 0x30) * 10 +
    ((buf[at + 5] as number) - 0x30)
  );
}

/** Whether "##" at `at` is followed by four digits: 'yes', 'no', or 'more' (not enough bytes yet). */
function isFrameHead(buf: Uint8Array, at: number, end: number): 'yes' | 'no' | 'more' {
  for (let i = at + 2; i < at + FRAME_HEAD_BYTES; i++) {
    if (i >= end) return 'more';
    if (!isDigit(buf[i])) return 'no';
  }
  return 'yes';
}

/**
 * Whether [start, crcEnd) reads as a whole packet: four hex digits end it, and either the data segment
 * closes with "&&" or one of the CRC variants matches. Used only where the declared length disagrees.
 */
function looksComplete(buf: Uint8Array, start: number, crcEnd: number): boolean {
  const dataStart = start + FRAME_HEAD_BYTES;
  const dataEnd = crcEnd - 4;
  if (dataEnd < dataStart) return false;
  for (let i = dataEnd; i < crcEnd; i++) if (!isHex(buf[i])) return false;
  if (dataEnd - dataStart >= 2 && buf[dataEnd - 1] === AMP && buf[dataEnd - 2] === AMP) return true;
  let received = 0;
  for (let i = dataEnd; i < crcEnd; i++)
    received = (received << 4) | parseInt(String.fromCharCode(buf[i] as number), 16);
  const modbus = crcModbus(buf, dataStart, dataEnd);
  return (
    received === crcHj212(buf, dataStart, dataEnd) || received === modbus || received === swapBytes(modbus)
  );
}

/**
 * Finds the end of the packet that starts with "##" at `start`. Candidates for its end, in stream order:
 * a CR LF (at least four bytes after the data start) or the next "##dddd" frame start. The CR LF at the
 * declared position, or any CR LF past it, ends the packet; an earlier one ends it only if the packet
 * looks complete there (the declared length is wrong). A frame start ends it without a terminator when it
 * sits at the declared position or the packet looks complete; otherwise the packet was truncated.
 */
function scanFrame(
  buf: Uint8Array,
  start: number,
  end: number,
  resumeAt: number,
  maxFrame: number,
  atEnd: boolean,
): Scan {
  const head = isFrameHead(buf, start, end);
  if (head === 'no') return { kind: 'not-a-start' };
  if (head === 'more') return atEnd ? { kind: 'truncated', end } : { kind: 'more' };

  const dataStart = start + FRAME_HEAD_BYTES;
  const declaredCr = dataStart + readLength(buf, start) + 4;
  const limit = Math.min(end, start + maxFrame);
  // Fast path: the whole packet is here, CR LF sits at the declared position, and no byte before it could
  // be another packet end (CR, LF, "#"); the scan below would then find the same end. The pass also
  // yields the data segment's CRC, so decoding does not read the bytes again.
  if (declaredCr + 2 <= limit && buf[declaredCr] === CR && buf[declaredCr + 1] === LF) {
    const dataCrc = crcHj212Unless(buf, dataStart, declaredCr - 4, FRAME_END_BYTES);
    if (dataCrc >= 0 && !hasEndByte(buf, declaredCr - 4, declaredCr)) {
      return { kind: 'frame', end: declaredCr + 2, dataEnd: declaredCr - 4, terminator: 'crlf', dataCrc };
    }
  }
  let at = Math.max(resumeAt, dataStart);
  let nextCr = -2;
  let nextLf = -2;
  let nextHash = -2;
  while (at < limit) {
    if (nextCr < at && nextCr !== -1) nextCr = indexIn(buf, CR, at, limit);
    if (nextLf < at && nextLf !== -1) nextLf = indexIn(buf, LF, at, limit);
    if (nextHash < at && nextHash !== -1) nextHash = indexIn(buf, HASH, at, limit);
    const candidate = firstOf(nextCr, nextLf, nextHash);
    if (candidate < 0) break;
    at = candidate + 1;
    const byte = buf[candidate];
    if (byte === CR) {
      if (candidate < dataStart + 4) continue;
      if (candidate + 1 >= end) return atEnd ? endOfStream(buf, start, end, declaredCr) : { kind: 'more' };
      if (buf[candidate + 1] !== LF) continue;
      if (candidate >= declaredCr || looksComplete(buf, start, candidate)) {
        return { kind: 'frame', end: candidate + 2, dataEnd: candidate - 4, terminator: 'crlf' };
      }
      at = candidate + 2; // its LF was judged with it
      continue;
    }
    if (byte === LF) {
      // A lone LF (no CR before it) ends a packet from data loggers that write Unix line ends.
      if (candidate < dataStart + 4 || buf[candidate - 1] === CR) continue;
      if (candidate >= declaredCr || looksComplete(buf, start, candidate)) {
        return { kind: 'frame', end: candidate + 1, dataEnd: candidate - 4, terminator: 'lf' };
      }
      continue;
    }
    const hash = candidate;
    if (buf[hash + 1] !== HASH && hash + 1 < end) continue;
    const next = isFrameHead(buf, hash, end);
    if (next === 'no') continue;
    if (next === 'more') return atEnd ? endOfStream(buf, start, end, declaredCr) : { kind: 'more' };
    if (hash - 4 >= dataStart && (hash === declaredCr || looksComplete(buf, start, hash))) {
      return { kind: 'frame', end: hash, dataEnd: hash - 4, terminator: 'none' };
    }
    return { kind: 'truncated', end: hash };
  }
  if (end - start >= maxFrame) return { kind: 'too-long', end: start + maxFrame };
  return atEnd ? endOfStream(buf, start, end, declaredCr) : { kind: 'more' };
}

/** At the end of the stream a pending packet without terminator is kept if it looks whole. */
function endOfStream(buf: Uint8Array, start: number, end: number, declaredCr: number): Scan {
  let stop = end;
  // A trailing lone CR (or CR LF split away) is not part of the CRC.
  if (buf[stop - 1] === LF) stop--;
  if (buf[stop - 1] === CR) stop--;
  if (stop - 4 >= start + FRAME_HEAD_BYTES && (stop === declaredCr || looksComplete(buf, start, stop))) {
    return { kind: 'frame', end, dataEnd: stop - 4, terminator: 'none' };
  }
  return { kind: 'truncated', end };
}

/** 1: bytes that can end a packet (CR, LF, "#" of the next "##"); 2: non-ASCII bytes (see crcHj212Unless). */
const FRAME_END_BYTES = /* @__PURE__ */ (() => {
  const table = new Uint8Array(256);
  table[CR] = 1;
  table[LF] = 1;
  table[HASH] = 1;
  for (let byte = 0x80; byte < 0x100; byte++) table[byte] = 2;
  return table;
})();

function hasEndByte(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (FRAME_END_BYTES[buf[i] as number] === 1) return true;
  return false;
}

function firstOf(a: number, b: number, c: number): number {
  let first = -1;
  if (a >= 0) first = a;
  if (b >= 0 && (first < 0 || b < first)) first = b;
  if (c >= 0 && (first < 0 || c < first)) first = c;
  return first;
}

function indexIn(buf: Uint8Array, byte: number, from: number, limit: number): number {
  const at = buf.indexOf(byte, from);
  return at < 0 || at >= limit ? -1 : at;
}
