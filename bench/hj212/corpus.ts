import { readFileSync } from 'node:fs';

/** The public sample packets (packages/hj212/test/fixtures, a copy of the shared corpus), one per entry, without CR LF. */
export function samplePackets(): string[] {
  const path = new URL('../../packages/hj212/test/fixtures/samples-public.txt', import.meta.url);
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('##'));
}
