import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./fast-paths-child.ts', import.meta.url));

describe("V8's fast paths", () => {
  // A module that redefines a builtin's species or constructor turns one of V8's fast paths off for the
  // whole process, for good. exceljs does (through traverse → typedarray.prototype.slice): loaded with the
  // store, every Buffer `subarray` of the gateway took the slow path — 5 % of its main thread
  // (docs/benchmarks.md, bench/gateway, "Fourteenth look"). So workbooks are read and written on a worker
  // thread (store/src/xlsx.ts), whose isolate has protectors of its own.
  it('all hold once the platform (store, gateway, server) is loaded and has written and read a workbook', () => {
    const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', CHILD], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const { protectors, importedRows } = JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as {
      protectors: Record<string, boolean>;
      importedRows: unknown[];
    };
    // The export was written and read back as a registry sheet …
    expect(importedRows).toEqual([{ mn: '88888880000001', factor: 'w01018', enterprise: '某污水处理厂' }]);
    // … and no guard fell.
    expect(Object.keys(protectors)).toContain('TypedArraySpeciesProtector');
    expect(Object.entries(protectors).filter(([, intact]) => !intact)).toEqual([]);
  });
});
