import { type EnterpriseView, regionSubtree } from '@qingyuan/store';
import { sql } from 'kysely';
import type { Principal } from '../access/principal.js';
import { QyError } from '../errors.js';
import type { ServiceContext } from './context.js';

/** The registry as each caller may see and change it: every method checks access, then scope. */
export class RegistryService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
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

  async enterprise(principal: Principal, id: number): Promise<EnterpriseView> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    await scope.requireEnterprise(id);
    const view = await this.#ctx.repos.enterprises.get(id);
    if (view === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'enterprise', id });
    return view;
  }
}

/** `column LIKE '%text%'` where `%`, `_` and `\` in the text match themselves (both dialects). */
export function containsText(column: string, text: string) {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
}
