import type { CrcVariant } from './crc.js';
import type { DecodeOptions } from './decode-options.js';
import type { Diagnostic } from './errors.js';
import { FRAME_HEAD_BYTES, type RawFrame } from './frame.js';
import { type MutableHeader, readHeaderCached } from './header.js';
import { asciiText } from './intern.js';
import type { DecodedFrame, ObservationPeriod } from './message.js';
import { scanObservations } from './observations-scan.js';
import { ParsedMessage } from './parse.js';
import { ParseContext } from './parse-context.js';
import { VERSION_PROFILES } from './profiles.js';
import { commandCode } from './tables/command-codes.js';
import { beijingTimeInBytes } from './time.js';
import type { ProtocolVersion } from './versions.js';

/**
 * The fast path of `decodeFrame` for what data loggers send all day: a clean, ASCII observation upload
 * whose header this process has read before. It works on the frame's bytes — no text decoding, no CP
 * groups, no header parse (the header after QN is looked up by its bytes) — and returns undefined for
 * anything else, which the general path then decodes and reports. A property test holds the two paths to
 * the same result on every frame the fast path accepts.
 */

const Q = 0x51;
const N = 0x4e;
const EQ = 0x3d;
const SEMI = 0x3b;
const AMP = 0x26;
const NONE: readonly Diagnostic[] = Object.freeze([]);

/** A clean header of an observation upload, as the general reader read it (QN left out). */
interface KnownHeader {
  readonly tail: Uint8Array;
  readonly header: MutableHeader;
  readonly version: ProtocolVersion;
  readonly period: ObservationPeriod;
  readonly maxCpLength: number;
  /** What reading the header reported: nothing, or only remarks about the header's own tail (below). */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Remarks a header may carry and still be remembered: they describe bytes after QN, which the memo holds
 * whole, so every frame with the same tail gets the same remark. MNs that are not EPC-96 hex (HJ 212-2017
 * 表 3) are common in the field (`4201003`, `JLYP01_AIR01_0001`…): without this, such a fleet's uploads
 * would never take the fast path.
 */
const TAIL_REMARKS: ReadonlySet<string> = new Set(['HJ212_E_MN_FORMAT']);

/**
 * Remembered headers by the FNV-1a hash of their bytes (a collision is caught by comparing the bytes).
 * A logger has one header per CN it sends (2011, 2051, 2061, 2031…), so a gateway of 10 000 loggers holds
 * ≈ 40 000; past `MAX_KNOWN` the oldest is forgotten (its header is read again when it recurs). A fixed
 * table of 1 024 slots made loggers evict one another's headers, each then read again: 20 000 headers took
 * 5–7.7 µs per frame instead of 1.95.
 */
const MAX_KNOWN = 65_536;
const known = new Map<number, KnownHeader>();
let lastKnown: KnownHeader | undefined;

/** Forget every remembered header (tests). */
export function clearKnownHeaders(): void {
  known.clear();
  lastKnown = undefined;
}

function sameBytes(b: Uint8Array, at: number, expected: Uint8Array): boolean {
  if (at + expected.length > b.length) return false;
  for (let i = 0; i < expected.length; i++) if (b[at + i] !== expected[i]) return false;
  return true;
}

function isCpOpen(b: Uint8Array, at: number): boolean {
  return b[at] === 0x43 && b[at + 1] === 0x50 && b[at + 2] === EQ && b[at + 3] === AMP && b[at + 4] === AMP;
}

export function decodeFrameFast(frame: RawFrame, options: DecodeOptions): DecodedFrame | undefined {
  const b = frame.bytes;
  const start = FRAME_HEAD_BYTES;
  const end = frame.dataEnd;
  const dataCrc = frame.dataCrc;
  // Framed on the fast path (CR LF at the declared length), no framing remark, all ASCII.
  if (dataCrc === undefined || frame.diagnostics.length !== 0) return undefined;
  if (frame.length.characters !== frame.length.bytes || options.direction === 'down') return undefined;
  if (!(options.crcVariants ?? STANDARD).includes('hj212') || upperHex4(b, end) !== dataCrc) return undefined;
  // "QN=" + 17 + ";" first, then the header tail up to "CP=&&", and CP closing at the very end.
  if (b[start] !== Q || b[start + 1] !== N || b[start + 2] !== EQ || b[start + 20] !== SEMI) return undefined;
  // The same logger as the last frame (the caller's hint, e.g. its connection's, else the last decoded
  // anywhere): its header bytes, then "CP=&&".
  const hint = options.headerHint;
  let entry = (hint?.last as KnownHeader | undefined) ?? lastKnown;
  let cpAt = entry === undefined ? -1 : start + 21 + entry.tail.length;
  if (entry === undefined || !sameBytes(b, start + 21, entry.tail) || !isCpOpen(b, cpAt)) {
    cpAt = findCpOpen(b, start + 21, end);
    entry = cpAt < 0 ? undefined : knownHeader(b, start, cpAt);
    if (entry !== undefined) {
      lastKnown = entry;
      if (hint !== undefined) hint.last = entry;
    }
  }
  if (entry === undefined || end - 2 < cpAt + 5 || b[end - 1] !== AMP || b[end - 2] !== AMP) return undefined;
  if (end - cpAt > entry.maxCpLength) return undefined;
  if (beijingTimeInBytes(b, start + 3, 17) === undefined) return undefined;
  // One context serves every fast decode: it only ever needs to tell whether anything was reported.
  const ctx = SCAN_CONTEXT;
  ctx.reset(entry.version);
  const body = scanObservations(b, cpAt + 5, end - 2, entry.period, ctx);
  if (body === undefined || !ctx.isEmpty()) return undefined;
  const qn = asciiText(b, start + 3, start + 20);
  const message = new ParsedMessage(
    entry.header,
    entry.version,
    'up',
    b,
    cpAt + 5,
    end - 2,
    undefined,
    body,
    qn,
  );
  const crcText = frame.crcText;
  return {
    ok: true,
    errors: NONE,
    diagnostics: entry.diagnostics,
    frame,
    crc: { ok: true, variant: 'hj212', basis: 'bytes', received: crcText, expected: crcText },
    message,
  };
}

const STANDARD: readonly CrcVariant[] = ['hj212'];
const SCAN_CONTEXT = new ParseContext();

/** The four CRC characters after `at` as a value when they are upper-case hex digits, else -1. */
function upperHex4(b: Uint8Array, at: number): number {
  let value = 0;
  for (let i = at; i < at + 4; i++) {
    const code = b[i] as number;
    let digit: number;
    if (code >= 0x30 && code <= 0x39) digit = code - 0x30;
    else if (code >= 0x41 && code <= 0x46) digit = code - 0x37;
    else return -1;
    value = (value << 4) | digit;
  }
  return value;
}

function findCpOpen(b: Uint8Array, from: number, end: number): number {
  for (let i = from; i + 5 <= end; i++) if (isCpOpen(b, i)) return i;
  return -1;
}

/** The remembered header whose bytes after QN equal bytes[start + 21, cpAt), reading and keeping it if new. */
function knownHeader(b: Uint8Array, start: number, cpAt: number): KnownHeader | undefined {
  const from = start + 21;
  let hash = 0x811c9dc5;
  for (let i = from; i < cpAt; i++) hash = Math.imul(hash ^ (b[i] as number), 0x01000193);
  const slot = hash >>> 0;
  const held = known.get(slot);
  if (held !== undefined && held.tail.length === cpAt - from) {
    const tail = held.tail;
    let same = true;
    for (let i = 0; i < tail.length; i++) {
      if (tail[i] !== b[from + i]) {
        same = false;
        break;
      }
    }
    if (same) return held;
  }
  // New: read it with the general header reader; keep it only if clean and an observation upload.
  const text = asciiText(b, start, cpAt);
  const ctx = new ParseContext();
  const { header, version } = readHeaderCached(text, 0, text.length, text.length, ctx);
  const remarks = ctx.finish();
  if (remarks.some((d) => !TAIL_REMARKS.has(d.code)) || version === 'unknown' || header.cn === undefined)
    return undefined;
  const up = commandCode(header.cn, version)?.up;
  if (up === undefined || up.body.type !== 'observations') return undefined;
  const entry: KnownHeader = {
    tail: b.slice(from, cpAt),
    header: { ...header, qn: undefined },
    version,
    period: up.body.period,
    maxCpLength: VERSION_PROFILES[version].maxCpLength,
    diagnostics: remarks.length === 0 ? NONE : Object.freeze(remarks.map((d) => Object.freeze(d))),
  };
  if (known.size >= MAX_KNOWN && !known.has(slot)) known.delete(known.keys().next().value as number);
  known.set(slot, entry);
  return entry;
}
