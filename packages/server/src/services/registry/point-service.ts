import type {
  LimitView,
  PointFactorInput,
  PointFactorView,
  PointInput,
  PointPatch,
  PointStatus,
  PointStatusChange,
  PointView,
} from '@qingyuan/store';
import type { Principal } from '../../access/principal.js';
import { QyError } from '../../errors.js';
import type { ServiceContext } from '../context.js';
import { listPoints, type PointQuery, type PointRow } from './point-list.js';
import { scopedOutlet } from './scoped.js';

export interface PointDetail extends PointView {
  readonly outlet: { id: number; code: string; name: string; kind: string; standardId: number | null };
  readonly enterprise: { id: number; name: string; regionCode: string };
  readonly factors: PointFactorView[];
  /** The outlet's emission standard with its limits for the point's factors, if one is set. */
  readonly standard: { id: number; code: string; name: string; limits: LimitView[] } | null;
}

/** What a point is created with: its outlet comes from the path; status defaults to 'planned'. */
export type NewPoint = Omit<PointInput, 'outletId' | 'status'> & { status?: PointStatus };

/** A patch of a point's fields, with an optional new HJ 212 password (audited, never echoed). */
export type PointChange = PointPatch & { password?: string };

/**
 * Monitoring points (监测点位) in the caller's scope. Reads go through the store's password-free views:
 * the HJ 212 password is written here but never returned or audited.
 */
export class PointService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  async list(principal: Principal, query: PointQuery = {}): Promise<PointRow[]> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    return listPoints(this.#ctx, scope, query);
  }

  async get(principal: Principal, id: number): Promise<PointDetail> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    await scope.requirePoint(id);
    const { repos } = this.#ctx;
    const point = await this.#view(id);
    const outlet = await repos.outlets.get(point.outletId);
    const enterprise = outlet === undefined ? undefined : await repos.enterprises.get(outlet.enterpriseId);
    if (outlet === undefined || enterprise === undefined)
      throw new QyError('QY_E_NOT_FOUND', { entity: 'point', id });
    const factors = await repos.points.factors(id);
    const standard = outlet.standardId === null ? undefined : await repos.standards.get(outlet.standardId);
    const codes = new Set(factors.map((f) => f.factorCode));
    return {
      ...point,
      outlet: {
        id: outlet.id,
        code: outlet.code,
        name: outlet.name,
        kind: outlet.kind,
        standardId: outlet.standardId,
      },
      enterprise: { id: enterprise.id, name: enterprise.name, regionCode: enterprise.regionCode },
      factors,
      standard:
        standard === undefined
          ? null
          : {
              id: standard.id,
              code: standard.code,
              name: standard.name,
              limits: standard.limits.filter((l) => codes.has(l.factorCode)),
            },
    };
  }

  async create(principal: Principal, outletId: number, input: NewPoint): Promise<PointView> {
    const scope = this.#ctx.access.require(principal, 'registry.write');
    await scopedOutlet(this.#ctx, scope, outletId);
    const point = await this.#ctx.repos.points.create(
      { ...input, outletId, status: input.status ?? 'planned' },
      this.#ctx.now(),
    );
    await this.#ctx.audit.record(principal, 'point.create', 'point', point.id, { after: point });
    return point;
  }

  async update(principal: Principal, id: number, change: PointChange): Promise<PointView> {
    const scope = this.#ctx.access.require(principal, 'registry.write');
    await scope.requirePoint(id);
    const { password, ...patch } = change;
    // Moving the point: the new outlet must be in scope too.
    if (patch.outletId !== undefined) await scopedOutlet(this.#ctx, scope, patch.outletId);
    const before = await this.#view(id);
    const now = this.#ctx.now();
    const after = await this.#ctx.repos.points.update(id, patch, now);
    await this.#ctx.audit.record(principal, 'point.update', 'point', id, { before, after });
    if (password !== undefined) {
      await this.#ctx.repos.points.setPassword(id, password, now);
      await this.#ctx.audit.record(principal, 'point.password', 'point', id);
    }
    return after;
  }

  async setFactors(
    principal: Principal,
    id: number,
    factors: readonly PointFactorInput[],
  ): Promise<PointFactorView[]> {
    const scope = this.#ctx.access.require(principal, 'registry.write');
    await scope.requirePoint(id);
    const repo = this.#ctx.repos.points;
    const before = await repo.factors(id);
    await repo.setFactors(id, factors);
    const after = await repo.factors(id);
    await this.#ctx.audit.record(principal, 'point.factors', 'point', id, { before, after });
    return after;
  }

  /** Sets the point's status with the reason (kept in its status history); the same status changes nothing. */
  async setStatus(
    principal: Principal,
    id: number,
    status: PointStatus,
    reason: string,
  ): Promise<{ changed: boolean; point: PointView }> {
    const scope = this.#ctx.access.require(principal, 'registry.write');
    await scope.requirePoint(id);
    const before = await this.#view(id);
    const changed = await this.#ctx.repos.points.setStatus(id, status, this.#ctx.now(), reason);
    if (changed)
      await this.#ctx.audit.record(principal, 'point.status', 'point', id, {
        before: { status: before.status },
        after: { status, reason },
      });
    return { changed, point: await this.#view(id) };
  }

  async statusHistory(principal: Principal, id: number): Promise<PointStatusChange[]> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    await scope.requirePoint(id);
    return this.#ctx.repos.points.statusHistory(id);
  }

  async #view(id: number): Promise<PointView> {
    const point = await this.#ctx.repos.points.get(id);
    if (point === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'point', id });
    return point;
  }
}
