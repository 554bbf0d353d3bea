/** Error catalogue of @qingyuan/domain (codes `DOMAIN_E_…`). Rules return results; they throw only on bad input. */

interface CatalogueEntry {
  readonly message: string;
}

export const DOMAIN_ERRORS = {
  DOMAIN_E_INPUT: { message: 'A rule was given input it cannot judge (see the detail for the field).' },
  DOMAIN_E_CONFIG: { message: 'A rule threshold is out of its allowed range; check the rule configuration.' },
} as const satisfies Record<string, CatalogueEntry>;

export type DomainCode = keyof typeof DOMAIN_ERRORS;

export class DomainError extends Error {
  readonly code: DomainCode;
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: DomainCode, detail?: Record<string, unknown>) {
    const suffix = detail === undefined ? '' : ` ${JSON.stringify(detail)}`;
    super(`${code}: ${DOMAIN_ERRORS[code].message}${suffix}`);
    this.name = 'DomainError';
    this.code = code;
    this.detail = detail;
  }
}
