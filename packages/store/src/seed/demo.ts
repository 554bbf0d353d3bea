import { type CrcVariant, FACTOR_CODES } from '@qingyuan/hj212';
import type { Store } from '../database.js';
// Types through the package's public surface, which stays put while the repository modules are reorganised.
import type { ApplicableLimit, LimitPeriod, PointFactorInput, ProtocolVersion } from '../index.js';
import { type Repositories, repositories } from '../repositories/index.js';
import type { ContractorKind, PointStatus } from '../schema.js';
import { inTransaction } from '../transaction-scope.js';
import { usccCheckCharacter } from '../uscc.js';
import { COUNTY_ANCHORS } from './county-anchors.js';
import {
  ASSESSED_FACTORS,
  DEMO_CITIES,
  DEMO_CONTRACTORS,
  type DemoCity,
  DemoRandom,
  type FactorPlan,
  flueGasParameters,
  GIVEN_NAME_CHARS,
  gasPollutants,
  INDUSTRIES,
  INDUSTRY_CODES,
  INDUSTRY_WEIGHTS,
  type Industry,
  LOGGER_VENDORS,
  PHONE_PREFIXES,
  ROAD_WORDS,
  SURNAMES,
  TRADE_BLOCKLIST,
  TRADE_FIRST,
  TRADE_SECOND,
  waterFactors,
} from './demo-data.js';
import { HUBEI_REGIONS } from './regions-hubei.js';

/**
 * `qingyuan db seed --demo`: a believable, entirely fictional Hubei registry — ~200 key polluting units
 * in all 17 city-level divisions with outlets, monitoring points (MN, password, protocol), factors with
 * the limits of their outlet's standard, permits, 名录 membership, contractors and 2026 contracts.
 * Each enterprise, and its outlets, stands inside the border of its own county (COUNTY_ANCHORS, derived from
 * the county outlines the web map draws), so the overview map shows it in the county its region code names.
 *
 * The registry is planned from a seeded PRNG (the same seed gives the same registry, ids included on a
 * fresh database) and written through the repositories, so every record passes the same validation as
 * one entered by a user; the whole seed is one transaction.
 */

export const DEFAULT_DEMO_SEED = 212;
export const DEFAULT_DEMO_ENTERPRISES = 200;
/** Bounded by the distinct fictional 字号 (about 880 two-character combinations, contractors included). */
const MAX_DEMO_ENTERPRISES = 800;

export interface DemoOptions {
  /** Creation time of the records (epoch ms); dates in the registry lie before it. */
  readonly now: number;
  /** PRNG seed (default DEFAULT_DEMO_SEED). */
  readonly seed?: number;
  /** Number of enterprises (default 200; 17, one per city-level division, to 800). */
  readonly enterprises?: number;
}

export interface DemoSummary {
  readonly seed: number;
  readonly enterprises: number;
  /** City-level divisions with at least one enterprise (17). */
  readonly cities: number;
  readonly outlets: number;
  readonly waterOutlets: number;
  readonly gasOutlets: number;
  readonly points: number;
  /** Point-factor rows. */
  readonly factors: number;
  readonly permits: number;
  readonly contractors: number;
  readonly contracts: number;
  /** 名录 membership: enterprises listed per year. */
  readonly keyUnits: Readonly<Record<number, number>>;
  /** Enterprises per GB/T 4754 industry code. */
  readonly byIndustry: Readonly<Record<string, number>>;
  /** Enterprises per city-level division code. */
  readonly byCity: Readonly<Record<string, number>>;
}

/** Plans the demo registry for `options.seed` and writes it in one transaction. */
export async function seedDemo(store: Store, options: DemoOptions): Promise<DemoSummary> {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RangeError(`demo seed must be a 32-bit unsigned integer: ${seed}`);
  const count = options.enterprises ?? DEFAULT_DEMO_ENTERPRISES;
  if (!Number.isInteger(count) || count < DEMO_CITIES.length || count > MAX_DEMO_ENTERPRISES) {
    throw new RangeError(
      `demo enterprises must be an integer from ${DEMO_CITIES.length} to ${MAX_DEMO_ENTERPRISES}: ${count}`,
    );
  }
  const plan = planDemo(seed, count, beijingDate(options.now));
  const summary = await inTransaction(store, async (scoped) =>
    writeDemo(repositories(scoped), plan, options.now),
  );
  return { seed, ...summary };
}

const DEVICE_HEADER = 'mn,password,protocol,crc,kind,enterprise,outlet,factors';

/**
 * Every monitoring point as a device list for data-logger simulators: one CSV row per point with its MN,
 * password (read through `PointRepository.credentials`), protocol version, CRC variants, outlet kind,
 * enterprise name, outlet code and factor codes (`;`-separated), in point order.
 */
export async function exportDevices(store: Store): Promise<string> {
  const rows = await store.db
    .selectFrom('monitoring_point as p')
    .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
    .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
    .select(['p.id', 'p.mn', 'o.kind', 'o.code as outletCode', 'e.name as enterpriseName'])
    .orderBy('p.id')
    .execute();
  const factorRows = await store.db
    .selectFrom('point_factor')
    .select(['point_id', 'factor_code'])
    .orderBy('point_id')
    .orderBy('factor_code')
    .execute();
  const factors = new Map<number, string[]>();
  for (const row of factorRows) {
    const list = factors.get(Number(row.point_id)) ?? [];
    list.push(row.factor_code);
    factors.set(Number(row.point_id), list);
  }
  const { points } = repositories(store);
  const lines = [DEVICE_HEADER];
  for (const row of rows) {
    const credentials = await points.credentials(row.mn);
    if (credentials === undefined) continue;
    lines.push(
      [
        row.mn,
        credentials.password,
        credentials.protocolVersion,
        credentials.crcVariants.join(';'),
        row.kind,
        row.enterpriseName,
        row.outletCode,
        (factors.get(Number(row.id)) ?? []).join(';'),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

// ---------------------------------------------------------------------------------------------------------
// Planning (pure: a function of the seed and the Beijing date of `now`)

interface DemoPlan {
  readonly contractors: readonly ContractorPlan[];
  readonly enterprises: readonly EnterprisePlan[];
}

interface ContractorPlan {
  readonly uscc: string;
  readonly name: string;
  readonly kind: ContractorKind;
  readonly qualifications: readonly string[];
  readonly serviceRegions: readonly string[];
  readonly filed: boolean;
}

interface EnterprisePlan {
  readonly cityCode: string;
  readonly uscc: string;
  readonly name: string;
  readonly regionCode: string;
  readonly industryCode: string;
  readonly address: string;
  readonly longitude: number;
  readonly latitude: number;
  readonly contactName: string;
  readonly contactPhone: string;
  readonly suspended: boolean;
  readonly keyUnitYears: readonly number[];
  readonly outlets: readonly OutletPlan[];
  readonly permit: { readonly validFrom: string; readonly validTo: string; readonly ratio: number };
  readonly contracts: readonly ContractPlan[];
}

interface OutletPlan {
  readonly kind: 'water' | 'gas';
  readonly code: string;
  readonly name: string;
  readonly standard: string;
  /** The standard's source category (`appliesTo`) for this outlet. */
  readonly category: string | undefined;
  readonly stackHeightM: number | null;
  readonly longitude: number;
  readonly latitude: number;
  /** Design flow: m³/h (gas) or m³/d (water). */
  readonly flow: number;
  /** Operating hours (gas) or days (water) per year, for the permit's allowances. */
  readonly operating: number;
  readonly points: readonly PointPlan[];
}

interface PointPlan {
  readonly name: string;
  readonly mn: string;
  readonly password: string;
  readonly protocolVersion: ProtocolVersion;
  readonly crcVariants: readonly CrcVariant[];
  readonly realtimeIntervalS: number;
  readonly minuteIntervalMin: number;
  readonly inServiceOn: string | null;
  readonly acceptedOn: string | null;
  readonly filedOn: string | null;
  readonly status: PointStatus;
  /** A point before the abatement plant (脱硫入口): measured, but not judged against limits or assessed. */
  readonly inlet: boolean;
  readonly factors: readonly FactorPlan[];
}

interface ContractPlan {
  /** Index into the plan's contractors. */
  readonly contractor: number;
  /** Outlet and point index within the enterprise, or null for all its points. */
  readonly point: { readonly outlet: number; readonly point: number } | null;
  readonly scope: string;
  readonly startsOn: string;
  readonly endsOn: string;
}

/** An outlet before its code is assigned. */
type OutletDraft = Omit<OutletPlan, 'code' | 'longitude' | 'latitude' | 'points'> & {
  readonly factors: readonly FactorPlan[];
  readonly inletPoint: boolean;
};

const USCC_BODY_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const PASSWORD_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
const REGION_NAMES = new Map(HUBEI_REGIONS.map((r) => [r.code, r.name]));

function planDemo(seed: number, count: number, today: string): DemoPlan {
  const rng = new DemoRandom(seed);
  const usedUscc = new Set<string>();
  const usedTrades = new Set<string>();
  const mnBase = BigInt(rng.int(1, 2 ** 25)) * 4096n;
  let pointSerial = 0;

  const contractors = DEMO_CONTRACTORS.map(
    (c): ContractorPlan => ({
      uscc: demoUscc(rng, c.registeredIn, usedUscc),
      name: c.name.replace('{T}', tradeName(rng, usedTrades)),
      kind: c.kind,
      qualifications: c.qualifications,
      serviceRegions: c.serviceRegions,
      filed: c.filed,
    }),
  );

  const enterprises: EnterprisePlan[] = [];
  const allocation = allocate(count);
  for (const city of DEMO_CITIES) {
    const counties = HUBEI_REGIONS.filter((r) => r.parent === city.code && r.level === 'county').map(
      (r) => r.code,
    );
    const places = counties.length > 0 ? counties : [city.code];
    const n = allocation.get(city.code) ?? 0;
    for (let i = 0; i < n; i++) {
      // Every city has at least its municipal sewage plant, in the city's first district.
      const industry: Industry = i === 0 ? 'sewage' : rng.weighted(cityMix(city));
      const regionCode = i === 0 ? (places[0] as string) : rng.pick(places);
      const industryCode = rng.pick(INDUSTRY_CODES[industry]);
      const trade = tradeName(rng, usedTrades);
      const [longitude, latitude] = demoPosition(rng, regionCode, city);
      const suspended = industry !== 'sewage' && rng.chance(0.015);
      const drafts = outletDrafts(rng, industry, industryCode, regionCode);
      const counters = { water: 0, gas: 0 };
      const outlets = drafts.map((draft): OutletPlan => {
        counters[draft.kind]++;
        const code = `${draft.kind === 'water' ? 'DW' : 'DA'}${String(counters[draft.kind]).padStart(3, '0')}`;
        const points: PointPlan[] = [];
        const pointCount = draft.inletPoint ? 2 : 1;
        for (let p = 0; p < pointCount; p++) {
          const inlet = p === 1;
          const name = inlet
            ? draft.name.replace('排气筒', '脱硫入口CEMS')
            : `${draft.name}${draft.kind === 'gas' ? 'CEMS' : '水质自动监测站'}`;
          points.push(
            planPoint(rng, today, name, draft.factors, inlet, suspended, mnBase + BigInt(pointSerial++)),
          );
        }
        const { inletPoint: _inlet, factors: _factors, ...rest } = draft;
        return {
          ...rest,
          code,
          longitude: round6(longitude + rng.real(-0.002, 0.002)),
          latitude: round6(latitude + rng.real(-0.002, 0.002)),
          points,
        };
      });
      // Five-year permits issued 2022–2025: all are in force throughout 2026.
      const from = randomDate(rng, '2022-01-01', '2025-12-31');
      enterprises.push({
        cityCode: city.code,
        uscc: demoUscc(rng, regionCode, usedUscc),
        name: enterpriseName(rng, industry, industryCode, city, regionCode, trade),
        regionCode,
        industryCode,
        address: address(rng, industry, city.code, regionCode),
        longitude,
        latitude,
        contactName: personName(rng),
        contactPhone: `${rng.pick(PHONE_PREFIXES)}${rng.text('0123456789', 8)}`,
        suspended,
        keyUnitYears: rng.chance(0.92) ? [2025, 2026] : [2026],
        outlets,
        permit: { validFrom: from, validTo: addDays(addYears(from, 5), -1), ratio: rng.real(0.6, 0.9) },
        contracts: planContracts(rng, contractors, city.code, outlets),
      });
    }
  }
  return { contractors, enterprises };
}

/** Around a city's rough centre, for a region without a county anchor (no region the demo picks). */
const FALLBACK_RADIUS = 0.02;

/**
 * Where an enterprise in `regionCode` stands: uniform in the disc COUNTY_ANCHORS gives its county, which
 * lies inside the county's border with room for the outlets' ±0.002° (so the overview map draws every
 * enterprise and outlet in its own county). Two draws, as the old city-centre ±0.2° square took, so every
 * other demo value stays the same for a seed. A region without an anchor falls back to a small disc around
 * the city's rough centre.
 */
function demoPosition(rng: DemoRandom, regionCode: string, city: DemoCity): [number, number] {
  const [lon, lat, radius] = COUNTY_ANCHORS[regionCode] ?? [city.centre[0], city.centre[1], FALLBACK_RADIUS];
  const r = radius * Math.sqrt(rng.next());
  const angle = 2 * Math.PI * rng.next();
  return [round6(lon + r * Math.cos(angle)), round6(lat + r * Math.sin(angle))];
}

/** Enterprises per city: proportional to the weights (largest remainder), at least one each. */
function allocate(count: number): Map<string, number> {
  const total = DEMO_CITIES.reduce((sum, c) => sum + c.weight, 0);
  const spare = count - DEMO_CITIES.length;
  const shares = DEMO_CITIES.map((c) => ({ code: c.code, exact: (spare * c.weight) / total }));
  const out = new Map(shares.map((s) => [s.code, 1 + Math.floor(s.exact)]));
  let left = count - [...out.values()].reduce((a, b) => a + b, 0);
  const byRemainder = [...shares].sort(
    (a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)),
  );
  for (const share of byRemainder) {
    if (left <= 0) break;
    out.set(share.code, (out.get(share.code) ?? 0) + 1);
    left--;
  }
  return out;
}

function cityMix(city: DemoCity): Partial<Record<Industry, number>> {
  const out: Partial<Record<Industry, number>> = {};
  for (const industry of INDUSTRIES) {
    const weight = INDUSTRY_WEIGHTS[industry] * (city.mix?.[industry] ?? 1);
    if (weight > 0) out[industry] = weight;
  }
  return out;
}

function pickCount(rng: DemoRandom, weights: Readonly<Record<string, number>>): number {
  return Number(rng.weighted(weights));
}

/** The outlets an enterprise of the industry has (codes assigned by the caller). */
function outletDrafts(
  rng: DemoRandom,
  industry: Industry,
  industryCode: string,
  regionCode: string,
): OutletDraft[] {
  const gas = (
    name: string,
    standard: string,
    category: string | undefined,
    stackHeightM: number,
    flow: number,
    operating: number,
    pollutants: readonly FactorPlan[],
    inletPoint = false,
  ): OutletDraft => ({
    kind: 'gas',
    name,
    standard,
    category,
    stackHeightM,
    flow,
    operating,
    factors: [...pollutants, ...flueGasParameters(flow)],
    inletPoint,
  });
  const water = (
    name: string,
    standard: string,
    category: string,
    flow: number,
    operating: number,
    concentrations: readonly FactorPlan[],
  ): OutletDraft => ({
    kind: 'water',
    name,
    standard,
    category,
    stackHeightM: null,
    flow,
    operating,
    factors: waterFactors(flow, concentrations),
    inletPoint: false,
  });
  const out: OutletDraft[] = [];
  switch (industry) {
    case 'thermal': {
      const units = pickCount(rng, { 1: 20, 2: 60, 3: 15, 4: 5 });
      const category = rng.chance(0.7) ? '燃煤锅炉 新建锅炉' : '燃煤锅炉 现有锅炉';
      for (let n = 1; n <= units; n++) {
        out.push(
          gas(
            `${n}号机组排气筒`,
            'GB 13223-2011',
            category,
            10 * rng.int(15, 24),
            10_000 * rng.int(120, 220),
            5000,
            gasPollutants(100, 500, 500),
            rng.chance(0.3),
          ),
        );
      }
      break;
    }
    case 'cement': {
      const lines = pickCount(rng, { 1: 60, 2: 40 });
      for (let n = 1; n <= lines; n++) {
        out.push(
          gas(
            `${n}号水泥窑窑尾排气筒`,
            'GB 4915-2013',
            '水泥窑及窑尾余热利用系统',
            10 * rng.int(8, 11),
            10_000 * rng.int(30, 60),
            7200,
            gasPollutants(100, 500, 1000),
          ),
        );
      }
      break;
    }
    case 'paper': {
      // Paper mills discharge under GB 3544-2008, which the library does not ship: GB 8978-1996 stands in.
      const concentrations: FactorPlan[] = [
        { code: 'w01018', range: [0, 500] },
        { code: 'w21003', range: [0, 50] },
      ];
      if (rng.chance(0.5)) concentrations.push({ code: 'w21011', range: [0, 10] });
      out.push(water('废水总排口', 'GB 8978-1996', '一级标准', 1000 * rng.int(5, 30), 330, concentrations));
      if (rng.chance(0.85)) {
        out.push(
          gas(
            '燃气锅炉排气筒',
            'GB 13271-2014',
            '燃气锅炉',
            5 * rng.int(5, 9),
            1000 * rng.int(20, 60),
            7000,
            gasPollutants(50, 200, 500),
          ),
        );
      }
      break;
    }
    case 'chemical': {
      if (rng.chance(0.9)) {
        const concentrations: FactorPlan[] = [
          { code: 'w01018', range: [0, 1000] },
          { code: 'w21003', range: [0, 100] },
        ];
        if (industryCode === 'C2622' || rng.chance(0.4))
          concentrations.push({ code: 'w21011', range: [0, 10] });
        const grade = rng.chance(0.6) ? '一级标准' : '二级标准';
        out.push(water('废水总排口', 'GB 8978-1996', grade, 100 * rng.int(10, 100), 330, concentrations));
      }
      const processes = pickCount(rng, { 1: 70, 2: 30 });
      const names = ['工艺废气排气筒', '尾气吸收塔排气筒', '焚烧炉排气筒'];
      for (let n = 1; n <= processes; n++) {
        out.push(
          gas(
            `${n}号${rng.pick(names)}`,
            'GB 16297-1996',
            '新污染源',
            5 * rng.int(6, 12),
            1000 * rng.int(30, 150),
            7200,
            gasPollutants(200, 1000, 1000),
          ),
        );
      }
      if (rng.chance(0.4)) {
        out.push(
          gas(
            '燃煤锅炉排气筒',
            'GB 13271-2014',
            '燃煤锅炉',
            5 * rng.int(9, 16),
            1000 * rng.int(80, 200),
            7200,
            gasPollutants(200, 1000, 1000),
          ),
        );
      }
      break;
    }
    case 'steel': {
      // The library ships no iron-and-steel standard (GB 28662/28664): GB 16297-1996 stands in.
      out.push(
        gas(
          '烧结机机头排气筒',
          'GB 16297-1996',
          '新污染源',
          10 * rng.int(8, 12),
          10_000 * rng.int(60, 120),
          7500,
          gasPollutants(200, 1000, 1000),
        ),
      );
      if (rng.chance(0.6)) {
        out.push(
          gas(
            '球团焙烧排气筒',
            'GB 16297-1996',
            '新污染源',
            10 * rng.int(6, 9),
            10_000 * rng.int(30, 60),
            7500,
            gasPollutants(200, 1000, 1000),
          ),
        );
      }
      if (rng.chance(0.5)) {
        out.push(
          gas(
            '转炉二次除尘排气筒',
            'GB 16297-1996',
            '新污染源',
            10 * rng.int(4, 7),
            10_000 * rng.int(40, 80),
            7500,
            gasPollutants(200, 1000, 1000),
          ),
        );
      }
      break;
    }
    case 'incineration': {
      const lines = pickCount(rng, { 1: 25, 2: 60, 3: 15 });
      for (let n = 1; n <= lines; n++) {
        out.push(
          gas(`${n}号焚烧炉排气筒`, 'GB 18485-2014', undefined, 80, 1000 * rng.int(60, 120), 8000, [
            ...gasPollutants(100, 500, 1000),
            { code: 'a21024', range: [0, 200] },
            { code: 'a21005', range: [0, 500] },
          ]),
        );
      }
      break;
    }
    case 'sewage': {
      // Plants in city districts are larger than county ones.
      const urban = (REGION_NAMES.get(regionCode) ?? '').endsWith('区');
      const flow = 5000 * (urban ? rng.int(6, 60) : rng.int(2, 12));
      out.push(
        water('污水处理厂尾水排放口', 'GB 18918-2002', '一级A', flow, 365, [
          { code: 'w01018', range: [0, 200] },
          { code: 'w21003', range: [0, 20] },
          { code: 'w21011', range: [0, 5] },
          { code: 'w21001', range: [0, 50] },
        ]),
      );
      break;
    }
  }
  return out;
}

function planPoint(
  rng: DemoRandom,
  today: string,
  name: string,
  factors: readonly FactorPlan[],
  inlet: boolean,
  suspended: boolean,
  serial: bigint,
): PointPlan {
  const protocolVersion = rng.weighted<ProtocolVersion>({ '2017': 80, '2005': 14, '2025': 6 });
  const crcVariants: CrcVariant[] = protocolVersion === '2017' && rng.chance(0.05) ? ['modbus'] : ['hj212'];
  const status: PointStatus = suspended
    ? 'stopped'
    : rng.weighted<PointStatus>({ running: 90, building: 5, stopped: 5 });
  const vendor = rng.pick(LOGGER_VENDORS);
  const mn = epcMn(vendor.prefix, rng.pick(vendor.models), serial);
  const password = rng.text(PASSWORD_CHARS, 6);
  const realtimeIntervalS = rng.pick([30, 30, 30, 45, 60, 60]);
  let inServiceOn: string | null = null;
  let acceptedOn: string | null = null;
  let filedOn: string | null = null;
  if (status !== 'building') {
    const [from, to] =
      protocolVersion === '2005'
        ? ['2014-01-01', '2018-12-31']
        : protocolVersion === '2025'
          ? ['2025-07-01', addDays(today, -30)]
          : ['2017-06-01', addDays(today, -120)];
    inServiceOn = randomDate(rng, from, to); // an empty span (to before from) gives `from`
    if (inServiceOn > today) inServiceOn = today;
    const accepted = addDays(inServiceOn, rng.int(20, 90));
    const filed = addDays(accepted, rng.int(5, 30));
    acceptedOn = accepted <= today ? accepted : null;
    filedOn = acceptedOn !== null && filed <= today ? filed : null;
  }
  return {
    name,
    mn,
    password,
    protocolVersion,
    crcVariants,
    realtimeIntervalS,
    minuteIntervalMin: 10,
    inServiceOn,
    acceptedOn,
    filedOn,
    status,
    inlet,
    factors,
  };
}

function planContracts(
  rng: DemoRandom,
  contractors: readonly ContractorPlan[],
  cityCode: string,
  outlets: readonly OutletPlan[],
): ContractPlan[] {
  const serving = (kind: ContractorKind) =>
    contractors
      .map((c, index) => ({ c, index }))
      .filter(
        ({ c }) =>
          c.kind === kind && (c.serviceRegions.includes(cityCode) || c.serviceRegions.includes('420000')),
      )
      .map(({ index }) => index);
  const om = serving('om');
  const main = rng.pick(om);
  const out: ContractPlan[] = [
    {
      contractor: main,
      point: null,
      scope: '污染源自动监控设施运行维护（全部监测点位）',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
    },
  ];
  // Some enterprises give their wastewater station to a second O&M contractor.
  const waterOutlet = outlets.findIndex((o) => o.kind === 'water');
  const others = om.filter((index) => index !== main);
  if (waterOutlet >= 0 && outlets.some((o) => o.kind === 'gas') && others.length > 0 && rng.chance(0.25)) {
    out.push({
      contractor: rng.pick(others),
      point: { outlet: waterOutlet, point: 0 },
      scope: '废水自动监测设施运行维护',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
    });
  }
  const builders = serving('construction');
  outlets.forEach((outlet, o) => {
    outlet.points.forEach((point, p) => {
      if (point.status !== 'building') return;
      out.push({
        contractor: rng.pick(builders),
        point: { outlet: o, point: p },
        scope: '污染源自动监控设施建设安装及联网',
        startsOn: '2025-10-01',
        endsOn: '2026-09-30',
      });
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Names, codes and dates

/** A fictional two-character 字号, not used before in this registry. */
function tradeName(rng: DemoRandom, used: Set<string>): string {
  for (;;) {
    const first = rng.pick([...TRADE_FIRST]);
    const second = rng.pick([...TRADE_SECOND]);
    const trade = first + second;
    if (first === second || TRADE_BLOCKLIST.has(trade) || used.has(trade)) continue;
    used.add(trade);
    return trade;
  }
}

/**
 * A USCC registered in `regionCode`: 9 (市场监管) 1 (企业), the region, a 主体标识码 — an old-style
 * organisation code (8 digits) or a new "MA4…" one, each with its GB 11714 check — and the GB 32100 check.
 */
function demoUscc(rng: DemoRandom, regionCode: string, used: Set<string>): string {
  for (;;) {
    const stem = rng.chance(0.55) ? rng.text('0123456789', 8) : `MA4${rng.text(USCC_BODY_CHARS, 5)}`;
    const first17 = `91${regionCode}${stem}${organisationCheck(stem)}`;
    const code = first17 + usccCheckCharacter(first17);
    if (used.has(code)) continue;
    used.add(code);
    return code;
  }
}

/** GB 11714-1997 check character of an 8-character organisation-code stem (digits, or letters A=10…). */
function organisationCheck(stem: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number.parseInt(stem[i] as string, 36) * (weights[i] as number);
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/**
 * A 24-hex-character MN shaped like an EPC-96 SGTIN: header 0x30, filter 1, partition 5, a 24-bit
 * company prefix (the logger's maker), a 20-bit item reference (its model) and a 38-bit serial.
 */
function epcMn(prefix: number, model: number, serial: bigint): string {
  let value = 0x30n;
  value = (value << 3n) | 1n;
  value = (value << 3n) | 5n;
  value = (value << 24n) | BigInt(prefix);
  value = (value << 20n) | BigInt(model);
  value = (value << 38n) | (serial & ((1n << 38n) - 1n));
  return value.toString(16).toUpperCase().padStart(24, '0');
}

/** The short form of a county-level name for company names (大冶市 → 大冶), or undefined for a district. */
function countyShort(regionCode: string): string | undefined {
  const name = REGION_NAMES.get(regionCode) ?? '';
  if (name.endsWith('区')) return undefined;
  const short = name.replace(/(土家族自治县|自治县|林区|市|县)$/, '');
  return short.length >= 2 ? short : name;
}

function enterpriseName(
  rng: DemoRandom,
  industry: Industry,
  industryCode: string,
  city: DemoCity,
  regionCode: string,
  trade: string,
): string {
  const county = regionCode === city.code ? undefined : countyShort(regionCode);
  const place = county !== undefined && (industry === 'sewage' || rng.chance(0.5)) ? county : city.short;
  switch (industry) {
    case 'sewage':
      return rng.pick([`${place}${trade}污水处理有限公司`, `${place}${trade}水务有限公司`]);
    case 'thermal':
      return rng.pick([`湖北${trade}${place}发电有限公司`, `${place}${trade}热电有限公司`]);
    case 'cement':
      return rng.pick([`${place}${trade}水泥有限公司`, `湖北${trade}水泥有限公司`]);
    case 'paper':
      return rng.pick([`湖北${trade}纸业有限公司`, `${place}${trade}纸业有限公司`]);
    case 'steel':
      return rng.pick([`${place}${trade}钢铁有限公司`, `湖北${trade}特钢有限公司`]);
    case 'incineration':
      return rng.pick([`${place}${trade}环保能源有限公司`, `${place}${trade}再生能源有限公司`]);
    case 'chemical':
      if (industryCode === 'C2622')
        return rng.pick([`${place}${trade}磷化有限公司`, `湖北${trade}磷化工有限公司`]);
      if (industryCode === 'C2621') return `${place}${trade}化肥有限公司`;
      if (industryCode === 'C2631') return `湖北${trade}农化有限公司`;
      return rng.pick([`湖北${trade}化工股份有限公司`, `${place}${trade}化学有限公司`]);
  }
}

function address(rng: DemoRandom, industry: Industry, cityCode: string, regionCode: string): string {
  const city = REGION_NAMES.get(cityCode) ?? '';
  const county = regionCode === cityCode ? '' : (REGION_NAMES.get(regionCode) ?? '');
  const word = rng.pick(ROAD_WORDS);
  const road =
    industry === 'chemical'
      ? `化工园区${word}路`
      : industry === 'sewage'
        ? `${word}路`
        : rng.pick([`${word}大道`, `工业园${word}路`, `经济开发区${word}路`]);
  return `湖北省${city}${county}${road}${rng.int(1, 888)}号`;
}

function personName(rng: DemoRandom): string {
  const given = rng.text(GIVEN_NAME_CHARS, rng.chance(0.6) ? 2 : 1);
  return rng.pick([...SURNAMES]) + given;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

const DAY_MS = 86_400_000;

/** The Beijing calendar date of an instant. */
function beijingDate(epochMs: number): string {
  return new Date(epochMs + 8 * 3_600_000).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y + years, m - 1, d));
  return next.toISOString().slice(0, 10);
}

function randomDate(rng: DemoRandom, from: string, to: string): string {
  const span = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS));
  return addDays(from, rng.int(0, span));
}

// ---------------------------------------------------------------------------------------------------------
// Writing (through the repositories, on a transaction-scoped store)

const UNITS = new Map(FACTOR_CODES.map((f) => [f.code, f.unit]));
const CODES_2005 = new Map(FACTOR_CODES.map((f) => [f.code, f.code2005]));

async function writeDemo(
  repo: Repositories,
  plan: DemoPlan,
  now: number,
): Promise<Omit<DemoSummary, 'seed'>> {
  const standardIds = new Map((await repo.standards.list()).map((s) => [s.code, s.id]));
  const limitCache = new Map<string, ApplicableLimit | undefined>();
  const limit = async (
    standardId: number,
    factor: string,
    period: LimitPeriod,
    category: string | undefined,
  ) => {
    const key = `${standardId}|${factor}|${period}|${category ?? ''}`;
    if (!limitCache.has(key))
      limitCache.set(key, await repo.standards.limitFor(standardId, factor, period, category));
    return limitCache.get(key);
  };

  const contractorIds: number[] = [];
  for (const c of plan.contractors) {
    const created = await repo.contractors.create({
      uscc: c.uscc,
      name: c.name,
      kind: c.kind,
      qualifications: c.qualifications,
      serviceRegions: c.serviceRegions,
      filingStatus: c.filed ? 'filed' : 'not-filed',
    });
    contractorIds.push(created.id);
  }

  const counts = {
    outlets: 0,
    waterOutlets: 0,
    gasOutlets: 0,
    points: 0,
    factors: 0,
    permits: 0,
    contracts: 0,
  };
  const keyUnits: Record<number, number> = {};
  const byIndustry: Record<string, number> = {};
  const byCity: Record<string, number> = {};

  for (const e of plan.enterprises) {
    const enterprise = await repo.enterprises.create(
      {
        uscc: e.uscc,
        name: e.name,
        regionCode: e.regionCode,
        industryCode: e.industryCode,
        address: e.address,
        longitude: e.longitude,
        latitude: e.latitude,
        contactName: e.contactName,
        contactPhone: e.contactPhone,
        status: e.suspended ? 'suspended' : 'active',
      },
      now,
    );
    byIndustry[e.industryCode] = (byIndustry[e.industryCode] ?? 0) + 1;
    byCity[e.cityCode] = (byCity[e.cityCode] ?? 0) + 1;
    const categories = [...new Set(e.outlets.map((o) => o.kind))].sort();
    for (const year of e.keyUnitYears) {
      await repo.enterprises.setKeyUnits(enterprise.id, year, categories);
      keyUnits[year] = (keyUnits[year] ?? 0) + 1;
    }

    const pointIds: number[][] = [];
    const allowances = new Map<string, number>();
    for (const o of e.outlets) {
      const standardId = standardIds.get(o.standard);
      if (standardId === undefined)
        throw new Error(`demo: emission standard ${o.standard} is not in the library`);
      const referenceO2 =
        o.kind === 'gas'
          ? ((await limit(standardId, 'a34013', 'hour', o.category))?.effectiveReferenceO2 ?? null)
          : null;
      const outlet = await repo.outlets.create({
        enterpriseId: enterprise.id,
        kind: o.kind,
        code: o.code,
        name: o.name,
        longitude: o.longitude,
        latitude: o.latitude,
        standardId,
        referenceO2,
        stackHeightM: o.stackHeightM,
        keyUnitCategory: o.kind,
        status: e.suspended ? 'stopped' : 'active',
      });
      counts.outlets++;
      counts[o.kind === 'water' ? 'waterOutlets' : 'gasOutlets']++;

      const ids: number[] = [];
      for (const p of o.points) {
        const point = await repo.points.create(
          {
            outletId: outlet.id,
            name: p.name,
            mn: p.mn,
            password: p.password,
            protocolVersion: p.protocolVersion,
            crcVariants: p.crcVariants,
            realtimeIntervalS: p.realtimeIntervalS,
            minuteIntervalMin: p.minuteIntervalMin,
            inServiceOn: p.inServiceOn,
            acceptedOn: p.acceptedOn,
            filedOn: p.filedOn,
            status: p.status,
          },
          now,
        );
        ids.push(point.id);
        counts.points++;
        const factors: PointFactorInput[] = [];
        for (const f of p.factors) {
          const judged = !p.inlet;
          const hour = judged ? await limit(standardId, f.code, 'hour', o.category) : undefined;
          const day = judged ? await limit(standardId, f.code, 'day', o.category) : undefined;
          const upper =
            judged && f.code === 'w01001' ? await limit(standardId, f.code, 'instant', 'upper') : undefined;
          const lower =
            judged && f.code === 'w01001' ? await limit(standardId, f.code, 'instant', 'lower') : undefined;
          const assessed = judged && ASSESSED_FACTORS.has(f.code);
          factors.push({
            factorCode: f.code,
            code2005: p.protocolVersion === '2005' ? (CODES_2005.get(f.code) ?? null) : null,
            unit: UNITS.get(f.code) ?? '',
            rangeLow: f.range[0],
            rangeHigh: f.range[1],
            hourLimit: hour?.limitValue ?? null,
            dayLimit: day?.limitValue ?? null,
            assessed,
            // pH has no hour/day limit: its 6–9 band is kept as the alarm thresholds.
            alarmLow: lower?.limitValue ?? null,
            alarmHigh: upper?.limitValue ?? null,
          });
          if (assessed && p === o.points[0]) {
            // Permitted amount ≈ limit × design flow × operating time × a margin the permit applies.
            const concentration = o.kind === 'gas' ? hour?.limitValue : day?.limitValue;
            if (concentration !== undefined) {
              const kg =
                o.kind === 'gas'
                  ? (concentration * o.flow * o.operating) / 1e6
                  : (concentration * o.flow * o.operating) / 1e3;
              allowances.set(f.code, (allowances.get(f.code) ?? 0) + kg * e.permit.ratio);
            }
          }
        }
        await repo.points.setFactors(point.id, factors);
        counts.factors += factors.length;
      }
      pointIds.push(ids);
    }

    await repo.permits.create({
      enterpriseId: enterprise.id,
      number: `${e.uscc}001P`,
      validFrom: e.permit.validFrom,
      validTo: e.permit.validTo,
      allowances: [...allowances.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([factorCode, kg]) => ({ factorCode, annualKg: Math.max(10, Math.round(kg / 10) * 10) })),
    });
    counts.permits++;

    for (const c of e.contracts) {
      await repo.contractors.createContract({
        contractorId: contractorIds[c.contractor] as number,
        enterpriseId: enterprise.id,
        pointId: c.point === null ? null : (pointIds[c.point.outlet]?.[c.point.point] ?? null),
        scope: c.scope,
        startsOn: c.startsOn,
        endsOn: c.endsOn,
      });
      counts.contracts++;
    }
  }

  return {
    enterprises: plan.enterprises.length,
    cities: Object.keys(byCity).length,
    ...counts,
    contractors: plan.contractors.length,
    keyUnits,
    byIndustry,
    byCity,
  };
}
