import { cpus } from 'node:os';
import { runAll } from './run-bench.js';

/**
 * bench/hj212: codec throughput against V8's JSON.parse, and the CRC against zlib's native CRC-32, each
 * measured in the same run (absolute times drift on shared machines; ratios are what we track).
 * Goals (issue 2): codec ≥ 1.0× JSON.parse frames/s (< 0.5× is a defect); CRC ≥ 500 MB/s.
 *
 *   npm run bench:hj212            # default: 60 alternating rounds of 10 000 frames per sample
 *   npm run bench:hj212 -- --quick # a fast smoke run
 */
const quick = process.argv.includes('--quick');
const options = quick
  ? { iterations: 5_000, rounds: 10, crcMegabytes: 8 }
  : { iterations: 10_000, rounds: 60, crcMegabytes: 16 };

const { parse, crc } = runAll(options);

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log(
  `# bench/hj212 — node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}`,
);
console.log(
  `# ${options.rounds} alternating rounds of ${options.iterations} per side; rates from each side's best round; ratio = median of the round pairs\n`,
);
console.log(
  '| sample | frame bytes | codec frames/s | codec MB/s | JSON bytes | JSON.parse docs/s | ratio (median of pairs) | best ÷ best |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of parse) {
  console.log(
    `| ${r.sample} | ${r.frameBytes} | ${fmt(r.codecFramesPerSecond)} | ${fmt(r.codecMBps, 1)} | ${r.jsonBytes} | ${fmt(r.jsonDocsPerSecond)} | **${fmt(r.ratio, 2)}×** | ${fmt(r.bestRatio, 2)}× |`,
  );
}
console.log(`\n| CRC (HJ 212 附录 A, 1 MiB buffer) | MB/s | zlib CRC-32 MB/s | ratio |`);
console.log('|---|---:|---:|---:|');
console.log(`| crcHj212 | ${fmt(crc.mbPerSecond)} | ${fmt(crc.zlibCrc32MBps)} | ${fmt(crc.ratio, 2)}× |`);

const failures: string[] = [];
for (const r of parse)
  if (r.ratio < 0.5) failures.push(`${r.sample}: ${fmt(r.ratio, 2)}× JSON.parse is a defect (< 0.5×)`);
if (crc.mbPerSecond < 500) failures.push(`CRC ${fmt(crc.mbPerSecond)} MB/s is under the 500 MB/s goal`);
for (const r of parse)
  if (r.ratio < 1.0) console.log(`\nnote: ${r.sample} is under the 1.0× goal (${fmt(r.ratio, 2)}×)`);
if (failures.length > 0) {
  console.error(`\n${failures.join('\n')}`);
  process.exitCode = 1;
}
