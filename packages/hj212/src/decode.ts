import type { CrcVariant } from './crc.js';
import { checkCrc } from './crc-check.js';
import type { DecodeOptions } from './decode-options.js';
import { type Diagnostic, diagnostic } from './errors.js';
import { decodeFrameFast } from './fast-decode.js';
import { FRAME_HEAD_BYTES, type RawFrame } from './frame.js';
import { FrameDecoder, type FrameDecoderOptions } from './frame-decoder.js';
import type { DecodedFrame } from './message.js';
import { type ParseOptions, parseSegment } from './parse.js';

const DEFAULT_VARIANTS: readonly CrcVariant[] = ['hj212'];
const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');

function decodeText(bytes: Uint8Array, start: number, end: number, diagnostics: Diagnostic[]): string {
  const view = bytes.subarray(start, end);
  try {
    return utf8.decode(view);
  } catch {
    diagnostics.push(diagnostic('HJ212_E_UTF8_INVALID'));
    return utf8Lenient.decode(view);
  }
}

/** Splits diagnostics into what rejects the frame and what is only reported. */
function verdict(
  all: readonly Diagnostic[],
  strict: boolean,
): { errors: Diagnostic[]; diagnostics: Diagnostic[] } {
  const errors: Diagnostic[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const d of all) {
    if (d.severity === 'error' || (strict && d.severity === 'warning')) errors.push(d);
    else diagnostics.push(d);
  }
  return { errors, diagnostics };
}

/** Checks and parses one frame cut by `FrameDecoder`. Never throws. */
export function decodeFrame(frame: RawFrame, options: DecodeOptions = {}): DecodedFrame {
  return decodeFrameFast(frame, options) ?? decodeFrameGeneral(frame, options);
}

/** The general path: every frame, every deviation reported (the fast path's reference). */
export function decodeFrameGeneral(frame: RawFrame, options: DecodeOptions = {}): DecodedFrame {
  const all: Diagnostic[] = frame.diagnostics.length === 0 ? [] : frame.diagnostics.slice();
  const { bytes, dataEnd } = frame;
  const dataLength = dataEnd - FRAME_HEAD_BYTES;
  let text = wholeAscii(bytes);
  let start = FRAME_HEAD_BYTES;
  let end = dataEnd;
  let ascii = true;
  if (text === undefined) {
    // Not all ASCII: decode the data segment alone (valid UTF-8 has as many units as bytes only if ASCII).
    const before = all.length;
    text = decodeText(bytes, FRAME_HEAD_BYTES, dataEnd, all);
    start = 0;
    end = text.length;
    ascii = all.length === before && text.length === dataLength;
  }
  const crc = checkCrc(frame, text, start, end, ascii, options.crcVariants ?? DEFAULT_VARIANTS, all);
  const parsed = parseSegment(
    text,
    start,
    end,
    options.direction === undefined ? NO_OPTIONS : options,
    start === FRAME_HEAD_BYTES ? bytes : undefined,
  );
  for (const d of parsed.diagnostics) all.push(d);
  if (all.length === 0) {
    return { ok: crc.ok, errors: NONE, diagnostics: NONE, frame, crc, message: parsed.message };
  }
  const { errors, diagnostics } = verdict(all, options.strict === true);
  return { ok: errors.length === 0 && crc.ok, errors, diagnostics, frame, crc, message: parsed.message };
}

const NO_OPTIONS: ParseOptions = {};
const NONE: readonly Diagnostic[] = Object.freeze([]);

/** The whole frame as text when every byte is ASCII (the common case: one decode, no sub-view), else undefined. */
function wholeAscii(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  return text.length === bytes.length ? text : undefined;
}

export interface StreamDecodeOptions extends DecodeOptions, FrameDecoderOptions {}

export interface DecodedStream {
  readonly frames: DecodedFrame[];
  /** Bytes dropped between frames (garbage, truncated or oversized packets). */
  readonly discarded: Diagnostic[];
}

const encoder = new TextEncoder();

function toBytes(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? encoder.encode(input) : input;
}

/** Decodes every frame of a complete byte stream (or text). */
export function decodeStream(input: string | Uint8Array, options: StreamDecodeOptions = {}): DecodedStream {
  const decoder = new FrameDecoder(options);
  const first = decoder.push(toBytes(input));
  const last = decoder.end();
  const frames = [...first.frames, ...last.frames].map((frame) => decodeFrame(frame, options));
  return { frames, discarded: [...first.diagnostics, ...last.diagnostics] };
}

/**
 * Decodes one packet given as text or bytes, with or without its CR LF (as packets are quoted in logs and
 * documents). Input without a frame yields `ok: false` with HJ212_E_NO_FRAME.
 */
export function decodeOneFrame(input: string | Uint8Array, options: DecodeOptions = {}): DecodedFrame {
  const { frames, discarded } = decodeStream(input, options);
  const first = frames[0];
  if (first === undefined) {
    const bytes = toBytes(input);
    const noFrame = diagnostic('HJ212_E_NO_FRAME', { length: bytes.length });
    const empty: RawFrame = {
      bytes,
      offset: 0,
      dataEnd: Math.min(bytes.length, FRAME_HEAD_BYTES),
      crcText: '',
      terminator: 'none',
      length: { declared: 0, bytes: 0, characters: 0, basis: 'mismatch' },
      diagnostics: [],
    };
    // Dropped ranges are judged like everywhere else: skipped garbage is a deviation, not an error.
    const dropped = verdict(discarded, options.strict === true);
    return {
      ok: false,
      errors: [noFrame, ...dropped.errors],
      diagnostics: dropped.diagnostics,
      frame: empty,
      crc: { ok: false, variant: null, basis: null, received: '', expected: '' },
    };
  }
  if (frames.length === 1 && discarded.length === 0) return first;
  const extra = frames.length > 1 ? [diagnostic('HJ212_E_EXTRA_FRAMES', { frames: frames.length })] : [];
  const noted = verdict([...extra, ...discarded], options.strict === true);
  return {
    ...first,
    ok: first.ok && noted.errors.length === 0,
    errors: [...first.errors, ...noted.errors],
    diagnostics: [...first.diagnostics, ...noted.diagnostics],
  };
}

export type { DecodeOptions } from './decode-options.js';
