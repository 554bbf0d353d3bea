import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nonFiniteAt } from '../../src/http/finite-numbers.js';
import { type ApiFixture, apiFixture } from './harness.js';

const API = '/api/v1';

describe('nonFiniteAt', () => {
  it('finds the first Infinity or NaN anywhere in a JSON value, and nothing in finite ones', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // fast-check's JSON values hold finite numbers only.
        expect(nonFiniteAt(value)).toBeUndefined();
      }),
    );
    expect(nonFiniteAt(Number.POSITIVE_INFINITY)).toBe('');
    expect(nonFiniteAt({ a: [1, { b: Number.NaN }] })).toBe('/a/1/b');
    expect(nonFiniteAt({ a: 1, b: [2, Number.NEGATIVE_INFINITY], c: Number.NaN })).toBe('/b/1');
    expect(nonFiniteAt(new Uint8Array([1, 2]))).toBeUndefined();
  });
});

describe('numbers that are not finite in requests', () => {
  let fixture: ApiFixture;
  beforeAll(async () => {
    fixture = await apiFixture('sqlite');
  });
  afterAll(async () => fixture?.dispose());

  it('are refused as QY_E_VALIDATION, naming the field, wherever Ajv coerced them', async () => {
    const province = await fixture.client('province');
    for (const [url, query, field] of [
      [`${API}/enterprises/1e309`, undefined, 'params/id'],
      [`${API}/tip-offs/1/attachments/1e309`, undefined, 'params/n'],
      [`${API}/enterprises/-1e309`, undefined, 'params/id'],
      [`${API}/alarms`, { limit: '1e309' }, 'querystring/limit'],
    ] as const) {
      const response = await province.get(url, query);
      expect(response.statusCode, url).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'QY_E_VALIDATION', detail: { field } } });
    }
    // A finite value on the same routes is answered as before.
    expect((await province.get(`${API}/enterprises/${fixture.ids.home.enterprise}`)).statusCode).toBe(200);
  });
});
