// GET /alarms, /alarms/summary, /alarms/:id (services/alarm-service.ts) and the region tree for filters.
import { exportUrl } from './client';

export interface AlarmView {
  readonly id: number;
  readonly type: string;
  readonly pointId: number;
  readonly mn: string;
  readonly pointName: string;
  readonly enterpriseId: number;
  readonly enterpriseName: string;
  readonly regionCode: string;
  readonly factorCode: string | null;
  readonly openedAt: number;
  readonly closedAt: number | null;
  readonly open: boolean;
  readonly peakValue: number | null;
  readonly limitValue: number | null;
  readonly detail: Record<string, unknown>;
  readonly ruleVersion: string;
}

export interface AlarmSeriesPoint {
  readonly factorCode: string;
  readonly periodStart: number;
  readonly avg: number | null;
  readonly zsAvg: number | null;
  readonly flag: string | null;
}

export interface AlarmDetail {
  readonly alarm: AlarmView;
  readonly window: { readonly from: number; readonly to: number };
  readonly series: readonly AlarmSeriesPoint[];
}

export interface AlarmFilter {
  readonly type?: string;
  readonly state?: 'open' | 'closed';
  readonly regionCode?: string;
  readonly enterpriseId?: number;
  readonly from?: number;
  readonly to?: number;
}

/** GET /regions?tree=true node. */
export interface RegionNode {
  readonly code: string;
  readonly name: string;
  readonly level: string;
  readonly parentCode: string | null;
  readonly children: readonly RegionNode[];
}

/** The filter as query parameters (undefined ones left out by the client). */
export function alarmQuery(filter: AlarmFilter): Record<string, string | number | undefined> {
  return {
    type: filter.type,
    state: filter.state,
    regionCode: filter.regionCode,
    enterpriseId: filter.enterpriseId,
    from: filter.from,
    to: filter.to,
  };
}

/** The Excel export of the list (same filter, up to 5000 rows), downloaded through a link. */
export function alarmsExportUrl(filter: AlarmFilter): string {
  return exportUrl('/alarms', { ...alarmQuery(filter), limit: 5000 });
}
