import type { OutletView, PermitView } from '@qingyuan/store';
import type { Scope } from '../../access/scope.js';
import { QyError } from '../../errors.js';
import type { ServiceContext } from '../context.js';

/**
 * Records that belong to an enterprise are in scope exactly when their enterprise is; outside it they
 * behave as if they did not exist (QY_E_NOT_FOUND), on reads and writes alike.
 */
export async function scopedOutlet(ctx: ServiceContext, scope: Scope, id: number): Promise<OutletView> {
  const outlet = await ctx.repos.outlets.get(id);
  if (outlet === undefined || !(await scope.hasEnterprise(outlet.enterpriseId)))
    throw new QyError('QY_E_NOT_FOUND', { entity: 'outlet', id });
  return outlet;
}

export async function scopedPermit(ctx: ServiceContext, scope: Scope, id: number): Promise<PermitView> {
  const permit = await ctx.repos.permits.get(id);
  if (permit === undefined || !(await scope.hasEnterprise(permit.enterpriseId)))
    throw new QyError('QY_E_NOT_FOUND', { entity: 'permit', id });
  return permit;
}

/** The record, or QY_E_NOT_FOUND (for reference data, which has no scope). */
export function found<T>(record: T | undefined, entity: string, id: number | string): T {
  if (record === undefined) throw new QyError('QY_E_NOT_FOUND', { entity, id });
  return record;
}
