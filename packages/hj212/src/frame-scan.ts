import { crcHj212, crcHj212IfPlain, crcModbus, swapBytes } from './crc.js';
import { FRAME_HEAD_BYTES, type Terminator } from './frame.js';

/**
 * Where a packet ends in a byte stream (HJ 212-2017 §6.3, 表 2). Pure functions over a buffer and a
 * range; every answer depends only on the bytes looked at, which is what makes the decoder's output
 * independent of how the stream was chunked.
 */

export const HASH = 0x23;
const CR = 0x0d;
const LF = 0x0a;
const AMP = 0x26;

/** Outcome of looking at the bytes after a frame start. */
export type Scan =
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

/** Index of the first "##" in [from, end), or -1. */
export function findFrameStart(buf: Uint8Array, from: number, end: number): number {
  // Usually the next packet starts right here (no call into the native search).
  if (from + 1 < end && buf[from] === HASH && buf[from + 1] === HASH) return from;
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

export function readLength(buf: Uint8Array, at: number): number {
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
const MORE: Scan = { kind: 'more' };
const NOT_A_START: Scan = { kind: 'not-a-start' };
const FAST_FRAME = { kind: 'frame' as const, end: 0, dataEnd: 0, terminator: 'crlf' as const, dataCrc: 0 };

export function scanFrame(
  buf: Uint8Array,
  start: number,
  end: number,
  resumeAt: number,
  maxFrame: number,
  atEnd: boolean,
): Scan {
  const head = isFrameHead(buf, start, end);
  if (head === 'no') return NOT_A_START;
  if (head === 'more') return atEnd ? { kind: 'truncated', end } : MORE;

  const dataStart = start + FRAME_HEAD_BYTES;
  const declaredCr = dataStart + readLength(buf, start) + 4;
  const limit = Math.min(end, start + maxFrame);
  // Fast path: the whole packet is here, CR LF sits at the declared position, and no byte before it could
  // be another packet end (CR, LF, "#"); the scan below would then find the same end. The pass also
  // yields the data segment's CRC, so decoding does not read the bytes again.
  if (declaredCr + 2 <= limit && buf[declaredCr] === CR && buf[declaredCr + 1] === LF) {
    const dataCrc = crcHj212IfPlain(buf, dataStart, declaredCr - 4);
    if (dataCrc >= 0 && !hasEndByte(buf, declaredCr - 4, declaredCr)) {
      // The common answer, given in one reused object (the caller reads it at once; nothing re-enters).
      FAST_FRAME.end = declaredCr + 2;
      FAST_FRAME.dataEnd = declaredCr - 4;
      FAST_FRAME.dataCrc = dataCrc;
      return FAST_FRAME;
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
      if (candidate + 1 >= end) return atEnd ? endOfStream(buf, start, end, declaredCr) : MORE;
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
    if (next === 'more') return atEnd ? endOfStream(buf, start, end, declaredCr) : MORE;
    if (hash - 4 >= dataStart && (hash === declaredCr || looksComplete(buf, start, hash))) {
      return { kind: 'frame', end: hash, dataEnd: hash - 4, terminator: 'none' };
    }
    return { kind: 'truncated', end: hash };
  }
  if (end - start >= maxFrame) return { kind: 'too-long', end: start + maxFrame };
  return atEnd ? endOfStream(buf, start, end, declaredCr) : MORE;
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

/** Whether [from, to) holds a byte at or below "#" (a possible packet end): then the exact scan decides. */
function hasEndByte(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if ((buf[i] as number) <= HASH) return true;
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
