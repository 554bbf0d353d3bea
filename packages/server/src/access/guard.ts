import type { Database } from '@qingyuan/store';
import type { Kysely } from 'kysely';
import { QyError } from '../errors.js';
import type { Principal } from './principal.js';
import type { Permission } from './roles.js';
import { Scope } from './scope.js';

/**
 * The first line of every service method: `const scope = access.require(principal, 'data.read')`. Throws
 * QY_E_UNAUTHENTICATED for the public where a login is needed, QY_E_FORBIDDEN where the role lacks the
 * permission; otherwise returns the caller's scope for the method's queries.
 */
export class AccessGuard {
  readonly #db: Kysely<Database>;
  readonly #now: () => number;

  constructor(db: Kysely<Database>, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  require(principal: Principal, permission: Permission): Scope {
    if (!principal.permissions.has(permission)) {
      if (principal.kind === 'public') throw new QyError('QY_E_UNAUTHENTICATED');
      throw new QyError('QY_E_FORBIDDEN', { permission });
    }
    return new Scope(this.#db, principal, this.#now());
  }
}
