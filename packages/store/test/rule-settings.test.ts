import { expect, it } from 'vitest';
import { RuleSettingRepository } from '../src/index.js';
import { describeEachDialect } from './dialects.js';
import { expectStoreError } from './registry-helpers.js';

const T0 = Date.UTC(2026, 10, 20, 4);

describeEachDialect('rule settings (migration 0012)', (store) => {
  const who = (at: number, expectedRevision?: number) => ({
    at,
    actor: 'user:1',
    actorName: 'admin',
    ...(expectedRevision === undefined ? {} : { expectedRevision }),
  });

  it('is empty until saved, then keeps the value with its revision and who changed it when', async () => {
    const repo = new RuleSettingRepository(store());
    expect(await repo.get('anomaly')).toBeUndefined();
    const value = { defaults: { constantHours: 4 }, factors: { a21026: { suddenK: 6 } }, disabled: {} };
    const first = await repo.save('anomaly', value, who(T0, 0));
    expect(first).toEqual({
      name: 'anomaly',
      value,
      revision: 1,
      updatedAt: T0,
      updatedBy: 'user:1',
      updatedByName: 'admin',
    });
    expect(await repo.get('anomaly')).toEqual(first);
    const second = await repo.save('anomaly', { ...value, disabled: { '*': ['offline'] } }, who(T0 + 1, 1));
    expect(second?.revision).toBe(2);
    expect(await repo.get('anomaly')).toMatchObject({
      revision: 2,
      updatedAt: T0 + 1,
      value: { disabled: { '*': ['offline'] } },
    });
  });

  it('refuses a change made from a stale revision, and writes nothing', async () => {
    const repo = new RuleSettingRepository(store());
    const held = await repo.get('anomaly');
    const revision = held?.revision ?? 0;
    expect(await repo.save('anomaly', { stale: true }, who(T0 + 2, revision - 1))).toBeUndefined();
    expect(await repo.save('anomaly', { stale: true }, who(T0 + 2, revision + 1))).toBeUndefined();
    expect(await repo.get('anomaly')).toEqual(held);
    // Without an expected revision the change is made whatever the stored one.
    expect((await repo.save('anomaly', { forced: 1 }, who(T0 + 3)))?.revision).toBe(revision + 1);
  });

  it('of two changes made from the same revision at once, exactly one is saved', async () => {
    const repo = new RuleSettingRepository(store());
    const revision = (await repo.get('anomaly'))?.revision ?? 0;
    const results = await Promise.all(
      [1, 2, 3].map((n) => repo.save('anomaly', { n }, who(T0 + 10 + n, revision)).catch(() => undefined)),
    );
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    expect((await repo.get('anomaly'))?.revision).toBe(revision + 1);
  });

  it('refuses unknown names and a missing actor', async () => {
    const repo = new RuleSettingRepository(store());
    await expectStoreError(repo.get('nonsense' as 'anomaly'), 'STORE_E_INVALID');
    await expectStoreError(repo.save('anomaly', {}, { ...who(T0), actor: '' }), 'STORE_E_INVALID');
  });
});
