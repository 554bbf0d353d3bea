import { DEFAULT_RULES } from '@qingyuan/domain';
import type { Principal } from '../access/principal.js';
import type { ServiceContext } from './context.js';
import { AnswerCache } from './monitoring/answer-cache.js';
import { type Overview, overview, overviewSubject, regionFrame } from './monitoring/overview.js';
import { type OverviewTrends, overviewTrends } from './monitoring/overview-trends.js';

/** Days of trends when none are asked for. */
export const DEFAULT_TREND_DAYS = 7;

/**
 * The overview page (总览): one state per enterprise for the map, the figures and the daily trends, in the
 * caller's scope — or in one region of it (the drill-down province → city → county).
 */
export class OverviewService {
  readonly #ctx: ServiceContext;
  readonly #answers: AnswerCache<Overview>;
  readonly #trends: AnswerCache<OverviewTrends>;

  /**
   * `cacheMs`: how long one scope's overview is shared (default 0: computed for every call);
   * `trendsCacheMs`: the same for its daily trends (default `cacheMs`). Trends read every stored day row
   * in scope, and only today's point moves between two looks, so the platform keeps them longer.
   */
  constructor(ctx: ServiceContext, options: { cacheMs?: number; trendsCacheMs?: number } = {}) {
    this.#ctx = ctx;
    this.#answers = new AnswerCache(options.cacheMs ?? 0);
    this.#trends = new AnswerCache(options.trendsCacheMs ?? options.cacheMs ?? 0);
  }

  /** Each enterprise in scope (in `region`'s subtree when given) with its coordinates and state, and today's figures. */
  async overview(principal: Principal, query: { region?: string } = {}): Promise<Overview> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    return this.#answers.get(this.#key(principal, query.region), () =>
      overview(this.#ctx, scope, query.region),
    );
  }

  /** Per Beijing day of the last `days` (default 7): 有效传输率, exceedances and anomalies opened; the month's rate. */
  async trends(
    principal: Principal,
    query: { region?: string; days?: number } = {},
  ): Promise<OverviewTrends> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    const days = query.days ?? DEFAULT_TREND_DAYS;
    return this.#trends.get(`${this.#key(principal, query.region)}|${days}`, async () => {
      const frame = await regionFrame(this.#ctx, scope);
      const subject = overviewSubject(this.#ctx, scope, frame, query.region);
      return overviewTrends(this.#ctx, subject, {
        region: query.region ?? frame.root,
        days,
        target: DEFAULT_RULES.transmissionTarget,
      });
    });
  }

  /** The answer depends on the scope (role and binding) and the region only, never on who asks. */
  #key(principal: Principal, region: string | undefined): string {
    const { role, regionCode, enterpriseId, contractorId } = principal;
    return JSON.stringify([role, regionCode, enterpriseId, contractorId, region ?? null]);
  }
}
