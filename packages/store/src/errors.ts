/**
 * Error catalogue of @qingyuan/store (codes `STORE_E_…`): stable codes, an HTTP status where one applies,
 * and a message a person can act on.
 */

interface CatalogueEntry {
  readonly status: number;
  readonly message: string;
}

export const STORE_ERRORS = {
  STORE_E_URL: { status: 500, message: 'The database URL is not "sqlite:<path>" or "postgres://…".' },
  STORE_E_UNAVAILABLE: {
    status: 503,
    message: 'The database cannot be reached; check that it runs and the URL.',
  },
  STORE_E_MIGRATION: {
    status: 500,
    message: 'A schema migration failed; the database was left at the last good version.',
  },
  STORE_E_USCC_INVALID: {
    status: 400,
    message: 'The unified social credit code (统一社会信用代码) is not valid under GB 32100-2015.',
  },
  STORE_E_NOT_FOUND: { status: 404, message: 'No such record.' },
  STORE_E_DUPLICATE: { status: 409, message: 'A record with this unique key already exists.' },
  STORE_E_INVALID: { status: 400, message: 'A field is missing or not valid.' },
  STORE_E_REFERENCE: { status: 409, message: 'The record refers to another record that does not exist.' },
  STORE_E_IMPORT: { status: 400, message: 'The import file has errors; nothing was imported.' },
  STORE_E_CHAIN_BROKEN: {
    status: 500,
    message: 'The raw-frame hash chain does not verify: frames were changed or removed.',
  },
  STORE_E_FORWARD_TARGET_UNKNOWN: {
    status: 404,
    message: 'No forwarding target has this name or id; "qingyuan forward list" shows the configured ones.',
  },
  STORE_E_FORWARD_UNKNOWN_MN: {
    status: 400,
    message: 'A forwarding target names an MN that is not a registered monitoring point; register it first.',
  },
  STORE_E_FORWARD_UNKNOWN_REGION: {
    status: 400,
    message: 'A forwarding target names a region code that does not exist (GB/T 2260, e.g. 420100).',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type StoreCode = keyof typeof STORE_ERRORS;

export class StoreError extends Error {
  readonly code: StoreCode;
  readonly status: number;
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: StoreCode, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    const suffix = detail === undefined ? '' : ` ${JSON.stringify(detail)}`;
    super(`${code}: ${STORE_ERRORS[code].message}${suffix}`, options);
    this.name = 'StoreError';
    this.code = code;
    this.status = STORE_ERRORS[code].status;
    this.detail = detail;
  }
}
