import { AccountService, type SessionPolicy } from '../accounts/account-service.js';
import { AuditService } from './audit-service.js';
import type { ServiceContext } from './context.js';
import { RegistryService } from './registry-service.js';

/** Every service of the API, over one context. Each method checks access first. */
export interface Services {
  readonly ctx: ServiceContext;
  readonly accounts: AccountService;
  readonly audit: AuditService;
  readonly registry: RegistryService;
}

export function createServices(
  ctx: ServiceContext,
  options: { sessionPolicy?: Partial<SessionPolicy> } = {},
): Services {
  return {
    ctx,
    accounts: new AccountService(ctx, options.sessionPolicy),
    audit: new AuditService(ctx),
    registry: new RegistryService(ctx),
  };
}
