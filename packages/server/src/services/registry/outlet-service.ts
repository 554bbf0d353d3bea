import type { OutletInput, OutletPatch, OutletView, PointView } from '@qingyuan/store';
import type { Principal } from '../../access/principal.js';
import type { ServiceContext } from '../context.js';
import { scopedOutlet } from './scoped.js';

export interface OutletDetail extends OutletView {
  readonly points: PointView[];
}

/** Outlets (排口) of the enterprises in the caller's scope. */
export class OutletService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  async get(principal: Principal, id: number): Promise<OutletDetail> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    const outlet = await scopedOutlet(this.#ctx, scope, id);
    const points = await this.#ctx.repos.points.byOutlet(id);
    const visible: PointView[] = [];
    for (const p of points) if (await scope.hasPoint(p.id)) visible.push(p);
    return { ...outlet, points: visible };
  }

  async byEnterprise(principal: Principal, enterpriseId: number): Promise<OutletView[]> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    await scope.requireEnterprise(enterpriseId);
    return this.#ctx.repos.outlets.byEnterprise(enterpriseId);
  }

  async create(
    principal: Principal,
    enterpriseId: number,
    input: Omit<OutletInput, 'enterpriseId'>,
  ): Promise<OutletView> {
    const scope = this.#ctx.access.require(principal, 'registry.write');
    await scope.requireEnterprise(enterpriseId);
    const outlet = await this.#ctx.repos.outlets.create({ ...input, enterpriseId });
    await this.#ctx.audit.record(principal, 'outlet.create', 'outlet', outlet.id, { after: outlet });
    return outlet;
  }

  async update(principal: Principal, id: number, patch: OutletPatch): Promise<OutletView> {
    const scope = this.#ctx.access.require(principal, 'registry.write');
    const before = await scopedOutlet(this.#ctx, scope, id);
    const after = await this.#ctx.repos.outlets.update(id, patch);
    await this.#ctx.audit.record(principal, 'outlet.update', 'outlet', id, { before, after });
    return after;
  }
}
