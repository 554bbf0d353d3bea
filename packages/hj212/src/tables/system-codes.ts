/**
 * ST system codes: HJ 212-2017 表 5 (引用 GB/T 16706-1996) and the HJ/T 212-2005 系统编码表.
 *
 * Classes (2017 §6.6.1.1): 10～29 环境质量, 30～49 环境污染源, 50～69 工况, 91~99 系统交互,
 * A0～Z9 用于未知系统编码扩展. Real packets also carry codes not listed here (e.g. ST=80, ST=77, 3-digit
 * ST=101), so callers must accept any ST.
 *
 * A 2005 name of "同" in the source table means the same name as 2017; "—" (not defined in 2005) omits the
 * '2005' key. The '2025' name is set equal to the 2017 name: the HJ 212-2025 list is ASSUMED to extend 2017's
 * and has not been verified against the 2025 text.
 */
import type { SystemCode } from './types.js';

export const SYSTEM_CODES: readonly SystemCode[] = [
  {
    code: '21',
    nameZh: { '2017': '地表水质量监测', '2005': '地表水监测', '2025': '地表水质量监测' },
    nameEn: 'Surface water quality monitoring',
  },
  {
    code: '22',
    nameZh: { '2017': '空气质量监测', '2005': '空气质量监测', '2025': '空气质量监测' },
    nameEn: 'Ambient air quality monitoring',
  },
  {
    code: '23',
    nameZh: { '2017': '声环境质量监测', '2005': '区域环境噪声监测', '2025': '声环境质量监测' },
    nameEn: 'Acoustic environment quality monitoring',
  },
  {
    code: '24',
    nameZh: { '2017': '地下水质量监测', '2025': '地下水质量监测' },
    nameEn: 'Groundwater quality monitoring',
  },
  {
    code: '25',
    nameZh: { '2017': '土壤质量监测', '2025': '土壤质量监测' },
    nameEn: 'Soil quality monitoring',
  },
  {
    code: '26',
    nameZh: { '2017': '海水质量监测', '2025': '海水质量监测' },
    nameEn: 'Seawater quality monitoring',
  },
  {
    code: '27',
    nameZh: { '2017': '挥发性有机物监测', '2025': '挥发性有机物监测' },
    nameEn: 'Volatile organic compounds monitoring',
  },
  {
    code: '31',
    nameZh: { '2017': '大气环境污染源', '2005': '大气环境污染源', '2025': '大气环境污染源' },
    nameEn: 'Atmospheric pollution source',
  },
  {
    code: '32',
    nameZh: { '2017': '地表水体环境污染源', '2005': '地表水体环境污染源', '2025': '地表水体环境污染源' },
    nameEn: 'Surface-water pollution source',
  },
  {
    code: '33',
    nameZh: { '2017': '地下水体环境污染源', '2005': '地下水体环境污染源', '2025': '地下水体环境污染源' },
    nameEn: 'Groundwater pollution source',
  },
  {
    code: '34',
    nameZh: { '2017': '海洋环境污染源', '2005': '海洋环境污染源', '2025': '海洋环境污染源' },
    nameEn: 'Marine pollution source',
  },
  {
    code: '35',
    nameZh: { '2017': '土壤环境污染源', '2005': '土壤环境污染源', '2025': '土壤环境污染源' },
    nameEn: 'Soil pollution source',
  },
  {
    code: '36',
    nameZh: { '2017': '声环境污染源', '2005': '声环境污染源', '2025': '声环境污染源' },
    nameEn: 'Noise pollution source',
  },
  {
    code: '37',
    nameZh: { '2017': '振动环境污染源', '2005': '振动环境污染源', '2025': '振动环境污染源' },
    nameEn: 'Vibration pollution source',
  },
  {
    code: '38',
    nameZh: { '2017': '放射性环境污染源', '2005': '放射性环境污染源', '2025': '放射性环境污染源' },
    nameEn: 'Radioactive pollution source',
  },
  {
    code: '39',
    nameZh: { '2017': '工地扬尘污染源', '2025': '工地扬尘污染源' },
    nameEn: 'Construction-site dust pollution source',
  },
  {
    code: '41',
    nameZh: { '2017': '电磁环境污染源', '2005': '电磁环境污染源', '2025': '电磁环境污染源' },
    nameEn: 'Electromagnetic pollution source',
  },
  {
    code: '51',
    nameZh: { '2017': '烟气排放过程监控', '2025': '烟气排放过程监控' },
    nameEn: 'Flue-gas emission process monitoring',
  },
  {
    code: '52',
    nameZh: { '2017': '污水排放过程监控', '2025': '污水排放过程监控' },
    nameEn: 'Wastewater discharge process monitoring',
  },
  // 2017: "用于现场机和上位机的交互" (interaction between the on-site unit and the upper computer).
  {
    code: '91',
    nameZh: { '2017': '系统交互', '2005': '系统交互', '2025': '系统交互' },
    nameEn: 'System interaction',
  },
];
