/**
 * The national emission standards Qingyuan ships with, and their concentration limits for the factors an
 * automatic monitoring platform watches (HJ 212-2017 factor codes).
 *
 * This is a starting library, not a closed list: standards and limits are editable in the platform after
 * seeding, and local standards (e.g. Hubei's DB42 standards, or stricter limits written into a discharge
 * permit) are added there by users. Only limits a continuous monitor can judge are shipped; manual-only
 * items (dioxins, heavy metals other than Hg, 烟气黑度, BOD₅, …) are mentioned in `notes` where relevant.
 *
 * Conventions:
 * - gas limits are in mg/m³ (标态干烟气) at the reference O₂ given on the standard or on the limit row;
 *   water limits are in mg/L, pH is 无量纲 and encoded as two `instant` rows, appliesTo 'upper' (9) and
 *   'lower' (6);
 * - `appliesTo` names the source category / grade / condition the row applies to; a standard's categories
 *   are explained in its `notes`;
 * - values that could not be checked against the standard's text are listed in that standard's `notes`.
 */
import type { StandardSeed } from './reference-types.js';

type Limit = StandardSeed['limits'][number];
type Period = Limit['period'];

const MG_M3 = 'mg/m³';
const MG_L = 'mg/L';

/** One gas-limit row per factor for one source category. */
function gasRows(
  appliesTo: string | undefined,
  referenceO2: number | undefined,
  period: Period,
  values: Readonly<Record<string, number>>,
): Limit[] {
  return Object.entries(values).map(([factor, value]) => ({
    factor,
    period,
    value,
    unit: MG_M3,
    ...(appliesTo === undefined ? {} : { appliesTo }),
    ...(referenceO2 === undefined ? {} : { referenceO2 }),
  }));
}

/** One water-limit row per factor for one grade. */
function waterRows(appliesTo: string, period: Period, values: Readonly<Record<string, number>>): Limit[] {
  return Object.entries(values).map(([factor, value]) => ({ factor, period, value, unit: MG_L, appliesTo }));
}

/** pH 6–9 as an upper and a lower instant limit. */
const PH_6_9: readonly Limit[] = [
  { factor: 'w01001', period: 'instant', value: 9, unit: '无量纲', appliesTo: 'upper' },
  { factor: 'w01001', period: 'instant', value: 6, unit: '无量纲', appliesTo: 'lower' },
];

export const EMISSION_STANDARDS: readonly StandardSeed[] = [
  {
    code: 'GB 13223-2011',
    name: '火电厂大气污染物排放标准',
    kind: 'gas',
    referenceO2: null,
    notes:
      '表1 火力发电锅炉及燃气轮机组大气污染物排放浓度限值, 表2 大气污染物特别排放限值 (重点地区). ' +
      '基准氧含量: 燃煤锅炉 6%, 燃油/燃气锅炉 3%, 燃气轮机组 15% (per limit row). Limits judged on hourly means (CEMS). ' +
      'appliesTo: 燃煤锅炉 / 燃油锅炉 / 燃油燃气轮机组 (以油为燃料的燃气轮机组) / 燃气锅炉 and 燃气轮机组 (天然气; ' +
      '"其他气体燃料" rows for other gaseous fuels); "新建锅炉"/"现有锅炉" where 表1 distinguishes them; ' +
      '"特别排放限值" = 表2. The 燃煤锅炉 NOx 200 row applies to W型火焰炉膛, 现有循环流化床 and boilers built or approved ' +
      'before 2004-01-01 (表1 注). The higher 燃煤 SO₂ limits for 广西、重庆、四川、贵州 (400/200) are not shipped. ' +
      'Checked against a copy of 表1: 燃煤 SO₂ 100/200, 燃煤 NOx 100/200, 气体燃料 SO₂ 35/100 and NOx 100/200/50/120. ' +
      'Unverified against the text (from the standard as commonly cited): 烟尘 rows, 燃油 rows, 汞 0.03, all 表2 values.',
    limits: [
      ...gasRows('燃煤锅炉', 6, 'hour', { a34013: 30, a21002: 100, a20057: 0.03 }),
      ...gasRows('燃煤锅炉 新建锅炉', 6, 'hour', { a21026: 100 }),
      ...gasRows('燃煤锅炉 现有锅炉', 6, 'hour', { a21026: 200 }),
      ...gasRows('燃煤锅炉 W型火焰炉膛/现有循环流化床/2003年底前建成或环评审批', 6, 'hour', { a21002: 200 }),
      ...gasRows('燃煤锅炉 特别排放限值', 6, 'hour', { a34013: 20, a21026: 50, a21002: 100, a20057: 0.03 }),

      ...gasRows('燃油锅炉', 3, 'hour', { a34013: 30 }),
      ...gasRows('燃油锅炉 新建锅炉', 3, 'hour', { a21026: 100, a21002: 100 }),
      ...gasRows('燃油锅炉 现有锅炉', 3, 'hour', { a21026: 200, a21002: 200 }),
      ...gasRows('燃油锅炉 特别排放限值', 3, 'hour', { a34013: 20, a21026: 50, a21002: 100 }),
      ...gasRows('燃油燃气轮机组', 15, 'hour', { a34013: 30, a21002: 120 }),
      ...gasRows('燃油燃气轮机组 新建', 15, 'hour', { a21026: 100 }),
      ...gasRows('燃油燃气轮机组 现有', 15, 'hour', { a21026: 200 }),
      ...gasRows('燃油燃气轮机组 特别排放限值', 15, 'hour', { a34013: 20, a21026: 50, a21002: 120 }),

      ...gasRows('燃气锅炉', 3, 'hour', { a34013: 5, a21026: 35, a21002: 100 }),
      ...gasRows('燃气锅炉 其他气体燃料', 3, 'hour', { a34013: 10, a21026: 100, a21002: 200 }),
      ...gasRows('燃气锅炉 特别排放限值', 3, 'hour', { a34013: 5, a21026: 35, a21002: 100 }),
      ...gasRows('燃气轮机组', 15, 'hour', { a34013: 5, a21026: 35, a21002: 50 }),
      ...gasRows('燃气轮机组 其他气体燃料', 15, 'hour', { a34013: 10, a21026: 100, a21002: 120 }),
      ...gasRows('燃气轮机组 特别排放限值', 15, 'hour', { a34013: 5, a21026: 35, a21002: 50 }),
    ],
  },
  {
    code: 'GB 13271-2014',
    name: '锅炉大气污染物排放标准',
    kind: 'gas',
    referenceO2: null,
    notes:
      '表1 在用锅炉, 表2 新建锅炉, 表3 大气污染物特别排放限值. 基准氧含量: 燃煤锅炉 9%, 燃油/燃气锅炉 3.5% ' +
      '(per limit row). appliesTo: "燃煤锅炉"/"燃油锅炉"/"燃气锅炉" = 表2 (新建, from 2014-07-01); "… 在用" = 表1; ' +
      '"… 特别排放限值" = 表3. 颗粒物 uses factor a34013. The 燃煤 在用 SO₂ 550 for 广西、重庆、四川、贵州 is not shipped. ' +
      'Checked against a copy of 表1: 颗粒物 80/60/30, 燃煤 SO₂ 400. ' +
      'Unverified against the text (from the standard as commonly cited): the rest of 表1, all of 表2 and 表3, 汞 0.05.',
    limits: [
      ...gasRows('燃煤锅炉', 9, 'hour', { a34013: 50, a21026: 300, a21002: 300, a20057: 0.05 }),
      ...gasRows('燃油锅炉', 3.5, 'hour', { a34013: 30, a21026: 200, a21002: 250 }),
      ...gasRows('燃气锅炉', 3.5, 'hour', { a34013: 20, a21026: 50, a21002: 200 }),

      ...gasRows('燃煤锅炉 在用', 9, 'hour', { a34013: 80, a21026: 400, a21002: 400, a20057: 0.05 }),
      ...gasRows('燃油锅炉 在用', 3.5, 'hour', { a34013: 60, a21026: 300, a21002: 400 }),
      ...gasRows('燃气锅炉 在用', 3.5, 'hour', { a34013: 30, a21026: 100, a21002: 400 }),

      ...gasRows('燃煤锅炉 特别排放限值', 9, 'hour', { a34013: 30, a21026: 200, a21002: 200, a20057: 0.05 }),
      ...gasRows('燃油锅炉 特别排放限值', 3.5, 'hour', { a34013: 30, a21026: 100, a21002: 200 }),
      ...gasRows('燃气锅炉 特别排放限值', 3.5, 'hour', { a34013: 20, a21026: 50, a21002: 150 }),
    ],
  },
  {
    code: 'GB 18485-2014',
    name: '生活垃圾焚烧污染控制标准',
    kind: 'gas',
    referenceO2: 11,
    notes:
      '表4 生活垃圾焚烧炉排放烟气中污染物限值: 1小时均值 (period hour) and 24小时均值 (period day), 基准氧含量 11%. ' +
      '颗粒物 uses factor a34013. Not shipped (测定均值 by manual sampling, not CEMS): 汞及其化合物 0.05, 镉+铊 0.1, ' +
      '锑砷铅铬钴铜锰镍 1.0 mg/m³, 二噁英类 0.1 ngTEQ/m³. ' +
      'Unverified against the text (no copy of 表4 found; values as commonly cited): all ten limits.',
    limits: [
      ...gasRows(undefined, undefined, 'hour', {
        a34013: 30,
        a21002: 300,
        a21026: 100,
        a21024: 60,
        a21005: 100,
      }),
      ...gasRows(undefined, undefined, 'day', {
        a34013: 20,
        a21002: 250,
        a21026: 80,
        a21024: 50,
        a21005: 80,
      }),
    ],
  },
  {
    code: 'GB 4915-2013',
    name: '水泥工业大气污染物排放标准',
    kind: 'gas',
    referenceO2: null,
    notes:
      '表1 排放限值 and 表2 特别排放限值 (重点地区), 水泥窑及窑尾余热利用系统 only (基准氧含量 10%, per limit row; ' +
      'other 水泥 sources such as 破碎机/磨机/包装机 are judged on measured concentrations and are not shipped). ' +
      'Not shipped: 氟化物 5 (3), 汞 0.05, 氨 10 (8, SNCR). The 2025 修改单 (in force 2026-04-01) changes only the ' +
      '独立热源烘干设备 limits and adds 氨 for them; the kiln rows are unchanged. ' +
      'Unverified against the text (values as commonly cited, corroborated only by third-party sources): all six ' +
      'limits and the table numbering.',
    limits: [
      ...gasRows('水泥窑及窑尾余热利用系统', 10, 'hour', { a34013: 30, a21026: 200, a21002: 400 }),
      ...gasRows('水泥窑及窑尾余热利用系统 特别排放限值', 10, 'hour', {
        a34013: 20,
        a21026: 100,
        a21002: 320,
      }),
    ],
  },
  {
    code: 'GB 16297-1996',
    name: '大气污染物综合排放标准',
    kind: 'gas',
    referenceO2: null,
    notes:
      '表2 新污染源 (1997-01-01 起设立) and 表1 现有污染源 最高允许排放浓度 (任何1小时浓度平均值); no reference O₂ ' +
      '(measured concentration). appliesTo "新污染源"/"现有污染源" = the general column (颗粒物 其他, SO₂ 含硫化合物使用, ' +
      'NOx 硝酸使用和其他); the other rows name their production category. Emission-rate (kg/h) limits by stack height ' +
      'are not shipped. 颗粒物 uses factor a34013. ' +
      'Checked against a copy of 表1: SO₂ 1200/700, NOx 1700/420, 颗粒物 22/80/150. ' +
      'Unverified against the text (values as commonly cited): all 表2 values.',
    limits: [
      ...gasRows('新污染源', undefined, 'hour', { a34013: 120, a21026: 550, a21002: 240, a21024: 100 }),
      ...gasRows('新污染源 使用溶剂汽油或其他混合烃类物质', undefined, 'hour', { a24088: 120 }),
      ...gasRows('新污染源 炭黑尘、染料尘', undefined, 'hour', { a34013: 18 }),
      ...gasRows('新污染源 玻璃棉尘、石英粉尘、矿渣棉尘', undefined, 'hour', { a34013: 60 }),
      ...gasRows('新污染源 硫、二氧化硫、硫酸和其他含硫化合物生产', undefined, 'hour', { a21026: 960 }),
      ...gasRows('新污染源 硝酸、氮肥和火炸药生产', undefined, 'hour', { a21002: 1400 }),

      ...gasRows('现有污染源', undefined, 'hour', { a34013: 150, a21026: 700, a21002: 420 }),
      ...gasRows('现有污染源 炭黑尘、染料尘', undefined, 'hour', { a34013: 22 }),
      ...gasRows('现有污染源 玻璃棉尘、石英粉尘、矿渣棉尘', undefined, 'hour', { a34013: 80 }),
      ...gasRows('现有污染源 硫、二氧化硫、硫酸和其他含硫化合物生产', undefined, 'hour', { a21026: 1200 }),
      ...gasRows('现有污染源 硝酸、氮肥和火炸药生产', undefined, 'hour', { a21002: 1700 }),
    ],
  },
  {
    code: 'GB 8978-1996',
    name: '污水综合排放标准',
    kind: 'water',
    referenceO2: null,
    notes:
      '表4 第二类污染物最高允许排放浓度 (1998-01-01 后建设的单位), column 其他排污单位 (industry-specific rows, e.g. ' +
      '石油化工 COD 60/120, are not shipped). 一级/二级标准 by receiving water; 三级标准 for discharge to a sewer ' +
      'leading to a 二级污水处理厂. The standard regulates 磷酸盐 (以P计), shipped under w21011 总磷 because HJ 212 has ' +
      'no 磷酸盐 code and monitors measure TP. period day: automatic monitoring judges water limits on daily ' +
      '(composite) means; pH is judged per reading. Checked against a copy of 表4: all values shipped.',
    limits: [
      ...waterRows('一级标准', 'day', { w01018: 100, w21003: 15, w01012: 70, w22001: 5, w21011: 0.5 }),
      ...waterRows('二级标准', 'day', { w01018: 150, w21003: 25, w01012: 150, w22001: 10, w21011: 1 }),
      ...waterRows('三级标准', 'day', { w01018: 500, w01012: 400, w22001: 20 }),
      ...PH_6_9,
    ],
  },
  {
    code: 'GB 18918-2002',
    name: '城镇污水处理厂污染物排放标准',
    kind: 'water',
    referenceO2: null,
    notes:
      '表1 基本控制项目最高允许排放浓度 (日均值). 氨氮: the "(水温≤12℃)" rows apply when water temperature is ' +
      '≤ 12 ℃ (the bracketed values). 总磷: the main rows are for plants built from 2006-01-01; "(2005年底前建设)" rows ' +
      'for earlier plants. 三级标准 has no 总氮/氨氮 limit. pH is judged per reading. Checked against copies of 表1: ' +
      'all values shipped.',
    limits: [
      ...waterRows('一级A', 'day', { w01018: 50, w21003: 5, w21001: 15, w21011: 0.5, w01012: 10, w22001: 1 }),
      ...waterRows('一级A (水温≤12℃)', 'day', { w21003: 8 }),
      ...waterRows('一级A (2005年底前建设)', 'day', { w21011: 1 }),
      ...waterRows('一级B', 'day', { w01018: 60, w21003: 8, w21001: 20, w21011: 1, w01012: 20, w22001: 3 }),
      ...waterRows('一级B (水温≤12℃)', 'day', { w21003: 15 }),
      ...waterRows('一级B (2005年底前建设)', 'day', { w21011: 1.5 }),
      ...waterRows('二级', 'day', { w01018: 100, w21003: 25, w21011: 3, w01012: 30, w22001: 5 }),
      ...waterRows('二级 (水温≤12℃)', 'day', { w21003: 30 }),
      ...waterRows('三级', 'day', { w01018: 120, w21011: 5, w01012: 50, w22001: 15 }),
      ...PH_6_9,
    ],
  },
];
