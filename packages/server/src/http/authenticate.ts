import type { FastifyRequest } from 'fastify';
import { type Principal, publicPrincipal } from '../access/principal.js';
import { SESSION_COOKIE } from '../accounts/account-service.js';
import { QyError } from '../errors.js';
import type { Services } from '../services/index.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface Authenticated {
  readonly principal: Principal;
  readonly sessionId: string | undefined;
}

/**
 * Who is calling: a bearer API token, else a session cookie, else the public. A cookie-authenticated
 * request that changes something must carry the session's CSRF token in X-CSRF-Token (SameSite=Strict
 * cookies are the first defence; the token is the second). A bad or expired token or cookie is not an
 * error here — the caller is the public, and routes needing a login answer QY_E_UNAUTHENTICATED.
 */
export async function authenticate(request: FastifyRequest, services: Services): Promise<Authenticated> {
  const peer = request.ip;
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && /^Bearer\s+/i.test(authorization)) {
    const principal = await services.accounts.tokenPrincipal(
      authorization.replace(/^Bearer\s+/i, '').trim(),
      peer,
    );
    if (principal === undefined)
      throw new QyError('QY_E_UNAUTHENTICATED', { reason: 'the API token is not valid' });
    return { principal, sessionId: undefined };
  }
  const sessionId = request.cookies?.[SESSION_COOKIE];
  if (typeof sessionId === 'string' && sessionId.length > 0 && sessionId.length < 200) {
    const session = await services.accounts.sessionPrincipal(sessionId, peer);
    if (session !== undefined) {
      if (UNSAFE.has(request.method)) {
        const sent = request.headers['x-csrf-token'];
        if (sent !== session.csrfToken) throw new QyError('QY_E_CSRF');
      }
      return { principal: session.principal, sessionId };
    }
  }
  return { principal: publicPrincipal(peer), sessionId: undefined };
}
