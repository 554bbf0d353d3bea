import type { Diagnostic } from './errors.js';

/** The four parts around a data segment: "##" + 4 length digits before, 4 CRC characters + CR LF after. */
export const FRAME_HEAD_BYTES = 6;
export const FRAME_TAIL_BYTES = 6;
/** HJ 212-2017 表 2: the data segment is 0–1024 characters (HJ/T 212-2005: the same). */
export const STANDARD_MAX_DATA_LENGTH = 1024;

/** How the declared length relates to the data segment that was actually delimited. */
export type LengthBasis = 'bytes' | 'characters' | 'mismatch';

export interface FrameLength {
  /** The four digits after "##". */
  readonly declared: number;
  /** UTF-8 bytes of the data segment as delimited. */
  readonly bytes: number;
  /** UTF-16 units of the data segment (what Java/C# `String.length` counts). */
  readonly characters: number;
  readonly basis: LengthBasis;
}

export type Terminator = 'crlf' | 'lf' | 'none';

/** A packet cut from the byte stream, not yet checked or parsed. */
export interface RawFrame {
  /**
   * The whole packet as received, "##" to CR LF (or to where it was delimited). When the packet lay inside
   * one pushed chunk this is a view of that chunk (no copy): do not reuse pushed buffers, or copy frames
   * you keep (`bytes.slice()`).
   */
  readonly bytes: Uint8Array;
  /** Stream offset of the first byte (bytes pushed into the decoder before it). */
  readonly offset: number;
  /** End of the data segment inside `bytes`; the data segment is `bytes[6, dataEnd)`. */
  readonly dataEnd: number;
  /** The four characters between the data segment and the terminator, as received. */
  readonly crcText: string;
  /** How the packet ended: CR LF (the standard), a lone LF, or nothing (cut at the next frame or stream end). */
  readonly terminator: Terminator;
  readonly length: FrameLength;
  /** The 附录 A CRC of the data segment, when the decoder computed it while framing (saves a second pass). */
  readonly dataCrc?: number | undefined;
  /** Framing deviations of this packet (length, terminator). */
  readonly diagnostics: readonly Diagnostic[];
}

/** Bytes the decoder dropped (garbage, truncated or oversized packets), kept so they can be archived. */
export interface DiscardedBytes extends Diagnostic {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

export function frameData(frame: RawFrame): Uint8Array {
  return frame.bytes.subarray(FRAME_HEAD_BYTES, frame.dataEnd);
}

/** UTF-16 units of UTF-8 bytes [start, end): lead bytes count 1, 4-byte leads 2, continuations 0. */
export function utf16Length(bytes: Uint8Array, start: number, end: number): number {
  let units = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
  }
  return units;
}
