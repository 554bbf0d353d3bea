/**
 * Short ASCII strings read from packets (factor codes, extended flags, header fields), interned: a data
 * logger sends the same few dozen codes in every packet, so after the first packet no string is built.
 * A direct-mapped table keyed by an FNV-1a hash; a collision simply replaces the entry.
 */

const SLOTS = 4096;
const slotBytes: (Uint8Array | undefined)[] = new Array(SLOTS);
const slotText: string[] = new Array(SLOTS).fill('');
const latin1 = new TextDecoder('utf-8');

/** The string of ASCII bytes[start, end), shared with earlier identical ones. */
export function internAscii(bytes: Uint8Array, start: number, end: number): string {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  const slot = (hash >>> 0) & (SLOTS - 1);
  const held = slotBytes[slot];
  if (held !== undefined && held.length === end - start) {
    let same = true;
    for (let i = 0; i < held.length; i++) {
      if (held[i] !== bytes[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return slotText[slot] as string;
  }
  const text = asciiText(bytes, start, end);
  slotBytes[slot] = bytes.slice(start, end);
  slotText[slot] = text;
  return text;
}

/** ASCII bytes[start, end) as a string; short runs without a decoder call. */
export function asciiText(bytes: Uint8Array, start: number, end: number): string {
  const b = bytes;
  const i = start;
  switch (end - start) {
    case 0:
      return '';
    case 17: // QN
      return String.fromCharCode(
        b[i] as number,
        b[i + 1] as number,
        b[i + 2] as number,
        b[i + 3] as number,
        b[i + 4] as number,
        b[i + 5] as number,
        b[i + 6] as number,
        b[i + 7] as number,
        b[i + 8] as number,
        b[i + 9] as number,
        b[i + 10] as number,
        b[i + 11] as number,
        b[i + 12] as number,
        b[i + 13] as number,
        b[i + 14] as number,
        b[i + 15] as number,
        b[i + 16] as number,
      );
    default:
      return latin1.decode(bytes.subarray(start, end));
  }
}
