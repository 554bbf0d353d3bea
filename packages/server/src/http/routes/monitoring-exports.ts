import type { DeviceInfoItem, ParameterChanges } from '../../services/monitoring/device-info.js';
import type { FrameSummary } from '../../services/monitoring/frames.js';
import type { LiveStatus } from '../../services/monitoring/live.js';
import { beijingText } from '../../services/monitoring/points.js';
import type { SeriesResult } from '../../services/monitoring/series.js';
import type { ExportTable } from '../route.js';

const yesNo = (v: boolean | null) => (v === null ? '' : v ? '是' : '否');

/** One row per point × factor (a point without factors: one row). */
export function liveTable(result: LiveStatus): ExportTable {
  const rows: Record<string, unknown>[] = [];
  for (const p of result.points) {
    const point = {
      enterprise: p.enterpriseName,
      regionCode: p.regionCode,
      outlet: p.outletCode,
      point: p.pointName,
      mn: p.mn,
      online: p.online ? '在线' : '离线',
      lastSeenAt: beijingText(p.lastSeenAt),
    };
    if (p.factors.length === 0) rows.push(point);
    for (const f of p.factors)
      rows.push({
        ...point,
        factor: f.factorCode,
        value: f.value,
        corrected: f.corrected,
        unit: f.unit,
        flag: f.flag,
        dataTime: beijingText(f.dataTime),
        ageMin: f.ageMs === null ? null : Math.floor(f.ageMs / 60_000),
        limit: f.limit.upper,
        lower: f.limit.lower,
        exceeding: yesNo(f.exceeding),
      });
  }
  return {
    filename: 'live',
    columns: [
      { key: 'enterprise', header: '企业' },
      { key: 'regionCode', header: '行政区划' },
      { key: 'outlet', header: '排口' },
      { key: 'point', header: '点位' },
      { key: 'mn', header: 'MN' },
      { key: 'online', header: '在线状态' },
      { key: 'lastSeenAt', header: '最后通讯时间' },
      { key: 'factor', header: '因子' },
      { key: 'value', header: '实时值' },
      { key: 'corrected', header: '折算值' },
      { key: 'unit', header: '单位' },
      { key: 'flag', header: '数据标记' },
      { key: 'dataTime', header: '数据时间' },
      { key: 'ageMin', header: '数据时长(分钟)' },
      { key: 'limit', header: '小时限值' },
      { key: 'lower', header: '下限' },
      { key: 'exceeding', header: '是否超标' },
    ],
    rows,
  };
}

/** One row per factor × sample (the columns transposed), all samples (exports are never downsampled). */
export function seriesTable(result: SeriesResult): ExportTable {
  const rows: Record<string, unknown>[] = [];
  for (const f of result.factors)
    for (let i = 0; i < f.t.length; i++)
      rows.push({
        factor: f.factorCode,
        time: beijingText(f.t[i] as number),
        value: f.value[i],
        min: f.min[i],
        max: f.max[i],
        cou: f.cou[i],
        corrected: f.corrected[i],
        unit: f.unit,
        flag: f.flag[i],
        validity: f.validity?.[i] ?? null,
        reason: f.reason?.[i] ?? null,
        limit: f.limit?.upper ?? null,
        exceeding: yesNo(f.exceeding[i] ?? null),
      });
  return {
    filename: `point-${result.pointId}-${result.period}`,
    columns: [
      { key: 'factor', header: '因子' },
      { key: 'time', header: '时间' },
      { key: 'value', header: result.period === 'realtime' ? '实时值' : '均值' },
      { key: 'min', header: '最小值' },
      { key: 'max', header: '最大值' },
      { key: 'cou', header: '累计值' },
      { key: 'corrected', header: '折算值' },
      { key: 'unit', header: '单位' },
      { key: 'flag', header: '数据标记' },
      { key: 'validity', header: '有效性' },
      { key: 'reason', header: '判定依据' },
      { key: 'limit', header: '限值' },
      { key: 'exceeding', header: '是否超标' },
    ],
    rows,
  };
}

export function framesTable(rows: FrameSummary[]): ExportTable {
  return {
    filename: 'frames',
    columns: [
      { key: 'id', header: 'id' },
      { key: 'receivedAt', header: '接收时间' },
      { key: 'peer', header: '来源地址' },
      { key: 'mn', header: 'MN' },
      { key: 'cn', header: 'CN' },
      { key: 'qn', header: 'QN' },
      { key: 'verdict', header: '结论' },
      { key: 'errorCode', header: '错误码' },
      { key: 'text', header: '报文' },
    ],
    rows: rows.map((r) => ({ ...r, receivedAt: beijingText(r.receivedAt) })),
  };
}

const INFO_COLUMNS = [
  { key: 'polId', header: '因子' },
  { key: 'infoCode', header: '信息编码' },
  { key: 'name', header: '名称' },
  { key: 'value', header: '值' },
  { key: 'valueName', header: '含义' },
  { key: 'unit', header: '单位' },
  { key: 'observedAt', header: '信息时间' },
  { key: 'receivedAt', header: '接收时间' },
];

export function deviceInfoTable(filename: string, items: readonly DeviceInfoItem[]): ExportTable {
  return {
    filename,
    columns: INFO_COLUMNS,
    rows: items.map((i) => ({
      ...i,
      observedAt: beijingText(i.observedAt),
      receivedAt: beijingText(i.receivedAt),
    })),
  };
}

export function parameterChangesTable(result: ParameterChanges): ExportTable {
  return {
    filename: `point-${result.pointId}-parameter-changes`,
    columns: [
      { key: 'polId', header: '因子' },
      { key: 'infoCode', header: '参数编码' },
      { key: 'name', header: '名称' },
      { key: 'at', header: '时间' },
      { key: 'previous', header: '前值' },
      { key: 'value', header: '新值' },
      { key: 'baseline', header: '备案值' },
      { key: 'offBaseline', header: '偏离备案' },
    ],
    rows: result.changes.map((c) => ({ ...c, at: beijingText(c.at), offBaseline: yesNo(c.offBaseline) })),
  };
}
