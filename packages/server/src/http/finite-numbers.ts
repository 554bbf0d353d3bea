import { QyError } from '../errors.js';

/**
 * Where the first number that is not finite sits in a validated request part, as a JSON pointer, or
 * undefined. Ajv's type coercion turns "1e309" into Infinity and its `integer` and `maximum` checks let
 * Infinity through (ajv 8), so an id of 1e309 would reach the services; every request part is checked
 * here once it has been validated and coerced.
 */
export function nonFiniteAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = nonFiniteAt(item, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Refuses a request whose params, query or body hold a number that is not finite (QY_E_VALIDATION). */
export function requireFiniteNumbers(request: { params: unknown; query: unknown; body: unknown }): void {
  for (const [part, value] of [
    ['params', request.params],
    ['querystring', request.query],
    ['body', request.body],
  ] as const) {
    const at = nonFiniteAt(value);
    if (at !== undefined)
      throw new QyError('QY_E_VALIDATION', { field: `${part}${at}`, reason: 'must be a finite number' });
  }
}
