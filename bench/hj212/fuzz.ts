import { samplePackets } from './corpus.js';
import { runFuzz } from './fuzz-run.js';

/**
 * npm run fuzz:hj212 [-- --count 1000000 --seed 1]
 * Runs the codec fuzzer (default one million inputs) and exits non-zero on any finding.
 */
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const count = arg('count', 1_000_000);
const seed = arg('seed', Date.now() % 1_000_000);
const started = performance.now();
console.log(`fuzz:hj212 — ${count} inputs, seed ${seed}`);
const report = runFuzz({
  count,
  seed,
  corpus: samplePackets(),
  onProgress: (done) => process.stdout.write(`\r${done} inputs…`),
});
const seconds = (performance.now() - started) / 1000;
const heapMb = process.memoryUsage().heapUsed / 1e6;
console.log(
  `\r${report.inputs} inputs, ${report.frames} frames in ${seconds.toFixed(0)} s; slowest input ${report.slowestMs.toFixed(1)} ms; max buffered ${report.maxBuffered} B; heap ${heapMb.toFixed(0)} MB`,
);
for (const finding of report.findings)
  console.log(`FINDING ${finding.problem}\n  input (hex): ${finding.input.slice(0, 400)}`);
if (report.findings.length > 0) process.exitCode = 1;
else console.log('no findings');
