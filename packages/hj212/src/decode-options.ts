import type { CrcVariant } from './crc.js';
import type { Direction } from './message.js';

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
  /**
   * The caller's own memory of the last header it decoded (`newHeaderHint()`, e.g. one per connection):
   * a frame with that logger's header again skips the shared header memo's lookup (finding "CP=&&",
   * hashing the header, comparing it). Helps where many loggers' frames interleave, as in a gateway; the
   * result is the same with or without it.
   */
  readonly headerHint?: HeaderHint;
}

/** See `DecodeOptions.headerHint`; its content belongs to the decoder. */
export interface HeaderHint {
  last: unknown;
}

/** A new, empty header hint. */
export function newHeaderHint(): HeaderHint {
  return { last: undefined };
}
