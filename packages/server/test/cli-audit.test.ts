import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditRepository, openStore, repositories } from '@qingyuan/store';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/accounts/passwords.js';
import { cli } from './cli-io.js';

describe('qingyuan audit verify / user reset-password', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qy-audit-cli-'));
  const url = `sqlite:${join(dir, 'a.db')}`;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports an intact chain, then names the record that was changed', async () => {
    const store = await openStore(url);
    const audit = new AuditRepository(store);
    const ids: number[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(
        Number(
          (
            await audit.append({
              at: i,
              actor: 'system',
              actorName: 's',
              action: 'x.y',
              entity: 'x',
              entityId: i,
            })
          ).id,
        ),
      );
    await store.close();
    const intact = await cli(['audit', 'verify', '--db', url]);
    expect([intact.code, intact.stdout]).toEqual([0, 'audit log verified: 4 records, chain intact\n']);

    const again = await openStore(url);
    await sql`UPDATE audit_log SET action = 'x.forged' WHERE id = ${ids[1]}`.execute(again.db);
    await again.close();
    const broken = await cli(['audit', 'verify', '--db', url]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN at record ${ids[1]}`);
    expect(broken.stdout).toContain('was changed');
  });

  it('resets a locked-out user to a one-time password, audited', async () => {
    const store = await openStore(url);
    const accounts = repositories(store).accounts;
    const user = await accounts.createUser(
      { username: 'admin', displayName: 'a', role: 'province_admin', passwordHash: 'x' },
      1,
    );
    await accounts.recordFailedLogin(user.id, 1, Date.now() + 3_600_000);
    await store.close();
    const result = await cli(['user', 'reset-password', 'admin', '--db', url]);
    expect(result.code).toBe(0);
    const password = /one-time password (\S+)/.exec(result.stdout)?.[1] as string;
    const after = await openStore(url);
    const row = await repositories(after).accounts.byUsername('admin');
    expect(row?.locked_until).toBeNull();
    expect(row?.must_change_password).toBe(1);
    expect(await verifyPassword(password, row?.password_hash as string)).toBe(true);
    const last = (await new AuditRepository(after).list({ entity: 'user' }))[0];
    expect(last).toMatchObject({ action: 'user.reset-password', actor_name: 'cli' });
    await after.close();
    expect((await cli(['user', 'reset-password', 'nobody', '--db', url])).code).toBe(1);
  });
});
