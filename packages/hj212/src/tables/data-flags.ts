import type { ProtocolVersion } from '../versions.js';

/** A `-Flag` data flag and what it means in one version. */
export interface DataFlag {
  readonly flag: string;
  readonly nameZh: string;
  readonly nameEn: string;
}

/**
 * HJ 212-2017 §6.6.4 表 8 (可扩充). The standard attaches no validity rule to flags; validity is the
 * analysis engine's business. Note F: 2017 "仪器仪表停运" (instrument stopped), 2005 "排放源停运" (source
 * shut down) — the same letter means different things, so flags are always read with the version.
 */
const FLAGS_2017: readonly DataFlag[] = [
  { flag: 'N', nameZh: '在线监控（监测）仪器仪表工作正常', nameEn: 'Instrument working normally' },
  { flag: 'F', nameZh: '在线监控（监测）仪器仪表停运', nameEn: 'Instrument stopped' },
  {
    flag: 'M',
    nameZh: '在线监控（监测）仪器仪表处于维护期间产生的数据',
    nameEn: 'Data produced during maintenance',
  },
  { flag: 'S', nameZh: '手工输入的设定值', nameEn: 'Manually entered set value' },
  { flag: 'D', nameZh: '在线监控（监测）仪器仪表故障', nameEn: 'Instrument fault' },
  { flag: 'C', nameZh: '在线监控（监测）仪器仪表处于校准状态', nameEn: 'Instrument calibrating' },
  {
    flag: 'T',
    nameZh: '在线监控（监测）仪器仪表采样数值超过测量上限',
    nameEn: 'Value above the measuring range',
  },
  {
    flag: 'B',
    nameZh: '在线监控（监测）仪器仪表与数采仪通讯异常',
    nameEn: 'Instrument–data logger communication fault',
  },
];

/** HJ/T 212-2005 数据标记 (污染源; 0–3 for air-quality stations). */
const FLAGS_2005: readonly DataFlag[] = [
  { flag: 'N', nameZh: '正常', nameEn: 'Normal' },
  { flag: 'F', nameZh: '排放源停运', nameEn: 'Emission source shut down' },
  { flag: 'M', nameZh: '维护', nameEn: 'Maintenance' },
  { flag: 'S', nameZh: '设定值', nameEn: 'Set value' },
  { flag: 'D', nameZh: '故障', nameEn: 'Fault' },
  { flag: 'C', nameZh: '校验', nameEn: 'Calibration check' },
  { flag: 'T', nameZh: '超测上限', nameEn: 'Above the measuring range' },
  { flag: 'P', nameZh: '电源故障', nameEn: 'Power failure' },
  { flag: '0', nameZh: '空气检测站：校准数据', nameEn: 'Air station: calibration data' },
  { flag: '1', nameZh: '空气检测站：气象参数', nameEn: 'Air station: meteorological parameter' },
  { flag: '2', nameZh: '空气检测站：异常数据', nameEn: 'Air station: abnormal data' },
  { flag: '3', nameZh: '空气检测站：正常数据', nameEn: 'Air station: normal data' },
];

export const DATA_FLAGS: Readonly<Record<ProtocolVersion, readonly DataFlag[]>> = {
  '2005': FLAGS_2005,
  '2017': FLAGS_2017,
  // HJ 212-2025 text not available: assumed to keep the 2017 table (unverified).
  '2025': FLAGS_2017,
};

export function dataFlag(version: ProtocolVersion, flag: string): DataFlag | undefined {
  return DATA_FLAGS[version].find((entry) => entry.flag === flag);
}
