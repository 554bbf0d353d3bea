import {
  beijingDay,
  type ContractorView,
  type ContractView,
  type EnterpriseView,
  type KeyUnitYear,
  regionSubtree,
} from '@qingyuan/store';
import type { Principal } from '../access/principal.js';
import { QyError } from '../errors.js';
import type { ServiceContext } from './context.js';
import { ContractorService } from './registry/contractor-service.js';
import { EnterpriseWrites } from './registry/enterprise-writes.js';
import { OutletService } from './registry/outlet-service.js';
import { PermitService } from './registry/permit-service.js';
import { PointService } from './registry/point-service.js';
import { RegionService } from './registry/region-service.js';
import { StandardService } from './registry/standard-service.js';
import { containsText } from './registry/text-match.js';

export { containsText } from './registry/text-match.js';

export interface EnterpriseDetail extends EnterpriseView {
  readonly outletCount: number;
  readonly pointCount: number;
  /** 重点排污单位名录 membership by year. */
  readonly keyUnits: KeyUnitYear[];
}

/** A contract in force today, with its contractor. */
export interface ContractInForce extends ContractView {
  readonly contractor: ContractorView;
}

/**
 * The registry as each caller may see and change it: every method checks access, then scope. Enterprises
 * are here; the other records have their own services below.
 */
export class RegistryService {
  readonly #ctx: ServiceContext;
  readonly #writes: EnterpriseWrites;
  readonly regions: RegionService;
  readonly outlets: OutletService;
  readonly points: PointService;
  readonly standards: StandardService;
  readonly permits: PermitService;
  readonly contractors: ContractorService;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
    this.#writes = new EnterpriseWrites(ctx);
    this.regions = new RegionService(ctx);
    this.outlets = new OutletService(ctx);
    this.points = new PointService(ctx);
    this.standards = new StandardService(ctx);
    this.permits = new PermitService(ctx);
    this.contractors = new ContractorService(ctx);
  }

  async enterprises(
    principal: Principal,
    query: { regionCode?: string; search?: string; limit?: number; offset?: number } = {},
  ): Promise<EnterpriseView[]> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    const rows = await this.#ctx.store.db
      .selectFrom('enterprise')
      .select('id')
      .where('id', 'in', scope.enterpriseIds())
      .$if(query.regionCode !== undefined, (q) =>
        q.where('region_code', 'in', regionSubtree(this.#ctx.store.db, query.regionCode as string)),
      )
      .$if(query.search !== undefined && query.search.length > 0, (q) =>
        q.where((eb) =>
          eb.or([containsText('name', query.search as string), eb('uscc', '=', query.search as string)]),
        ),
      )
      .orderBy('id')
      .limit(Math.min(query.limit ?? 500, 5000))
      .offset(query.offset ?? 0)
      .execute();
    const out: EnterpriseView[] = [];
    for (const r of rows) {
      const view = await this.#ctx.repos.enterprises.get(Number(r.id));
      if (view !== undefined) out.push(view);
    }
    return out;
  }

  /** One enterprise with its outlet and point counts and its 名录 years. */
  async enterprise(principal: Principal, id: number): Promise<EnterpriseDetail> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    await scope.requireEnterprise(id);
    const view = await this.#ctx.repos.enterprises.get(id);
    if (view === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'enterprise', id });
    const counts = await this.#ctx.store.db
      .selectFrom('outlet as o')
      .leftJoin('monitoring_point as p', 'p.outlet_id', 'o.id')
      .select((eb) => [
        eb.fn.count<number>('o.id').distinct().as('outlets'),
        eb.fn.count<number>('p.id').as('points'),
      ])
      .where('o.enterprise_id', '=', id)
      .executeTakeFirstOrThrow();
    return {
      ...view,
      outletCount: Number(counts.outlets),
      pointCount: Number(counts.points),
      keyUnits: await this.#ctx.repos.enterprises.keyUnits(id),
    };
  }

  createEnterprise(...args: Parameters<EnterpriseWrites['create']>) {
    return this.#writes.create(...args);
  }

  updateEnterprise(...args: Parameters<EnterpriseWrites['update']>) {
    return this.#writes.update(...args);
  }

  /** The contracts in force today (Beijing calendar) for the enterprise or its points, with their contractors. */
  async enterpriseContractors(principal: Principal, id: number): Promise<ContractInForce[]> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    await scope.requireEnterprise(id);
    const repo = this.#ctx.repos.contractors;
    const contracts = await repo.contractsForEnterprise(id, beijingDay(this.#ctx.now()));
    const out: ContractInForce[] = [];
    for (const contract of contracts) {
      const contractor = await repo.get(contract.contractorId);
      if (contractor !== undefined) out.push({ ...contract, contractor });
    }
    return out;
  }
}
