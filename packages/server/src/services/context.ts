import type { ForwardService, Gateway } from '@qingyuan/gateway';
import { type Repositories, repositories, type Store } from '@qingyuan/store';
import { AccessGuard } from '../access/guard.js';
import { actorOf, type Principal } from '../access/principal.js';
import { AnomalyConfigSource } from '../analysis/anomaly-config-source.js';
import type { LiveHub } from '../live/live-hub.js';

/** Records audited acts (who, when, what, before/after) in the hash-chained audit log. */
export class AuditTrail {
  readonly #repos: Repositories;
  readonly #now: () => number;

  constructor(repos: Repositories, now: () => number) {
    this.#repos = repos;
    this.#now = now;
  }

  async record(
    principal: Principal,
    action: string,
    entity: string,
    entityId: string | number | null,
    change: { before?: unknown; after?: unknown } = {},
  ): Promise<void> {
    await this.#repos.audit.append({
      at: this.#now(),
      actor: actorOf(principal),
      actorName: principal.username,
      action,
      entity,
      entityId,
      before: change.before,
      after: change.after,
      peer: principal.peer ?? null,
    });
  }
}

/** What every service gets: the store, its repositories, the access guard, the audit trail, the clock. */
export interface ServiceContext {
  readonly store: Store;
  readonly repos: Repositories;
  readonly access: AccessGuard;
  readonly audit: AuditTrail;
  readonly now: () => number;
  /** The province's anomaly configuration the analysis runs with (rule service changes it). */
  readonly anomalies: AnomalyConfigSource;
  /** Present when the gateway runs in this process (live presence, downlink commands). */
  readonly gateway?: Gateway;
  readonly forwarding?: ForwardService;
  /** Present when this process pushes live updates. */
  readonly live?: LiveHub;
}

export function serviceContext(deps: {
  store: Store;
  now?: () => number;
  gateway?: Gateway;
  forwarding?: ForwardService;
  live?: LiveHub;
  /** Shared with the analysis worker of the same process (default: a source of its own). */
  anomalies?: AnomalyConfigSource;
}): ServiceContext {
  const now = deps.now ?? Date.now;
  const repos = repositories(deps.store);
  return {
    store: deps.store,
    repos,
    access: new AccessGuard(deps.store.db, now),
    audit: new AuditTrail(repos, now),
    now,
    anomalies: deps.anomalies ?? new AnomalyConfigSource(deps.store),
    ...(deps.gateway === undefined ? {} : { gateway: deps.gateway }),
    ...(deps.forwarding === undefined ? {} : { forwarding: deps.forwarding }),
    ...(deps.live === undefined ? {} : { live: deps.live }),
  };
}
