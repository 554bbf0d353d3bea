// GET /reports/transmission (packages/server/src/services/report-service.ts) and the point list used to
// drill down from a region to its enterprises and from an enterprise to its points.
import { api, exportUrl } from './client';

export type ReportPeriod = 'month' | 'quarter' | 'year';
export type ReportSubject = 'region' | 'enterprise' | 'point';
export type TransmissionView = 'first' | 'amended';

export interface TransmissionRow {
  /** Region code, enterprise id or point id (as text); label: region name, enterprise name or MN. */
  readonly subject: { readonly key: string; readonly label: string };
  readonly expected: number;
  readonly received: number;
  readonly valid: number;
  readonly transmissionRate: number | null;
  readonly validityRate: number | null;
  readonly effectiveTransmissionRate: number | null;
  readonly meetsTarget: boolean | null;
  readonly captureRate: number | null;
  readonly belowTarget: boolean;
}

export interface TransmissionReport {
  readonly period: ReportPeriod;
  readonly at: string;
  readonly from: number;
  readonly to: number;
  readonly subject: ReportSubject;
  readonly view: TransmissionView;
  /** 有效传输率 target, a fraction (0.95). */
  readonly target: number;
  readonly rows: readonly TransmissionRow[];
}

export interface TransmissionQuery {
  readonly period: ReportPeriod;
  readonly at: string;
  readonly subject: ReportSubject;
  readonly view: TransmissionView;
}

/** GET /points: one line per point in scope (never the password). */
export interface PointRow {
  readonly id: number;
  readonly mn: string;
  readonly name: string;
  readonly status: string;
  readonly protocolVersion: string;
  readonly outletId: number;
  readonly outletCode: string;
  readonly outletName: string;
  readonly outletKind: string;
  readonly enterpriseId: number;
  readonly enterpriseName: string;
  readonly regionCode: string;
  readonly inServiceOn: string | null;
  readonly updatedAt: number;
}

export const transmissionApi = {
  report: (q: TransmissionQuery) => api.get<TransmissionReport>('/reports/transmission', { ...q }),
  /** The same report as a spreadsheet (the session cookie goes with a plain link). */
  exportUrl: (q: TransmissionQuery, format: 'xlsx' | 'csv' = 'xlsx') =>
    exportUrl('/reports/transmission', { ...q }, format),
  points: (query: { enterpriseId?: number } = {}) =>
    api.get<PointRow[]>('/points', { ...query, limit: 5000 }),
};
