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
import type { CrcCheck } from './message.js';

function matched(
  variant: CrcVariant,
  basis: CrcCheck['basis'],
  allowed: readonly CrcVariant[],
  received: string,
  expected: string,
  diagnostics: Diagnostic[],
): CrcCheck {
  const ok = allowed.includes(variant);
  if (!ok) diagnostics.push(diagnostic('HJ212_E_CRC_VARIANT_NOT_ALLOWED', { variant, allowed }));
  return { ok, variant, basis, received, expected };
}

/** Four hex digits → their value (bit 16 set when a letter is lower case), or -1. */
function parseHex4(text: string): number {
  let lower = 0;
  if (text.length !== 4) return -1;
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const code = text.charCodeAt(i);
    let digit: number;
    if (code >= 0x30 && code <= 0x39) digit = code - 0x30;
    else if (code >= 0x41 && code <= 0x46) digit = code - 0x37;
    else if (code >= 0x61 && code <= 0x66) {
      digit = code - 0x57;
      lower = 0x10000;
    } else return -1;
    value = (value << 4) | digit;
  }
  return value | lower;
}

/**
 * Checks a frame's CRC (HJ 212-2017 附录 A). Besides the standard algorithm over UTF-8 bytes it recognises
 * what data loggers get wrong: CRC-16/MODBUS in either byte order (accepted only when allowed for the
 * device), and, for non-ASCII segments, the CRC over UTF-16 units or sign-extended bytes.
 */
export function checkCrc(
  frame: RawFrame,
  /** The data segment is text[start, end); read only for non-ASCII segments (the UTF-16 variant). */
  text: string,
  start: number,
  end: number,
  ascii: boolean,
  allowed: readonly CrcVariant[],
  diagnostics: Diagnostic[],
): CrcCheck {
  const { bytes, dataEnd, crcText } = frame;
  const standard = frame.dataCrc ?? crcHj212(bytes, FRAME_HEAD_BYTES, dataEnd);
  const expected = hex4(standard);
  const hex = parseHex4(crcText);
  if (hex < 0) {
    diagnostics.push(diagnostic('HJ212_E_CRC_NOT_HEX', { received: crcText }));
    return { ok: false, variant: null, basis: null, received: crcText, expected };
  }
  if (hex > 0xffff) diagnostics.push(diagnostic('HJ212_E_CRC_LOWERCASE'));
  const received = hex & 0xffff;
  if (received === standard) return matched('hj212', 'bytes', allowed, crcText, expected, diagnostics);
  const result = (variant: CrcVariant, basis: CrcCheck['basis']): CrcCheck =>
    matched(variant, basis, allowed, crcText, expected, diagnostics);
  if (!ascii) {
    if (received === crcHj212Utf16(text.slice(start, end))) {
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
