import { describe, expect, it } from 'vitest';
import {
  CONTRACTOR_KINDS,
  csvRecords,
  type DemoSummary,
  exportDevices,
  isValidUscc,
  repositories,
  seedDemo,
} from '../src/index.js';
import { createTestStore, describeEachDialect, TEST_DIALECTS } from './dialects.js';
import { registryDigest } from './registry-digest.js';

const NOW = Date.UTC(2026, 0, 15, 2, 0, 0);

/** Map.groupBy (Node 21+) for Node 20. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}
const SEED = 7;
const digests = new Map<string, string>();

describeEachDialect('demo seed', (store, dialect) => {
  let summary: DemoSummary;

  it('builds ~200 enterprises in every one of the 17 city-level divisions, each in a county of its city', async () => {
    const started = performance.now();
    summary = await seedDemo(store(), { now: NOW, seed: SEED });
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `demo seed on ${dialect}: ${seconds.toFixed(2)} s (${summary.points} points, ${summary.factors} factors)`,
    );
    expect(seconds).toBeLessThan(60);

    expect(summary.enterprises).toBe(200);
    expect(summary.cities).toBe(17);
    const { regions, enterprises } = repositories(store());
    const cities = await regions.list('city');
    expect(cities).toHaveLength(17);
    for (const city of cities) {
      const inCity = await enterprises.list({ regionCode: city.code });
      expect(inCity.length, city.name).toBeGreaterThan(0);
      const counties = new Set((await regions.children(city.code)).map((r) => r.code));
      // 仙桃, 潜江, 天门 and 神农架 have no county children: their enterprises sit in the division itself.
      for (const e of inCity)
        expect(counties.size === 0 ? e.regionCode === city.code : counties.has(e.regionCode)).toBe(true);
    }
    // Weighted: 武汉 has more than the 省直辖 units.
    expect(summary.byCity['420100']).toBeGreaterThan(summary.byCity['429006'] ?? 0);
    const all = await enterprises.list();
    expect(all).toHaveLength(200);
    expect(new Set(all.map((e) => e.name)).size).toBe(200);
  }, 90_000);

  it('gives every enterprise and contractor a valid USCC registered in its own region', async () => {
    const { enterprises, contractors } = repositories(store());
    for (const e of await enterprises.list()) {
      expect(isValidUscc(e.uscc), e.uscc).toBe(true);
      expect(e.uscc.slice(0, 2)).toBe('91');
      expect(e.uscc.slice(2, 8)).toBe(e.regionCode);
      expect(e.address).toMatch(/^湖北省.+号$/);
      expect(e.contactPhone).toMatch(/^1[3-9]\d{9}$/);
      expect(e.longitude).toBeGreaterThan(108);
      expect(e.latitude).toBeGreaterThan(29);
    }
    const list = await contractors.list();
    expect(list).toHaveLength(12);
    expect(new Set(list.map((c) => c.kind))).toEqual(new Set(CONTRACTOR_KINDS));
    for (const c of list) expect(isValidUscc(c.uscc)).toBe(true);
  });

  it('gives every point an MN, a password and factors with units, ranges, limits and assessed flags', async () => {
    const db = store().db;
    const points = await db
      .selectFrom('monitoring_point as p')
      .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
      .select([
        'p.id',
        'p.mn',
        'p.password',
        'p.protocol_version',
        'p.crc_variants',
        'p.status',
        'p.name',
        'o.kind',
      ])
      .execute();
    expect(points).toHaveLength(summary.points);
    expect(new Set(points.map((p) => p.mn)).size).toBe(points.length);
    const factors = await db.selectFrom('point_factor').selectAll().execute();
    expect(factors).toHaveLength(summary.factors);
    const byPoint = groupBy(factors, (f) => Number(f.point_id));
    for (const p of points) {
      expect(p.mn).toMatch(/^[0-9A-F]{24}$/);
      expect(p.password).toHaveLength(6);
      const list = byPoint.get(Number(p.id)) ?? [];
      expect(list.length, p.mn).toBeGreaterThan(0);
      for (const f of list) {
        expect(f.unit.length).toBeGreaterThan(0);
        expect(f.range_high).not.toBeNull();
      }
      const assessed = list
        .filter((f) => f.assessed === 1)
        .map((f) => f.factor_code)
        .sort();
      if (p.name.includes('脱硫入口')) expect(assessed).toEqual([]);
      else
        expect(assessed).toEqual(p.kind === 'water' ? ['w01018', 'w21003'] : ['a21002', 'a21026', 'a34013']);
    }
    const versions = groupBy(points, (p) => p.protocol_version);
    expect(versions.get('2017')?.length).toBeGreaterThan(points.length / 2);
    expect(versions.get('2005')?.length).toBeGreaterThan(0);
    expect(versions.get('2025')?.length).toBeGreaterThan(0);
    expect(points.some((p) => p.crc_variants === 'modbus')).toBe(true);
    const statuses = new Set(points.map((p) => p.status));
    expect(statuses.has('running')).toBe(true);
    expect(points.filter((p) => p.status === 'running').length).toBeGreaterThan(points.length * 0.7);
    // Some outlets have a second point.
    const outletIds = await db.selectFrom('monitoring_point').select('outlet_id').execute();
    expect(new Set(outletIds.map((o) => o.outlet_id)).size).toBeLessThan(points.length);
  });

  it('takes limits and reference O₂ from the outlet’s standard', async () => {
    const db = store().db;
    const rows = await db
      .selectFrom('point_factor as f')
      .innerJoin('monitoring_point as p', 'p.id', 'f.point_id')
      .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
      .innerJoin('emission_standard as s', 's.id', 'o.standard_id')
      .select([
        's.code as standard',
        'o.reference_o2',
        'f.factor_code',
        'f.hour_limit',
        'f.day_limit',
        'f.alarm_low',
        'f.alarm_high',
        'f.unit',
        'p.name',
      ])
      .where('p.name', 'not like', '%脱硫入口%')
      .execute();
    const of = (standard: string, factor: string) =>
      rows.filter((r) => r.standard === standard && r.factor_code === factor);
    for (const r of of('GB 18918-2002', 'w01018')) expect([r.day_limit, r.unit]).toEqual([50, '毫克/升']);
    for (const r of of('GB 18918-2002', 'w01001')) expect([r.alarm_low, r.alarm_high]).toEqual([6, 9]);
    for (const r of of('GB 13223-2011', 'a34013'))
      expect([r.hour_limit, r.reference_o2, r.unit]).toEqual([30, 6, '毫克/立方米']);
    for (const r of of('GB 13223-2011', 'a21026')) expect([100, 200]).toContain(r.hour_limit);
    for (const r of of('GB 18485-2014', 'a21024'))
      expect([r.hour_limit, r.day_limit, r.reference_o2]).toEqual([60, 50, 11]);
    for (const r of of('GB 4915-2013', 'a21002')) expect([r.hour_limit, r.reference_o2]).toEqual([400, 10]);
    for (const r of of('GB 13271-2014', 'a34013')) expect([20, 50]).toContain(r.hour_limit);
    expect(of('GB 18485-2014', 'a21005').length).toBeGreaterThan(0);
    expect(of('GB 8978-1996', 'w21003').length).toBeGreaterThan(0);
  });

  it('lists the enterprises in the 2025 and 2026 名录 and gives each a permit and a 2026 O&M contractor', async () => {
    const { enterprises, permits, contractors } = repositories(store());
    expect(await enterprises.keyUnitsOfYear(2026)).toHaveLength(200);
    const listed2025 = await enterprises.keyUnitsOfYear(2025);
    expect(listed2025.length).toBe(summary.keyUnits[2025]);
    expect(listed2025.length).toBeGreaterThan(150);
    const industries = new Set(Object.keys(summary.byIndustry));
    for (const code of ['D4411', 'C3011', 'C2221', 'C3120', 'N7820', 'D4620'])
      expect(industries).toContain(code);
    expect([...industries].some((c) => c.startsWith('C26'))).toBe(true);
    for (const e of (await enterprises.list()).slice(0, 40)) {
      const permit = await permits.current(e.id, '2026-06-30');
      expect(permit, e.name).toBeDefined();
      const allowances = await permits.allowances(permit?.id ?? 0);
      expect(allowances.length).toBeGreaterThan(0);
      for (const a of allowances)
        expect(['a21002', 'a21026', 'a34013', 'w01018', 'w21003']).toContain(a.factorCode);
      const om = await contractors.contractorsFor({ enterpriseId: e.id }, 'om', '2026-06-30');
      expect(om.length, e.name).toBeGreaterThan(0);
    }
    expect(summary.contracts).toBeGreaterThanOrEqual(200);
  });

  it('exports one device row per point, with exactly the agreed header and the stored passwords', async () => {
    const csv = await exportDevices(store());
    expect(csv.split('\n')[0]).toBe('mn,password,protocol,crc,kind,enterprise,outlet,factors');
    const [header, ...rows] = csvRecords(csv).records;
    expect(header).toHaveLength(8);
    expect(rows).toHaveLength(summary.points);
    const { points } = repositories(store());
    for (const [mn, password, protocol, crc, kind, enterprise, outlet, factors] of rows as string[][]) {
      const credentials = await points.credentials(mn as string);
      expect(credentials?.password).toBe(password);
      expect(credentials?.protocolVersion).toBe(protocol);
      expect(['hj212', 'modbus']).toContain(crc);
      expect(['water', 'gas']).toContain(kind);
      expect(enterprise?.length).toBeGreaterThan(0);
      expect(outlet).toMatch(/^D[AW]\d{3}$/);
      const held = (await points.factors(credentials?.pointId ?? 0)).map((f) => f.factorCode);
      expect(factors?.split(';')).toEqual(held);
    }
  });

  it('is deterministic: the same seed on a fresh database gives the same registry; another seed another', async () => {
    const digest = await registryDigest(store());
    digests.set(dialect, digest);
    const other = await createTestStore(dialect);
    try {
      await seedDemo(other.store, { now: NOW, seed: SEED });
      expect(await registryDigest(other.store)).toBe(digest);
      // Another seed, added to a database that already holds the first: no USCC or MN in common.
      const first = await other.store.db.selectFrom('monitoring_point').select('mn').execute();
      await seedDemo(other.store, { now: NOW, seed: SEED + 1, enterprises: 17 });
      const all = await other.store.db.selectFrom('monitoring_point').select('mn').execute();
      expect(all.length).toBeGreaterThan(first.length);
      expect(new Set(all.map((p) => p.mn)).size).toBe(all.length);
    } finally {
      await other.dispose();
    }
  }, 90_000);
});

describe('demo seed across dialects', () => {
  it.skipIf(TEST_DIALECTS.length < 2)('writes the same registry, id for id, on SQLite and PostgreSQL', () => {
    expect(digests.get('postgres')).toBe(digests.get('sqlite'));
  });
});
