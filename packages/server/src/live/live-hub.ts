import type { Gateway, ObservationWritten } from '@qingyuan/gateway';
import { ObservationRepository, type Store } from '@qingyuan/store';

/** A change worth pushing to screens: a point's newest values, or an alarm opened, updated or closed. */
export type LiveEvent =
  | {
      readonly type: 'latest';
      readonly pointId: number;
      readonly values: readonly {
        factor: string;
        value: number | null;
        flag: string | null;
        dataTime: number;
      }[];
    }
  | {
      readonly type: 'alarm';
      readonly pointId: number;
      readonly alarm: {
        id: number;
        type: string;
        factor: string | null;
        openedAt: number;
        closedAt: number | null;
        peakValue: number | null;
        limitValue: number | null;
      };
    };

export interface LiveHubOptions {
  /** How often stored values are gathered into `latest` events (default 1 s). */
  readonly flushMs?: number;
  /** How often the alarm table is polled for changes (default 2 s). */
  readonly alarmPollMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Feeds live screens: values the gateway stored in this process (coalesced per point, read once per
 * flush) and alarm changes (polled from the alarm table by `updated_at`, so alarms raised by workers in
 * other processes reach the screens too). Listeners get every event; scoping is the LiveService's job.
 */
export class LiveHub {
  readonly #store: Store;
  readonly #observations: ObservationRepository;
  readonly #listeners = new Set<(event: LiveEvent) => void>();
  readonly #pending = new Set<number>();
  readonly #options: Required<Omit<LiveHubOptions, 'onError'>> & Pick<LiveHubOptions, 'onError'>;
  #alarmCursor = 0;
  #timers: NodeJS.Timeout[] = [];
  #busy = false;

  constructor(store: Store, options: LiveHubOptions = {}) {
    this.#store = store;
    this.#observations = new ObservationRepository(store);
    this.#options = { flushMs: 1000, alarmPollMs: 2000, ...options };
  }

  /** Listens to a gateway in this process. */
  attach(gateway: Gateway): void {
    gateway.onIngested((written: readonly ObservationWritten[]) => {
      if (this.#listeners.size === 0) return;
      for (const w of written)
        if (w.period === 'realtime' || w.period === 'minute') this.#pending.add(w.pointId);
    });
  }

  async start(now: number): Promise<void> {
    const last = await this.#store.db
      .selectFrom('alarm')
      .select((eb) => eb.fn.max('updated_at').as('at'))
      .executeTakeFirst();
    this.#alarmCursor = Math.max(Number(last?.at ?? 0), now - 60_000);
    const guard = (task: () => Promise<void>) => () => {
      if (this.#busy || this.#listeners.size === 0) return;
      this.#busy = true;
      task()
        .catch((error) => this.#options.onError?.(error))
        .finally(() => {
          this.#busy = false;
        });
    };
    this.#timers = [
      setInterval(
        guard(() => this.flush()),
        this.#options.flushMs,
      ),
      setInterval(
        guard(() => this.pollAlarms()),
        this.#options.alarmPollMs,
      ),
    ];
    for (const t of this.#timers) t.unref();
  }

  stop(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    this.#listeners.clear();
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  /** Sends the newest real-time values of the points stored since the last flush. */
  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const points = [...this.#pending];
    this.#pending.clear();
    const rows = await this.#observations.latest('realtime', points);
    const byPoint = new Map<
      number,
      { factor: string; value: number | null; flag: string | null; dataTime: number }[]
    >();
    for (const r of rows) {
      const list = byPoint.get(Number(r.point_id)) ?? [];
      list.push({
        factor: r.factor_code,
        value: r.rtd ?? r.avg,
        flag: r.data_flag,
        dataTime: Number(r.period_start),
      });
      byPoint.set(Number(r.point_id), list);
    }
    for (const [pointId, values] of byPoint) this.#emit({ type: 'latest', pointId, values });
  }

  /** Sends the alarms changed since the last poll. */
  async pollAlarms(): Promise<void> {
    const rows = await this.#store.db
      .selectFrom('alarm')
      .selectAll()
      .where('updated_at', '>', this.#alarmCursor)
      .orderBy('updated_at')
      .limit(1000)
      .execute();
    for (const r of rows) {
      this.#alarmCursor = Math.max(this.#alarmCursor, Number(r.updated_at));
      this.#emit({
        type: 'alarm',
        pointId: Number(r.point_id),
        alarm: {
          id: Number(r.id),
          type: r.type,
          factor: r.factor_code,
          openedAt: Number(r.opened_at),
          closedAt: r.closed_at === null ? null : Number(r.closed_at),
          peakValue: r.peak_value,
          limitValue: r.limit_value,
        },
      });
    }
  }

  #emit(event: LiveEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#options.onError?.(error);
      }
    }
  }
}
