#!/usr/bin/env node
// `npm test`: typecheck, lint, then every test (vitest). Each step runs even if an earlier one failed, so
// one run reports everything; the exit code is non-zero if any step failed. The vitest JSON report and a
// summary (scripts/summary.mjs reads it for .ci/run's last line) are written to .reports/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

mkdirSync('.reports', { recursive: true });
const steps = [
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['typecheck (web)', 'npx', ['tsc', '-p', 'packages/web/tsconfig.json', '--noEmit']],
  ['lint', 'npx', ['biome', 'check', '.']],
  [
    'tests',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.reports/vitest.json'],
  ],
];
const results = {};
for (const [name, command, args] of steps) {
  console.log(`\n── ${name}: ${command} ${args.join(' ')}`);
  const run = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  results[name] = run.status === 0;
  console.log(`── ${name}: ${results[name] ? 'ok' : 'FAILED'}`);
}
writeFileSync('.reports/steps.json', `${JSON.stringify(results, null, 2)}\n`);
const failed = Object.entries(results)
  .filter(([, ok]) => !ok)
  .map(([name]) => name);
if (failed.length > 0) {
  console.error(`\nnpm test failed: ${failed.join(', ')}`);
  process.exit(1);
}
