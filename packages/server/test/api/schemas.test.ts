import { expect, it } from 'vitest';
import { API_ROUTES } from '../../src/http/routes/index.js';

/**
 * Requests are validated with type coercion, and Ajv coerces inside the first branch of a union that
 * accepts the value after coercion: with `[Integer, Null]` a JSON null becomes 0 (a token that never
 * expires would expire at 0, a "no limit" would become a limit of 0). Every nullable input must therefore
 * list null first.
 */
function unionsWithNullLate(schema: unknown, path: string, out: string[]): void {
  if (schema === null || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = s[key];
    if (!Array.isArray(branches)) continue;
    const nullAt = branches.findIndex((b) => (b as { type?: unknown }).type === 'null');
    if (nullAt > 0) out.push(path);
  }
  for (const [key, value] of Object.entries(s)) unionsWithNullLate(value, `${path}.${key}`, out);
}

it('every nullable request field lists null first, so coercion cannot turn null into 0 or ""', () => {
  const late: string[] = [];
  for (const route of API_ROUTES)
    for (const part of ['body', 'query', 'params'] as const)
      unionsWithNullLate(
        (route as unknown as Record<string, unknown>)[part],
        `${route.method} ${route.url} ${part}`,
        late,
      );
  expect(late).toEqual([]);
});
