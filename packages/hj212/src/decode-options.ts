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
}
