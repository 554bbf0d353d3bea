import type { PointStatus } from '@qingyuan/store';
import type { Scope } from '../../access/scope.js';
import type { ServiceContext } from '../context.js';
import { containsText } from './text-match.js';

export interface PointQuery {
  readonly enterpriseId?: number;
  readonly outletId?: number;
  readonly status?: PointStatus;
  /** Part of the MN. */
  readonly mn?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** One line of the point list (and its CSV/XLSX export): never the HJ 212 password. */
export interface PointRow {
  readonly id: number;
  readonly mn: string;
  readonly name: string;
  readonly status: PointStatus;
  readonly protocolVersion: string;
  readonly outletId: number;
  readonly outletCode: string;
  readonly outletName: string;
  readonly outletKind: string;
  readonly enterpriseId: number;
  readonly enterpriseName: string;
  readonly regionCode: string;
  readonly inServiceOn: string | null;
  readonly updatedAt: number;
}

/** The points in scope, filtered, by id. The columns are named one by one: the password is never read. */
export async function listPoints(ctx: ServiceContext, scope: Scope, query: PointQuery): Promise<PointRow[]> {
  const rows = await ctx.store.db
    .selectFrom('monitoring_point as p')
    .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
    .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
    .select([
      'p.id',
      'p.mn',
      'p.name',
      'p.status',
      'p.protocol_version',
      'p.outlet_id',
      'o.code as outlet_code',
      'o.name as outlet_name',
      'o.kind as outlet_kind',
      'e.id as enterprise_id',
      'e.name as enterprise_name',
      'e.region_code',
      'p.in_service_on',
      'p.updated_at',
    ])
    .where('p.id', 'in', scope.pointIds())
    .$if(query.enterpriseId !== undefined, (q) => q.where('e.id', '=', query.enterpriseId as number))
    .$if(query.outletId !== undefined, (q) => q.where('o.id', '=', query.outletId as number))
    .$if(query.status !== undefined, (q) => q.where('p.status', '=', query.status as PointStatus))
    .$if(query.mn !== undefined && query.mn.length > 0, (q) =>
      q.where(containsText('p.mn', query.mn as string)),
    )
    .orderBy('p.id')
    .limit(Math.min(query.limit ?? 1000, 5000))
    .offset(query.offset ?? 0)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    mn: r.mn,
    name: r.name,
    status: r.status,
    protocolVersion: r.protocol_version,
    outletId: Number(r.outlet_id),
    outletCode: r.outlet_code,
    outletName: r.outlet_name,
    outletKind: r.outlet_kind,
    enterpriseId: Number(r.enterprise_id),
    enterpriseName: r.enterprise_name,
    regionCode: r.region_code,
    inServiceOn: r.in_service_on,
    updatedAt: Number(r.updated_at),
  }));
}
