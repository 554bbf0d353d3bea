import type { AllowanceView, PermitView } from '@qingyuan/store';
import type { Principal } from '../../access/principal.js';
import type { ServiceContext } from '../context.js';
import { scopedPermit } from './scoped.js';

export interface PermitDetail extends PermitView {
  readonly allowances: AllowanceView[];
}

/** Discharge permits (排污许可证), scoped through their enterprise. */
export class PermitService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  async get(principal: Principal, id: number): Promise<PermitDetail> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    const permit = await scopedPermit(this.#ctx, scope, id);
    return { ...permit, allowances: await this.#ctx.repos.permits.allowances(id) };
  }

  /** The enterprise's permits, newest validity first. */
  async byEnterprise(principal: Principal, enterpriseId: number): Promise<PermitView[]> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    await scope.requireEnterprise(enterpriseId);
    return this.#ctx.repos.permits.byEnterprise(enterpriseId);
  }
}
