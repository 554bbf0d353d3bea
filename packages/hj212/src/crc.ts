/**
 * CRC of the data segment, HJ 212-2017 附录 A (identical in HJ/T 212-2005 附录 A).
 *
 * The standard's algorithm is NOT CRC-16/MODBUS: at every byte it does `crc = (crc >> 8) ^ byte`
 * (the register's low byte is dropped), then eight shift/xor-0xA001 rounds. Because the register is at
 * most 0xFF after that step, the eight rounds are a lookup in the reflected 0xA001 table, so the whole
 * algorithm is `crc = T[(crc >> 8) ^ byte]`. Check value: "123456789" → 0x2F80 (MODBUS gives 0x4B37).
 * The checksum is written as four hex digits, high byte first.
 */

export const CRC_VARIANTS = ['hj212', 'modbus', 'modbus-swapped'] as const;
/**
 * `hj212`: the standard's 附录 A. `modbus`: CRC-16/MODBUS written high byte first. `modbus-swapped`:
 * CRC-16/MODBUS written low byte first (its wire order). The MODBUS forms are opt-in per device.
 */
export type CrcVariant = (typeof CRC_VARIANTS)[number];

/** Reflected polynomial 0xA001 table: T[i] = eight shift/xor rounds applied to i. */
const TABLE = /* @__PURE__ */ (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let reg = i;
    for (let round = 0; round < 8; round++) reg = reg & 1 ? (reg >>> 1) ^ 0xa001 : reg >>> 1;
    table[i] = reg;
  }
  return table;
})();

/**
 * Slicing-by-8 for the 附录 A algorithm. After each byte the register is T[s] for an 8-bit state s, and
 * the next state is H[s] ^ byte with H[s] = T[s] >> 8. T is linear over GF(2) (a CRC table with no init),
 * so H is too, and eight steps fold into s8 = H⁸[s] ^ H⁷[b1] ^ … ^ H¹[b7] ^ b8: one dependent lookup per
 * eight bytes instead of eight. HK[k] is H composed k times.
 */
const HK = /* @__PURE__ */ (() => {
  const powers: Uint8Array[] = [Uint8Array.from({ length: 256 }, (_, i) => i)];
  for (let k = 1; k <= 8; k++) {
    const previous = powers[k - 1] as Uint8Array;
    powers.push(Uint8Array.from({ length: 256 }, (_, i) => (TABLE[previous[i] as number] as number) >>> 8));
  }
  return powers;
})();
// Module-level constants: V8 keeps these loads tight in the loop (destructuring per call was ~40% slower).
const H1 = HK[1] as Uint8Array;
const H2 = HK[2] as Uint8Array;
const H3 = HK[3] as Uint8Array;
const H4 = HK[4] as Uint8Array;
const H5 = HK[5] as Uint8Array;
const H6 = HK[6] as Uint8Array;
const H7 = HK[7] as Uint8Array;
const H8 = HK[8] as Uint8Array;

/** HJ 212 附录 A CRC over bytes [start, end). */
export function crcHj212(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (end <= start) return 0xffff;
  // First byte: the register starts at 0xFFFF, so the state is (0xFFFF >> 8) ^ b0.
  let state = 0xff ^ (bytes[start] as number);
  let i = start + 1;
  for (; i + 8 <= end; i += 8) {
    state =
      (H8[state] as number) ^
      (H7[bytes[i] as number] as number) ^
      (H6[bytes[i + 1] as number] as number) ^
      (H5[bytes[i + 2] as number] as number) ^
      (H4[bytes[i + 3] as number] as number) ^
      (H3[bytes[i + 4] as number] as number) ^
      (H2[bytes[i + 5] as number] as number) ^
      (H1[bytes[i + 6] as number] as number) ^
      (bytes[i + 7] as number);
  }
  for (; i < end; i++) state = (H1[state] as number) ^ (bytes[i] as number);
  return TABLE[state] as number;
}

/**
 * The 附录 A CRC of bytes [start, end) when every byte is above 0x23 ("#"), else -1; bit 16 of the result
 * is set when a byte is non-ASCII. One pass both checksums a data segment and proves it holds nothing that
 * could end a frame early (CR, LF, the "#" of a next "##" — all at or below 0x23; so are space, "!" and
 * '"', which then merely send the caller to its exact scan). The bound is tracked arithmetically: the sign
 * of (0x23 - byte) ANDed over all bytes stays negative only if every byte is above 0x23.
 */
export function crcHj212IfPlain(bytes: Uint8Array, start: number, end: number): number {
  if (end <= start) return 0xffff;
  const b0 = bytes[start] as number;
  let low = 0x23 - b0;
  let high = b0;
  let state = 0xff ^ b0;
  let i = start + 1;
  for (; i + 8 <= end; i += 8) {
    const c0 = bytes[i] as number;
    const c1 = bytes[i + 1] as number;
    const c2 = bytes[i + 2] as number;
    const c3 = bytes[i + 3] as number;
    const c4 = bytes[i + 4] as number;
    const c5 = bytes[i + 5] as number;
    const c6 = bytes[i + 6] as number;
    const c7 = bytes[i + 7] as number;
    low &=
      (0x23 - c0) &
      (0x23 - c1) &
      (0x23 - c2) &
      (0x23 - c3) &
      (0x23 - c4) &
      (0x23 - c5) &
      (0x23 - c6) &
      (0x23 - c7);
    high |= c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7;
    state =
      (H8[state] as number) ^
      (H7[c0] as number) ^
      (H6[c1] as number) ^
      (H5[c2] as number) ^
      (H4[c3] as number) ^
      (H3[c4] as number) ^
      (H2[c5] as number) ^
      (H1[c6] as number) ^
      c7;
  }
  for (; i < end; i++) {
    const byte = bytes[i] as number;
    low &= 0x23 - byte;
    high |= byte;
    state = (H1[state] as number) ^ byte;
  }
  return low < 0 ? (TABLE[state] as number) | ((high & 0x80) << 9) : -1;
}

/** The 附录 A loop exactly as printed (one table step per byte); the reference the fast form is tested against. */
export function crcHj212Bytewise(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const table = TABLE;
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = table[(crc >>> 8) ^ (bytes[i] as number)] as number;
  return crc;
}

/** CRC-16/MODBUS over bytes [start, end) (init 0xFFFF, reflected 0xA001, no final xor). */
export function crcModbus(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const table = TABLE;
  let crc = 0xffff;
  for (let i = start; i < end; i++)
    crc = (crc >>> 8) ^ (table[(crc ^ (bytes[i] as number)) & 0xff] as number);
  return crc;
}

/**
 * The 附录 A loop fed UTF-16 code units instead of UTF-8 bytes, as Java/C#/Go-rune data loggers do.
 * The unit is XORed whole into the register, so the high byte survives the eight rounds shifted down.
 */
export function crcHj212Utf16(text: string): number {
  const table = TABLE;
  let crc = 0xffff;
  for (let i = 0; i < text.length; i++) {
    const reg = (crc >>> 8) ^ text.charCodeAt(i);
    crc = (table[reg & 0xff] as number) ^ (reg >>> 8);
  }
  return crc;
}

/**
 * The 附录 A C code run on a plain signed `char*` (x86): bytes ≥ 0x80 are sign-extended to 32 bits
 * before the XOR. The register is an `unsigned int`, so the high bits drain back out over later bytes.
 */
export function crcHj212SignedChar(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const table = TABLE;
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    const extended = byte >= 0x80 ? (byte | 0xffffff00) >>> 0 : byte;
    const reg = ((crc >>> 8) ^ extended) >>> 0;
    crc = ((table[reg & 0xff] as number) ^ (reg >>> 8)) >>> 0;
  }
  return crc & 0xffff;
}

/** The checksum as transmitted for a variant (four upper-case hex digits). */
export function crcText(
  bytes: Uint8Array,
  variant: CrcVariant = 'hj212',
  start = 0,
  end = bytes.length,
): string {
  switch (variant) {
    case 'hj212':
      return hex4(crcHj212(bytes, start, end));
    case 'modbus':
      return hex4(crcModbus(bytes, start, end));
    case 'modbus-swapped':
      return hex4(swapBytes(crcModbus(bytes, start, end)));
  }
}

const HEX2 = Array.from({ length: 256 }, (_, byte) => byte.toString(16).toUpperCase().padStart(2, '0'));

/** Four upper-case hex digits of a 16-bit value. */
export function hex4(value: number): string {
  return (HEX2[(value >>> 8) & 0xff] as string) + (HEX2[value & 0xff] as string);
}

export function swapBytes(value: number): number {
  return ((value & 0xff) << 8) | (value >>> 8);
}

export function isCrcVariant(value: unknown): value is CrcVariant {
  return typeof value === 'string' && (CRC_VARIANTS as readonly string[]).includes(value);
}
