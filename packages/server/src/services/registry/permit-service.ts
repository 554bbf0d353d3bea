import type { AllowanceView, PermitInput, PermitView } from '@qingyuan/store';
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

  /**
   * Files a permit (排污许可证) of an enterprise in scope with its annual allowances per pollutant; a
   * renewed permit is a new record (the old one keeps its validity dates: nothing is overwritten).
   */
  async create(principal: Principal, input: PermitInput): Promise<PermitDetail> {
    const scope = this.#ctx.access.require(principal, 'registry.write');
    await scope.requireEnterprise(input.enterpriseId);
    const permit = await this.#ctx.repos.permits.create(input);
    const detail = { ...permit, allowances: await this.#ctx.repos.permits.allowances(permit.id) };
    await this.#ctx.audit.record(principal, 'permit.create', 'permit', permit.id, { after: detail });
    return detail;
  }

  /** The enterprise's permits, newest validity first. */
  async byEnterprise(principal: Principal, enterpriseId: number): Promise<PermitView[]> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    await scope.requireEnterprise(enterpriseId);
    return this.#ctx.repos.permits.byEnterprise(enterpriseId);
  }
}
