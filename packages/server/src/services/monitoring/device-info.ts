import { DAY_MS } from '@qingyuan/domain';
import { DEVICE_INFO_CODES } from '@qingyuan/hj212';
import type { DeviceInfoRecord } from '@qingyuan/store';
import { parameterFindings } from '../../analysis/parameters.js';
import type { ServiceContext } from '../context.js';

/** 表 B.9 信息分类 (the fourth character of an i-code): 1 log, 2 state, 3 parameter. */
export type InfoClass = 'log' | 'state' | 'parameter' | 'other';

export interface DeviceInfoItem {
  /** The PolId the item belongs to ('' for the data logger's own items). */
  readonly polId: string;
  readonly infoCode: string;
  readonly name: string | null;
  readonly infoClass: InfoClass;
  readonly unit: string;
  readonly value: string;
  /** The name of an enumerated state value (i12001 0 → 运行), where the table has one. */
  readonly valueName: string | null;
  readonly observedAt: number | null;
  readonly receivedAt: number;
}

export interface DeviceInfoNow {
  readonly pointId: number;
  readonly states: DeviceInfoItem[];
  readonly parameters: DeviceInfoItem[];
  readonly logs: DeviceInfoItem[];
  readonly other: DeviceInfoItem[];
}

export interface ParameterChanges {
  readonly pointId: number;
  readonly from: number;
  readonly to: number;
  /** Filed parameters (备案参数) whose latest value differs, or that were never received. */
  readonly differences: {
    polId: string;
    infoCode: string;
    name: string | null;
    filed: string | null;
    current: string | null;
    currentSince: number | null;
  }[];
  /** Each received value of a watched parameter that differs from the previous one or from the filed one. */
  readonly changes: {
    polId: string;
    infoCode: string;
    name: string | null;
    at: number;
    previous: string | null;
    value: string;
    baseline: string | null;
    changed: boolean;
    offBaseline: boolean;
  }[];
}

const CLASSES: Readonly<Record<string, InfoClass>> = { '1': 'log', '2': 'state', '3': 'parameter' };
const EXACT = new Map(DEVICE_INFO_CODES.filter((c) => !/x/.test(c.code)).map((c) => [c.code, c]));
const PATTERNS = DEVICE_INFO_CODES.filter((c) => /x/.test(c.code)).map((c) => ({
  re: new RegExp(`^${c.code.replace(/x/g, '[0-9]')}$`),
  entry: c,
}));

/** HJ 212-2017 表 B.10's entry for an i-code (pattern rows such as i3331x included). */
function codeEntry(code: string) {
  return EXACT.get(code) ?? PATTERNS.find((p) => p.re.test(code))?.entry;
}

const codeName = (code: string) => codeEntry(code)?.nameZh ?? null;

export function deviceInfoItem(row: DeviceInfoRecord): DeviceInfoItem {
  const entry = codeEntry(row.info_code);
  const valueName = entry?.values?.find((v) => String(v.value) === row.value.trim())?.nameZh ?? null;
  return {
    polId: row.pol_id,
    infoCode: row.info_code,
    name: entry?.nameZh ?? null,
    infoClass: CLASSES[row.info_code.charAt(2)] ?? 'other',
    unit: entry?.unit ?? '',
    value: row.value,
    valueName,
    observedAt: row.observed_at === null ? null : Number(row.observed_at),
    receivedAt: Number(row.received_at),
  };
}

/** The latest value of every i-code a point reported (CN 3020), by kind. */
export async function currentDeviceInfo(ctx: ServiceContext, pointId: number): Promise<DeviceInfoNow> {
  const items = (await ctx.repos.deviceInfo.current(pointId)).map(deviceInfoItem);
  const of = (kind: InfoClass) => items.filter((i) => i.infoClass === kind);
  return { pointId, states: of('state'), parameters: of('parameter'), logs: of('log'), other: of('other') };
}

/**
 * 参数变更 of a point: the filed baseline against the latest values, and every watched parameter change in
 * [from, to), judged as analysis/parameters.ts judges it (domain detectParameterChange).
 */
export async function parameterChanges(
  ctx: ServiceContext,
  pointId: number,
  range: { from?: number; to?: number },
): Promise<ParameterChanges> {
  const to = range.to ?? ctx.now();
  const from = range.from ?? to - 90 * DAY_MS;
  const info = ctx.repos.deviceInfo;
  const [{ findings }, differences] = await Promise.all([
    parameterFindings(info, pointId, from, to, await ctx.anomalies.current()),
    info.differences(pointId),
  ]);
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    pointId,
    from,
    to,
    differences: differences.map((d) => ({ ...d, name: codeName(d.infoCode) })),
    changes: findings.map((f) => ({
      polId: f.factor,
      infoCode: String(f.detail.code),
      name: codeName(String(f.detail.code)),
      at: f.start,
      previous: text(f.detail.previous),
      value: String(f.detail.value),
      baseline: text(f.detail.baseline),
      changed: f.detail.changed === true,
      offBaseline: f.detail.offBaseline === true,
    })),
  };
}
