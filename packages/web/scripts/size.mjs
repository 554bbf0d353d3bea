#!/usr/bin/env node
// Gzip size of the JS each route needs (the entry's static imports plus the page's), from Vite's manifest.
// `npm run size -w @qingyuan/web` after a build; exits non-zero when the first route exceeds 500 KiB.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const closure = (keys, seen = new Set()) => {
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    closure(manifest[key]?.imports ?? [], seen);
  }
  return seen;
};
const gz = (keys) =>
  [...keys].reduce((n, k) => n + gzipSync(readFileSync(join(dist, manifest[k].file))).length, 0);
const entry = closure(['index.html']);
const routes = {
  'login (first route)': 'src/pages/Login.tsx',
  overview: 'src/pages/Overview.tsx',
  realtime: 'src/pages/Realtime.tsx',
};
let firstKiB = 0;
for (const [name, page] of Object.entries(routes)) {
  const keys = closure([page], new Set(entry));
  const kib = gz(keys) / 1024;
  if (firstKiB === 0) firstKiB = kib;
  console.log(`${name}: ${kib.toFixed(1)} KiB gzip JS`);
}
const map = Object.keys(manifest).find((k) => k.includes('generated/hubei.json'));
if (map) console.log(`hubei map (loaded by the overview): ${(gz([map]) / 1024).toFixed(1)} KiB gzip`);
if (firstKiB > 500) {
  console.error('first route over 500 KiB gzip');
  process.exit(1);
}
