import type { Principal } from '../access/principal.js';
import { QyError } from '../errors.js';
import type { LiveEvent } from '../live/live-hub.js';
import type { ServiceContext } from './context.js';

export interface LiveSubscription {
  /** Stops the subscription. */
  close(): void;
}

/** How often a subscription re-reads which points its caller may see (contracts and registry change). */
const SCOPE_REFRESH_MS = 60_000;

/** Live updates (SSE): latest values and alarm changes, only of the points within the caller's scope. */
export class LiveService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * Subscribes to the live events of the caller's points (optionally narrowed to some points); events
   * outside the scope are never delivered. Needs the live hub of this process.
   */
  async subscribe(
    principal: Principal,
    filter: { pointIds?: readonly number[] },
    deliver: (event: LiveEvent) => void,
  ): Promise<LiveSubscription> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    const hub = this.#ctx.live;
    if (hub === undefined) throw new QyError('QY_E_UNAVAILABLE', { reason: 'no live hub in this process' });
    const load = async () => {
      let query = this.#ctx.store.db
        .selectFrom('monitoring_point')
        .select('id')
        .where('id', 'in', scope.pointIds());
      if (filter.pointIds !== undefined && filter.pointIds.length > 0)
        query = query.where('id', 'in', [...filter.pointIds]);
      return new Set((await query.execute()).map((r) => Number(r.id)));
    };
    let allowed = await load();
    const refresh = setInterval(() => {
      load()
        .then((next) => {
          allowed = next;
        })
        .catch(() => undefined);
    }, SCOPE_REFRESH_MS);
    refresh.unref();
    const unsubscribe = hub.subscribe((event) => {
      if (allowed.has(event.pointId)) deliver(event);
    });
    return {
      close() {
        clearInterval(refresh);
        unsubscribe();
      },
    };
  }
}
