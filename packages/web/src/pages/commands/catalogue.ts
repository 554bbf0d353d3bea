// The downlink commands an operator may send (the server's OPERATOR_COMMANDS: HJ 212 附录 C requests of
// packages/hj212/src/commands.ts that are not decode-only, without set-password), with their CP fields.

export type ParamType = 'time' | 'integer' | 'text' | 'hhmmss';

export interface ParamSpec {
  readonly key: string;
  readonly type: ParamType;
  readonly required: boolean;
  readonly range?: readonly [number, number];
  readonly oneOf?: readonly number[];
}

export interface CommandSpec {
  readonly name: string;
  readonly cn: string;
  readonly zh: string;
  readonly en: string;
  readonly params: readonly ParamSpec[];
  /** Only some protocol versions know it (the server refuses it for others). */
  readonly versions?: string;
}

const req = (key: string, type: ParamType, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  key,
  type,
  required: true,
  ...extra,
});
const opt = (key: string, type: ParamType): ParamSpec => ({ key, type, required: false });
const polId = req('PolId', 'text');
const timeRange = [req('BeginTime', 'time'), req('EndTime', 'time')];

export const COMMAND_SPECS: readonly CommandSpec[] = [
  {
    name: 'get-system-time',
    cn: '1011',
    zh: '提取现场机时间',
    en: 'Get device time',
    params: [opt('PolId', 'text')],
  },
  {
    name: 'set-system-time',
    cn: '1012',
    zh: '设置现场机时间',
    en: 'Set device time',
    params: [opt('PolId', 'text'), req('SystemTime', 'time')],
  },
  {
    name: 'set-timeout-retries',
    cn: '1000',
    zh: '设置超时时间及重发次数',
    en: 'Set timeout and retries',
    params: [req('OverTime', 'integer', { range: [1, 99] }), req('ReCount', 'integer', { range: [1, 99] })],
  },
  {
    name: 'get-realtime-interval',
    cn: '1061',
    zh: '提取实时数据间隔',
    en: 'Get real-time interval',
    params: [],
  },
  {
    name: 'set-realtime-interval',
    cn: '1062',
    zh: '设置实时数据间隔（秒）',
    en: 'Set real-time interval (s)',
    params: [req('RtdInterval', 'integer', { range: [30, 3600] })],
  },
  {
    name: 'get-minute-interval',
    cn: '1063',
    zh: '提取分钟数据间隔',
    en: 'Get minute interval',
    params: [],
    versions: '2017+',
  },
  {
    name: 'set-minute-interval',
    cn: '1064',
    zh: '设置分钟数据间隔（分钟）',
    en: 'Set minute interval (min)',
    params: [req('MinInterval', 'integer', { oneOf: [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30] })],
    versions: '2017+',
  },
  { name: 'start-realtime-data', cn: '2011', zh: '取污染物实时数据', en: 'Start real-time data', params: [] },
  { name: 'stop-realtime-data', cn: '2012', zh: '停止察看实时数据', en: 'Stop real-time data', params: [] },
  { name: 'start-run-state', cn: '2021', zh: '取设备运行状态', en: 'Start run states', params: [] },
  { name: 'stop-run-state', cn: '2022', zh: '停止察看设备运行状态', en: 'Stop run states', params: [] },
  { name: 'get-day-data', cn: '2031', zh: '补取日历史数据', en: 'Get day data', params: timeRange },
  {
    name: 'get-run-time-data',
    cn: '2041',
    zh: '补取设备运行时间日数据',
    en: 'Get run-time data',
    params: timeRange,
  },
  { name: 'get-minute-data', cn: '2051', zh: '补取分钟数据', en: 'Get minute data', params: timeRange },
  { name: 'get-hour-data', cn: '2061', zh: '补取小时数据', en: 'Get hour data', params: timeRange },
  { name: 'calibrate', cn: '3011', zh: '零点校准量程校准', en: 'Calibrate', params: [polId] },
  { name: 'sample-now', cn: '3012', zh: '即时采样', en: 'Sample now', params: [polId] },
  {
    name: 'start-cleaning',
    cn: '3013',
    zh: '启动清洗/反吹',
    en: 'Start cleaning',
    params: [polId],
    versions: '2017+',
  },
  {
    name: 'comparison-sample',
    cn: '3014',
    zh: '比对采样',
    en: 'Comparison sample',
    params: [polId],
    versions: '2017+',
  },
  {
    name: 'keep-exceedance-sample',
    cn: '3015',
    zh: '超标留样',
    en: 'Keep exceedance sample',
    params: [opt('PolId', 'text')],
    versions: '2017+',
  },
  {
    name: 'set-sampling-period',
    cn: '3016',
    zh: '设置采样时间周期',
    en: 'Set sampling period',
    params: [polId, req('CstartTime', 'hhmmss'), req('Ctime', 'integer', { range: [1, 24] })],
    versions: '2017+',
  },
  {
    name: 'get-sampling-period',
    cn: '3017',
    zh: '提取采样时间周期',
    en: 'Get sampling period',
    params: [polId],
    versions: '2017+',
  },
  {
    name: 'get-sample-output-time',
    cn: '3018',
    zh: '提取出样时间',
    en: 'Get sample output time',
    params: [polId],
    versions: '2017+',
  },
  {
    name: 'get-instrument-sn',
    cn: '3019',
    zh: '提取设备唯一标识',
    en: 'Get instrument SN',
    params: [polId],
    versions: '2017+',
  },
  {
    name: 'get-device-info',
    cn: '3020',
    zh: '提取现场机信息',
    en: 'Get device information',
    params: [opt('PolId', 'text'), req('InfoId', 'text'), opt('BeginTime', 'time'), opt('EndTime', 'time')],
    versions: '2017+',
  },
  {
    name: 'set-device-parameter',
    cn: '3021',
    zh: '设置现场机参数',
    en: 'Set device parameter',
    params: [opt('PolId', 'text'), req('InfoId', 'text'), req('Info', 'text')],
    versions: '2017+',
  },
  {
    name: 'keep-sample-now',
    cn: '3022',
    zh: '手工留样',
    en: 'Keep a sample now',
    params: [polId],
    versions: '2025',
  },
  {
    name: 'start-standard-check',
    cn: '3024',
    zh: '启动标样核查',
    en: 'Start standard check',
    params: [polId],
    versions: '2025',
  },
];

export const commandSpec = (name: string) => COMMAND_SPECS.find((c) => c.name === name);

export function commandLabel(name: string, language: string): string {
  const spec = commandSpec(name);
  if (spec === undefined) return name;
  return language === 'en' ? spec.en : spec.zh;
}

/** HJ 212-2017 表 7 (QnRtn, CN 9011) and 表 6 (ExeRtn, CN 9012). */
export const QN_RTN: Readonly<Record<number, readonly [string, string]>> = {
  1: ['准备执行请求', 'Ready to execute'],
  2: ['请求被拒绝', 'Request rejected'],
  3: ['PW 错误', 'Wrong password (PW)'],
  4: ['MN 错误', 'Wrong MN'],
  5: ['ST 错误', 'Wrong ST'],
  6: ['Flag 错误', 'Wrong Flag'],
  7: ['QN 错误', 'Wrong QN'],
  8: ['CN 错误', 'Wrong CN'],
  9: ['CRC 校验错误', 'CRC error'],
  100: ['未知错误', 'Unknown error'],
};
export const EXE_RTN: Readonly<Record<number, readonly [string, string]>> = {
  1: ['执行成功', 'Executed successfully'],
  2: ['执行失败，但不知道原因', 'Failed, reason unknown'],
  3: ['命令请求条件错误', 'Request conditions wrong'],
  4: ['通讯超时', 'Communication timeout'],
  5: ['系统繁忙不能执行', 'System busy'],
  6: ['系统故障', 'System fault'],
  100: ['没有数据', 'No data'],
};

/** Device-information codes offered for InfoId (HJ 212-2017 表 B.10; any other i-code may be typed). */
export const INFO_IDS: readonly (readonly [string, string])[] = [
  ['i12001', '工作状态'],
  ['i12002', '分析仪与数采仪通讯状态'],
  ['i12003', 'COD 分析仪报警状态'],
  ['i13001', '测量量程'],
  ['i13002', '测量精度'],
  ['i13003', '测量间隔'],
  ['i13004', '消解温度'],
  ['i13005', '消解时长'],
  ['i13006', '校准时间'],
  ['i13007', '截距'],
  ['i13008', '斜率'],
  ['i13009', '测量检出限'],
];
