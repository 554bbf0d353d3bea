/**
 * Error catalogue of @qingyuan/server (codes `QY_E_…`): stable codes, an HTTP status where one applies,
 * and a message a person can act on. Later services append to it.
 */

interface CatalogueEntry {
  readonly status: number;
  readonly message: string;
}

export const QY_ERRORS = {
  QY_E_CLI_USAGE: {
    status: 400,
    message: 'The command line is not valid; run "qingyuan --help" for the usage.',
  },
  QY_E_CLI_INPUT: { status: 400, message: 'The input could not be read or is not in the expected form.' },
} as const satisfies Record<string, CatalogueEntry>;

export type QyCode = keyof typeof QY_ERRORS;

export class QyError extends Error {
  readonly code: QyCode;
  readonly status: number;
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: QyCode, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    const suffix = detail === undefined ? '' : ` ${JSON.stringify(detail)}`;
    super(`${code}: ${QY_ERRORS[code].message}${suffix}`, options);
    this.name = 'QyError';
    this.code = code;
    this.status = QY_ERRORS[code].status;
    this.detail = detail;
  }
}
