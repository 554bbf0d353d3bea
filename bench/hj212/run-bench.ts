import { crc32 } from 'node:zlib';
import { crcHj212, decodeFrame, FrameDecoder } from '@qingyuan/hj212';
import { type BenchSample, SAMPLES } from './samples.js';

/**
 * Times `fn` over `iterations` calls, `rounds` times, interleaved with the reference by the caller so both
 * see the same machine state; returns ops/s of each round.
 */
function opsPerSecond(fn: () => void, iterations: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  const ns = Number(process.hrtime.bigint() - start);
  return (iterations * 1e9) / ns;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export interface ParseResult {
  readonly sample: string;
  readonly frameBytes: number;
  readonly jsonBytes: number;
  /** Best round (the least disturbed by the machine), in frames or documents per second. */
  readonly codecFramesPerSecond: number;
  readonly jsonDocsPerSecond: number;
  readonly codecMBps: number;
  /** Codec frames/s ÷ JSON.parse documents/s: median of back-to-back round pairs. */
  readonly ratio: number;
  /** The same ratio from the best round of each (min times). */
  readonly bestRatio: number;
}

let sink = 0;

/**
 * Full codec path per frame: stream framing, CRC, UTF-8 decode, header and CP parse, typed body. The two
 * sides run in short alternating rounds, so both see the same machine state; the ratio of each pair is
 * kept and the median reported (shared machines drift; the ratio within a pair does not).
 */
export function benchParse(sample: BenchSample, iterations: number, rounds: number): ParseResult {
  const decoder = new FrameDecoder();
  const codec = (): void => {
    const { frames } = decoder.push(sample.frame);
    const decoded = decodeFrame(frames[0] as (typeof frames)[0]);
    if (!decoded.ok) throw new Error(`benchmark sample did not decode: ${decoded.errors.map((e) => e.code)}`);
    sink += decoded.message?.body.type.length ?? 0;
  };
  const reference = (): void => {
    const doc = JSON.parse(sample.json) as { CP: object };
    sink += Object.keys(doc.CP).length;
  };
  // Warm up both paths so the optimising compiler has seen them.
  for (let i = 0; i < 20_000; i++) {
    codec();
    reference();
  }
  const codecRuns: number[] = [];
  const jsonRuns: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const c = opsPerSecond(codec, iterations);
    const j = opsPerSecond(reference, iterations);
    codecRuns.push(c);
    jsonRuns.push(j);
    ratios.push(c / j);
  }
  const codecFramesPerSecond = Math.max(...codecRuns);
  const jsonDocsPerSecond = Math.max(...jsonRuns);
  return {
    sample: sample.name,
    frameBytes: sample.frame.length,
    jsonBytes: Buffer.byteLength(sample.json),
    codecFramesPerSecond,
    jsonDocsPerSecond,
    codecMBps: (codecFramesPerSecond * sample.frame.length) / 1e6,
    ratio: median(ratios),
    bestRatio: codecFramesPerSecond / jsonDocsPerSecond,
  };
}

export interface CrcResult {
  readonly mbPerSecond: number;
  readonly zlibCrc32MBps: number;
  /** HJ 212 CRC throughput ÷ zlib's native CRC-32 throughput. */
  readonly ratio: number;
}

/** CRC alone over a 1 MiB buffer, against zlib's native CRC-32 on the same bytes. */
export function benchCrc(megabytes: number, rounds: number): CrcResult {
  const buffer = new Uint8Array(1 << 20);
  for (let i = 0; i < buffer.length; i++) buffer[i] = (i * 131 + 7) & 0xff;
  const ours = (): void => {
    sink += crcHj212(buffer);
  };
  const native = (): void => {
    sink += crc32(buffer);
  };
  ours();
  native();
  const oursRuns: number[] = [];
  const nativeRuns: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const o = opsPerSecond(ours, megabytes);
    const n = opsPerSecond(native, megabytes);
    oursRuns.push(o * 1.048576);
    nativeRuns.push(n * 1.048576);
    ratios.push(o / n);
  }
  return {
    mbPerSecond: Math.max(...oursRuns),
    zlibCrc32MBps: Math.max(...nativeRuns),
    ratio: median(ratios),
  };
}

export function runAll(options: { iterations: number; rounds: number; crcMegabytes: number }): {
  parse: ParseResult[];
  crc: CrcResult;
} {
  const parse = SAMPLES.map((sample) => benchParse(sample, options.iterations, options.rounds));
  const crc = benchCrc(options.crcMegabytes, options.rounds);
  if (sink === 0.5) console.log(sink); // keep the work observable to the optimiser
  return { parse, crc };
}
