import { DEFAULT_RULES, type RuleConfig } from '@qingyuan/domain';
import type { MarkKindName, MarkRecord, MarkState } from '@qingyuan/store';
import { actorOf, type Principal } from '../access/principal.js';
import type { Scope } from '../access/scope.js';
import { QyError } from '../errors.js';
import type { ServiceContext } from './context.js';
import { decideFiled } from './filed-decision.js';

/** The longest mark accepted: its days are re-judged while the request waits. */
const MAX_MARK_MS = 366 * 86_400_000;

export interface MarkView {
  readonly id: number;
  readonly pointId: number;
  readonly mn: string;
  readonly enterpriseId: number;
  readonly enterpriseName: string;
  /** A factor code, or '*' for every factor of the point. */
  readonly factorCode: string;
  readonly from: number;
  readonly to: number;
  readonly kind: MarkKindName;
  readonly origin: 'manual' | 'automatic';
  readonly reason: string;
  readonly madeBy: string;
  readonly madeAt: number;
  readonly state: MarkState;
  readonly decidedBy: string | null;
  readonly decidedAt: number | null;
}

export interface NewMarkInput {
  readonly pointId: number;
  readonly factorCode: string;
  readonly kind: MarkKindName;
  readonly from: number;
  readonly to: number;
  readonly reason: string;
}

/** A mark after a decision or a withdrawal, with how many point-days were re-judged for it. */
export interface MarkChange {
  readonly mark: MarkView;
  readonly rejudgedDays: number;
}

/** Marks (标记): filed by enterprises, decided by authorities; an approved mark re-judges its days. */
export class MarkService {
  readonly #ctx: ServiceContext;
  readonly #rules: RuleConfig;

  constructor(ctx: ServiceContext, rules: RuleConfig = DEFAULT_RULES) {
    this.#ctx = ctx;
    this.#rules = rules;
  }

  get context(): ServiceContext {
    return this.#ctx;
  }

  /** Marks of the points in scope, newest first. */
  async list(
    principal: Principal,
    filter: { pointId?: number; state?: MarkState; limit?: number; offset?: number } = {},
  ): Promise<MarkView[]> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    const rows = await this.#query(scope)
      .$if(filter.pointId !== undefined, (q) => q.where('m.point_id', '=', filter.pointId as number))
      .$if(filter.state !== undefined, (q) => q.where('m.state', '=', filter.state as MarkState))
      .orderBy('m.made_at', 'desc')
      .orderBy('m.id', 'desc')
      .limit(Math.min(filter.limit ?? 500, 5000))
      .offset(filter.offset ?? 0)
      .execute();
    return rows.map(markView);
  }

  /** Files a pending mark on a point in scope (an enterprise: its own points). */
  async create(principal: Principal, input: NewMarkInput): Promise<MarkView> {
    const scope = this.#ctx.access.require(principal, 'marks.write');
    await scope.requirePoint(input.pointId);
    if (!(input.to > input.from) || input.to - input.from > MAX_MARK_MS)
      throw new QyError('QY_E_VALIDATION', { field: 'to', reason: 'after from, at most 366 days later' });
    if (input.factorCode !== '*') {
      const factor = await this.#ctx.store.db
        .selectFrom('point_factor')
        .select('factor_code')
        .where('point_id', '=', input.pointId)
        .where('factor_code', '=', input.factorCode)
        .executeTakeFirst();
      if (factor === undefined)
        throw new QyError('QY_E_VALIDATION', {
          field: 'factorCode',
          reason: `the point does not monitor ${input.factorCode} (give one of its factors or '*')`,
        });
    }
    const created = await this.#ctx.repos.marks.create(
      { ...input, reason: input.reason.trim(), origin: 'manual', madeBy: actorOf(principal) },
      this.#ctx.now(),
    );
    await this.#ctx.audit.record(principal, 'mark.create', 'mark', Number(created.id), { after: created });
    return this.#view(scope, Number(created.id));
  }

  /** Approves or rejects a pending mark of a point in scope; an approval re-judges the days it touches. */
  async decide(principal: Principal, id: number, decision: 'approve' | 'reject'): Promise<MarkChange> {
    const scope = this.#ctx.access.require(principal, 'marks.decide');
    const before = await this.#held(scope, id);
    const state = decision === 'approve' ? 'approved' : 'rejected';
    return this.#change(principal, scope, before, state, `mark.${decision}`, state === 'approved');
  }

  /** Withdraws a manual mark (pending or approved) of a point in scope; a withdrawn approval re-judges. */
  async withdraw(principal: Principal, id: number): Promise<MarkChange> {
    const scope = this.#ctx.access.require(principal, 'marks.write');
    const before = await this.#held(scope, id);
    if (before.origin !== 'manual')
      throw new QyError('QY_E_CONFLICT', { entity: 'mark', id, reason: 'automatic marks are not withdrawn' });
    return this.#change(principal, scope, before, 'withdrawn', 'mark.withdraw', before.state === 'approved');
  }

  async #change(
    principal: Principal,
    scope: Scope,
    before: MarkRecord,
    state: Exclude<MarkState, 'pending'>,
    action: string,
    rejudge: boolean,
  ): Promise<MarkChange> {
    const id = Number(before.id);
    const { rejudgedDays } = await decideFiled(this.#ctx, this.#rules, principal, {
      entity: 'mark',
      id,
      before,
      state,
      action,
      rejudge,
      change: () => this.#ctx.repos.marks.decide(id, state, actorOf(principal), this.#ctx.now()),
    });
    return { mark: await this.#view(scope, id), rejudgedDays };
  }

  /** The mark if its point is in scope; QY_E_NOT_FOUND otherwise. */
  async #held(scope: Scope, id: number): Promise<MarkRecord> {
    const mark = await this.#ctx.store.db
      .selectFrom('mark')
      .selectAll()
      .where('id', '=', id)
      .where('point_id', 'in', scope.pointIds())
      .executeTakeFirst();
    if (mark === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'mark', id });
    return mark;
  }

  async #view(scope: Scope, id: number): Promise<MarkView> {
    const row = await this.#query(scope).where('m.id', '=', id).executeTakeFirst();
    if (row === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'mark', id });
    return markView(row);
  }

  #query(scope: Scope) {
    return this.#ctx.store.db
      .selectFrom('mark as m')
      .innerJoin('monitoring_point as p', 'p.id', 'm.point_id')
      .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
      .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
      .selectAll('m')
      .select(['p.mn', 'e.id as enterpriseId', 'e.name as enterpriseName'])
      .where('m.point_id', 'in', scope.pointIds());
  }
}

function markView(r: MarkRecord & { mn: string; enterpriseId: number; enterpriseName: string }): MarkView {
  return {
    id: Number(r.id),
    pointId: Number(r.point_id),
    mn: r.mn,
    enterpriseId: Number(r.enterpriseId),
    enterpriseName: r.enterpriseName,
    factorCode: r.factor_code,
    from: Number(r.from_at),
    to: Number(r.to_at),
    kind: r.kind,
    origin: r.origin,
    reason: r.reason,
    madeBy: r.made_by,
    madeAt: Number(r.made_at),
    state: r.state,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at === null ? null : Number(r.decided_at),
  };
}
