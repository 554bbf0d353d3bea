// A small typed client of /api/v1: the session cookie travels with every request (same origin), writes
// carry the session's CSRF token, and an error answer becomes an ApiError with the server's message.
import { apiUrl, takeEarly } from '../early';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The answer's `error.detail` (the field at fault, an allowed range, …). */
  readonly detail: Readonly<Record<string, unknown>> | undefined;
  constructor(status: number, code: string, message: string, detail?: Readonly<Record<string, unknown>>) {
    super(message);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

let csrfToken: string | undefined;
let language = 'zh-CN';

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Error messages come back in this language (Accept-Language). */
export function setApiLanguage(lang: string): void {
  language = lang;
}

type Query = Record<string, string | number | boolean | undefined>;

const url = apiUrl;

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': language };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  const target = url(path, query);
  // A GET the boot script already sent (early.ts) is taken instead of sent again.
  const response = await ((method === 'GET' ? takeEarly(target) : undefined) ??
    fetch(target, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }));
  const text = await response.text();
  const json = text === '' ? undefined : (JSON.parse(text) as unknown);
  if (!response.ok) {
    const error = (
      json as
        | { error?: { code?: string; message?: string; detail?: Readonly<Record<string, unknown>> } }
        | undefined
    )?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'HTTP',
      error?.message ?? `HTTP ${response.status}`,
      error?.detail,
    );
  }
  return json as T;
}

/**
 * A list query's spreadsheet (or CSV) download as a plain link — the session cookie goes with it: the same
 * query string the API call would send, plus `format`.
 */
export function exportUrl(path: string, query: Query = {}, format: 'xlsx' | 'csv' = 'xlsx'): string {
  return url(path, { ...query, format });
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
