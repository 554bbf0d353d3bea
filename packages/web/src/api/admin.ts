// The writes of 系统管理: the registry (enterprises, outlets, points — registry.write), the emission-standard
// library (reference.write) and the province's anomaly thresholds (rules.read / rules.write), as
// docs/api.md describes them.

import type { EnterpriseDetail, Outlet, PointDetail, StandardLimit, StandardSummary } from './archive';
import { ApiError, api } from './client';

export const ENTERPRISE_STATUSES = ['active', 'suspended', 'closed'] as const;
export const OUTLET_STATUSES = ['active', 'stopped', 'removed'] as const;
export const POINT_STATUSES = ['planned', 'building', 'running', 'stopped', 'removed'] as const;
export const PROTOCOL_VERSIONS = ['2005', '2017', '2025'] as const;
export const MEDIA = ['gas', 'water'] as const;
export const LIMIT_PERIODS = ['hour', 'day', 'instant'] as const;

export interface EnterpriseFields {
  uscc?: string;
  name?: string;
  regionCode?: string;
  industryCode?: string | null;
  address?: string | null;
  longitude?: number | null;
  latitude?: number | null;
  contactName?: string | null;
  contactPhone?: string | null;
  status?: (typeof ENTERPRISE_STATUSES)[number];
}

export interface OutletFields {
  kind?: (typeof MEDIA)[number];
  code?: string;
  name?: string;
  standardId?: number | null;
  referenceO2?: number | null;
  stackHeightM?: number | null;
  status?: (typeof OUTLET_STATUSES)[number];
}

export interface PointFields {
  name?: string;
  mn?: string;
  password?: string;
  protocolVersion?: (typeof PROTOCOL_VERSIONS)[number];
  realtimeIntervalS?: number;
  minuteIntervalMin?: number;
  inServiceOn?: string | null;
}

export interface LimitFields {
  factorCode: string;
  period: (typeof LIMIT_PERIODS)[number];
  limitValue: number;
  unit: string;
  appliesTo?: string | null;
  referenceO2?: number | null;
}

export interface StandardFields {
  code?: string;
  name?: string;
  kind?: (typeof MEDIA)[number];
  referenceO2?: number | null;
  notes?: string | null;
  limits?: LimitFields[];
}

export interface StandardDetail extends StandardSummary {
  /** Added by a user (not shipped with the platform). */
  readonly local: boolean;
  readonly notes: string | null;
  readonly limits: readonly StandardLimit[];
}

export const registryAdminApi = {
  createEnterprise: (body: EnterpriseFields) => api.post<EnterpriseDetail>('/enterprises', body),
  updateEnterprise: (id: number, body: EnterpriseFields) =>
    api.patch<EnterpriseDetail>(`/enterprises/${id}`, body),
  createOutlet: (enterpriseId: number, body: OutletFields) =>
    api.post<Outlet>(`/enterprises/${enterpriseId}/outlets`, body),
  updateOutlet: (id: number, body: OutletFields) => api.patch<Outlet>(`/outlets/${id}`, body),
  point: (id: number) => api.get<PointDetail>(`/points/${id}`),
  createPoint: (outletId: number, body: PointFields) =>
    api.post<PointDetail>(`/outlets/${outletId}/points`, body),
  updatePoint: (id: number, body: PointFields) => api.patch<PointDetail>(`/points/${id}`, body),
  setPointStatus: (id: number, status: (typeof POINT_STATUSES)[number], reason: string) =>
    api.post<PointDetail>(`/points/${id}/status`, { status, reason }),
  standard: (id: number) => api.get<StandardDetail>(`/standards/${id}`),
  createStandard: (body: StandardFields) => api.post<StandardDetail>('/standards', body),
  updateStandard: (id: number, body: StandardFields) => api.patch<StandardDetail>(`/standards/${id}`, body),
};

/** One threshold as GET /rules/anomaly-config describes it. */
export interface ThresholdDescription {
  readonly name: string;
  readonly detectors: readonly string[];
  readonly unit: 'hours' | 'minutes' | 'ms' | 'count' | 'share' | 'factor-unit' | 'percent' | 'k';
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  /** The built-in default is a [Proposal] (packages/domain/README.md). */
  readonly proposal: boolean;
  readonly source: string;
  readonly builtIn: number;
}

export type Thresholds = Readonly<Record<string, number>>;

export interface AnomalySettings {
  readonly defaults: Thresholds;
  readonly factors: Readonly<Record<string, Thresholds>>;
  readonly disabled: Readonly<Record<string, readonly string[]>>;
}

/** A re-judgement of past days after a threshold change (PUT `rejudgeDays`), as the API shows it. */
export interface RejudgeProgress {
  readonly state: 'running' | 'finished' | 'failed' | 'stopped';
  readonly days: number;
  readonly from: number;
  readonly to: number;
  readonly revision: number;
  readonly requestedBy: string;
  readonly pointsTotal: number;
  readonly pointsDone: number;
  readonly pointsFailed: number;
  readonly daysAnalysed: number;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly error: string | null;
}

export interface AnomalyConfigView {
  readonly revision: number;
  readonly updatedAt: number | null;
  readonly updatedBy: string | null;
  readonly settings: AnomalySettings;
  readonly effective: Thresholds;
  readonly thresholds: readonly ThresholdDescription[];
  readonly types: readonly string[];
  /** The re-judgement running or last run in the server's process; null when none. */
  readonly rejudge: RejudgeProgress | null;
}

export const rulesApi = {
  anomalyConfig: () => api.get<AnomalyConfigView>('/rules/anomaly-config'),
  setAnomalyConfig: (body: AnomalySettings & { revision: number; rejudgeDays?: number }) =>
    api.put<AnomalyConfigView>('/rules/anomaly-config', body),
};

/**
 * An error as people read it: the API's catalogued message (in the user's language), and what its detail
 * names — the field at fault, the allowed range — so a refused form says what to change.
 */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const d = error.detail ?? {};
  const parts: string[] = [];
  if (typeof d.field === 'string') parts.push(String(d.field).replace(/^body\//, ''));
  if (typeof d.factor === 'string') parts.push(String(d.factor));
  if (typeof d.factorCode === 'string') parts.push(String(d.factorCode));
  if (typeof d.problem === 'string') parts.push(String(d.problem));
  if (typeof d.min === 'number' && typeof d.max === 'number') parts.push(`[${d.min}, ${d.max}]`);
  if (typeof d.other === 'string') parts.push(`↔ ${d.other}`);
  if (typeof d.reason === 'string') parts.push(String(d.reason));
  return `${error.message}${parts.length > 0 ? ` (${error.code}: ${parts.join(' · ')})` : ` (${error.code})`}`;
}
