import { parseArgs } from 'node:util';
import { AuditRepository, repositories } from '@qingyuan/store';
import { AccountService } from '../accounts/account-service.js';
import { QyError } from '../errors.js';
import { serviceContext } from '../services/context.js';
import { AUDIT_USAGE } from './audit-usage.js';
import type { CliIo } from './io.js';
import { DB_OPTION, databaseUrl, withStore } from './store-option.js';

/** `qingyuan audit verify` */
export async function auditCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify')
    throw new QyError('QY_E_CLI_USAGE', {
      reason: `unknown audit command "${sub ?? ''}"`,
      usage: AUDIT_USAGE,
    });
  const { values } = parseArgs({ args: rest, options: DB_OPTION });
  const result = await withStore(databaseUrl(values.db), (store) => new AuditRepository(store).verify());
  if (result.ok) {
    io.stdout.write(`audit log verified: ${result.records} records, chain intact\n`);
    return 0;
  }
  io.stdout.write(
    `audit log BROKEN at record ${result.brokenAt} (${result.reason === 'link' ? 'its link to the previous record is wrong: a record was removed or inserted before it' : 'its content does not match its hash: it was changed'}); ${result.records} records before it verify\n`,
  );
  return 1;
}

/** `qingyuan user reset-password <username>` */
export async function userCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options: DB_OPTION, allowPositionals: true });
  const username = positionals[0];
  if (sub !== 'reset-password' || username === undefined)
    throw new QyError('QY_E_CLI_USAGE', {
      reason: 'expected "user reset-password <username>"',
      usage: AUDIT_USAGE,
    });
  const password = await withStore(databaseUrl(values.db), async (store) => {
    const user = await repositories(store).accounts.byUsername(username);
    if (user === undefined) throw new QyError('QY_E_CLI_INPUT', { reason: `no user "${username}"` });
    const ctx = serviceContext({ store });
    const operator = {
      kind: 'user' as const,
      userId: 0,
      username: 'cli',
      role: 'province_admin' as const,
      regionCode: null,
      enterpriseId: null,
      contractorId: null,
      permissions: new Set(['users.manage' as const]),
      peer: 'cli',
    };
    return (await new AccountService(ctx).resetPassword(operator, Number(user.id))).password;
  });
  io.stdout.write(`${username}: one-time password ${password} (must be changed at the next login)\n`);
  return 0;
}
