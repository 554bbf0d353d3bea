import { joinCp, unsafeCpText } from './cp-text.js';
import { type CrcVariant, crcText } from './crc.js';
import { Hj212Error } from './errors.js';
import { FRAME_HEAD_BYTES, STANDARD_MAX_DATA_LENGTH } from './frame.js';
import type { Cp, CpField, CpGroup, Header } from './message.js';
import { formatQn, parseQn } from './time.js';

/** What `encode*` writes: header fields (each optional, as in real traffic) and the CP groups. */
export interface MessageInput extends Header {
  readonly cp: Cp;
}

export interface EncodeOptions {
  /** CRC variant of the peer (per device). Default `hj212`, the standard's. */
  readonly crcVariant?: CrcVariant;
  /**
   * Where the frame's bytes are written: an array of exactly `size` bytes, whose contents the encoder
   * overwrites entirely (for a segment that is not ASCII it may be called twice). Default a new
   * `Uint8Array`; a Node.js server answering every frame passes `Buffer.allocUnsafe` (a slice of a shared
   * pool: a 9014 costs about half as much as with a new, zero-filled array).
   */
  readonly allocate?: (size: number) => Uint8Array;
}

export interface SplitOptions extends EncodeOptions {
  /** Largest data segment in UTF-8 bytes before the message is split into sub-packets. Default 1024. */
  readonly maxDataLength?: number;
}

const encoder = new TextEncoder();

function checkHeaderValue(name: string, value: string): void {
  if (value.length === 0 || hasSeparator(value)) {
    throw new Hj212Error('HJ212_E_ENCODE_FIELD', { field: name, value });
  }
}

/** Does `text` hold one of ; , = & CR LF (which would end a field early)? A loop: every reply asks this. */
function hasSeparator(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isSeparator(text.charCodeAt(i))) return true;
  return false;
}

/** Is the character code one of ; , = & CR LF? */
function isSeparator(c: number): boolean {
  return c === 0x3b || c === 0x2c || c === 0x3d || c === 0x26 || c === 0x0d || c === 0x0a;
}

function checkNumber(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new Hj212Error('HJ212_E_ENCODE_FIELD', { field: name, value });
}

function checkCp(cp: Cp): void {
  for (const group of cp) {
    if (group.length === 0) throw new Hj212Error('HJ212_E_ENCODE_FIELD', { reason: 'empty CP group' });
    for (const { key, value } of group) {
      const keyProblem = key.length === 0 ? 'empty' : hasSeparator(key) ? 'a separator' : undefined;
      if (keyProblem !== undefined) throw new Hj212Error('HJ212_E_ENCODE_FIELD', { key, reason: keyProblem });
      const valueProblem = value === null ? undefined : unsafeCpText(value);
      if (valueProblem !== undefined)
        throw new Hj212Error('HJ212_E_ENCODE_FIELD', { key, value, reason: valueProblem });
    }
  }
}

/**
 * The data segment text of a message, header fields in the standard's order (QN ST CN PW MN Flag PNUM
 * PNO, HJ 212-2017 表 3) and CP as given. Throws `Hj212Error` for values that would break the frame.
 */
export function encodeDataSegment(input: MessageInput): string {
  const header =
    textField('QN', input.qn) +
    textField('ST', input.st) +
    textField('CN', input.cn) +
    textField('PW', input.pw) +
    textField('MN', input.mn) +
    numberField('Flag', input.flag, 255) +
    numberField('PNUM', input.pnum, 9999) +
    numberField('PNO', input.pno, 9999);
  checkCp(input.cp);
  return `${header}CP=&&${joinCp(input.cp)}&&`;
}

function textField(name: string, value: string | undefined): string {
  if (value === undefined) return '';
  checkHeaderValue(name, value);
  return `${name}=${value};`;
}

function numberField(name: string, value: number | undefined, max: number): string {
  if (value === undefined) return '';
  checkNumber(name, value, max);
  return `${name}=${value};`;
}

/**
 * Frames a data segment: "##", its UTF-8 byte length in four digits, the segment, the CRC, CR LF. The
 * frame is written into one `allocate`d array (see `EncodeOptions.allocate`); an ASCII segment (every
 * reply and command) is copied character by character, anything else through UTF-8 encoding.
 */
export function encodeFrame(segment: string, options: EncodeOptions = {}): Uint8Array {
  const allocate = options.allocate ?? newBytes;
  let frame = asciiFrame(segment, allocate);
  let length = segment.length;
  if (frame === undefined) {
    const data = encoder.encode(segment);
    length = data.length;
    if (length > 9999) throw new Hj212Error('HJ212_E_ENCODE_TOO_LONG', { bytes: length, max: 9999 });
    frame = allocate(length + 12);
    frame.set(data, FRAME_HEAD_BYTES);
  }
  return framed(frame, length, options.crcVariant);
}

/** `frame` with its segment of `length` bytes in place: "##", the length, the CRC and CR LF written around it. */
function framed(frame: Uint8Array, length: number, variant: CrcVariant = 'hj212'): Uint8Array {
  frame[0] = 0x23;
  frame[1] = 0x23;
  frame[2] = 0x30 + Math.floor(length / 1000);
  frame[3] = 0x30 + (Math.floor(length / 100) % 10);
  frame[4] = 0x30 + (Math.floor(length / 10) % 10);
  frame[5] = 0x30 + (length % 10);
  const crc = crcText(frame, variant, FRAME_HEAD_BYTES, FRAME_HEAD_BYTES + length);
  for (let i = 0; i < 4; i++) frame[FRAME_HEAD_BYTES + length + i] = crc.charCodeAt(i);
  frame[length + 10] = 0x0d;
  frame[length + 11] = 0x0a;
  return frame;
}

const newBytes = (size: number): Uint8Array => new Uint8Array(size);

/**
 * The frame with an ASCII segment copied in (its bytes are its characters), or undefined for any other
 * segment (that frame is dropped: non-ASCII segments are rare).
 */
function asciiFrame(segment: string, allocate: (size: number) => Uint8Array): Uint8Array | undefined {
  const length = segment.length;
  if (length > 9999) return undefined;
  const frame = allocate(length + 12);
  for (let i = 0; i < length; i++) {
    const c = segment.charCodeAt(i);
    if (c > 0x7f) return undefined;
    frame[FRAME_HEAD_BYTES + i] = c;
  }
  return frame;
}

/**
 * Encodes a message as one frame; see `encodeMessageSplit` for messages that may exceed the limit. The
 * same bytes as `encodeFrame(encodeDataSegment(input), options)` (a property test holds them equal), but
 * an ASCII message (every reply and command) is written straight into the frame: no segment string is
 * built and then copied (≈ 0.8 → 0.4 µs for a 9014, docs/benchmarks.md "Twelfth look").
 */
export function encodeMessage(input: MessageInput, options: EncodeOptions = {}): Uint8Array {
  const { qn, st, cn, pw, mn, flag, pnum, pno, cp } = input;
  // Lengths first (as if ASCII and valid), then each field checked as encodeDataSegment does, in its
  // order, while it is copied.
  const length =
    textLength('QN', qn) +
    textLength('ST', st) +
    textLength('CN', cn) +
    textLength('PW', pw) +
    textLength('MN', mn) +
    numberLength('Flag', flag) +
    numberLength('PNUM', pnum) +
    numberLength('PNO', pno) +
    cpLength(cp);
  if (length > 9999) return encodeFrame(encodeDataSegment(input), options);
  const frame = (options.allocate ?? newBytes)(length + 12);
  let at = putText(frame, FRAME_HEAD_BYTES, 'QN', qn);
  at = putText(frame, at, 'ST', st);
  at = putText(frame, at, 'CN', cn);
  at = putText(frame, at, 'PW', pw);
  at = putText(frame, at, 'MN', mn);
  at = putNumber(frame, at, 'Flag', flag, 255);
  at = putNumber(frame, at, 'PNUM', pnum, 9999);
  at = putNumber(frame, at, 'PNO', pno, 9999);
  if (at >= 0) checkCp(cp);
  at = putAscii(frame, putAscii(frame, putAscii(frame, at, 'CP=&&'), joinCp(cp)), '&&');
  // A character beyond ASCII: its UTF-8 bytes are not its characters (rare: the string path).
  if (at < 0) return encodeFrame(encodeDataSegment(input), options);
  return framed(frame, length, options.crcVariant);
}

/** `NAME=value;`'s length in characters, 0 when absent. */
function textLength(name: string, value: string | undefined): number {
  return value === undefined ? 0 : name.length + value.length + 2;
}

function numberLength(name: string, value: number | undefined): number {
  return value === undefined ? 0 : name.length + digits(value) + 2;
}

/** `CP=&&…&&`'s length in characters. */
function cpLength(cp: Cp): number {
  let length = 7 + Math.max(0, cp.length - 1);
  for (const group of cp) {
    length += group.length - 1;
    for (const { key, value } of group) length += key.length + (value === null ? 0 : value.length + 1);
  }
  return length;
}

/**
 * Writes `NAME=value;` at `at` (nothing when absent) and returns where it ended; -1 when a character is
 * not ASCII, or when `at` is -1 already. Throws as `checkHeaderValue` for an empty value or a separator.
 */
function putText(frame: Uint8Array, at: number, name: string, value: string | undefined): number {
  if (value === undefined || at < 0) return at;
  if (value.length === 0) checkHeaderValue(name, value);
  const start = putAscii(frame, putAscii(frame, at, name), '=');
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f) return -1;
    if (isSeparator(c)) checkHeaderValue(name, value);
    frame[start + i] = c;
  }
  frame[start + value.length] = 0x3b;
  return start + value.length + 1;
}

/** `NAME=digits;`, as `putText`; throws as `checkNumber`. */
function putNumber(
  frame: Uint8Array,
  at: number,
  name: string,
  value: number | undefined,
  max: number,
): number {
  if (value === undefined || at < 0) return at;
  checkNumber(name, value, max);
  const start = putAscii(frame, putAscii(frame, at, name), '=');
  const end = start + digits(value);
  for (let i = end - 1, n = value; i >= start; i--, n = Math.floor(n / 10)) frame[i] = 0x30 + (n % 10);
  frame[end] = 0x3b;
  return end + 1;
}

/** Decimal digits of a non-negative integer. */
function digits(value: number): number {
  let n = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) n++;
  return n;
}

/** Writes `text` at `at` if every character is ASCII; returns where it ended, or -1 (nothing to rely on). */
function putAscii(frame: Uint8Array, at: number, text: string): number {
  if (at < 0) return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return -1;
    frame[at + i] = c;
  }
  return at + text.length;
}

const byteLength = (text: string): number => encoder.encode(text).length;

/** Groups that set the context of the rest (DataTime), repeated at the head of every sub-packet. */
function isContextGroup(group: CpGroup): boolean {
  return group.length === 1 && (group[0] as CpField).key === 'DataTime';
}

/**
 * Encodes a message, splitting it into sub-packets when its data segment exceeds `maxDataLength` (HJ
 * 212-2017 表 3 PNUM/PNO, 表 C.50): each sub-packet is a whole packet with Flag.D set, PNUM/PNO, its own QN
 * (the original QN plus the sub-packet's index in milliseconds) and the DataTime repeated, so each can be
 * read on its own. CP groups are never cut.
 */
export function encodeMessageSplit(input: MessageInput, options: SplitOptions = {}): Uint8Array[] {
  const max = options.maxDataLength ?? STANDARD_MAX_DATA_LENGTH;
  const whole = encodeDataSegment(input);
  if (byteLength(whole) <= max) return [encodeFrame(whole, options)];

  const context = input.cp.filter(isContextGroup);
  const rest = input.cp.filter((group) => !isContextGroup(group));
  // Budget with the widest header the sub-packets can have (4-digit PNUM/PNO, Flag up to 3 digits).
  const overhead = byteLength(
    encodeDataSegment({ ...input, flag: 255, pnum: 9999, pno: 9999, cp: context }).replace(/&&$/, ''),
  );
  const parts: CpGroup[][] = [];
  let current: CpGroup[] = [];
  let size = overhead;
  for (const group of rest) {
    const groupBytes = byteLength(joinCp([group])) + 1; // with its ";" or the closing "&&" budget
    if (overhead + groupBytes + 2 > max) {
      throw new Hj212Error('HJ212_E_ENCODE_TOO_LONG', { group: joinCp([group]).slice(0, 80), max });
    }
    if (current.length > 0 && size + groupBytes + 2 > max) {
      parts.push(current);
      current = [];
      size = overhead;
    }
    current.push(group);
    size += groupBytes;
  }
  if (current.length > 0) parts.push(current);

  const baseQn = input.qn === undefined ? undefined : parseQn(input.qn);
  const flag = (input.flag ?? 0) | 2;
  return parts.map((groups, index) => {
    const qn =
      input.qn === undefined ? undefined : baseQn === undefined ? input.qn : formatQn(baseQn + index);
    const part: MessageInput = {
      ...input,
      ...(qn === undefined ? {} : { qn }),
      flag,
      pnum: parts.length,
      pno: index + 1,
      cp: [...context, ...groups],
    };
    return encodeFrame(encodeDataSegment(part), options);
  });
}
