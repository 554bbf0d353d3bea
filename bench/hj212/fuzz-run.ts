import {
  decodeFrame,
  decodeOneFrame,
  encodeFrame,
  FrameDecoder,
  HJ212_ERRORS,
  parseDataSegment,
  SubPacketAssembler,
} from '@qingyuan/hj212';

/**
 * A mutation fuzzer for the codec: random bytes, mutated real packets and grammar-shaped text, pushed
 * through the stream decoder in random chunks, decoded, parsed and reassembled. A finding is anything
 * thrown, a diagnostic code outside the catalogue, a decoder holding more than its bound, or one input
 * taking longer than `slowMs`. Deterministic for a seed.
 */

export interface FuzzOptions {
  readonly count: number;
  readonly seed: number;
  /** Real packets to mutate (one per entry, without CR LF). */
  readonly corpus: readonly string[];
  readonly slowMs?: number;
  readonly onProgress?: (done: number) => void;
}

export interface FuzzFinding {
  readonly input: string;
  readonly problem: string;
}

export interface FuzzReport {
  readonly inputs: number;
  readonly frames: number;
  readonly findings: FuzzFinding[];
  readonly slowestMs: number;
  readonly maxBuffered: number;
}

/** mulberry32: small, fast, good enough to drive mutations reproducibly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '##', '&&', 'CP=&&', ';', ',', '=', '-', 'QN=', 'ST=32', 'CN=2061', 'CN=2011', 'CN=3020', 'CN=9014', 'PW=123456',
  'MN=010000A8900016F000169DC0', 'Flag=5', 'Flag=7', 'Flag=9', 'PNUM=2', 'PNO=1', 'DataTime=20260101000000',
  'w01018-Avg=', 'a21026-Rtd=', '-Flag=N', 'PolId=w01018', 'i11001-Info=//清洗//', '//', ' ', '\r\n', '\n', '0',
  '9', '.', '-0.5', '1e5', '清', '\u0000', '\uffff', 'BeginTime=20260101000000', 'QnRtn=1', 'SB1-RS=1',
]; // biome-ignore format: a token list

const encoder = new TextEncoder();
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export function runFuzz(options: FuzzOptions): FuzzReport {
  const next = random(options.seed);
  const int = (n: number): number => Math.floor(next() * n);
  const slowMs = options.slowMs ?? 250;
  const corpus = options.corpus.map((packet) => encoder.encode(`${packet}\r\n`));
  const findings: FuzzFinding[] = [];
  let frames = 0;
  let slowestMs = 0;
  let maxBuffered = 0;

  const mutate = (bytes: Uint8Array): Uint8Array => {
    const out = Array.from(bytes);
    const edits = 1 + int(4);
    for (let e = 0; e < edits; e++) {
      const at = int(out.length + 1);
      switch (int(6)) {
        case 0:
          if (out.length > 0) out[at % out.length] = int(256);
          break;
        case 1:
          if (out.length > 0) out[at % out.length] = (out[at % out.length] as number) ^ (1 << int(8));
          break;
        case 2:
          out.splice(at, 0, ...encoder.encode(TOKENS[int(TOKENS.length)] as string));
          break;
        case 3:
          out.splice(at, 1 + int(8));
          break;
        case 4: {
          const from = int(out.length + 1);
          out.splice(at, 0, ...out.slice(from, from + int(40)));
          break;
        }
        default: {
          const other = corpus[int(corpus.length)] as Uint8Array;
          out.splice(at, int(20), ...other.subarray(int(other.length)));
        }
      }
    }
    return Uint8Array.from(out);
  };

  const input = (): Uint8Array => {
    switch (int(5)) {
      case 0: {
        const bytes = new Uint8Array(int(600));
        for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
        return bytes;
      }
      case 1: {
        let text = '';
        const parts = 1 + int(40);
        for (let i = 0; i < parts; i++) text += TOKENS[int(TOKENS.length)];
        // Half of them framed correctly, so the parser (not just the framer) sees them.
        return int(2) === 0 ? encoder.encode(text) : encodeFrame(text.replace(/[\r\n]/g, ''));
      }
      case 2: {
        const count = 1 + int(4);
        const parts: Uint8Array[] = [];
        for (let i = 0; i < count; i++) parts.push(mutate(corpus[int(corpus.length)] as Uint8Array));
        return Uint8Array.from(parts.flatMap((part) => Array.from(part)));
      }
      default:
        return mutate(corpus[int(corpus.length)] as Uint8Array);
    }
  };

  const known = new Set(Object.keys(HJ212_ERRORS));
  const check = (codes: readonly { code: string }[], bytes: Uint8Array): void => {
    for (const { code } of codes) {
      if (!known.has(code)) findings.push({ input: hex(bytes), problem: `uncatalogued code ${code}` });
    }
  };

  for (let n = 0; n < options.count; n++) {
    const bytes = input();
    const started = performance.now();
    try {
      const decoder = new FrameDecoder({ maxGarbageBytes: 512, maxFrameBytes: 2048 });
      const assembler = new SubPacketAssembler({ timeoutMs: 1000 });
      let at = 0;
      const batches = [];
      while (at < bytes.length) {
        const size = 1 + int(int(2) === 0 ? 16 : 2048);
        batches.push(decoder.push(bytes.subarray(at, at + size)));
        at += size;
        maxBuffered = Math.max(maxBuffered, decoder.buffered);
        if (decoder.buffered > 512 + 2048 + 8)
          findings.push({ input: hex(bytes), problem: `buffered ${decoder.buffered}` });
      }
      batches.push(decoder.end());
      for (const batch of batches) {
        check(batch.diagnostics, bytes);
        for (const frame of batch.frames) {
          frames++;
          const decoded = decodeFrame(frame, { crcVariants: ['hj212', 'modbus', 'modbus-swapped'] });
          check(decoded.errors, bytes);
          check(decoded.diagnostics, bytes);
          if (decoded.message !== undefined) {
            void decoded.message.cp;
            for (const assembled of assembler.push(decoded.message, n)) check(assembled.diagnostics, bytes);
          }
        }
      }
      assembler.flush();
      const single = decodeOneFrame(bytes, { strict: int(2) === 0 });
      check(single.errors, bytes);
      check(single.diagnostics, bytes);
      const text = new TextDecoder().decode(bytes);
      check(parseDataSegment(text).diagnostics, bytes);
    } catch (error) {
      findings.push({ input: hex(bytes), problem: `threw ${(error as Error).stack ?? String(error)}` });
    }
    const elapsed = performance.now() - started;
    slowestMs = Math.max(slowestMs, elapsed);
    if (elapsed > slowMs) findings.push({ input: hex(bytes), problem: `took ${elapsed.toFixed(0)} ms` });
    if (findings.length > 20) break;
    if (options.onProgress !== undefined && n % 50_000 === 0) options.onProgress(n);
  }
  return { inputs: options.count, frames, findings, slowestMs, maxBuffered };
}
