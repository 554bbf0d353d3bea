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
  if (value.length === 0 || /[;,=&\r\n]/.test(value)) {
    throw new Hj212Error('HJ212_E_ENCODE_FIELD', { field: name, value });
  }
}

function checkNumber(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new Hj212Error('HJ212_E_ENCODE_FIELD', { field: name, value });
}

function checkCp(cp: Cp): void {
  for (const group of cp) {
    if (group.length === 0) throw new Hj212Error('HJ212_E_ENCODE_FIELD', { reason: 'empty CP group' });
    for (const { key, value } of group) {
      const keyProblem = key.length === 0 ? 'empty' : /[;,=&\r\n]/.test(key) ? 'a separator' : undefined;
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
  frame[0] = 0x23;
  frame[1] = 0x23;
  frame[2] = 0x30 + Math.floor(length / 1000);
  frame[3] = 0x30 + (Math.floor(length / 100) % 10);
  frame[4] = 0x30 + (Math.floor(length / 10) % 10);
  frame[5] = 0x30 + (length % 10);
  const crc = crcText(frame, options.crcVariant ?? 'hj212', FRAME_HEAD_BYTES, FRAME_HEAD_BYTES + length);
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

/** Encodes a message as one frame; see `encodeMessageSplit` for messages that may exceed the limit. */
export function encodeMessage(input: MessageInput, options: EncodeOptions = {}): Uint8Array {
  return encodeFrame(encodeDataSegment(input), options);
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
