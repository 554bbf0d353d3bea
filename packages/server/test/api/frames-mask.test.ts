import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { maskPasswords } from '../../src/services/monitoring/frames.js';
import { type ApiFixture, apiFixture } from './harness.js';

it('masks PW in frame text and in any pw field, at any depth', () => {
  expect(maskPasswords('QN=1;ST=31;CN=2011;PW=123456;MN=X;Flag=5;CP=&&&&')).toBe(
    'QN=1;ST=31;CN=2011;PW=******;MN=X;Flag=5;CP=&&&&',
  );
  expect(maskPasswords({ header: { pw: 'abc', mn: 'X' }, list: ['PW=9;'] })).toEqual({
    header: { pw: '******', mn: 'X' },
    list: ['PW=******;'],
  });
});

for (const dialect of TEST_DIALECTS) {
  describe(`raw frames hide the device password [${dialect}]`, () => {
    let fixture: ApiFixture;
    beforeAll(async () => {
      fixture = await apiFixture(dialect);
    }, 60_000);
    afterAll(async () => fixture?.dispose());

    it('never shows the stored PW in the list, the detail or the export, while the chain still verifies', async () => {
      const city = await fixture.client('city');
      const detail = await city.get(`/api/v1/frames/${fixture.ids.home.frame}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.body).not.toContain('123456');
      expect(detail.json().text).toContain('PW=******');
      expect(detail.json().chain).toMatchObject({ recordIntact: true });
      for (const format of [undefined, 'csv'])
        expect((await city.get('/api/v1/frames', format ? { format } : {})).body).not.toContain('123456');
    });
  });
}
