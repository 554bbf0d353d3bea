import { expect, it } from 'vitest';
import { AnswerCache } from '../src/services/monitoring/answer-cache.js';

it('shares an answer per key within the TTL, recomputes after it, and keeps no failure', async () => {
  let computed = 0;
  const compute = async () => ++computed;
  const cache = new AnswerCache<number>(40);
  expect(await Promise.all([cache.get('a', compute), cache.get('a', compute)])).toEqual([1, 1]);
  expect(await cache.get('b', compute)).toBe(2);
  await new Promise((r) => setTimeout(r, 60));
  expect(await cache.get('a', compute)).toBe(3);
  const failing = cache.get('c', async () => {
    throw new Error('boom');
  });
  await expect(failing).rejects.toThrow('boom');
  expect(await cache.get('c', compute)).toBe(4);
  // TTL 0: nothing kept.
  const none = new AnswerCache<number>(0);
  expect([await none.get('a', compute), await none.get('a', compute)]).toEqual([5, 6]);
});
