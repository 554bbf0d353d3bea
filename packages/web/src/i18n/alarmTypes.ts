// Names of every alarm type the server can raise (zh/en), under `alarmType.<type>` (the key src/i18n.ts
// reserves): packages/domain/src/exceedance.ts EXCEEDANCE_ALARMS, anomalies.ts ANOMALY_TYPES (which
// include analysis/clock.ts clock-skew, parameters.ts parameter-change, rollup-day.ts rollup-mismatch and
// liveness.ts missing/offline). Import for the side effect; use alarmTypeName() for unknown types too.
import { ANOMALY_TYPES, EXCEEDANCE_ALARMS } from '@qingyuan/domain';
import i18n from 'i18next';

/** Every alarm type, from the rules that raise them (exceedances first, then anomalies). */
export const ALARM_TYPES = [...EXCEEDANCE_ALARMS, ...ANOMALY_TYPES] as const;

const zh: Record<(typeof ALARM_TYPES)[number], string> = {
  'hourly-exceedance': '小时均值超标',
  'daily-exceedance': '日均值超标',
  'hourly-early-warning': '小时超标预警',
  'daily-early-warning': '日均值超标预警',
  'constant-value': '恒值',
  'zero-value': '零值',
  'negative-value': '负值',
  'over-range': '超量程',
  'sudden-change': '突变',
  'flow-mismatch': '流量与浓度不匹配',
  'corrected-mismatch': '折算与实测不符',
  dilution: '疑似稀释',
  'near-limit': '临限排放',
  'false-shutdown': '报停未停',
  'parameter-change': '参数变更',
  'state-flag-mismatch': '工作状态与数据标记不符',
  'clock-skew': '时钟偏差',
  'rollup-mismatch': '汇总不符',
  missing: '数据缺失',
  offline: '联网异常（离线）',
};

const en: Record<(typeof ALARM_TYPES)[number], string> = {
  'hourly-exceedance': 'Hourly exceedance',
  'daily-exceedance': 'Daily exceedance',
  'hourly-early-warning': 'Hourly early warning',
  'daily-early-warning': 'Daily early warning',
  'constant-value': 'Constant value',
  'zero-value': 'Zero value',
  'negative-value': 'Negative value',
  'over-range': 'Over range',
  'sudden-change': 'Sudden change',
  'flow-mismatch': 'Flow/concentration mismatch',
  'corrected-mismatch': 'Corrected value mismatch',
  dilution: 'Suspected dilution',
  'near-limit': 'Near-limit discharge',
  'false-shutdown': 'Reported stop, still running',
  'parameter-change': 'Parameter change',
  'state-flag-mismatch': 'Working state/flag mismatch',
  'clock-skew': 'Clock skew',
  'rollup-mismatch': 'Roll-up mismatch',
  missing: 'Missing data',
  offline: 'Offline',
};

i18n.addResourceBundle('zh-CN', 'translation', { alarmType: zh }, true, true);
i18n.addResourceBundle('en', 'translation', { alarmType: en }, true, true);

/** The alarm type's name in the language, or the type itself when unknown. */
export function alarmTypeName(type: string, t: (key: string, options?: { defaultValue: string }) => string) {
  return t(`alarmType.${type}`, { defaultValue: type });
}

export type AlarmCategory = 'exceedance' | 'warning' | 'anomaly' | 'presence';

export function alarmCategory(type: string): AlarmCategory {
  if (type.endsWith('exceedance')) return 'exceedance';
  if (type.endsWith('early-warning') || type === 'near-limit') return 'warning';
  if (type === 'offline' || type === 'missing') return 'presence';
  return 'anomaly';
}

/** antd Tag colours and chart colours per category. */
export const ALARM_COLOURS: Record<AlarmCategory, { tag: string; chart: string }> = {
  exceedance: { tag: 'red', chart: '#f5222d' },
  warning: { tag: 'orange', chart: '#fa8c16' },
  anomaly: { tag: 'purple', chart: '#722ed1' },
  presence: { tag: 'default', chart: '#8c8c8c' },
};
