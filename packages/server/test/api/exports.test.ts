import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { API_ROUTES } from '../../src/http/routes/index.js';
import { type ApiFixture, apiFixture } from './harness.js';

/**
 * Lists whose rows are not a query's answer (one's own secrets, trees, single records, settings documents)
 * need no export.
 */
const NOT_EXPORTED = new Set([
  '/auth/me',
  '/auth/tokens',
  '/regions',
  '/audit/verify',
  '/alarms/summary',
  '/live/events',
  '/system/status',
  '/system/summary',
  '/rules/anomaly-config',
]);

it('every GET list route (no :id) exports CSV and XLSX, apart from the few that are not queries', () => {
  const missing = API_ROUTES.filter(
    (r) => r.method === 'GET' && !r.url.includes(':') && r.export === undefined && !NOT_EXPORTED.has(r.url),
  ).map((r) => r.url);
  expect(missing).toEqual([]);
});

for (const dialect of TEST_DIALECTS) {
  describe(`exports [${dialect}]`, () => {
    let fixture: ApiFixture;
    beforeAll(async () => {
      fixture = await apiFixture(dialect);
    }, 60_000);
    afterAll(async () => fixture?.dispose());

    it('answers ?format=csv with a header row and the rows the JSON answer has, and ?format=xlsx with a workbook', async () => {
      const admin = await fixture.client('province_admin');
      for (const url of [
        '/api/v1/marks',
        '/api/v1/commands',
        '/api/v1/users',
        '/api/v1/standards',
        '/api/v1/contractors',
      ]) {
        const json = (await admin.get(url)).json() as unknown[];
        const csv = await admin.get(url, { format: 'csv' });
        expect(csv.statusCode, url).toBe(200);
        expect(csv.headers['content-type']).toMatch(/^text\/csv/);
        const lines = csv.body
          .replace(/^\uFEFF/, '')
          .trimEnd()
          .split('\r\n');
        expect(lines[0], url).toMatch(/^id,/);
        // Rows may span lines only inside quotes; these views have no line breaks.
        expect(lines.length - 1, url).toBe(json.length);
        const xlsx = await admin.get(url, { format: 'xlsx' });
        expect(xlsx.rawPayload.subarray(0, 2).toString(), url).toBe('PK');
      }
    });
  });
}
