import { DEFAULT_RULES, type RuleConfig } from '@qingyuan/domain';
import {
  type ManualRecord,
  type ManualRecordPeriod,
  type ManualRecordState,
  manualRecordEnd,
} from '@qingyuan/store';
import { actorOf, type Principal } from '../access/principal.js';
import type { Scope } from '../access/scope.js';
import { QyError } from '../errors.js';
import type { ServiceContext } from './context.js';
import { decideFiled } from './filed-decision.js';

export interface ManualRecordView {
  readonly id: number;
  readonly pointId: number;
  readonly mn: string;
  readonly enterpriseId: number;
  readonly enterpriseName: string;
  readonly factorCode: string;
  readonly period: ManualRecordPeriod;
  readonly from: number;
  readonly to: number;
  readonly value: number;
  readonly unit: string;
  readonly method: string;
  readonly agency: string;
  readonly sampledAt: number;
  readonly reportNo: string;
  readonly note: string | null;
  readonly filedBy: string;
  readonly filedAt: number;
  readonly state: ManualRecordState;
  readonly decidedBy: string | null;
  readonly decidedAt: number | null;
}

export interface NewManualRecordInput {
  readonly pointId: number;
  readonly factorCode: string;
  readonly period: ManualRecordPeriod;
  readonly from: number;
  readonly value: number;
  readonly unit: string;
  readonly method: string;
  readonly agency: string;
  readonly sampledAt: number;
  readonly reportNo: string;
  readonly note?: string;
}

export interface ManualRecordFilter {
  readonly pointId?: number;
  readonly state?: ManualRecordState;
  /** Records whose period overlaps [from, to). */
  readonly from?: number;
  readonly to?: number;
  readonly limit?: number;
  readonly offset?: number;
}

/** A record after a decision, with how many point-days were re-judged for it. */
export interface ManualRecordChange {
  readonly record: ManualRecordView;
  readonly rejudgedDays: number;
}

/**
 * Manual-monitoring records (人工监测数据, 湖北省办法 第十五条): filed by enterprises for their own points,
 * decided by authorities like marks; an approval re-judges the point's days the record touches (an approved
 * record makes the S-flagged hours of its factor and period valid, validity.ts).
 */
export class ManualRecordService {
  readonly #ctx: ServiceContext;
  readonly #rules: RuleConfig;

  constructor(ctx: ServiceContext, rules: RuleConfig = DEFAULT_RULES) {
    this.#ctx = ctx;
    this.#rules = rules;
  }

  /** Records of the points in scope, newest period first. */
  async list(principal: Principal, filter: ManualRecordFilter = {}): Promise<ManualRecordView[]> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    const rows = await this.#query(scope)
      .$if(filter.pointId !== undefined, (q) => q.where('r.point_id', '=', filter.pointId as number))
      .$if(filter.state !== undefined, (q) => q.where('r.state', '=', filter.state as ManualRecordState))
      .$if(filter.from !== undefined, (q) => q.where('r.to_at', '>', filter.from as number))
      .$if(filter.to !== undefined, (q) => q.where('r.from_at', '<', filter.to as number))
      .orderBy('r.from_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(Math.min(filter.limit ?? 500, 5000))
      .offset(filter.offset ?? 0)
      .execute();
    return rows.map(recordView);
  }

  /** Files a pending record for a factor of a point in scope (an enterprise: its own points). */
  async create(principal: Principal, input: NewManualRecordInput): Promise<ManualRecordView> {
    const scope = this.#ctx.access.require(principal, 'marks.write');
    await scope.requirePoint(input.pointId);
    const factor = await this.#ctx.store.db
      .selectFrom('point_factor')
      .select('factor_code')
      .where('point_id', '=', input.pointId)
      .where('factor_code', '=', input.factorCode)
      .executeTakeFirst();
    if (factor === undefined)
      throw new QyError('QY_E_VALIDATION', {
        field: 'factorCode',
        reason: `the point does not monitor ${input.factorCode}`,
      });
    const now = this.#ctx.now();
    let to: number;
    try {
      to = manualRecordEnd(input.period, input.from);
    } catch {
      throw new QyError('QY_E_VALIDATION', {
        field: 'from',
        reason: input.period === 'hour' ? 'the start of an hour' : 'a Beijing midnight',
      });
    }
    if (to > now) throw new QyError('QY_E_VALIDATION', { field: 'from', reason: 'a period that has ended' });
    if (input.sampledAt > now)
      throw new QyError('QY_E_VALIDATION', { field: 'sampledAt', reason: 'not in the future' });
    const created = await this.#ctx.repos.manualRecords.create(
      { ...input, filedBy: actorOf(principal) },
      now,
    );
    const id = Number(created.id);
    await this.#ctx.audit.record(principal, 'manual-record.create', 'manual-record', id, { after: created });
    return this.#view(scope, id);
  }

  /** Approves or rejects a pending record of a point in scope; an approval re-judges the days it touches. */
  async decide(
    principal: Principal,
    id: number,
    decision: 'approve' | 'reject',
  ): Promise<ManualRecordChange> {
    const scope = this.#ctx.access.require(principal, 'marks.decide');
    const before = await this.#held(scope, id);
    const state = decision === 'approve' ? 'approved' : 'rejected';
    const { rejudgedDays } = await decideFiled(this.#ctx, this.#rules, principal, {
      entity: 'manual-record',
      id,
      before,
      state,
      action: `manual-record.${decision}`,
      rejudge: state === 'approved',
      change: () => this.#ctx.repos.manualRecords.decide(id, state, actorOf(principal), this.#ctx.now()),
    });
    return { record: await this.#view(scope, id), rejudgedDays };
  }

  /** The record if its point is in scope; QY_E_NOT_FOUND otherwise. */
  async #held(scope: Scope, id: number): Promise<ManualRecord> {
    const row = await this.#ctx.store.db
      .selectFrom('manual_record')
      .selectAll()
      .where('id', '=', id)
      .where('point_id', 'in', scope.pointIds())
      .executeTakeFirst();
    if (row === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'manual-record', id });
    return row;
  }

  async #view(scope: Scope, id: number): Promise<ManualRecordView> {
    const row = await this.#query(scope).where('r.id', '=', id).executeTakeFirst();
    if (row === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'manual-record', id });
    return recordView(row);
  }

  #query(scope: Scope) {
    return this.#ctx.store.db
      .selectFrom('manual_record as r')
      .innerJoin('monitoring_point as p', 'p.id', 'r.point_id')
      .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
      .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
      .selectAll('r')
      .select(['p.mn', 'e.id as enterpriseId', 'e.name as enterpriseName'])
      .where('r.point_id', 'in', scope.pointIds());
  }
}

function recordView(
  r: ManualRecord & { mn: string; enterpriseId: number; enterpriseName: string },
): ManualRecordView {
  return {
    id: Number(r.id),
    pointId: Number(r.point_id),
    mn: r.mn,
    enterpriseId: Number(r.enterpriseId),
    enterpriseName: r.enterpriseName,
    factorCode: r.factor_code,
    period: r.period,
    from: Number(r.from_at),
    to: Number(r.to_at),
    value: Number(r.value),
    unit: r.unit,
    method: r.method,
    agency: r.agency,
    sampledAt: Number(r.sampled_at),
    reportNo: r.report_no,
    note: r.note,
    filedBy: r.filed_by,
    filedAt: Number(r.filed_at),
    state: r.state,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at === null ? null : Number(r.decided_at),
  };
}
