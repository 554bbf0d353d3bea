import type { EnterpriseInput, EnterprisePatch, EnterpriseView, KeyUnitYear } from '@qingyuan/store';
import type { Principal } from '../../access/principal.js';
import type { ServiceContext } from '../context.js';

/** An enterprise as the audit log records it: its fields and its 名录 years. */
export type EnterpriseRecord = EnterpriseView & { keyUnits: KeyUnitYear[] };

/** What the API creates or changes: the fields, and 名录 categories per year (each year given is replaced). */
export type EnterpriseChange<T> = T & { keyUnits?: readonly KeyUnitYear[] };

/** Creating and changing enterprises, in the caller's region scope (registry.write). */
export class EnterpriseWrites {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /** The new enterprise's region must lie in the caller's region (an authority's subtree). */
  async create(principal: Principal, input: EnterpriseChange<EnterpriseInput>): Promise<EnterpriseRecord> {
    const scope = this.#ctx.access.require(principal, 'registry.write');
    await scope.requireRegion(input.regionCode);
    const { keyUnits, ...fields } = input;
    const created = await this.#ctx.repos.enterprises.create(fields, this.#ctx.now());
    await this.#setKeyUnits(created.id, keyUnits);
    const after = await this.#record(created.id);
    await this.#ctx.audit.record(principal, 'enterprise.create', 'enterprise', created.id, { after });
    return after;
  }

  /** Moving the enterprise to another region needs that region in scope too. */
  async update(
    principal: Principal,
    id: number,
    patch: EnterpriseChange<EnterprisePatch>,
  ): Promise<EnterpriseRecord> {
    const scope = this.#ctx.access.require(principal, 'registry.write');
    await scope.requireEnterprise(id);
    if (patch.regionCode !== undefined) await scope.requireRegion(patch.regionCode);
    const before = await this.#record(id);
    const { keyUnits, ...fields } = patch;
    await this.#ctx.repos.enterprises.update(id, fields, this.#ctx.now());
    await this.#setKeyUnits(id, keyUnits);
    const after = await this.#record(id);
    await this.#ctx.audit.record(principal, 'enterprise.update', 'enterprise', id, { before, after });
    return after;
  }

  async #record(id: number): Promise<EnterpriseRecord> {
    const repo = this.#ctx.repos.enterprises;
    const view = (await repo.get(id)) as EnterpriseView;
    return { ...view, keyUnits: await repo.keyUnits(id) };
  }

  async #setKeyUnits(id: number, years: readonly KeyUnitYear[] | undefined): Promise<void> {
    for (const { year, categories } of years ?? [])
      await this.#ctx.repos.enterprises.setKeyUnits(id, year, categories);
  }
}
