import type { Role } from '@qingyuan/store';
import { type Permission, PUBLIC_PERMISSIONS } from './roles.js';

/** Who is calling: a logged-in user, a machine with an API token, or the anonymous public. */
export interface Principal {
  readonly kind: 'user' | 'token' | 'public';
  /** The user the session or token belongs to (0 for the public). */
  readonly userId: number;
  readonly username: string;
  readonly role: Role | 'public';
  readonly regionCode: string | null;
  readonly enterpriseId: number | null;
  readonly contractorId: number | null;
  /** Effective permissions: the role's, narrowed to the token's for token callers. */
  readonly permissions: ReadonlySet<Permission>;
  readonly tokenId?: number;
  /** The peer address, for the audit log. */
  readonly peer?: string;
}

export function publicPrincipal(peer?: string): Principal {
  return {
    kind: 'public',
    userId: 0,
    username: 'public',
    role: 'public',
    regionCode: null,
    enterpriseId: null,
    contractorId: null,
    permissions: new Set(PUBLIC_PERMISSIONS),
    ...(peer === undefined ? {} : { peer }),
  };
}

/** How the principal is named in the audit log's actor column. */
export function actorOf(principal: Principal): string {
  if (principal.kind === 'public') return 'public';
  return principal.kind === 'token' ? `token:${principal.tokenId}` : `user:${principal.userId}`;
}
