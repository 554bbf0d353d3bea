import { type Cp, type CpField, factorCode, formatBeijingTime, type ProtocolVersion } from '@qingyuan/hj212';
import type { FactorProfile } from './factors.js';
import type { AggregateRecord, DeviceModel, ObservationRecord } from './model.js';

/** CN of each record period (HJ 212-2017 表 9: 2011 实时, 2051 分钟, 2061 小时, 2031 日). */
export const PERIOD_CN = { realtime: '2011', minute: '2051', hour: '2061', day: '2031' } as const;

/** Decimal text with `decimals` places, never "-0.00". */
export function formatValue(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return Number(text) === 0 ? text.replace('-', '') : text;
}

/** Decimal places of a Cou: volumes (m³) 2, masses (kg) 4. */
const couDecimals = (factor: FactorProfile): number => (factor.role === 'flow' ? 2 : 4);

/** The code a factor is written with: the 2017 code, or in 2005 its 原编码 (HJ 212-2017 表 B.1/B.2). */
export function wireCode(code: string, dialect: ProtocolVersion): string {
  return dialect === '2005' ? (factorCode(code)?.code2005 ?? code) : code;
}

/**
 * CP of an observation record: `DataTime=…` then one item per factor with its values as sub-fields
 * (`w01018-Avg=…,w01018-Cou=…,w01018-Flag=N`, HJ 212-2017 表 C.14–C.18). In 2005 codes are the 2005 ones
 * and the 2017-only Zs values are left out.
 */
export function observationCp(record: ObservationRecord, model: DeviceModel, dialect: ProtocolVersion): Cp {
  const groups: CpField[][] = [[{ key: 'DataTime', value: formatBeijingTime(record.dataTime) }]];
  const withZs = dialect !== '2005';
  for (const value of record.factors) {
    const factor = model.factors.find((f) => f.code === value.code);
    if (factor === undefined) continue;
    const code = wireCode(value.code, dialect);
    const field = (suffix: string, number: number, decimals = factor.decimals): CpField => ({
      key: `${code}-${suffix}`,
      value: formatValue(number, decimals),
    });
    const group: CpField[] = [];
    if ('rtd' in value) {
      group.push(field('Rtd', value.rtd));
      if (withZs && value.zsRtd !== undefined) group.push(field('ZsRtd', value.zsRtd));
    } else {
      group.push(field('Min', value.min), field('Avg', value.avg), field('Max', value.max));
      if (withZs && value.zsAvg !== undefined) {
        group.push(
          field('ZsMin', value.zsMin as number),
          field('ZsAvg', value.zsAvg),
          field('ZsMax', value.zsMax as number),
        );
      }
      if (value.cou !== undefined) group.push(field('Cou', value.cou, couDecimals(factor)));
    }
    group.push({ key: `${code}-Flag`, value: value.flag });
    groups.push(group);
  }
  return groups;
}

/** An aggregate record's values rounded as they are written (for consistency checks on the wire). */
export function roundedAggregate(record: AggregateRecord, model: DeviceModel): AggregateRecord {
  return {
    ...record,
    factors: record.factors.map((value) => {
      const factor = model.factors.find((f) => f.code === value.code) as FactorProfile;
      const r = (n: number) => Number(formatValue(n, factor.decimals));
      return {
        ...value,
        min: r(value.min),
        avg: r(value.avg),
        max: r(value.max),
        ...(value.cou === undefined ? {} : { cou: Number(formatValue(value.cou, couDecimals(factor))) }),
      };
    }),
  };
}

export interface DeviceInfoEntry {
  readonly polId?: string;
  readonly items: readonly { readonly code: string; readonly value: string }[];
}

/** CP of a 3020 upload (HJ 212-2017 表 C.42): DataTime, then per PolId its `ixxxxx-Info` items. */
export function deviceInfoCp(
  dataTime: number,
  entries: readonly DeviceInfoEntry[],
  dialect: ProtocolVersion,
): Cp {
  const groups: CpField[][] = [[{ key: 'DataTime', value: formatBeijingTime(dataTime) }]];
  for (const entry of entries) {
    if (entry.polId !== undefined) groups.push([{ key: 'PolId', value: wireCode(entry.polId, dialect) }]);
    for (const item of entry.items) groups.push([{ key: `${item.code}-Info`, value: item.value }]);
  }
  return groups;
}
