import type { PresenceRepository, PresenceUpdate } from '@qingyuan/store';

/** What the gateway holds per online device: the connection and its counters. */
export interface Link {
  readonly mn: string;
  readonly pointId: number;
  /** The session that carries the device now (a reconnect replaces it). */
  session: LinkSession;
  since: number;
  lastSeenAt: number;
  peer: string;
  protocolVersion: string;
  /** ST of the device's last upload (commands carry it back). */
  st: string;
  framesReceived: number;
  framesRejected: number;
  duplicates: number;
}

export interface LinkSession {
  readonly id: number;
  /** Told to close (`close`): it no longer takes a device from another connection. */
  readonly closing: boolean;
  send(bytes: Uint8Array): boolean;
  close(reason: string): void;
}

export interface PresenceEvent {
  readonly kind: 'online' | 'offline';
  readonly mn: string;
  readonly pointId: number;
  readonly at: number;
  readonly detail: Record<string, unknown>;
}

/**
 * The connection registry: which MN is online, since when, through which connection, with which counters.
 * Online and offline events are emitted for the rules that follow and written with the presence rows; a
 * device reconnecting on a new connection takes over (newest connection wins) without an offline gap.
 */
export class ConnectionRegistry {
  readonly #links = new Map<string, Link>();
  /**
   * The MNs each session carries now, so that a closing session finds its own devices without walking
   * every link: when a province's loggers all drop at once (a network outage), a walk per close made the
   * disconnects quadratic — 10,000 held the event loop ≈ 0.3 s, 500 ≈ 10 ms (docs/benchmarks.md).
   */
  readonly #carried = new Map<LinkSession, Set<string>>();
  #pendingEvents: PresenceEvent[] = [];
  #dirty = new Set<string>();
  #offline = new Map<string, PresenceUpdate>();

  constructor(
    private readonly gateway: string,
    private readonly onEvent: (event: PresenceEvent) => void = () => undefined,
  ) {}

  get size(): number {
    return this.#links.size;
  }

  get(mn: string): Link | undefined {
    return this.#links.get(mn);
  }

  links(): IterableIterator<Link> {
    return this.#links.values();
  }

  /** A trusted frame from `mn` arrived on `session`. Returns the link (new or existing). */
  seen(
    mn: string,
    pointId: number,
    session: LinkSession,
    at: number,
    peer: string,
    version: string,
    st: string,
  ): Link {
    let link = this.#links.get(mn);
    if (link === undefined) {
      link = {
        mn,
        pointId,
        session,
        since: at,
        lastSeenAt: at,
        peer,
        protocolVersion: version,
        st,
        framesReceived: 0,
        framesRejected: 0,
        duplicates: 0,
      };
      this.#links.set(mn, link);
      this.#carry(session, mn);
      this.#offline.delete(mn);
      this.#emit({ kind: 'online', mn, pointId, at, detail: { peer, protocolVersion: version } });
    } else if (link.session !== session && !session.closing) {
      // Newest connection wins: the old one is half-open or a second logger uses the same MN. A connection
      // being closed (the one replaced, say) keeps what it had read, but never wins the device back.
      const old = link.session;
      link.session = session;
      this.#drop(old, mn);
      this.#carry(session, mn);
      link.peer = peer;
      old.close(`MN ${mn} reconnected from ${peer}`);
    }
    link.lastSeenAt = at;
    link.protocolVersion = version;
    link.st = st;
    this.#dirty.add(mn);
    return link;
  }

  /** The session closed: every device it still carried is offline. */
  closed(session: LinkSession, at: number, reason: string): void {
    const carried = this.#carried.get(session);
    if (carried === undefined) return;
    this.#carried.delete(session);
    for (const mn of carried) {
      const link = this.#links.get(mn);
      if (link === undefined || link.session !== session) continue;
      this.#links.delete(link.mn);
      this.#dirty.delete(link.mn);
      this.#offline.set(link.mn, { ...this.#update(link), online: false, since: at });
      this.#emit({
        kind: 'offline',
        mn: link.mn,
        pointId: link.pointId,
        at,
        detail: { peer: link.peer, reason, onlineSince: link.since, lastSeenAt: link.lastSeenAt },
      });
    }
  }

  counted(mn: string, what: 'framesReceived' | 'framesRejected' | 'duplicates'): void {
    const link = this.#links.get(mn);
    if (link === undefined) return;
    link[what] += 1;
    this.#dirty.add(mn);
  }

  /** Writes what changed since the last flush (presence rows and events). */
  async flush(repository: PresenceRepository, now: number): Promise<void> {
    const updates: PresenceUpdate[] = [...this.#offline.values()];
    for (const mn of this.#dirty) {
      const link = this.#links.get(mn);
      if (link !== undefined) updates.push(this.#update(link));
    }
    const events = this.#pendingEvents;
    this.#pendingEvents = [];
    this.#dirty = new Set();
    this.#offline = new Map();
    try {
      await repository.recordEvents(
        events.map((e) => ({ pointId: e.pointId, mn: e.mn, kind: e.kind, at: e.at, detail: e.detail })),
      );
      await repository.upsert(updates, now);
    } catch (error) {
      // Keep them for the next flush.
      this.#pendingEvents = [...events, ...this.#pendingEvents];
      for (const u of updates)
        if (u.online) this.#dirty.add(u.mn);
        else this.#offline.set(u.mn, u);
      throw error;
    }
  }

  #update(link: Link): PresenceUpdate {
    return {
      mn: link.mn,
      pointId: link.pointId,
      online: true,
      since: link.since,
      lastSeenAt: link.lastSeenAt,
      peer: link.peer,
      gateway: this.gateway,
      protocolVersion: link.protocolVersion,
      framesReceived: link.framesReceived,
      framesRejected: link.framesRejected,
      duplicates: link.duplicates,
    };
  }

  #carry(session: LinkSession, mn: string): void {
    const carried = this.#carried.get(session);
    if (carried === undefined) this.#carried.set(session, new Set([mn]));
    else carried.add(mn);
  }

  #drop(session: LinkSession, mn: string): void {
    const carried = this.#carried.get(session);
    if (carried === undefined) return;
    carried.delete(mn);
    if (carried.size === 0) this.#carried.delete(session);
  }

  #emit(event: PresenceEvent): void {
    this.#pendingEvents.push(event);
    this.onEvent(event);
  }
}
