/**
 * Loader for the public sample packets (test/fixtures/samples-public.txt, a copy of the shared corpus). Each packet line
 * ("##…", no CR LF) follows a "# " comment that states its source, its CRC verdict and length facts; this
 * module reads both so tests can assert exactly what the comment claims.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The fixture file, relative to this directory (/work/main is the repo root, /work/shared beside it). */
export const SAMPLES_URL = new URL('./fixtures/samples-public.txt', import.meta.url);

export type CrcClaim =
  | { readonly kind: 'verified'; readonly crc: string }
  | { readonly kind: 'modbus'; readonly expected: string; readonly received: string }
  | { readonly kind: 'mismatch'; readonly expected: string; readonly received: string };

export interface LengthClaim {
  readonly declared: number;
  readonly characters: number;
  readonly bytes: number;
}

export interface Sample {
  /** 1-based line number of the packet in the file. */
  readonly line: number;
  readonly comment: string;
  /** The packet as printed (no CR LF). */
  readonly text: string;
  /** The packet as a device would send it: UTF-8 with CR LF. */
  readonly wire: Uint8Array;
  readonly crc: CrcClaim | undefined;
  readonly length: LengthClaim | undefined;
}

const VERIFIED = /CRC VERIFIED \(HJ212 Appendix-A algorithm, ([0-9A-F]{4})\)/;
const MODBUS = /CRC FAILS[^;]*?\(expected ([0-9A-F]{4}), got ([0-9A-Fa-f]{4})\); matches CRC-16\/MODBUS/;
const MISMATCH = /CRC FAILS \(expected ([0-9A-F]{4}), got ([0-9A-Fa-f]{4}); no Modbus variant/;
const LENGTH = /length field (\d+) == data segment \((\d+) chars, (\d+) UTF-8 bytes\)/;

function crcClaim(comment: string): CrcClaim | undefined {
  const verified = VERIFIED.exec(comment);
  if (verified) return { kind: 'verified', crc: verified[1] as string };
  const modbus = MODBUS.exec(comment);
  if (modbus) return { kind: 'modbus', expected: modbus[1] as string, received: modbus[2] as string };
  const mismatch = MISMATCH.exec(comment);
  if (mismatch) return { kind: 'mismatch', expected: mismatch[1] as string, received: mismatch[2] as string };
  return undefined;
}

function lengthClaim(comment: string): LengthClaim | undefined {
  const m = LENGTH.exec(comment);
  return m ? { declared: Number(m[1]), characters: Number(m[2]), bytes: Number(m[3]) } : undefined;
}

function load(): Sample[] {
  const path = fileURLToPath(SAMPLES_URL);
  if (!existsSync(path)) {
    throw new Error(
      `HJ 212 sample packets not found at ${path} (packages/hj212/test/fixtures/, copied from the shared corpus)`,
    );
  }
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const samples: Sample[] = [];
  const encoder = new TextEncoder();
  lines.forEach((text, index) => {
    if (!text.startsWith('##')) return;
    const previous = lines[index - 1] ?? '';
    if (!previous.startsWith('# '))
      throw new Error(`packet on line ${index + 1} has no "# " comment before it`);
    samples.push({
      line: index + 1,
      comment: previous,
      text,
      wire: encoder.encode(`${text}\r\n`),
      crc: crcClaim(previous),
      length: lengthClaim(previous),
    });
  });
  return samples;
}

export const SAMPLES: readonly Sample[] = load();

/** The one sample whose text contains `needle` (fails loudly when there is not exactly one). */
export function sample(needle: string): Sample {
  const found = SAMPLES.filter((s) => s.text.includes(needle));
  if (found.length !== 1) throw new Error(`expected one sample containing ${needle}, found ${found.length}`);
  return found[0] as Sample;
}

/** The data segment of a packet text ("##" + 4 digits … 4 CRC characters). */
export function segmentOf(packet: string): string {
  return packet.slice(6, -4);
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
