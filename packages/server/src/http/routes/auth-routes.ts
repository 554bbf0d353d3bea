import { Type } from 'typebox';
import { PERMISSIONS, type Permission } from '../../access/roles.js';
import { SESSION_COOKIE } from '../../accounts/account-service.js';
import { route } from '../route.js';
import { IdParams, Instant, Ok } from './schemas.js';

const tags = ['auth 认证'];

/** Login, logout, the caller's own account and API tokens. */
export const AUTH_ROUTES = [
  route({
    method: 'POST',
    url: '/auth/login',
    permission: 'public.read',
    summary: 'Log in: sets the HttpOnly session cookie; returns the CSRF token for writes',
    tags,
    body: Type.Object({
      username: Type.String({ minLength: 1, maxLength: 64 }),
      password: Type.String({ minLength: 1, maxLength: 256 }),
    }),
    example: () => ({ username: 'nobody', password: 'wrong' }),
    handler: async ({ body, services, reply }) => {
      const peer = reply.request.ip;
      const session = await services.accounts.login(body.username, body.password, peer);
      const secure = reply.request.protocol === 'https';
      reply.setCookie(SESSION_COOKIE, session.sessionId, {
        httpOnly: true,
        sameSite: 'strict',
        secure,
        path: '/',
      });
      return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },
  }),
  route({
    method: 'POST',
    url: '/auth/logout',
    permission: 'self.manage',
    summary: 'Log out: ends this session',
    tags,
    response: Ok,
    handler: async ({ principal, services, sessionId, reply }) => {
      if (sessionId !== undefined) await services.accounts.logout(principal, sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  }),
  route({
    method: 'GET',
    url: '/auth/me',
    permission: 'self.manage',
    summary: 'The caller: user, role, binding, permissions, and the CSRF token of this session',
    tags,
    handler: async ({ principal, services, sessionId }) => {
      const me = await services.accounts.me(principal);
      const session =
        sessionId === undefined ? undefined : await services.accounts.sessionPrincipal(sessionId, '');
      return { ...me, csrfToken: session?.csrfToken ?? null };
    },
  }),
  route({
    method: 'POST',
    url: '/auth/password',
    permission: 'self.manage',
    summary: 'Change one’s password (ends every session of the user)',
    tags,
    body: Type.Object({
      current: Type.String({ minLength: 1, maxLength: 256 }),
      next: Type.String({ minLength: 1, maxLength: 256 }),
    }),
    example: () => ({ current: 'not-the-password', next: 'Another#Passw0rd' }),
    response: Ok,
    handler: async ({ principal, services, body }) => {
      await services.accounts.changePassword(principal, body.current, body.next);
      return { ok: true };
    },
  }),
  route({
    method: 'GET',
    url: '/auth/tokens',
    permission: 'self.manage',
    summary: 'One’s API tokens (never the secrets)',
    tags,
    handler: async ({ principal, services }) => services.accounts.tokens(principal),
  }),
  route({
    method: 'POST',
    url: '/auth/tokens',
    permission: 'self.manage',
    summary: 'Create an API token for a machine client; the secret is shown only in this answer',
    tags,
    status: 201,
    body: Type.Object({
      name: Type.String({ minLength: 1, maxLength: 100 }),
      permissions: Type.Array(Type.Enum([...PERMISSIONS]), {
        minItems: 1,
        maxItems: 20,
      }),
      expiresAt: Type.Optional(Type.Union([Type.Null(), Instant])),
    }),
    example: () => ({ name: 'city platform', permissions: ['public.read' as const] }),
    handler: async ({ principal, services, body }) =>
      services.accounts.createToken(principal, {
        name: body.name,
        permissions: body.permissions as Permission[],
        expiresAt: body.expiresAt ?? null,
      }),
  }),
  route({
    method: 'DELETE',
    url: '/auth/tokens/:id',
    permission: 'self.manage',
    resource: 'token',
    summary: 'Revoke an API token',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) => services.accounts.revokeToken(principal, params.id),
  }),
];
