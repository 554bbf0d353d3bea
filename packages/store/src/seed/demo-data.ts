/**
 * Tables behind the demo registry (`seedDemo`): the 17 city-level divisions of Hubei with a rough centre
 * and a weight, the industry profiles (outlets, standards, factors, ranges), and the pools fictional
 * names are drawn from. Everything here is invented for demonstration except the region codes, the
 * GB/T 4754 industry codes, the standards' codes and the HJ 212 factor codes.
 */

/** A small seeded PRNG (mulberry32): the demo must come out the same for the same seed. */
export class DemoRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A number in [min, max). */
  real(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One key of `weights`, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return (entries[entries.length - 1] as [K, number])[0];
  }

  /** A string of `length` characters drawn from `alphabet`. */
  text(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}

export const INDUSTRIES = [
  'sewage',
  'chemical',
  'thermal',
  'cement',
  'paper',
  'incineration',
  'steel',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

/** Province-wide mix of key polluting units by industry (sewage plants and chemicals dominate the lists). */
export const INDUSTRY_WEIGHTS: Readonly<Record<Industry, number>> = {
  sewage: 34,
  chemical: 22,
  thermal: 10,
  cement: 9,
  paper: 7,
  incineration: 8,
  steel: 5,
};

export interface DemoCity {
  readonly code: string;
  /** The short form used in company names, e.g. 襄阳. */
  readonly short: string;
  /**
   * Rough centre (longitude, latitude), WGS-84. Enterprises are placed in their county (county-anchors.ts);
   * this is only the fallback for a county without an anchor.
   */
  readonly centre: readonly [number, number];
  /** Share of the demo's enterprises. */
  readonly weight: number;
  /** Multipliers on INDUSTRY_WEIGHTS (industrial profile of the city). */
  readonly mix?: Readonly<Partial<Record<Industry, number>>>;
}

export const DEMO_CITIES: readonly DemoCity[] = [
  {
    code: '420100',
    short: '武汉',
    centre: [114.305, 30.593],
    weight: 28,
    mix: { steel: 2, thermal: 1.5, incineration: 1.5, paper: 0.5, cement: 0.5 },
  },
  { code: '420200', short: '黄石', centre: [115.039, 30.199], weight: 15, mix: { steel: 3, cement: 3 } },
  {
    code: '420300',
    short: '十堰',
    centre: [110.798, 32.629],
    weight: 9,
    mix: { incineration: 1.5, chemical: 0.5 },
  },
  { code: '420500', short: '宜昌', centre: [111.286, 30.692], weight: 20, mix: { chemical: 2, cement: 1.5 } },
  { code: '420600', short: '襄阳', centre: [112.122, 32.009], weight: 18, mix: { thermal: 1.5, paper: 1.5 } },
  { code: '420700', short: '鄂州', centre: [114.895, 30.391], weight: 8, mix: { steel: 3, thermal: 1.5 } },
  {
    code: '420800',
    short: '荆门',
    centre: [112.199, 31.035],
    weight: 12,
    mix: { chemical: 2, thermal: 1.5 },
  },
  { code: '420900', short: '孝感', centre: [113.917, 30.925], weight: 10 },
  { code: '421000', short: '荆州', centre: [112.24, 30.335], weight: 17, mix: { chemical: 1.5, paper: 1.5 } },
  { code: '421100', short: '黄冈', centre: [114.872, 30.453], weight: 10 },
  { code: '421200', short: '咸宁', centre: [114.322, 29.841], weight: 9 },
  { code: '421300', short: '随州', centre: [113.383, 31.69], weight: 7 },
  {
    code: '422800',
    short: '恩施',
    centre: [109.488, 30.272],
    weight: 7,
    mix: { cement: 1.5, chemical: 0.3, steel: 0, paper: 0.5 },
  },
  { code: '429004', short: '仙桃', centre: [113.454, 30.362], weight: 6 },
  { code: '429005', short: '潜江', centre: [112.9, 30.402], weight: 7, mix: { chemical: 3 } },
  { code: '429006', short: '天门', centre: [113.166, 30.663], weight: 5 },
  {
    code: '429021',
    short: '神农架',
    centre: [110.676, 31.745],
    weight: 1,
    mix: { chemical: 0, thermal: 0, cement: 0, paper: 0, incineration: 0, steel: 0 },
  },
];

/** GB/T 4754-2017 codes per industry. */
export const INDUSTRY_CODES: Readonly<Record<Industry, readonly string[]>> = {
  // 污水处理及其再生利用 is D4620 (门类 D, 46 水的生产和供应业).
  sewage: ['D4620'],
  // 有机化学原料制造, 无机碱制造, 氮肥制造, 磷肥制造, 化学农药制造, 化学试剂和助剂制造.
  chemical: ['C2614', 'C2612', 'C2621', 'C2622', 'C2622', 'C2631', 'C2661'],
  thermal: ['D4411'],
  cement: ['C3011'],
  paper: ['C2221'],
  incineration: ['N7820'],
  steel: ['C3120'],
};

/** First and second characters of the fictional 字号 (trade names); combinations are checked below. */
export const TRADE_FIRST = '恒瑞泰嘉润晟鑫宏锦昊峰朗骏汇弘睿卓沛涵湛淳澄翔岳屹钧铭祺煜璟';
export const TRADE_SECOND = '源达丰盛远和安诚信凯宇川升隆辉通捷博益元越晖澜岚禾溢沣峻珑';
/** Trade names of well-known companies that the generator must not produce. */
export const TRADE_BLOCKLIST: ReadonlySet<string> = new Set([
  '恒安',
  '瑞丰',
  '嘉和',
  '宏达',
  '鑫源',
  '恒通',
  '汇通',
  '恒丰',
  '泰和',
  '润和',
  '弘元',
  '恒源',
]);

export const SURNAMES = '王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许沈曾彭吕';
export const GIVEN_NAME_CHARS =
  '伟芳敏静丽强磊军洋勇艳杰涛明超秀霞平刚华文斌鹏辉玲婷浩宇欣晨凯俊峰健琳丹雪莉红兵';
export const PHONE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '156',
  '158',
  '159',
  '177',
  '180',
  '181',
  '186',
  '187',
  '189',
  '199',
];
export const ROAD_WORDS = [
  '兴业',
  '创业',
  '发展',
  '科技',
  '富民',
  '振兴',
  '滨江',
  '沿江',
  '团结',
  '建设',
  '光明',
  '和平',
  '春晖',
  '东方',
  '新港',
  '临港',
  '工业',
  '长青',
  '金桥',
  '青年',
];

/** A factor a point measures, with its measuring range. */
export interface FactorPlan {
  readonly code: string;
  readonly range: readonly [number, number];
}

/** The pollutants counted in the effective transmission rate (考核因子). */
export const ASSESSED_FACTORS: ReadonlySet<string> = new Set([
  'w01018',
  'w21003',
  'a34013',
  'a21026',
  'a21002',
]);

/** Flue-gas parameters every gas point measures: O₂, velocity, temperature, pressure, humidity, flow. */
export function flueGasParameters(flowM3PerHour: number): FactorPlan[] {
  const flowRange = Math.ceil(((flowM3PerHour / 3600) * 1.5) / 50) * 50;
  return [
    { code: 'a19001', range: [0, 25] },
    { code: 'a01011', range: [0, 40] },
    { code: 'a01012', range: [0, 300] },
    { code: 'a01013', range: [-10, 10] },
    { code: 'a01014', range: [0, 40] },
    { code: 'a00000', range: [0, flowRange] },
  ];
}

/** Particulate matter, SO₂, NOx with their ranges. */
export function gasPollutants(pm: number, so2: number, nox: number): FactorPlan[] {
  return [
    { code: 'a34013', range: [0, pm] },
    { code: 'a21026', range: [0, so2] },
    { code: 'a21002', range: [0, nox] },
  ];
}

/** Water flow (L/s, from m³/d) plus the given concentration factors. */
export function waterFactors(flowM3PerDay: number, concentrations: readonly FactorPlan[]): FactorPlan[] {
  const flowRange = Math.ceil(((flowM3PerDay / 86.4) * 1.5) / 50) * 50;
  return [{ code: 'w00000', range: [0, flowRange] }, ...concentrations, { code: 'w01001', range: [0, 14] }];
}

/** Full names of the GB/T 4754 codes used, for messages and the summary. */
export const INDUSTRY_NAMES: Readonly<Record<string, string>> = {
  D4620: '污水处理及其再生利用',
  C2614: '有机化学原料制造',
  C2612: '无机碱制造',
  C2621: '氮肥制造',
  C2622: '磷肥制造',
  C2631: '化学农药制造',
  C2661: '化学试剂和助剂制造',
  D4411: '火力发电',
  C3011: '水泥制造',
  C2221: '机制纸及纸板制造',
  N7820: '环境卫生管理',
  C3120: '炼钢',
};

/** Fictional data-logger makers: a 24-bit EPC company prefix and a few 20-bit model references each. */
export const LOGGER_VENDORS: readonly { readonly prefix: number; readonly models: readonly number[] }[] = [
  { prefix: 0x3a41c2, models: [0x00212, 0x00217] },
  { prefix: 0x5b0e17, models: [0x01001, 0x01002, 0x01010] },
  { prefix: 0x6c2d90, models: [0x20170] },
  { prefix: 0x7e1f03, models: [0x00301, 0x00302] },
  { prefix: 0x91a4b6, models: [0x0a212] },
];

/** The contractors of the demo: kind, name pattern (`{T}` = trade name), served regions, qualifications. */
export const DEMO_CONTRACTORS: readonly {
  readonly kind: 'construction' | 'om' | 'inspection' | 'intelligent-monitoring';
  readonly name: string;
  readonly registeredIn: string;
  readonly serviceRegions: readonly string[];
  readonly qualifications: readonly string[];
  readonly filed: boolean;
}[] = [
  {
    kind: 'construction',
    name: '湖北{T}环境工程有限公司',
    registeredIn: '420106',
    serviceRegions: ['420000'],
    qualifications: ['环保工程专业承包二级', '安全生产许可证', 'ISO 9001 质量管理体系认证'],
    filed: true,
  },
  {
    kind: 'construction',
    name: '武汉{T}环保科技有限公司',
    registeredIn: '420111',
    serviceRegions: ['420100', '420700', '420900', '421100', '421200'],
    qualifications: ['环保工程专业承包三级', 'ISO 9001 质量管理体系认证'],
    filed: true,
  },
  {
    kind: 'construction',
    name: '宜昌{T}环境技术有限公司',
    registeredIn: '420502',
    serviceRegions: ['420500', '422800', '420800', '421000'],
    qualifications: ['环保工程专业承包三级', '安全生产许可证'],
    filed: true,
  },
  {
    kind: 'om',
    name: '湖北{T}环境监测运营有限公司',
    registeredIn: '420106',
    serviceRegions: ['420000'],
    qualifications: [
      '污染源自动监控设施运行维护服务能力评价（一级）',
      'ISO 9001 质量管理体系认证',
      'ISO 14001 环境管理体系认证',
    ],
    filed: true,
  },
  {
    kind: 'om',
    name: '武汉{T}环境技术服务有限公司',
    registeredIn: '420115',
    serviceRegions: ['420100', '420700', '420900', '421100', '421200'],
    qualifications: ['污染源自动监控设施运行维护服务能力评价（二级）', 'ISO 9001 质量管理体系认证'],
    filed: true,
  },
  {
    kind: 'om',
    name: '襄阳{T}环保运维有限公司',
    registeredIn: '420606',
    serviceRegions: ['420600', '420300', '420800', '421300', '429021'],
    qualifications: ['污染源自动监控设施运行维护服务能力评价（二级）', 'ISO 14001 环境管理体系认证'],
    filed: true,
  },
  {
    kind: 'om',
    name: '荆州{T}环境服务有限公司',
    registeredIn: '421002',
    serviceRegions: ['421000', '429004', '429005', '429006', '420800'],
    qualifications: ['污染源自动监控设施运行维护服务能力评价（二级）'],
    filed: true,
  },
  {
    kind: 'om',
    name: '黄石{T}环保科技有限公司',
    registeredIn: '420202',
    serviceRegions: ['420200', '420700', '421100', '421200'],
    qualifications: ['污染源自动监控设施运行维护服务能力评价（三级）', 'ISO 9001 质量管理体系认证'],
    filed: false,
  },
  {
    kind: 'om',
    name: '宜昌{T}环境监测技术有限公司',
    registeredIn: '420503',
    serviceRegions: ['420500', '422800'],
    qualifications: ['污染源自动监控设施运行维护服务能力评价（二级）', 'ISO 9001 质量管理体系认证'],
    filed: true,
  },
  {
    kind: 'inspection',
    name: '湖北{T}检测技术有限公司',
    registeredIn: '420111',
    serviceRegions: ['420100', '420200', '420700', '421100', '421200', '420900'],
    qualifications: ['检验检测机构资质认定（CMA）', 'ISO 9001 质量管理体系认证'],
    filed: true,
  },
  {
    kind: 'inspection',
    name: '湖北{T}环境检测有限公司',
    registeredIn: '420602',
    serviceRegions: [
      '420300',
      '420500',
      '420600',
      '420800',
      '421000',
      '421300',
      '422800',
      '429004',
      '429005',
      '429006',
      '429021',
    ],
    qualifications: ['检验检测机构资质认定（CMA）'],
    filed: true,
  },
  {
    kind: 'intelligent-monitoring',
    name: '湖北{T}智能监控科技有限公司',
    registeredIn: '420106',
    serviceRegions: ['420000'],
    qualifications: ['信息系统集成及服务资质', 'ISO/IEC 27001 信息安全管理体系认证'],
    filed: true,
  },
];
