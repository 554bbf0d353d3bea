import type { Selectable } from 'kysely';
import type { Store } from '../database.js';
import type { DeviceEventKind, DeviceEventTable, DevicePresenceTable } from '../schema.js';

export type PresenceRecord = Selectable<DevicePresenceTable>;
export type DeviceEventRecord = Omit<Selectable<DeviceEventTable>, 'detail'> & {
  readonly detail: Record<string, unknown> | null;
};

/** A device's presence as its gateway knows it, written on connect, disconnect and periodically. */
export interface PresenceUpdate {
  readonly mn: string;
  readonly pointId: number;
  readonly online: boolean;
  readonly since: number;
  readonly lastSeenAt: number | null;
  readonly peer: string | null;
  readonly gateway: string;
  readonly protocolVersion: string | null;
  readonly framesReceived: number;
  readonly framesRejected: number;
  readonly duplicates: number;
}

/**
 * The connection registry, persisted (device_presence: one row per MN that ever connected) and device
 * events that are not read from a frame (online, offline, throttled…).
 */
export class PresenceRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Writes each device's current presence (insert or replace by MN) in one transaction. */
  async upsert(updates: readonly PresenceUpdate[], now: number): Promise<void> {
    if (updates.length === 0) return;
    await this.#store.db.transaction().execute(async (trx) => {
      for (const u of updates) {
        const row = {
          mn: u.mn,
          point_id: u.pointId,
          online: u.online ? (1 as const) : (0 as const),
          since: u.since,
          last_seen_at: u.lastSeenAt,
          peer: u.peer,
          gateway: u.gateway,
          protocol_version: u.protocolVersion,
          frames_received: u.framesReceived,
          frames_rejected: u.framesRejected,
          duplicates: u.duplicates,
          updated_at: now,
        };
        const { mn: _mn, ...rest } = row;
        await trx
          .insertInto('device_presence')
          .values(row)
          .onConflict((oc) => oc.column('mn').doUpdateSet(rest))
          .execute();
      }
    });
  }

  /**
   * At a gateway's start: every device it had marked online is offline since `at` (its connections died
   * with the previous process). Returns those devices, so offline events can be recorded.
   */
  async markGatewayOffline(gateway: string, at: number): Promise<PresenceRecord[]> {
    const stale = await this.#store.db
      .selectFrom('device_presence')
      .selectAll()
      .where('gateway', '=', gateway)
      .where('online', '=', 1)
      .execute();
    if (stale.length > 0)
      await this.#store.db
        .updateTable('device_presence')
        .set({ online: 0, since: at, updated_at: at })
        .where('gateway', '=', gateway)
        .where('online', '=', 1)
        .execute();
    return stale;
  }

  async get(mn: string): Promise<PresenceRecord | undefined> {
    return this.#store.db.selectFrom('device_presence').selectAll().where('mn', '=', mn).executeTakeFirst();
  }

  async list(options: { online?: boolean } = {}): Promise<PresenceRecord[]> {
    let query = this.#store.db.selectFrom('device_presence').selectAll();
    if (options.online !== undefined) query = query.where('online', '=', options.online ? 1 : 0);
    return query.orderBy('mn').execute();
  }

  /** Records events that no frame carries (online/offline/throttled…). */
  async recordEvents(
    events: readonly {
      pointId: number | null;
      mn: string | null;
      kind: DeviceEventKind;
      at: number;
      detail?: Record<string, unknown>;
    }[],
  ): Promise<void> {
    if (events.length === 0) return;
    await this.#store.db
      .insertInto('device_event')
      .values(
        events.map((e) => ({
          point_id: e.pointId,
          mn: e.mn,
          kind: e.kind,
          at: e.at,
          detail: e.detail === undefined ? null : JSON.stringify(e.detail),
          frame_id: null,
        })),
      )
      .execute();
  }

  /** A device's events (or everyone's), oldest first. */
  async events(
    options: { mn?: string; kind?: DeviceEventKind; from?: number; limit?: number } = {},
  ): Promise<DeviceEventRecord[]> {
    let query = this.#store.db.selectFrom('device_event').selectAll();
    if (options.mn !== undefined) query = query.where('mn', '=', options.mn);
    if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
    if (options.from !== undefined) query = query.where('at', '>=', options.from);
    const rows = await query
      .orderBy('id')
      .limit(options.limit ?? 10_000)
      .execute();
    return rows.map((r) => ({ ...r, detail: r.detail === null ? null : JSON.parse(r.detail) }));
  }
}
