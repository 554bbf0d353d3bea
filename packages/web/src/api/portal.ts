// The anonymous public API (GET/POST /api/v1/public/*, 办法 第四条/第十条): no session, no CSRF token.
import { api } from './client';

export type PublicState = 'normal' | 'exceeding' | 'offline';

export interface PublicEnterprise {
  readonly id: number;
  readonly name: string;
  readonly regionCode: string;
  readonly longitude: number | null;
  readonly latitude: number | null;
  readonly industryCode: string | null;
  readonly points: number;
  readonly state: PublicState;
}

/** The last 24 hourly values as columns (the series answer's shape): entry `i` is the hour starting at `t[i]`. */
export interface PublicHours {
  /** Start of each hour, epoch ms, oldest first. */
  readonly t: readonly number[];
  readonly value: readonly (number | null)[];
  /** null when the value or the limit is unknown. */
  readonly exceeding: readonly (boolean | null)[];
}

export interface PublicFactor {
  readonly factorCode: string;
  readonly unit: string | null;
  readonly hourLimit: number | null;
  readonly hours: PublicHours;
}

export interface PublicPoint {
  readonly pointId: number;
  readonly outletKind: string;
  readonly factors: readonly PublicFactor[];
}

export interface PublicExceedance {
  readonly enterpriseId: number;
  readonly pointId: number;
  readonly factorCode: string | null;
  readonly type: string;
  readonly openedAt: number;
  readonly peakValue: number | null;
  readonly limitValue: number | null;
}

export interface PublicEnterpriseDetail {
  readonly enterprise: PublicEnterprise;
  readonly points: readonly PublicPoint[];
  /** The open exceedance alarms (the server's name; `openExceedances` accepted too). */
  readonly exceedances?: readonly PublicExceedance[];
  readonly openExceedances?: readonly PublicExceedance[];
}

export interface PublicTransmissionRow {
  readonly enterpriseId: number;
  readonly name: string;
  readonly expected: number;
  readonly valid: number;
  readonly effectiveTransmissionRate: number | null;
  readonly meetsTarget: boolean | null;
}

export const TIP_CATEGORIES = ['超标排放', '数据造假', '设施停运', '其他'] as const;
export type TipCategory = (typeof TIP_CATEGORIES)[number];
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export const MAX_ATTACHMENTS = 3;
export const MAX_ATTACHMENT_BYTES = 300 * 1024;

export interface TipAttachment {
  readonly name: string;
  readonly type: (typeof ATTACHMENT_TYPES)[number];
  readonly dataBase64: string;
}

export interface TipOff {
  readonly enterpriseId?: number;
  readonly regionCode?: string;
  readonly category: TipCategory;
  readonly description: string;
  readonly contact?: string;
  readonly attachments?: readonly TipAttachment[];
}

/** What the filer sees of a tip with its receipt code (POST /public/tip-offs/lookup). */
export interface TipStatus {
  readonly receipt: string;
  readonly category: TipCategory;
  readonly receivedAt: number;
  readonly enterpriseName: string | null;
  /** The responsible city. */
  readonly regionName: string | null;
  readonly state: 'received' | 'assigned' | 'handled';
  readonly handledAt: number | null;
  /** The authority's handling note. */
  readonly note: string | null;
}

/** Some answers may come wrapped ({ rows } / { items }); accept either. */
function rows<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  const o = value as { rows?: T[]; items?: T[]; enterprises?: T[] } | undefined;
  return o?.rows ?? o?.items ?? o?.enterprises ?? [];
}

export const publicApi = {
  enterprises: async () => rows<PublicEnterprise>(await api.get<unknown>('/public/enterprises')),
  enterprise: (id: number) => api.get<PublicEnterpriseDetail>(`/public/enterprises/${id}`),
  transmission: async (at: string) =>
    rows<PublicTransmissionRow>(await api.get<unknown>('/public/transmission', { period: 'month', at })),
  tipOff: (body: TipOff) => api.post<{ receipt: string }>('/public/tip-offs', body),
  /** The receipt goes in the body, so that it stays out of URLs and logs. */
  lookupTip: (receipt: string) => api.post<TipStatus>('/public/tip-offs/lookup', { receipt }),
};
