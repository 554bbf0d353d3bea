import { beijingDay, contractInForce, type Database, regionSubtree } from '@qingyuan/store';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { QyError } from '../errors.js';
import type { Principal } from './principal.js';
import { AUTHORITY_ROLES, CONTRACTOR_ROLES } from './roles.js';

// biome-ignore lint/suspicious/noExplicitAny: a one-column subquery used inside other queries' WHERE … IN
type IdQuery = SelectQueryBuilder<Database, any, { id: number }>;

/**
 * Which records a principal may see: authorities their region's subtree (all of it with no region), an
 * enterprise user its enterprise, a contractor what its contracts in force today cover (a contract with no
 * point covers the whole enterprise; a cancelled contract is never in force), the public the published
 * (active) enterprises. Services put these subqueries into every query, and ask
 * `requirePoint`/`requireEnterprise` before touching one record; a record outside the scope behaves as if
 * it did not exist (QY_E_NOT_FOUND).
 */
export class Scope {
  readonly #db: Kysely<Database>;
  readonly principal: Principal;
  readonly #today: string;

  constructor(db: Kysely<Database>, principal: Principal, now: number) {
    this.#db = db;
    this.principal = principal;
    this.#today = beijingDay(now);
  }

  /** True when nothing is excluded (province without a region, or the province administrator). */
  get unrestricted(): boolean {
    const { role, regionCode } = this.principal;
    return role === 'province_admin' || ((AUTHORITY_ROLES as string[]).includes(role) && regionCode === null);
  }

  /** The enterprises in scope, as a subquery of ids. */
  enterpriseIds(): IdQuery {
    const db = this.#db;
    const { role, regionCode, enterpriseId, contractorId } = this.principal;
    const all = db.selectFrom('enterprise').select('enterprise.id');
    if (this.unrestricted) return all;
    if ((AUTHORITY_ROLES as string[]).includes(role))
      return all.where('enterprise.region_code', 'in', regionSubtree(db, regionCode as string));
    if (role === 'enterprise') return all.where('enterprise.id', '=', enterpriseId ?? -1);
    if ((CONTRACTOR_ROLES as string[]).includes(role))
      return db
        .selectFrom('contract')
        .select('contract.enterprise_id as id')
        .where('contract.contractor_id', '=', contractorId ?? -1)
        .where((eb) => contractInForce(eb, this.#today));
    // The public: published enterprises only.
    return all.where('enterprise.status', '=', 'active');
  }

  /** The monitoring points in scope, as a subquery of ids. */
  pointIds(): IdQuery {
    const db = this.#db;
    const { role, contractorId } = this.principal;
    const points = db
      .selectFrom('monitoring_point as sp')
      .innerJoin('outlet as so', 'so.id', 'sp.outlet_id')
      .select('sp.id');
    if (this.unrestricted) return db.selectFrom('monitoring_point').select('monitoring_point.id');
    if ((CONTRACTOR_ROLES as string[]).includes(role)) {
      const contracts = (wholeEnterprise: boolean) =>
        db
          .selectFrom('contract')
          .where('contract.contractor_id', '=', contractorId ?? -1)
          .where((eb) => contractInForce(eb, this.#today))
          .where('contract.point_id', wholeEnterprise ? 'is' : 'is not', null);
      return points.where((eb) =>
        eb.or([
          eb('so.enterprise_id', 'in', contracts(true).select('contract.enterprise_id')),
          eb('sp.id', 'in', contracts(false).select('contract.point_id')),
        ]),
      ) as IdQuery;
    }
    const scoped = points.where('so.enterprise_id', 'in', this.enterpriseIds());
    return role === 'public' ? scoped.where('sp.status', '=', 'running') : scoped;
  }

  async hasEnterprise(id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false;
    const row = await this.#db
      .selectFrom('enterprise')
      .select('id')
      .where('id', '=', id)
      .where('id', 'in', this.enterpriseIds())
      .executeTakeFirst();
    return row !== undefined;
  }

  async hasPoint(id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false;
    const row = await this.#db
      .selectFrom('monitoring_point')
      .select('id')
      .where('id', '=', id)
      .where('id', 'in', this.pointIds())
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Whether a region code lies within the principal's region (authorities only; others: never). */
  async hasRegion(code: string): Promise<boolean> {
    if (this.unrestricted) return true;
    const { role, regionCode } = this.principal;
    if (!(AUTHORITY_ROLES as string[]).includes(role) || regionCode === null) return false;
    const row = await regionSubtree(this.#db, regionCode).where('subtree.code', '=', code).executeTakeFirst();
    return row !== undefined;
  }

  async requireEnterprise(id: number): Promise<void> {
    if (!(await this.hasEnterprise(id))) throw new QyError('QY_E_NOT_FOUND', { entity: 'enterprise', id });
  }

  async requirePoint(id: number): Promise<void> {
    if (!(await this.hasPoint(id))) throw new QyError('QY_E_NOT_FOUND', { entity: 'point', id });
  }

  async requireRegion(code: string): Promise<void> {
    if (!(await this.hasRegion(code))) throw new QyError('QY_E_NOT_FOUND', { entity: 'region', code });
  }
}
