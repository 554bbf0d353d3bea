import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { AccountRepository, AuditRepository } from '../src/index.js';
import { describeEachDialect } from './dialects.js';
import { expectStoreError } from './registry-helpers.js';

const T0 = Date.UTC(2026, 10, 1);

describeEachDialect('accounts and audit', (store) => {
  it('creates users with unique names, locks after repeated failures and unlocks on success', async () => {
    const accounts = new AccountRepository(store());
    const user = await accounts.createUser(
      {
        username: 'city.wh',
        displayName: '武汉市局',
        role: 'city',
        regionCode: '420100',
        passwordHash: 'h1',
      },
      T0,
    );
    expect(user).toMatchObject({ role: 'city', region_code: '420100', failed_logins: 0, status: 'active' });
    await expectStoreError(
      accounts.createUser({ username: 'city.wh', displayName: 'x', role: 'city', passwordHash: 'h' }, T0),
      'STORE_E_DUPLICATE',
    );
    await expectStoreError(
      accounts.createUser({ username: "a'; drop", displayName: 'x', role: 'city', passwordHash: 'h' }, T0),
      'STORE_E_INVALID',
      { field: 'username' },
    );
    for (let i = 1; i < 5; i++) {
      const after = await accounts.recordFailedLogin(user.id, 5, T0 + 900_000);
      expect([after.failed_logins, after.locked_until]).toEqual([i, null]);
    }
    const locked = await accounts.recordFailedLogin(user.id, 5, T0 + 900_000);
    expect(Number(locked.locked_until)).toBe(T0 + 900_000);
    await accounts.recordLogin(user.id, T0 + 1_000_000);
    expect(await accounts.user(user.id)).toMatchObject({ locked_until: null, failed_logins: 0 });
  });

  it('sessions and tokens are live until revoked or expired', async () => {
    const accounts = new AccountRepository(store());
    const user = await accounts.createUser(
      { username: 'ent1', displayName: '企业', role: 'province', passwordHash: 'h' },
      T0,
    );
    const base = { user_id: user.id, csrf_token: 'c', created_at: T0, last_seen_at: T0, peer: null };
    await accounts.createSession({ ...base, id_hash: 'a', expires_at: T0 + 1000 });
    await accounts.createSession({ ...base, id_hash: 'b', expires_at: T0 + 1000 });
    expect((await accounts.liveSession('a', T0 + 10))?.user_id).toBe(user.id);
    expect(await accounts.liveSession('a', T0 + 1000)).toBeUndefined();
    await accounts.revokeSession('a', T0 + 5);
    expect(await accounts.liveSession('a', T0 + 10)).toBeUndefined();
    await accounts.revokeSessionsOf(user.id, T0 + 6);
    expect(await accounts.liveSession('b', T0 + 10)).toBeUndefined();

    const token = await accounts.createToken(
      { user_id: user.id, name: '市平台', token_hash: 'th', expires_at: null, permissions: ['data.read'] },
      T0,
    );
    expect((await accounts.liveToken('th', T0 + 1))?.id).toBe(token.id);
    await accounts.revokeToken(token.id, T0 + 2);
    expect(await accounts.liveToken('th', T0 + 3)).toBeUndefined();
  });

  it('chains the audit log and names the first record that was changed or removed', async () => {
    const audit = new AuditRepository(store());
    expect(await audit.verify()).toEqual({ ok: true, records: 0 });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const row = await audit.append({
        at: T0 + i,
        actor: 'user:1',
        actorName: 'admin',
        action: 'enterprise.update',
        entity: 'enterprise',
        entityId: 7,
        before: { name: `n${i}` },
        after: { name: `n${i + 1}` },
      });
      ids.push(Number(row.id));
    }
    expect(await audit.verify(2)).toEqual({ ok: true, records: 5 });
    expect((await audit.list({ entity: 'enterprise', entityId: '7' })).length).toBe(5);
    await sql`UPDATE audit_log SET after_json = '{"name":"forged"}' WHERE id = ${ids[2]}`.execute(store().db);
    expect(await audit.verify()).toMatchObject({ ok: false, brokenAt: ids[2], reason: 'hash', records: 2 });
    await sql`UPDATE audit_log SET after_json = '{"name":"n3"}' WHERE id = ${ids[2]}`.execute(store().db);
    expect(await audit.verify()).toEqual({ ok: true, records: 5 });
  });

  it('detects a removed audit record by the broken link of the next one', async () => {
    const audit = new AuditRepository(store());
    const rows = [];
    for (let i = 0; i < 3; i++)
      rows.push(await audit.append({ at: T0, actor: 'system', actorName: 's', action: 'x', entity: 'y' }));
    await sql`DELETE FROM audit_log WHERE id = ${rows[1]?.id}`.execute(store().db);
    expect(await audit.verify()).toMatchObject({ ok: false, brokenAt: Number(rows[2]?.id), reason: 'link' });
  });
});
