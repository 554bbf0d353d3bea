/**
 * Bit-by-bit reference CRCs written independently of src/crc.ts (which is table-driven), so tests compare
 * two implementations instead of restating one. Also a packet builder that uses these, for tests that
 * need a frame with a deliberately chosen CRC without trusting the code under test to compute it.
 */

/**
 * HJ 212-2017 附录 A, transcribed literally from the C code printed in the standard (digest §2):
 *
 *   crc_reg = 0xFFFF;
 *   for(i=0;i<usDataLen;i++) {
 *     crc_reg = (crc_reg>>8) ^ puchMsg[i];
 *     for(j=0;j<8;j++) { check = crc_reg & 0x0001; crc_reg >>= 1; if(check==0x0001) crc_reg ^= 0xA001; }
 *   }
 *   return crc_reg;
 */
export function referenceHj212(bytes: Iterable<number>): number {
  let crcReg = 0xffff;
  for (const byte of bytes) {
    crcReg = (crcReg >>> 8) ^ byte;
    for (let j = 0; j < 8; j++) {
      const check = crcReg & 0x0001;
      crcReg >>>= 1;
      if (check === 0x0001) crcReg ^= 0xa001;
    }
  }
  return crcReg;
}

/** CRC-16/MODBUS bit by bit: init 0xFFFF, `crc ^= byte`, eight shift/xor-0xA001 rounds, no final xor. */
export function referenceModbus(bytes: Iterable<number>): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let j = 0; j < 8; j++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** The 附录 A loop run over UTF-16 code units (a Java `char`/C# `char` data logger). */
export function referenceHj212Utf16(text: string): number {
  const units: number[] = [];
  for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i));
  // The unit is XORed whole; with a 32-bit register the high byte survives and drains in later rounds.
  let crcReg = 0xffff;
  for (const unit of units) {
    crcReg = (crcReg >>> 8) ^ unit;
    for (let j = 0; j < 8; j++) {
      const check = crcReg & 1;
      crcReg >>>= 1;
      if (check === 1) crcReg ^= 0xa001;
    }
  }
  return crcReg;
}

/** The 附录 A loop on a signed `char*`: bytes ≥ 0x80 are sign-extended into a 32-bit unsigned register. */
export function referenceHj212SignedChar(bytes: Iterable<number>): number {
  let crcReg = 0xffff;
  for (const byte of bytes) {
    const extended = byte >= 0x80 ? (byte - 0x100) >>> 0 : byte;
    crcReg = ((crcReg >>> 8) ^ extended) >>> 0;
    for (let j = 0; j < 8; j++) {
      const check = crcReg & 1;
      crcReg >>>= 1;
      if (check === 1) crcReg = (crcReg ^ 0xa001) >>> 0;
    }
  }
  return crcReg & 0xffff;
}

export const hex4 = (value: number): string => value.toString(16).toUpperCase().padStart(4, '0');

const encoder = new TextEncoder();

/**
 * A whole packet for a data segment: "##", the length (UTF-8 bytes unless given), the segment, the CRC
 * (the standard's over UTF-8 bytes unless given), CR LF unless `terminator` is false.
 */
export function packet(
  segment: string,
  options: { length?: number; crc?: string; terminator?: boolean } = {},
): Uint8Array {
  const data = encoder.encode(segment);
  const length = String(options.length ?? data.length).padStart(4, '0');
  const crc = options.crc ?? hex4(referenceHj212(data));
  return encoder.encode(`##${length}${segment}${crc}${options.terminator === false ? '' : '\r\n'}`);
}
