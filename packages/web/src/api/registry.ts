// The registry writes beyond enterprises, outlets and points (api/admin.ts): a point's factors
// (registry.write), an enterprise's discharge permits (registry.write) and 名录 years (PATCH
// /enterprises/:id), contractors and their contracts (reference.write), as docs/api.md describes them.

import type { Contractor, EnterpriseDetail, Permit, PermitDetail, PointFactor } from './archive';
import { api } from './client';

export const CONTRACTOR_KINDS = ['construction', 'om', 'inspection', 'intelligent-monitoring'] as const;
export const FILING_STATUSES = ['filed', 'not-filed', 'revoked'] as const;
export const KEY_UNIT_CATEGORIES = ['water', 'gas', 'soil', 'noise', 'environmental-risk', 'other'] as const;

/** A factor as PUT /points/:id/factors takes it (the whole list replaces the point's). */
export type FactorFields = { -readonly [K in keyof PointFactor]: PointFactor[K] };

export interface PermitFields {
  number: string;
  validFrom: string;
  validTo: string;
  allowances: { factorCode: string; annualKg: number }[];
}

export interface KeyUnitYear {
  year: number;
  categories: (typeof KEY_UNIT_CATEGORIES)[number][];
}

export interface ContractorFields {
  uscc?: string;
  name?: string;
  kind?: (typeof CONTRACTOR_KINDS)[number];
  qualifications?: string[];
  serviceRegions?: string[];
  filingStatus?: (typeof FILING_STATUSES)[number];
}

export interface Contract {
  readonly id: number;
  readonly contractorId: number;
  readonly enterpriseId: number;
  /** null: all the enterprise's points. */
  readonly pointId: number | null;
  readonly scope: string;
  readonly startsOn: string;
  readonly endsOn: string;
  /** Set when it was cancelled before it started (epoch ms): never in force. */
  readonly cancelledAt: number | null;
  readonly cancelReason: string | null;
}

export interface ContractorDetail extends Contractor {
  /** Its contracts with enterprises in the caller's scope, by start date. */
  readonly contracts: readonly (Contract & { readonly inForce: boolean })[];
}

export interface ContractFields {
  enterpriseId: number;
  pointId: number | null;
  scope: string;
  startsOn: string;
  endsOn: string;
}

export interface Region {
  readonly code: string;
  readonly name: string;
  readonly level: string;
  readonly parentCode: string | null;
}

export const registryRefApi = {
  setFactors: (pointId: number, factors: FactorFields[]) =>
    api.put<PointFactor[]>(`/points/${pointId}/factors`, { factors }),
  createPermit: (enterpriseId: number, body: PermitFields) =>
    api.post<PermitDetail>(`/enterprises/${enterpriseId}/permits`, body),
  permits: (enterpriseId: number) => api.get<Permit[]>(`/enterprises/${enterpriseId}/permits`),
  /** 名录 years given are replaced; a year with no category leaves the directory. */
  setKeyUnits: (enterpriseId: number, keyUnits: KeyUnitYear[]) =>
    api.patch<EnterpriseDetail>(`/enterprises/${enterpriseId}`, { keyUnits }),
  contractors: (kind?: string) => api.get<Contractor[]>('/contractors', { kind }),
  contractor: (id: number) => api.get<ContractorDetail>(`/contractors/${id}`),
  createContractor: (body: ContractorFields) => api.post<Contractor>('/contractors', body),
  updateContractor: (id: number, body: ContractorFields) => api.patch<Contractor>(`/contractors/${id}`, body),
  createContract: (contractorId: number, body: ContractFields) =>
    api.post<Contract>(`/contractors/${contractorId}/contracts`, body),
  /** Ends a contract early (`endsOn`: its new last day in force) or, before it starts, corrects it. */
  updateContract: (id: number, body: Partial<Omit<ContractFields, 'startsOn'>>) =>
    api.patch<Contract>(`/contracts/${id}`, body),
  /** Cancels a contract that has not started (a started one is ended early instead). */
  cancelContract: (id: number, reason: string) =>
    api.post<Contract>(`/contracts/${id}/cancellation`, { reason }),
  regions: () => api.get<Region[]>('/regions'),
};
