import type { Selectable, Updateable } from 'kysely';
import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import {
  type ApiTokenTable,
  ROLES,
  type Role,
  type UserAccountTable,
  type UserSessionTable,
} from '../schema.js';
import { optionalText, requireOneOf, requireText } from './common.js';

export type UserRecord = Selectable<UserAccountTable>;
export type SessionRecord = Selectable<UserSessionTable>;
export type ApiTokenRecord = Selectable<ApiTokenTable>;

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly regionCode?: string | null;
  readonly enterpriseId?: number | null;
  readonly contractorId?: number | null;
  /** Already hashed (the server owns the hashing). */
  readonly passwordHash: string;
  readonly mustChangePassword?: boolean;
}

export interface UserPatch {
  readonly displayName?: string;
  readonly role?: Role;
  readonly regionCode?: string | null;
  readonly enterpriseId?: number | null;
  readonly contractorId?: number | null;
  readonly status?: 'active' | 'disabled';
}

/** The store side of accounts: users, their sessions and API tokens. Hashing and policy live in the server. */
export class AccountRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async createUser(input: NewUser, now: number): Promise<UserRecord> {
    const username = requireText('username', input.username);
    if (!/^[A-Za-z0-9_.@-]{3,64}$/.test(username))
      throw new StoreError('STORE_E_INVALID', { field: 'username', value: username });
    const existing = await this.byUsername(username);
    if (existing !== undefined) throw new StoreError('STORE_E_DUPLICATE', { entity: 'user', username });
    return this.#store.db
      .insertInto('user_account')
      .values({
        username,
        display_name: requireText('displayName', input.displayName),
        role: requireOneOf('role', input.role, ROLES),
        region_code: optionalText('regionCode', input.regionCode),
        enterprise_id: input.enterpriseId ?? null,
        contractor_id: input.contractorId ?? null,
        password_hash: input.passwordHash,
        password_changed_at: now,
        must_change_password: input.mustChangePassword === true ? 1 : 0,
        failed_logins: 0,
        locked_until: null,
        status: 'active',
        created_at: now,
        last_login_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async user(id: number): Promise<UserRecord | undefined> {
    return this.#store.db.selectFrom('user_account').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async byUsername(username: string): Promise<UserRecord | undefined> {
    return this.#store.db
      .selectFrom('user_account')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
  }

  async users(): Promise<UserRecord[]> {
    return this.#store.db.selectFrom('user_account').selectAll().orderBy('id').execute();
  }

  async countUsers(): Promise<number> {
    const row = await this.#store.db
      .selectFrom('user_account')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async updateUser(id: number, patch: UserPatch): Promise<UserRecord> {
    const set: Updateable<UserAccountTable> = {};
    if (patch.displayName !== undefined) set.display_name = requireText('displayName', patch.displayName);
    if (patch.role !== undefined) set.role = requireOneOf('role', patch.role, ROLES);
    if (patch.regionCode !== undefined) set.region_code = optionalText('regionCode', patch.regionCode);
    if (patch.enterpriseId !== undefined) set.enterprise_id = patch.enterpriseId;
    if (patch.contractorId !== undefined) set.contractor_id = patch.contractorId;
    if (patch.status !== undefined)
      set.status = requireOneOf('status', patch.status, ['active', 'disabled'] as const);
    if (Object.keys(set).length > 0)
      await this.#store.db.updateTable('user_account').set(set).where('id', '=', id).execute();
    const user = await this.user(id);
    if (user === undefined) throw new StoreError('STORE_E_NOT_FOUND', { entity: 'user', id });
    return user;
  }

  async setPassword(id: number, passwordHash: string, now: number, mustChange: boolean): Promise<void> {
    await this.#store.db
      .updateTable('user_account')
      .set({
        password_hash: passwordHash,
        password_changed_at: now,
        must_change_password: mustChange ? 1 : 0,
        failed_logins: 0,
        locked_until: null,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Counts a failed login; locks the account until `lockUntil` when the count reaches `lockAfter`. */
  async recordFailedLogin(id: number, lockAfter: number, lockUntil: number): Promise<UserRecord> {
    return this.#store.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('user_account')
        .select('failed_logins')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const failed = Number(row.failed_logins) + 1;
      await trx
        .updateTable('user_account')
        .set(failed >= lockAfter ? { failed_logins: 0, locked_until: lockUntil } : { failed_logins: failed })
        .where('id', '=', id)
        .execute();
      return trx.selectFrom('user_account').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
  }

  async recordLogin(id: number, now: number): Promise<void> {
    await this.#store.db
      .updateTable('user_account')
      .set({ failed_logins: 0, locked_until: null, last_login_at: now })
      .where('id', '=', id)
      .execute();
  }

  async createSession(session: Omit<SessionRecord, 'revoked_at'>): Promise<void> {
    await this.#store.db
      .insertInto('user_session')
      .values({ ...session, revoked_at: null })
      .execute();
  }

  /** A live session by the hash of its id (not revoked, not expired at `now`). */
  async liveSession(idHash: string, now: number): Promise<SessionRecord | undefined> {
    return this.#store.db
      .selectFrom('user_session')
      .selectAll()
      .where('id_hash', '=', idHash)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  async touchSession(idHash: string, now: number, expiresAt: number): Promise<void> {
    await this.#store.db
      .updateTable('user_session')
      .set({ last_seen_at: now, expires_at: expiresAt })
      .where('id_hash', '=', idHash)
      .execute();
  }

  async revokeSession(idHash: string, now: number): Promise<void> {
    await this.#store.db
      .updateTable('user_session')
      .set({ revoked_at: now })
      .where('id_hash', '=', idHash)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Ends every session of a user (password change, disabling, role change). */
  async revokeSessionsOf(userId: number, now: number): Promise<void> {
    await this.#store.db
      .updateTable('user_session')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async createToken(
    input: Pick<ApiTokenRecord, 'user_id' | 'name' | 'token_hash' | 'expires_at'> & {
      permissions: readonly string[];
    },
    now: number,
  ): Promise<ApiTokenRecord> {
    return this.#store.db
      .insertInto('api_token')
      .values({
        user_id: input.user_id,
        name: requireText('name', input.name),
        token_hash: input.token_hash,
        permissions: JSON.stringify(input.permissions),
        created_at: now,
        expires_at: input.expires_at,
        revoked_at: null,
        last_used_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** A usable token by its hash (not revoked, not expired). */
  async liveToken(tokenHash: string, now: number): Promise<ApiTokenRecord | undefined> {
    return this.#store.db
      .selectFrom('api_token')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirst();
  }

  async tokensOf(userId: number): Promise<ApiTokenRecord[]> {
    return this.#store.db
      .selectFrom('api_token')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
  }

  async token(id: number): Promise<ApiTokenRecord | undefined> {
    return this.#store.db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async revokeToken(id: number, now: number): Promise<void> {
    await this.#store.db
      .updateTable('api_token')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async touchToken(id: number, now: number): Promise<void> {
    await this.#store.db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', id).execute();
  }
}
