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
import { findFrameStart, HASH, readLength, scanFrame } from './frame-scan.js';

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
    // Most frames have no deviation: the array is made only when one is found.
    let diagnostics: Diagnostic[] | undefined;
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
      diagnostics = pushTo(
        diagnostics,
        diagnostic(basis === 'characters' ? 'HJ212_E_LENGTH_COUNTS_CHARACTERS' : 'HJ212_E_LENGTH_MISMATCH', {
          declared,
          bytes: dataBytes,
          characters,
        }),
      );
    }
    if (declared > STANDARD_MAX_DATA_LENGTH || dataBytes > STANDARD_MAX_DATA_LENGTH) {
      diagnostics = pushTo(
        diagnostics,
        diagnostic('HJ212_E_LENGTH_OVER_LIMIT', { declared, bytes: dataBytes }),
      );
    }
    if (terminator === 'none') diagnostics = pushTo(diagnostics, diagnostic('HJ212_E_TERMINATOR_MISSING'));
    else if (terminator === 'lf') diagnostics = pushTo(diagnostics, diagnostic('HJ212_E_TERMINATOR_LF'));
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
      diagnostics: diagnostics ?? NO_DIAGNOSTICS,
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

const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);

function pushTo(list: Diagnostic[] | undefined, item: Diagnostic): Diagnostic[] {
  if (list === undefined) return [item];
  list.push(item);
  return list;
}
