import { createHash, randomBytes } from 'node:crypto';
import type { Role, UserRecord } from '@qingyuan/store';
import type { Principal } from '../access/principal.js';
import { AUTHORITY_ROLES, CONTRACTOR_ROLES, type Permission, ROLE_PERMISSIONS } from '../access/roles.js';
import { QyError } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import { LoginThrottle } from './login-throttle.js';
import { dummyHash, generatePassword, hashPassword, passwordProblem, verifyPassword } from './passwords.js';

export interface SessionPolicy {
  /** A session ends after this long without a request (default 30 min). */
  readonly idleMs: number;
  /** …and at the latest this long after login (default 12 h). */
  readonly absoluteMs: number;
  /** Failed logins before the account is locked (default 5), and for how long (default 15 min). */
  readonly lockAfter: number;
  readonly lockMs: number;
  /** Passwords older than this must be changed (default 90 days; 等保 2.0 定期更换). */
  readonly passwordMaxAgeMs: number;
  /** Login attempts per peer address per minute, across all accounts (default 20). */
  readonly loginsPerPeerPerMinute: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
  lockAfter: 5,
  lockMs: 15 * 60_000,
  passwordMaxAgeMs: 90 * 86_400_000,
  loginsPerPeerPerMinute: 20,
};

export interface UserView {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly regionCode: string | null;
  readonly enterpriseId: number | null;
  readonly contractorId: number | null;
  readonly status: 'active' | 'disabled';
  readonly mustChangePassword: boolean;
  readonly lockedUntil: number | null;
  readonly lastLoginAt: number | null;
  readonly createdAt: number;
}

export interface NewUserInput {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly regionCode?: string | null;
  readonly enterpriseId?: number | null;
  readonly contractorId?: number | null;
}

export interface TokenView {
  readonly id: number;
  readonly name: string;
  readonly permissions: Permission[];
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
  readonly lastUsedAt: number | null;
}

export const SESSION_COOKIE = 'qy_session';
const TOKEN_PREFIX = 'qyt_';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function userView(u: UserRecord): UserView {
  return {
    id: Number(u.id),
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    regionCode: u.region_code,
    enterpriseId: u.enterprise_id === null ? null : Number(u.enterprise_id),
    contractorId: u.contractor_id === null ? null : Number(u.contractor_id),
    status: u.status,
    mustChangePassword: u.must_change_password === 1,
    lockedUntil: u.locked_until === null ? null : Number(u.locked_until),
    lastLoginAt: u.last_login_at === null ? null : Number(u.last_login_at),
    createdAt: Number(u.created_at),
  };
}

function principalOf(u: UserRecord, peer: string | undefined, token?: { id: number; permissions: string[] }) {
  const own = ROLE_PERMISSIONS[u.role];
  const permissions =
    token === undefined ? own : own.filter((p) => token.permissions.includes(p) && p !== 'self.manage');
  const principal: Principal = {
    kind: token === undefined ? 'user' : 'token',
    userId: Number(u.id),
    username: u.username,
    role: u.role,
    regionCode: u.region_code,
    enterpriseId: u.enterprise_id === null ? null : Number(u.enterprise_id),
    contractorId: u.contractor_id === null ? null : Number(u.contractor_id),
    permissions: new Set([...permissions, 'public.read']),
    ...(token === undefined ? {} : { tokenId: token.id }),
    ...(peer === undefined ? {} : { peer }),
  };
  return principal;
}

/**
 * Accounts: login with lockout and per-peer throttling, sessions (HttpOnly cookie + CSRF token), API
 * tokens for machine clients, password changes under the password rules, and user management.
 */
export class AccountService {
  readonly #ctx: ServiceContext;
  readonly #policy: SessionPolicy;
  readonly #throttle: LoginThrottle;

  constructor(ctx: ServiceContext, policy: Partial<SessionPolicy> = {}) {
    this.#ctx = ctx;
    this.#policy = { ...DEFAULT_SESSION_POLICY, ...policy };
    this.#throttle = new LoginThrottle(this.#policy.loginsPerPeerPerMinute, 60_000);
  }

  /** Logs in: a fresh session id every time (no fixation); the cookie value and CSRF token are returned once. */
  async login(
    username: string,
    password: string,
    peer: string,
  ): Promise<{ sessionId: string; csrfToken: string; user: UserView; expiresAt: number }> {
    const now = this.#ctx.now();
    if (!this.#throttle.allow(peer, now)) throw new QyError('QY_E_RATE_LIMITED', { peer });
    const accounts = this.#ctx.repos.accounts;
    const user = await accounts.byUsername(username);
    if (user === undefined) {
      await verifyPassword(password, await dummyHash());
      throw new QyError('QY_E_LOGIN_FAILED');
    }
    if (user.locked_until !== null && Number(user.locked_until) > now)
      throw new QyError('QY_E_ACCOUNT_LOCKED', { until: new Date(Number(user.locked_until)).toISOString() });
    if (!(await verifyPassword(password, user.password_hash))) {
      const after = await accounts.recordFailedLogin(
        user.id,
        this.#policy.lockAfter,
        now + this.#policy.lockMs,
      );
      const locked = after.locked_until !== null && Number(after.locked_until) > now;
      await this.#ctx.audit.record(
        principalOf(user, peer),
        locked ? 'session.lock' : 'session.fail',
        'user',
        user.id,
      );
      if (locked)
        throw new QyError('QY_E_ACCOUNT_LOCKED', {
          until: new Date(Number(after.locked_until)).toISOString(),
        });
      throw new QyError('QY_E_LOGIN_FAILED');
    }
    if (user.status !== 'active') throw new QyError('QY_E_ACCOUNT_DISABLED');
    await accounts.recordLogin(user.id, now);
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = now + this.#policy.idleMs;
    await accounts.createSession({
      id_hash: sha256(sessionId),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      peer,
    });
    await this.#ctx.audit.record(principalOf(user, peer), 'session.login', 'user', user.id);
    return { sessionId, csrfToken, user: this.#withPasswordAge(user), expiresAt };
  }

  /** The principal of a live session cookie (sliding idle expiry, absolute cap), with its CSRF token. */
  async sessionPrincipal(
    sessionId: string,
    peer: string,
  ): Promise<{ principal: Principal; csrfToken: string } | undefined> {
    const now = this.#ctx.now();
    const idHash = sha256(sessionId);
    const session = await this.#ctx.repos.accounts.liveSession(idHash, now);
    if (session === undefined) return undefined;
    const user = await this.#ctx.repos.accounts.user(Number(session.user_id));
    if (user === undefined || user.status !== 'active') return undefined;
    const expiresAt = Math.min(
      now + this.#policy.idleMs,
      Number(session.created_at) + this.#policy.absoluteMs,
    );
    // Write the sliding expiry at most once a minute.
    if (now - Number(session.last_seen_at) > 60_000)
      await this.#ctx.repos.accounts.touchSession(idHash, now, expiresAt);
    return { principal: principalOf(user, peer), csrfToken: session.csrf_token };
  }

  /** The principal of a bearer token, narrowed to the token's permissions. */
  async tokenPrincipal(token: string, peer: string): Promise<Principal | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const now = this.#ctx.now();
    const record = await this.#ctx.repos.accounts.liveToken(sha256(token), now);
    if (record === undefined) return undefined;
    const user = await this.#ctx.repos.accounts.user(Number(record.user_id));
    if (user === undefined || user.status !== 'active') return undefined;
    if (record.last_used_at === null || now - Number(record.last_used_at) > 60_000)
      await this.#ctx.repos.accounts.touchToken(record.id, now);
    return principalOf(user, peer, { id: Number(record.id), permissions: JSON.parse(record.permissions) });
  }

  async logout(principal: Principal, sessionId: string): Promise<void> {
    this.#ctx.access.require(principal, 'self.manage');
    await this.#ctx.repos.accounts.revokeSession(sha256(sessionId), this.#ctx.now());
    await this.#ctx.audit.record(principal, 'session.logout', 'user', principal.userId);
  }

  async me(principal: Principal): Promise<UserView & { permissions: Permission[] }> {
    this.#ctx.access.require(principal, 'self.manage');
    const user = await this.#requireUser(principal.userId);
    return { ...this.#withPasswordAge(user), permissions: [...principal.permissions] };
  }

  async changePassword(principal: Principal, current: string, next: string): Promise<void> {
    this.#ctx.access.require(principal, 'self.manage');
    const user = await this.#requireUser(principal.userId);
    if (!(await verifyPassword(current, user.password_hash))) throw new QyError('QY_E_PASSWORD_WRONG');
    const problem =
      passwordProblem(next, user.username) ?? (next === current ? 'same as the current one' : undefined);
    if (problem !== undefined) throw new QyError('QY_E_PASSWORD_POLICY', { reason: problem });
    const now = this.#ctx.now();
    await this.#ctx.repos.accounts.setPassword(user.id, await hashPassword(next), now, false);
    // Every other session of the user ends; the caller logs in again.
    await this.#ctx.repos.accounts.revokeSessionsOf(user.id, now);
    await this.#ctx.audit.record(principal, 'user.password', 'user', user.id);
  }

  async createToken(
    principal: Principal,
    input: { name: string; permissions: Permission[]; expiresAt?: number | null },
  ): Promise<{ token: string; view: TokenView }> {
    this.#ctx.access.require(principal, 'self.manage');
    const allowed = input.permissions.filter((p) => principal.permissions.has(p) && p !== 'self.manage');
    if (allowed.length !== input.permissions.length || allowed.length === 0)
      throw new QyError('QY_E_VALIDATION', {
        field: 'permissions',
        reason: 'a token may carry only permissions its user has (not self.manage)',
      });
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const record = await this.#ctx.repos.accounts.createToken(
      {
        user_id: principal.userId,
        name: input.name,
        token_hash: sha256(token),
        expires_at: input.expiresAt ?? null,
        permissions: allowed,
      },
      this.#ctx.now(),
    );
    const view = tokenView(record);
    await this.#ctx.audit.record(principal, 'token.create', 'api_token', view.id, { after: view });
    return { token, view };
  }

  async tokens(principal: Principal): Promise<TokenView[]> {
    this.#ctx.access.require(principal, 'self.manage');
    return (await this.#ctx.repos.accounts.tokensOf(principal.userId)).map(tokenView);
  }

  async revokeToken(principal: Principal, id: number): Promise<TokenView> {
    this.#ctx.access.require(principal, 'self.manage');
    const record = await this.#ctx.repos.accounts.token(id);
    // Another user's token is "not found"; the province administrator may revoke any.
    if (
      record === undefined ||
      (Number(record.user_id) !== principal.userId && principal.role !== 'province_admin')
    )
      throw new QyError('QY_E_NOT_FOUND', { entity: 'api_token', id });
    await this.#ctx.repos.accounts.revokeToken(id, this.#ctx.now());
    const after = tokenView((await this.#ctx.repos.accounts.token(id)) ?? record);
    await this.#ctx.audit.record(principal, 'token.revoke', 'api_token', id, {
      before: tokenView(record),
      after,
    });
    return after;
  }

  async users(principal: Principal): Promise<UserView[]> {
    this.#ctx.access.require(principal, 'users.manage');
    return (await this.#ctx.repos.accounts.users()).map(userView);
  }

  /** Creates a user with a one-time password they must change at first login. */
  async createUser(principal: Principal, input: NewUserInput): Promise<{ user: UserView; password: string }> {
    this.#ctx.access.require(principal, 'users.manage');
    await this.#checkBinding(input);
    const password = generatePassword();
    const record = await this.#ctx.repos.accounts.createUser(
      { ...input, passwordHash: await hashPassword(password), mustChangePassword: true },
      this.#ctx.now(),
    );
    const user = userView(record);
    await this.#ctx.audit.record(principal, 'user.create', 'user', user.id, { after: user });
    return { user, password };
  }

  async updateUser(
    principal: Principal,
    id: number,
    patch: Partial<Omit<NewUserInput, 'username'>> & { status?: 'active' | 'disabled' },
  ): Promise<UserView> {
    this.#ctx.access.require(principal, 'users.manage');
    const before = userView(await this.#requireUser(id));
    await this.#checkBinding({ ...before, ...patch });
    const after = userView(await this.#ctx.repos.accounts.updateUser(id, patch));
    // A change of role, binding or status ends the user's sessions: their rights changed.
    await this.#ctx.repos.accounts.revokeSessionsOf(id, this.#ctx.now());
    await this.#ctx.audit.record(principal, 'user.update', 'user', id, { before, after });
    return after;
  }

  async resetPassword(principal: Principal, id: number): Promise<{ password: string }> {
    this.#ctx.access.require(principal, 'users.manage');
    await this.#requireUser(id);
    const password = generatePassword();
    const now = this.#ctx.now();
    await this.#ctx.repos.accounts.setPassword(id, await hashPassword(password), now, true);
    await this.#ctx.repos.accounts.revokeSessionsOf(id, now);
    await this.#ctx.audit.record(principal, 'user.reset-password', 'user', id);
    return { password };
  }

  /**
   * First start: when there is no user at all, creates the province administrator with a random one-time
   * password (returned to be printed once). No built-in default password exists.
   */
  async bootstrap(regionCode: string | null): Promise<{ username: string; password: string } | undefined> {
    if ((await this.#ctx.repos.accounts.countUsers()) > 0) return undefined;
    const password = generatePassword();
    await this.#ctx.repos.accounts.createUser(
      {
        username: 'admin',
        displayName: '省级管理员',
        role: 'province_admin',
        regionCode,
        passwordHash: await hashPassword(password),
        mustChangePassword: true,
      },
      this.#ctx.now(),
    );
    return { username: 'admin', password };
  }

  /** Creates a user with a given password (demo accounts, tests); refuses weak passwords. */
  async provision(input: NewUserInput, password: string): Promise<UserView> {
    const problem = passwordProblem(password, input.username);
    if (problem !== undefined) throw new QyError('QY_E_PASSWORD_POLICY', { reason: problem });
    await this.#checkBinding(input);
    const existing = await this.#ctx.repos.accounts.byUsername(input.username);
    if (existing !== undefined) return userView(existing);
    return userView(
      await this.#ctx.repos.accounts.createUser(
        { ...input, passwordHash: await hashPassword(password) },
        this.#ctx.now(),
      ),
    );
  }

  async #requireUser(id: number): Promise<UserRecord> {
    const user = await this.#ctx.repos.accounts.user(id);
    if (user === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'user', id });
    return user;
  }

  #withPasswordAge(user: UserRecord): UserView {
    const view = userView(user);
    const expired = this.#ctx.now() - Number(user.password_changed_at) > this.#policy.passwordMaxAgeMs;
    return expired ? { ...view, mustChangePassword: true } : view;
  }

  /** Authorities carry a region, enterprise users an enterprise, contractors a contractor — and nothing else. */
  async #checkBinding(input: Partial<NewUserInput> & { role: Role }): Promise<void> {
    const repos = this.#ctx.repos;
    const problem = (field: string, reason: string) => new QyError('QY_E_VALIDATION', { field, reason });
    if ((AUTHORITY_ROLES as string[]).includes(input.role)) {
      if (input.role !== 'province_admin' && (input.regionCode ?? null) === null)
        throw problem('regionCode', `a ${input.role} user needs a region`);
      if (input.regionCode != null && (await repos.regions.get(input.regionCode)) === undefined)
        throw problem('regionCode', 'no such region');
    } else if (input.role === 'enterprise') {
      if (input.enterpriseId == null || (await repos.enterprises.get(input.enterpriseId)) === undefined)
        throw problem('enterpriseId', 'an enterprise user needs an existing enterprise');
    } else if ((CONTRACTOR_ROLES as string[]).includes(input.role)) {
      if (input.contractorId == null || (await repos.contractors.get(input.contractorId)) === undefined)
        throw problem('contractorId', 'a contractor user needs an existing contractor');
    }
  }
}

function tokenView(r: {
  id: number;
  name: string;
  permissions: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}): TokenView {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: Number(r.id),
    name: r.name,
    permissions: JSON.parse(r.permissions),
    createdAt: Number(r.created_at),
    expiresAt: n(r.expires_at),
    revokedAt: n(r.revoked_at),
    lastUsedAt: n(r.last_used_at),
  };
}
