#!/usr/bin/env node
// Prints the plain summary line CI reads: "N passed, N failed". Tests come from vitest's JSON report; a
// failed typecheck or lint step counts as one failure each, and a missing report as one failure, so the
// line never claims success for a run that did not complete.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
if (existsSync('.reports/vitest.json')) {
  const report = JSON.parse(readFileSync('.reports/vitest.json', 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
  if (report.numTotalTests === 0) failed++;
} else {
  failed++;
}
if (existsSync('.reports/steps.json')) {
  const steps = JSON.parse(readFileSync('.reports/steps.json', 'utf8'));
  for (const name of ['typecheck', 'typecheck (web)', 'lint']) if (steps[name] === false) failed++;
} else {
  failed++;
}
console.log(`${passed} passed, ${failed} failed`);
