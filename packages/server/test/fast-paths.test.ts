import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./fast-paths-child.ts', import.meta.url));

describe("V8's fast paths", () => {
  // A module that redefines a builtin's species or constructor turns one of V8's fast paths off for the
  // whole process, for good. exceljs does (through traverse → typedarray.prototype.slice): loaded with the
  // store, every Buffer `subarray` of the gateway took the slow path — 5 % of its main thread
  // (docs/benchmarks.md, bench/gateway, "Fourteenth look"). So it is loaded only when a workbook is read.
  it('all hold once the platform (store, gateway, server) is loaded', () => {
    const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', CHILD], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const state = JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as Record<string, boolean>;
    expect(Object.keys(state)).toContain('TypedArraySpeciesProtector');
    expect(Object.entries(state).filter(([, intact]) => !intact)).toEqual([]);
  });
});
