// The registry reads of 一企一档 (packages/server/src/services/registry-service.ts, registry/*.ts) and the
// enterprise's alarm history (services/alarm-service.ts).

import { api } from './client';
import type { PointRow } from './transmission';
import type { Enterprise } from './types';

export interface EnterpriseFull extends Enterprise {
  readonly uscc: string;
  readonly industryCode: string | null;
  readonly contactName: string | null;
  readonly contactPhone: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface EnterpriseDetail extends EnterpriseFull {
  readonly outletCount: number;
  readonly pointCount: number;
  /** 重点排污单位名录 membership by year. */
  readonly keyUnits: readonly { readonly year: number; readonly categories: readonly string[] }[];
}

export interface Outlet {
  readonly id: number;
  readonly enterpriseId: number;
  readonly kind: 'water' | 'gas';
  readonly code: string;
  readonly name: string;
  readonly longitude: number | null;
  readonly latitude: number | null;
  readonly standardId: number | null;
  readonly referenceO2: number | null;
  readonly stackHeightM: number | null;
  readonly keyUnitCategory: string | null;
  readonly status: string;
}

export interface PointFactor {
  readonly factorCode: string;
  readonly code2005: string | null;
  readonly unit: string;
  readonly rangeLow: number | null;
  readonly rangeHigh: number | null;
  readonly hourLimit: number | null;
  readonly dayLimit: number | null;
  readonly assessed: boolean;
  readonly alarmLow: number | null;
  readonly alarmHigh: number | null;
}

export interface StandardLimit {
  readonly id: number;
  readonly factorCode: string;
  readonly period: 'hour' | 'day' | 'instant';
  readonly limitValue: number;
  readonly unit: string;
  readonly appliesTo: string | null;
  readonly referenceO2: number | null;
}

export interface PointDetail {
  readonly id: number;
  readonly outletId: number;
  readonly name: string;
  readonly mn: string;
  readonly protocolVersion: string;
  readonly realtimeIntervalS: number;
  readonly minuteIntervalMin: number;
  readonly inServiceOn: string | null;
  readonly acceptedOn: string | null;
  readonly filedOn: string | null;
  readonly status: string;
  readonly outlet: { id: number; code: string; name: string; kind: string; standardId: number | null };
  readonly enterprise: { id: number; name: string; regionCode: string };
  readonly factors: readonly PointFactor[];
  readonly standard: { id: number; code: string; name: string; limits: readonly StandardLimit[] } | null;
}

export interface Permit {
  readonly id: number;
  readonly enterpriseId: number;
  readonly number: string;
  readonly validFrom: string;
  readonly validTo: string;
}

export interface PermitDetail extends Permit {
  readonly allowances: readonly { readonly factorCode: string; readonly annualKg: number }[];
}

export interface Contractor {
  readonly id: number;
  readonly uscc: string;
  readonly name: string;
  readonly kind: string;
  readonly qualifications: readonly string[];
  readonly serviceRegions: readonly string[];
  readonly filingStatus: string;
}

export interface ContractInForce {
  readonly id: number;
  readonly contractorId: number;
  readonly enterpriseId: number;
  readonly pointId: number | null;
  readonly scope: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly contractor: Contractor;
}

export interface AlarmRow {
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
}

export interface RegionDetail {
  readonly code: string;
  readonly name: string;
  readonly level: string;
  readonly parentCode: string | null;
  readonly path: readonly { readonly code: string; readonly name: string }[];
}

export const archiveApi = {
  enterprises: (search?: string) =>
    api.get<EnterpriseFull[]>('/enterprises', { search: search || undefined, limit: 500 }),
  enterprise: (id: number) => api.get<EnterpriseDetail>(`/enterprises/${id}`),
  outlets: (id: number) => api.get<Outlet[]>(`/enterprises/${id}/outlets`),
  points: (enterpriseId: number) => api.get<PointRow[]>('/points', { enterpriseId, limit: 5000 }),
  point: (id: number) => api.get<PointDetail>(`/points/${id}`),
  permits: (id: number) => api.get<Permit[]>(`/enterprises/${id}/permits`),
  permit: (id: number) => api.get<PermitDetail>(`/permits/${id}`),
  contractors: (id: number) => api.get<ContractInForce[]>(`/enterprises/${id}/contractors`),
  alarms: (enterpriseId: number, limit = 100) => api.get<AlarmRow[]>('/alarms', { enterpriseId, limit }),
  region: (code: string) => api.get<RegionDetail>(`/regions/${code}`),
};

export interface StandardSummary {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly kind: string;
  readonly referenceO2: number | null;
}

export const standardsApi = {
  list: () => api.get<StandardSummary[]>('/standards'),
};
