import { type RegionLevel, type RegionView, regionSubtree } from '@qingyuan/store';
import type { Principal } from '../../access/principal.js';
import { AUTHORITY_ROLES } from '../../access/roles.js';
import type { Scope } from '../../access/scope.js';
import { QyError } from '../../errors.js';
import type { ServiceContext } from '../context.js';

export interface RegionNode extends RegionView {
  readonly children: RegionNode[];
}

export interface RegionDetail extends RegionView {
  /** From the root down to the parent. */
  readonly path: RegionView[];
  readonly children: RegionView[];
  /** Enterprises in this region's subtree that the caller may see. */
  readonly enterpriseCount: number;
}

/**
 * Administrative divisions (GB/T 2260). The list is reference data every registry reader sees; one region
 * in detail is scoped: an authority sees its own subtree, others the regions holding an enterprise they see.
 */
export class RegionService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  async list(
    principal: Principal,
    query: { level?: RegionLevel; parent?: string; tree?: boolean } = {},
  ): Promise<RegionView[] | RegionNode[]> {
    this.#ctx.access.require(principal, 'registry.read');
    const all = await this.#ctx.repos.regions.list(query.level);
    const under = query.parent === undefined ? all : all.filter((r) => r.parentCode === query.parent);
    if (query.tree !== true) return under;
    const nodes = new Map(all.map((r) => [r.code, { ...r, children: [] as RegionNode[] }]));
    const roots: RegionNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentCode === null ? undefined : nodes.get(node.parentCode);
      if (parent !== undefined) parent.children.push(node);
      else roots.push(node);
    }
    return query.parent === undefined ? roots : under.flatMap((r) => nodes.get(r.code) ?? []);
  }

  async get(principal: Principal, code: string): Promise<RegionDetail> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    await this.#requireVisible(scope, code);
    const repo = this.#ctx.repos.regions;
    const region = await repo.get(code);
    if (region === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'region', code });
    const up = (await repo.ancestors(code)).slice(1).reverse();
    const path = (await Promise.all(up.map((c) => repo.get(c)))).filter((r) => r !== undefined);
    const db = this.#ctx.store.db;
    const count = await db
      .selectFrom('enterprise')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('region_code', 'in', regionSubtree(db, code))
      .where('id', 'in', scope.enterpriseIds())
      .executeTakeFirstOrThrow();
    return { ...region, path, children: await repo.children(code), enterpriseCount: Number(count.n) };
  }

  /** Authorities: their region's subtree; everyone else: the regions (and those above) of their enterprises. */
  async #requireVisible(scope: Scope, code: string): Promise<void> {
    if (await scope.hasRegion(code)) return;
    if (!(AUTHORITY_ROLES as string[]).includes(scope.principal.role)) {
      const db = this.#ctx.store.db;
      const held = await db
        .selectFrom('enterprise')
        .select('id')
        .where('region_code', 'in', regionSubtree(db, code))
        .where('id', 'in', scope.enterpriseIds())
        .executeTakeFirst();
      if (held !== undefined) return;
    }
    throw new QyError('QY_E_NOT_FOUND', { entity: 'region', code });
  }
}
