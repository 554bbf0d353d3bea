import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./heap-child.ts', import.meta.url));

/** Scavenges a fresh process with a started gateway needs to make 2 000 000 objects that all stay alive. */
function scavenges(mode: 'keep' | 'default'): number {
  // Each run in a process of its own: the flag the gateway sets is process-wide and stays.
  const run = spawnSync(process.execPath, ['--import', 'tsx', CHILD, mode], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as {
    kept: number;
    scavenges: number;
  };
  expect(result.kept).toBe(2_000_000);
  return result.scavenges;
}

describe('heap: allocation-site pretenuring', () => {
  it('is off once the gateway has started: objects that live through scavenges still start young', () => {
    // With pretenuring V8 would make them in the old generation after the first few scavenges (the `keep`
    // run below); without it every one is made young, so the young generation keeps filling.
    const off = scavenges('default');
    const on = scavenges('keep');
    expect(off).toBeGreaterThanOrEqual(3 * on);
    expect(on).toBeGreaterThan(0);
  });
});
