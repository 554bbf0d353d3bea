#!/usr/bin/env node
// Build-time compression of dist/ (or of the folder given as the argument): next to every text file of
// 1 KiB or more (JS, CSS, HTML, JSON, SVG) a brotli (.br, quality 11) and a gzip (.gz, level 9) copy, which
// the server sends to browsers that accept them (packages/server/src/http/web.ts: @fastify/static
// `preCompressed`). Compressed once here at the highest settings instead of per request.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// The folder: dist/ of this package, or the one given (tests).
const dist = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const TEXT = /\.(?:js|mjs|css|html|json|svg|txt|map)$/;

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '.vite' ? [] : files(path);
    return TEXT.test(entry.name) ? [path] : [];
  });
}

let raw = 0;
let br = 0;
let count = 0;
for (const path of files(dist)) {
  const body = readFileSync(path);
  if (body.length < 1024) continue;
  const brotli = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  raw += body.length;
  br += brotli.length;
  count++;
}
console.log(
  `compressed ${count} files: ${(raw / 1024).toFixed(0)} KiB → ${(br / 1024).toFixed(0)} KiB brotli (+ .gz)`,
);
