import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { API_ROUTES } from '../../src/http/routes/index.js';

it('docs/api.md lists every route of the table, and no route that is not in it', () => {
  const doc = readFileSync(new URL('../../../../docs/api.md', import.meta.url), 'utf8');
  const listed = [...doc.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/api\/v1\/[^`]*)`/g)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
  const routes = API_ROUTES.map((r) => `${r.method} /api/v1${r.url}`);
  expect(routes.filter((r) => !listed.includes(r))).toEqual([]);
  expect(listed.filter((l) => !routes.includes(l))).toEqual([]);
});
