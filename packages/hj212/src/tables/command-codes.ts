import type { BodyType, ObservationPeriod } from '../message.js';
import { indexByCn, type ProtocolVersion } from '../versions.js';

/** How the CP of a data logger's packet with this CN is read. */
export type UplinkBody =
  | { readonly type: 'observations'; readonly period: ObservationPeriod }
  | { readonly type: Exclude<BodyType, 'observations' | 'command' | 'unknown'> };

export interface CommandCode {
  readonly cn: string;
  readonly versions: readonly ProtocolVersion[];
  /** The name in each version that defines it (HJ 212-2017 表 9, HJ/T 212-2005 命令列表). */
  readonly nameZh: Partial<Record<ProtocolVersion, string>>;
  readonly nameEn: string;
  /** The platform's form: a request (answered 9011 then 9012), a notice (answered 9013), or a reply. */
  readonly down?: 'request' | 'notice' | 'reply';
  /** The data logger's form: an upload (acknowledged 9014 when Flag.A = 1), a notice (9013), or a reply. */
  readonly up?: { readonly kind: 'upload' | 'notice' | 'reply'; readonly body: UplinkBody };
  /** Known only from third-party code or field traffic, not from a standard's text. */
  readonly unverified?: boolean;
}

const ALL: readonly ProtocolVersion[] = ['2005', '2017', '2025'];
const SINCE_2017: readonly ProtocolVersion[] = ['2017', '2025'];
const ONLY_2005: readonly ProtocolVersion[] = ['2005'];
const ONLY_2025: readonly ProtocolVersion[] = ['2025'];

const both = (zh: string): Partial<Record<ProtocolVersion, string>> => ({
  '2005': zh,
  '2017': zh,
  '2025': zh,
});
const since2017 = (zh: string): Partial<Record<ProtocolVersion, string>> => ({ '2017': zh, '2025': zh });

const observations = (period: ObservationPeriod) =>
  ({ kind: 'upload', body: { type: 'observations', period } }) as const;
const upload = (type: Exclude<BodyType, 'observations' | 'command' | 'unknown'>) =>
  ({ kind: 'upload', body: { type } }) as const;

/**
 * CN command codes (HJ 212-2017 §6.6.5 表 9 and 附录 C; HJ/T 212-2005 §6.6.5). A CN whose meaning changed
 * between versions (1001, 3013, 3014) has one row per meaning: never dispatch those without the version.
 * HJ 212-2025 rows come from third-party code (caoyiliang/HJ212 Enum.cs); the 2025 text was not available.
 */
export const COMMAND_CODES: readonly CommandCode[] = [
  // 初始化命令 / 参数命令
  {
    cn: '1000',
    versions: ALL,
    nameZh: both('设置超时时间及重发次数'),
    nameEn: 'Set timeout and retry count',
    down: 'request',
  },
  {
    cn: '1001',
    versions: ONLY_2005,
    nameZh: { '2005': '设置超限报警时间' },
    nameEn: 'Set exceedance alarm time',
    down: 'request',
  },
  {
    cn: '1001',
    versions: ONLY_2025,
    nameZh: { '2025': '上传数采仪硬件序号' },
    nameEn: 'Upload data-logger hardware serial number',
    up: upload('parameters'),
    unverified: true,
  },
  {
    cn: '1002',
    versions: ONLY_2025,
    nameZh: { '2025': '设置数采仪MN编码' },
    nameEn: 'Set data-logger MN',
    down: 'request',
    unverified: true,
  },
  {
    cn: '1011',
    versions: ALL,
    nameZh: both('提取现场机时间 / 上传现场机时间'),
    nameEn: 'Get / upload field-device time',
    down: 'request',
    up: upload('system-time'),
  },
  {
    cn: '1012',
    versions: ALL,
    nameZh: both('设置现场机时间'),
    nameEn: 'Set field-device time',
    down: 'request',
  },
  {
    cn: '1013',
    versions: SINCE_2017,
    nameZh: since2017('现场机时间校准请求'),
    nameEn: 'Field-device time calibration request',
    up: { kind: 'notice', body: { type: 'time-calibration-request' } },
  },
  {
    cn: '1014',
    versions: ONLY_2025,
    nameZh: { '2025': '现场机获取新密钥 / 上位机下发新密钥' },
    nameEn: 'Key request / key distribution',
    down: 'request',
    up: upload('parameters'),
    unverified: true,
  },
  {
    cn: '1021',
    versions: ONLY_2005,
    nameZh: { '2005': '提取污染物报警门限值 / 上传污染物报警门限值' },
    nameEn: 'Get / upload pollutant alarm limits',
    down: 'request',
    up: upload('parameters'),
  },
  {
    cn: '1022',
    versions: ONLY_2005,
    nameZh: { '2005': '设置污染物报警门限值' },
    nameEn: 'Set pollutant alarm limits',
    down: 'request',
  },
  {
    cn: '1031',
    versions: ONLY_2005,
    nameZh: { '2005': '提取上位机地址 / 上传上位机地址' },
    nameEn: 'Get / upload host address',
    down: 'request',
    up: upload('parameters'),
  },
  {
    cn: '1032',
    versions: ONLY_2005,
    nameZh: { '2005': '设置上位机地址' },
    nameEn: 'Set host address',
    down: 'request',
  },
  {
    cn: '1041',
    versions: ONLY_2005,
    nameZh: { '2005': '提取数据上报时间 / 上传数据上报时间' },
    nameEn: 'Get / upload data report time',
    down: 'request',
    up: upload('parameters'),
  },
  {
    cn: '1042',
    versions: ONLY_2005,
    nameZh: { '2005': '设置数据上报时间' },
    nameEn: 'Set data report time',
    down: 'request',
  },
  {
    cn: '1061',
    versions: ALL,
    nameZh: both('提取实时数据间隔 / 上传实时数据间隔'),
    nameEn: 'Get / upload real-time data interval',
    down: 'request',
    up: upload('parameters'),
  },
  {
    cn: '1062',
    versions: ALL,
    nameZh: both('设置实时数据间隔'),
    nameEn: 'Set real-time data interval',
    down: 'request',
  },
  {
    cn: '1063',
    versions: SINCE_2017,
    nameZh: since2017('提取分钟数据间隔 / 上传分钟数据间隔'),
    nameEn: 'Get / upload minute data interval',
    down: 'request',
    up: upload('parameters'),
  },
  {
    cn: '1064',
    versions: SINCE_2017,
    nameZh: since2017('设置分钟数据间隔'),
    nameEn: 'Set minute data interval',
    down: 'request',
  },
  {
    cn: '1072',
    versions: ALL,
    nameZh: { '2005': '设置访问密码', '2017': '设置现场机密码', '2025': '设置现场机密码' },
    nameEn: 'Set field-device password',
    down: 'request',
  },
  // 数据命令
  {
    cn: '2011',
    versions: ALL,
    nameZh: both('取污染物实时数据 / 上传污染物实时数据'),
    nameEn: 'Get / upload real-time pollutant data',
    down: 'request',
    up: observations('realtime'),
  },
  {
    cn: '2012',
    versions: ALL,
    nameZh: both('停止察看污染物实时数据'),
    nameEn: 'Stop real-time pollutant data',
    down: 'notice',
  },
  {
    cn: '2013',
    versions: ONLY_2025,
    nameZh: { '2025': '上传原始监测数据' },
    nameEn: 'Upload raw monitoring data',
    up: observations('realtime'),
    unverified: true,
  },
  {
    cn: '2021',
    versions: ALL,
    nameZh: both('取设备运行状态数据 / 上传设备运行状态数据'),
    nameEn: 'Get / upload facility run state',
    down: 'request',
    up: upload('run-state'),
  },
  {
    cn: '2022',
    versions: ALL,
    nameZh: both('停止察看设备运行状态'),
    nameEn: 'Stop facility run state',
    down: 'notice',
  },
  {
    cn: '2031',
    versions: ALL,
    nameZh: both('取污染物日历史数据 / 上传污染物日历史数据'),
    nameEn: 'Get / upload daily pollutant data',
    down: 'request',
    up: observations('day'),
  },
  {
    cn: '2041',
    versions: ALL,
    nameZh: both('取设备运行时间日历史数据 / 上传设备运行时间日历史数据'),
    nameEn: 'Get / upload daily facility run time',
    down: 'request',
    up: upload('run-time'),
  },
  {
    cn: '2051',
    versions: ALL,
    nameZh: both('取污染物分钟数据 / 上传污染物分钟数据'),
    nameEn: 'Get / upload minute pollutant data',
    down: 'request',
    up: observations('minute'),
  },
  {
    cn: '2052',
    versions: ONLY_2025,
    nameZh: { '2025': '上传噪声单次测量数据' },
    nameEn: 'Upload single noise measurement',
    up: observations('realtime'),
    unverified: true,
  },
  {
    cn: '2061',
    versions: ALL,
    nameZh: both('取污染物小时数据 / 上传污染物小时数据'),
    nameEn: 'Get / upload hourly pollutant data',
    down: 'request',
    up: observations('hour'),
  },
  {
    cn: '2062',
    versions: ONLY_2025,
    nameZh: { '2025': '上传自动标样核查结果' },
    nameEn: 'Upload automatic standard-sample check result',
    up: upload('parameters'),
    unverified: true,
  },
  {
    cn: '2071',
    versions: ONLY_2005,
    nameZh: { '2005': '取污染物报警记录 / 上传污染物报警记录' },
    nameEn: 'Get / upload pollutant alarm records',
    down: 'request',
    up: upload('alarm'),
  },
  {
    cn: '2072',
    versions: ONLY_2005,
    nameZh: { '2005': '上传报警事件' },
    nameEn: 'Alarm event notice',
    up: { kind: 'notice', body: { type: 'alarm' } },
  },
  {
    cn: '2081',
    versions: SINCE_2017,
    nameZh: since2017('上传数采仪开机时间'),
    nameEn: 'Upload data-logger restart time',
    up: upload('restart'),
  },
  {
    cn: '2111',
    versions: ONLY_2025,
    nameZh: { '2025': '上传炉膛温度5分钟均值' },
    nameEn: 'Upload 5-minute furnace temperature mean',
    up: observations('minute'),
    unverified: true,
  },
  // 控制命令
  {
    cn: '3011',
    versions: ALL,
    nameZh: { '2005': '校零校满', '2017': '零点校准量程校准', '2025': '零点校准量程校准' },
    nameEn: 'Zero and span calibration',
    down: 'request',
  },
  { cn: '3012', versions: ALL, nameZh: both('即时采样'), nameEn: 'Sample now', down: 'request' },
  {
    cn: '3013',
    versions: ONLY_2005,
    nameZh: { '2005': '设备操作命令' },
    nameEn: 'Device operation (2005)',
    down: 'request',
  },
  {
    cn: '3013',
    versions: SINCE_2017,
    nameZh: since2017('启动清洗/反吹'),
    nameEn: 'Start cleaning / back-blowing',
    down: 'request',
  },
  {
    cn: '3014',
    versions: ONLY_2005,
    nameZh: { '2005': '设置设备采样时间周期' },
    nameEn: 'Set device sampling hours (2005)',
    down: 'request',
  },
  {
    cn: '3014',
    versions: SINCE_2017,
    nameZh: since2017('比对采样'),
    nameEn: 'Comparison sampling',
    down: 'request',
  },
  {
    cn: '3015',
    versions: SINCE_2017,
    nameZh: since2017('超标留样 / 上传超标留样信息'),
    nameEn: 'Keep exceedance sample / upload sample-keeping information',
    down: 'request',
    up: upload('parameters'),
  },
  {
    cn: '3016',
    versions: SINCE_2017,
    nameZh: since2017('设置采样时间周期'),
    nameEn: 'Set sampling period',
    down: 'request',
  },
  {
    cn: '3017',
    versions: SINCE_2017,
    nameZh: since2017('提取采样时间周期 / 上传采样时间周期'),
    nameEn: 'Get / upload sampling period',
    down: 'request',
    up: upload('parameters'),
  },
  {
    cn: '3018',
    versions: SINCE_2017,
    nameZh: since2017('提取出样时间 / 上传出样时间'),
    nameEn: 'Get / upload sample output time',
    down: 'request',
    up: upload('parameters'),
  },
  {
    cn: '3019',
    versions: SINCE_2017,
    nameZh: since2017('提取设备唯一标识 / 上传设备唯一标识'),
    nameEn: 'Get / upload instrument serial number',
    down: 'request',
    up: upload('parameters'),
  },
  {
    cn: '3020',
    versions: SINCE_2017,
    nameZh: since2017('提取现场机信息 / 上传现场机信息'),
    nameEn: 'Get / upload site information',
    down: 'request',
    up: upload('device-info'),
  },
  {
    cn: '3021',
    versions: SINCE_2017,
    nameZh: since2017('设置现场机参数'),
    nameEn: 'Set site parameter',
    down: 'request',
  },
  {
    cn: '3022',
    versions: ONLY_2025,
    nameZh: { '2025': '即时留样' },
    nameEn: 'Keep a sample now',
    down: 'request',
    unverified: true,
  },
  {
    cn: '3024',
    versions: ONLY_2025,
    nameZh: { '2025': '启动标样核查' },
    nameEn: 'Start standard-sample check',
    down: 'request',
    unverified: true,
  },
  // 交互命令
  {
    cn: '9011',
    versions: ALL,
    nameZh: both('请求应答'),
    nameEn: 'Request reply',
    up: { kind: 'reply', body: { type: 'request-reply' } },
  },
  {
    cn: '9012',
    versions: ALL,
    nameZh: both('执行结果'),
    nameEn: 'Execution result',
    up: { kind: 'reply', body: { type: 'execution-result' } },
  },
  {
    cn: '9013',
    versions: ALL,
    nameZh: both('通知应答'),
    nameEn: 'Notice reply',
    down: 'reply',
    up: { kind: 'reply', body: { type: 'notice-reply' } },
  },
  {
    cn: '9014',
    versions: ALL,
    nameZh: both('数据应答'),
    nameEn: 'Data acknowledgement',
    down: 'reply',
    up: { kind: 'reply', body: { type: 'data-ack' } },
  },
  {
    cn: '9015',
    versions: ONLY_2025,
    nameZh: { '2025': '心跳包' },
    nameEn: 'Heartbeat',
    // Acknowledged (9014) only when the logger asks (Flag.A = 1): no standard text says a heartbeat wants a reply.
    up: { kind: 'upload', body: { type: 'heartbeat' } },
    unverified: true,
  },
  {
    // Not in any standard: a login/heartbeat packet seen in field traffic (CN=9021;ST=91;CP=&&&&).
    cn: '9021',
    versions: ALL,
    nameZh: both('心跳（非标准）'),
    nameEn: 'Heartbeat (non-standard, field)',
    // Acknowledged (9014) only when the logger asks (Flag.A = 1): no standard text says a heartbeat wants a reply.
    up: { kind: 'upload', body: { type: 'heartbeat' } },
    unverified: true,
  },
];

const BY_CN = new Map<string, CommandCode[]>();
for (const row of COMMAND_CODES) {
  const rows = BY_CN.get(row.cn) ?? [];
  rows.push(row);
  BY_CN.set(row.cn, rows);
}

/** The row for a CN in a version, or undefined when that version does not define it. */
export function commandCode(cn: string, version: ProtocolVersion): CommandCode | undefined {
  return BY_VERSION[version].get(cn);
}

const BY_VERSION = indexByCn(COMMAND_CODES);

/** Any version's row for a CN, preferring the newest (for packets that mix versions). */
export function anyCommandCode(cn: string): CommandCode | undefined {
  const rows = BY_CN.get(cn);
  return rows?.[rows.length - 1];
}

/** What the other side sends back for a packet with this CN (HJ 212-2017 §6.1, 附录 C). */
export interface ExpectedReply {
  /** CNs the other side answers with, in order (e.g. 9011 then 9012 for a request). */
  readonly cns: readonly string[];
  /** True when the answer is due only if the packet's Flag.A is set (uploads). */
  readonly onlyIfAckRequested: boolean;
  /** Requests: the data the request asks for comes between 9011 and 9012 (e.g. 2061 uploads). */
  readonly dataBetween: boolean;
}

/**
 * The reply a packet expects: a platform request gets 9011 (then data, then 9012), a notice 9013, an upload
 * 9014 when it asks (Flag.A = 1), and a reply nothing. Undefined when the version has no such form.
 */
export function expectedReply(
  cn: string,
  version: ProtocolVersion,
  direction: 'up' | 'down',
): ExpectedReply | undefined {
  const row = commandCode(cn, version);
  if (row === undefined) return undefined;
  if (direction === 'down') {
    if (row.down === 'request')
      return { cns: ['9011', '9012'], onlyIfAckRequested: false, dataBetween: row.up !== undefined };
    if (row.down === 'notice') return { cns: ['9013'], onlyIfAckRequested: false, dataBetween: false };
    return row.down === 'reply' ? { cns: [], onlyIfAckRequested: false, dataBetween: false } : undefined;
  }
  switch (row.up?.kind) {
    case 'upload':
      return { cns: ['9014'], onlyIfAckRequested: true, dataBetween: false };
    case 'notice':
      return { cns: ['9013'], onlyIfAckRequested: false, dataBetween: false };
    case 'reply':
      return { cns: [], onlyIfAckRequested: false, dataBetween: false };
    default:
      return undefined;
  }
}
