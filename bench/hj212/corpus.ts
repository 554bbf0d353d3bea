import { readFileSync } from 'node:fs';

/** The public sample packets (../shared/fixtures/hj212), one per entry, without CR LF. */
export function samplePackets(): string[] {
  const path = new URL('../../../shared/fixtures/hj212/samples-public.txt', import.meta.url);
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('##'));
}
