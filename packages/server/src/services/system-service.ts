import type { ForwarderStats, ForwardService, Gateway } from '@qingyuan/gateway';
import type { Store } from '@qingyuan/store';
import type { Principal } from '../access/principal.js';
import type { ServiceContext } from './context.js';

export interface PlatformStatus {
  readonly generatedAt: number;
  readonly gateway: ReturnType<Gateway['stats']> & { readonly port: number };
  readonly registry: { readonly enterprises: number; readonly points: number };
  readonly online: {
    mn: string;
    since: number;
    lastSeenAt: number;
    peer: string;
    protocolVersion: string;
    framesReceived: number;
  }[];
  readonly forwarding: readonly ForwarderStats[];
  readonly recentFrames: {
    id: number;
    receivedAt: number;
    mn: string | null;
    cn: string | null;
    verdict: string;
    errorCode: string | null;
  }[];
}

async function registryCounts(store: Store): Promise<PlatformStatus['registry']> {
  const count = async (table: 'enterprise' | 'monitoring_point') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { enterprises: await count('enterprise'), points: await count('monitoring_point') };
}

/** Everything the province's status view shows, read now. */
export async function platformStatus(
  store: Store,
  gateway: Gateway,
  forwarding?: ForwardService,
): Promise<PlatformStatus> {
  const frames = await store.db
    .selectFrom('raw_frame')
    .select(['id', 'received_at', 'mn', 'cn', 'verdict', 'error_code'])
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  return {
    generatedAt: Date.now(),
    gateway: { ...gateway.stats(), port: gateway.port },
    registry: await registryCounts(store),
    online: gateway
      .online()
      .sort((a, b) => a.mn.localeCompare(b.mn))
      .map((l) => ({
        mn: l.mn,
        since: l.since,
        lastSeenAt: l.lastSeenAt,
        peer: l.peer,
        protocolVersion: l.protocolVersion,
        framesReceived: l.framesReceived,
      })),
    forwarding: forwarding?.stats() ?? [],
    recentFrames: frames.map((f) => ({
      id: Number(f.id),
      receivedAt: Number(f.received_at),
      mn: f.mn,
      cn: f.cn,
      verdict: f.verdict,
      errorCode: f.error_code,
    })),
  };
}

/** What anyone may see of the platform: counts only (no device identities, peers or frames). */
export interface PublicSummary {
  readonly generatedAt: number;
  readonly registry: PlatformStatus['registry'];
  readonly online: number;
  readonly frames: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly forwardingTargets: number;
}

/** The platform's own state: the full picture for the province, counts for everyone else. */
export class SystemService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  async status(principal: Principal): Promise<PlatformStatus | { gateway: null; generatedAt: number }> {
    this.#ctx.access.require(principal, 'system.read');
    const { gateway, forwarding } = this.#ctx;
    if (gateway === undefined) return { gateway: null, generatedAt: this.#ctx.now() };
    return platformStatus(this.#ctx.store, gateway, forwarding);
  }

  async summary(principal: Principal): Promise<PublicSummary> {
    this.#ctx.access.require(principal, 'public.read');
    const { gateway, forwarding } = this.#ctx;
    const registry = await registryCounts(this.#ctx.store);
    const stats = gateway?.stats();
    return {
      generatedAt: this.#ctx.now(),
      registry,
      online: stats?.online ?? 0,
      frames: stats?.frames ?? 0,
      accepted: stats?.accepted ?? 0,
      duplicates: stats?.duplicates ?? 0,
      rejected: stats === undefined ? 0 : Object.values(stats.rejected).reduce((a, b) => a + b, 0),
      forwardingTargets: forwarding?.stats().length ?? 0,
    };
  }
}
