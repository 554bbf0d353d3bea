// Tip-offs (公众举报, 湖北省办法 第十条) as the authorities handle them: GET /api/v1/tip-offs (marks.decide),
// POST /tip-offs/:id/handling, GET /tip-offs/:id/attachments/:n.
import { api, exportUrl } from './client';
import type { TipCategory } from './portal';

export const TIP_STATES = ['received', 'assigned', 'handled'] as const;
export type TipState = (typeof TIP_STATES)[number];

export interface TipAttachmentInfo {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly sha256: string;
}

/** One tip as GET /tip-offs answers it (the store's column names). */
export interface TipOffRow {
  readonly id: number;
  readonly received_at: number;
  readonly receipt: string;
  readonly enterprise_id: number | null;
  readonly enterprise_name: string | null;
  readonly region_code: string;
  readonly region_name: string | null;
  readonly category: TipCategory;
  readonly description: string;
  readonly contact: string | null;
  readonly attachments: readonly TipAttachmentInfo[];
  readonly state: TipState;
  readonly handled_by: string | null;
  readonly handled_at: number | null;
  /** The handling note, shown to the filer with the receipt code. */
  readonly note: string | null;
  /** The authorities' own note, never shown to the filer. */
  readonly internal_note: string | null;
}

export interface TipFilter {
  readonly state?: TipState;
  /** Received in [from, to), epoch ms. */
  readonly from?: number;
  readonly to?: number;
}

/** The query of a filter (numbers as the API takes them). */
export function tipQuery(filter: TipFilter): Record<string, string | number | undefined> {
  return { state: filter.state, from: filter.from, to: filter.to };
}

/** The Excel export of the filtered list (the session cookie goes with the link). */
export function tipOffsExportUrl(filter: TipFilter): string {
  return exportUrl('/tip-offs', { ...tipQuery(filter), limit: 5000 });
}

/** The n-th attachment's download link. */
export const attachmentUrl = (id: number, n: number) => `/api/v1/tip-offs/${id}/attachments/${n}`;

export const tipOffsApi = {
  list: (filter: TipFilter, limit: number, offset: number) =>
    api.get<TipOffRow[]>('/tip-offs', { ...tipQuery(filter), limit, offset }),
  /** Records the handling; an empty internal note clears it. */
  handle: (id: number, state: TipState, note: string | undefined, internalNote: string | undefined) =>
    api.post<TipOffRow>(`/tip-offs/${id}/handling`, {
      state,
      ...(note ? { note } : {}),
      internalNote: internalNote || null,
    }),
};
