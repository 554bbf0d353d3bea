import {
  type CrcVariant,
  crcHj212,
  crcHj212SignedChar,
  crcHj212Utf16,
  crcModbus,
  hex4,
  swapBytes,
} from './crc.js';
import { type Diagnostic, diagnostic } from './errors.js';
import { FRAME_HEAD_BYTES, type RawFrame } from './frame.js';
import { FrameDecoder, type FrameDecoderOptions } from './frame-decoder.js';
import type { CrcCheck, DecodedFrame, Direction } from './message.js';
import { parseDataSegment } from './parse.js';

export interface DecodeOptions {
  /**
   * Strict mode rejects every deviation from the standard's letter (warnings become errors). Lenient mode,
   * the default, accepts what real data loggers send and reports each deviation as a diagnostic.
   */
  readonly strict?: boolean;
  /** CRC variants accepted for this device. Default: only the standard's (`hj212`). */
  readonly crcVariants?: readonly CrcVariant[];
  /** Who sent the packet; default inferred. */
  readonly direction?: Direction;
}

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

function parseHex4(text: string): number | undefined {
  return /^[0-9A-Fa-f]{4}$/.test(text) ? Number.parseInt(text, 16) : undefined;
}

/**
 * Checks a frame's CRC (HJ 212-2017 附录 A). Besides the standard algorithm over UTF-8 bytes it recognises
 * what data loggers get wrong: CRC-16/MODBUS in either byte order (accepted only when allowed for the
 * device), and, for non-ASCII segments, the CRC over UTF-16 units or sign-extended bytes.
 */
export function checkCrc(
  frame: RawFrame,
  text: string,
  ascii: boolean,
  allowed: readonly CrcVariant[],
  diagnostics: Diagnostic[],
): CrcCheck {
  const { bytes, dataEnd, crcText } = frame;
  const standard = frame.dataCrc ?? crcHj212(bytes, FRAME_HEAD_BYTES, dataEnd);
  const expected = hex4(standard);
  const received = parseHex4(crcText);
  if (received === undefined) {
    diagnostics.push(diagnostic('HJ212_E_CRC_NOT_HEX', { received: crcText }));
    return { ok: false, variant: null, basis: null, received: crcText, expected };
  }
  if (crcText !== crcText.toUpperCase()) diagnostics.push(diagnostic('HJ212_E_CRC_LOWERCASE'));
  const result = (variant: CrcVariant, basis: CrcCheck['basis']): CrcCheck => {
    const ok = allowed.includes(variant);
    if (!ok) diagnostics.push(diagnostic('HJ212_E_CRC_VARIANT_NOT_ALLOWED', { variant, allowed }));
    return { ok, variant, basis, received: crcText, expected };
  };
  if (received === standard) return result('hj212', 'bytes');
  if (!ascii) {
    if (received === crcHj212Utf16(text)) {
      diagnostics.push(diagnostic('HJ212_E_CRC_OVER_CHARACTERS', { received: crcText, expected }));
      return result('hj212', 'utf16');
    }
    if (received === crcHj212SignedChar(bytes, FRAME_HEAD_BYTES, dataEnd)) {
      diagnostics.push(diagnostic('HJ212_E_CRC_SIGNED_CHAR', { received: crcText, expected }));
      return result('hj212', 'signed-char');
    }
  }
  const modbus = crcModbus(bytes, FRAME_HEAD_BYTES, dataEnd);
  if (received === modbus) return result('modbus', 'bytes');
  if (received === swapBytes(modbus)) return result('modbus-swapped', 'bytes');
  diagnostics.push(diagnostic('HJ212_E_CRC_MISMATCH', { received: crcText, expected }));
  return { ok: false, variant: null, basis: null, received: crcText, expected };
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
  const all: Diagnostic[] = [...frame.diagnostics];
  const { bytes, dataEnd } = frame;
  const text = decodeText(bytes, FRAME_HEAD_BYTES, dataEnd, all);
  // Valid UTF-8 decodes to as many UTF-16 units as bytes exactly when every byte is ASCII.
  const ascii = text.length === dataEnd - FRAME_HEAD_BYTES && !text.includes('\ufffd');
  const crc = checkCrc(frame, text, ascii, options.crcVariants ?? DEFAULT_VARIANTS, all);
  const parsed = parseDataSegment(
    text,
    options.direction === undefined ? {} : { direction: options.direction },
  );
  for (const d of parsed.diagnostics) all.push(d);
  const { errors, diagnostics } = verdict(all, options.strict === true);
  return { ok: errors.length === 0 && crc.ok, errors, diagnostics, frame, crc, message: parsed.message };
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
export function decodePacket(input: string | Uint8Array, options: DecodeOptions = {}): DecodedFrame {
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
