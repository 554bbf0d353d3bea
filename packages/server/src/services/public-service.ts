import { DAY_MS, DEFAULT_RULES, hourStart, type RuleConfig } from '@qingyuan/domain';
import type { Principal } from '../access/principal.js';
import {
  elapsedInterval,
  type ReportPeriod,
  reportInterval,
  reportSubjects,
  transmissionReport,
} from '../analysis/report-rows.js';
import { QyError } from '../errors.js';
import type { ServiceContext } from './context.js';
import { exceeding, pointFactors, pointMeta, pointMetaQuery } from './monitoring/points.js';
import {
  openExceedances,
  type PublicEnterprise,
  type PublicExceedance,
  publicEnterprises,
  publishedScope,
} from './public/published.js';
import { TipOffService } from './public/tip-off-service.js';

/**
 * A factor's last 24 hourly values as columns, oldest first (the shape of the series answer): entry `i`
 * of each array is the hour starting at `t[i]`.
 */
export interface PublicHours {
  readonly t: number[];
  readonly value: (number | null)[];
  /** Against the hourly limit (null: no limit, or no value to compare). */
  readonly exceeding: (boolean | null)[];
}

export interface PublicPoint {
  readonly pointId: number;
  readonly outletKind: string;
  readonly factors: readonly {
    readonly factorCode: string;
    readonly unit: string;
    readonly hourLimit: number | null;
    readonly hours: PublicHours;
  }[];
}

export interface PublicEnterpriseDetail {
  readonly enterprise: PublicEnterprise;
  readonly points: readonly PublicPoint[];
  readonly exceedances: readonly PublicExceedance[];
}

export interface PublicTransmissionRow {
  readonly enterpriseId: number;
  readonly name: string;
  readonly expected: number;
  readonly valid: number;
  readonly effectiveTransmissionRate: number | null;
  readonly meetsTarget: boolean | null;
}

export interface PublicTransmission {
  readonly period: ReportPeriod;
  readonly at: string;
  readonly from: number;
  /** Counted up to here (the start of today while the period runs). */
  readonly countedTo: number;
  readonly complete: boolean;
  readonly target: number;
  readonly rows: readonly PublicTransmissionRow[];
}

/**
 * The public portal (湖北省办法 第四条 信息公开, 第十条 公众举报): the published enterprises, their last day of
 * hourly values, their 有效传输率, and tip-offs. Everyone sees the same published records.
 */
export class PublicService {
  readonly #ctx: ServiceContext;
  readonly #rules: RuleConfig;
  readonly tipOffs: TipOffService;

  constructor(ctx: ServiceContext, rules: RuleConfig = DEFAULT_RULES) {
    this.#ctx = ctx;
    this.#rules = rules;
    this.tipOffs = new TipOffService(ctx);
  }

  async enterprises(principal: Principal): Promise<PublicEnterprise[]> {
    const scope = publishedScope(this.#ctx, principal);
    return publicEnterprises(this.#ctx, scope);
  }

  /** One published enterprise with the last 24 hourly values (current revision) of its running points. */
  async enterprise(principal: Principal, id: number): Promise<PublicEnterpriseDetail> {
    const scope = publishedScope(this.#ctx, principal);
    await scope.requireEnterprise(id);
    const [enterprise] = await publicEnterprises(this.#ctx, scope, id);
    if (enterprise === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'enterprise', id });
    const db = this.#ctx.store.db;
    const metas = (
      await pointMetaQuery(db)
        .where('p.id', 'in', scope.pointIds())
        .where('e.id', '=', id)
        .orderBy('p.id')
        .execute()
    ).map(pointMeta);
    const factors = await pointFactors(db, metas);
    const to = hourStart(this.#ctx.now());
    const from = to - DAY_MS;
    const points: PublicPoint[] = [];
    for (const meta of metas) {
      const columns = await this.#ctx.repos.observations.samples('hour', meta.pointId, from, to);
      points.push({
        pointId: meta.pointId,
        outletKind: meta.medium,
        factors: (factors.get(meta.pointId) ?? []).map((f) => {
          const c = columns.find((s) => s.factorCode === f.factorCode);
          return {
            factorCode: f.factorCode,
            unit: f.unit,
            hourLimit: f.limit.upper,
            hours: {
              t: c?.periodStart ?? [],
              value: c?.value ?? [],
              exceeding: (c?.value ?? []).map((v, i) => exceeding(f.limit, v, c?.corrected[i] ?? null)),
            },
          };
        }),
      });
    }
    return { enterprise, points, exceedances: await openExceedances(this.#ctx, scope, id) };
  }

  /** 有效传输率 per published enterprise (办法 第八条(二)), counted like ReportService.transmission. */
  async transmission(
    principal: Principal,
    query: { period: ReportPeriod; at: string },
  ): Promise<PublicTransmission> {
    const scope = publishedScope(this.#ctx, principal);
    const interval = reportInterval(query.period, query.at);
    if (interval === undefined)
      throw new QyError('QY_E_VALIDATION', { field: 'at', reason: `not a ${query.period}: ${query.at}` });
    const subjects = await reportSubjects(this.#ctx.store, 'enterprise', { pointIds: scope.pointIds() });
    const counted = elapsedInterval(interval, this.#ctx.now());
    const rows = await transmissionReport(this.#ctx.store, {
      interval: counted,
      view: 'amended',
      rules: this.#rules,
      subjects,
    });
    return {
      period: query.period,
      at: query.at,
      from: interval.from,
      countedTo: counted.to,
      complete: counted.complete,
      target: this.#rules.transmissionTarget,
      rows: rows.map((r) => ({
        enterpriseId: Number(r.subject.key),
        name: r.subject.label,
        expected: r.expected,
        valid: r.valid,
        effectiveTransmissionRate: r.effectiveTransmissionRate,
        meetsTarget: r.meetsTarget,
      })),
    };
  }
}
