import {
  type AnomalyConfig,
  DEFAULT_ANOMALY_CONFIG,
  detectOffline,
  HOUR_MS,
  hourStart,
  type Mark,
  missingEvaluation,
  type RuleConfig,
} from '@qingyuan/domain';
import { AlarmRepository, type Store } from '@qingyuan/store';
import { approvedMarks } from './marks.js';

export interface LivenessOptions {
  readonly rules: RuleConfig;
  readonly anomalies?: AnomalyConfig;
  /** How often the sweep runs (default 5 min). */
  readonly intervalMs?: number;
  /** How far back missing hours are looked for (default 48 h). */
  readonly lookBackMs?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Alarms that come from time passing rather than from data arriving: 联网异常 (offline — no frame,
 * heartbeat included, for longer than the threshold) and 数据缺失 (missing — an expected hour not received
 * by its deadline). A periodic sweep judges them at `now` (domain rules: offlineEvaluation,
 * missingEvaluation) and opens or closes one episode per point (offline) or point × factor (missing);
 * data arriving later, backfill included, closes them on the next sweep.
 */
export class LivenessSweep {
  readonly #store: Store;
  readonly #options: LivenessOptions;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(store: Store, options: LivenessOptions) {
    this.#store = store;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  start(): void {
    this.#timer = setInterval(
      () => void this.sweep().catch(this.#options.onError ?? (() => undefined)),
      this.#options.intervalMs ?? 300_000,
    );
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass at `now` (tests call it directly). */
  sweep(): Promise<void> {
    this.#running ??= this.#sweep().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #sweep(): Promise<void> {
    const now = this.#now();
    const config = this.#options.anomalies ?? DEFAULT_ANOMALY_CONFIG;
    const alarms = new AlarmRepository(this.#store);
    const version = this.#options.rules.version;
    // The open offline and missing episodes, read once for the sweep.
    const key = (pointId: number, factor: string | null, type: string) =>
      `${pointId}|${factor ?? ''}|${type}`;
    const opened = new Map(
      (await alarms.list({ openOnly: true, limit: Number.MAX_SAFE_INTEGER }))
        .filter((a) => a.type === 'offline' || a.type === 'missing')
        .map((a) => [key(a.point_id, a.factor_code, a.type), a]),
    );
    const set = async (
      pointId: number,
      factor: string | null,
      type: string,
      active: boolean,
      openedAt: number,
      detail: Record<string, unknown>,
    ) => {
      const open = opened.get(key(pointId, factor, type));
      const base = {
        pointId,
        factorCode: factor,
        type,
        peakValue: null,
        limitValue: null,
        ruleVersion: version,
      };
      if (active && open === undefined) await alarms.save({ ...base, openedAt, closedAt: null, detail }, now);
      else if (active && open !== undefined)
        await alarms.save({ ...base, openedAt: open.opened_at, closedAt: null, detail }, now);
      else if (!active && open !== undefined)
        await alarms.save(
          { ...base, openedAt: open.opened_at, closedAt: now, detail: { ...open.detail, ...detail } },
          now,
        );
    };

    // Offline: the last frame of every device that ever connected (any gateway).
    const presence = await this.#store.db
      .selectFrom('device_presence')
      .select(['point_id', 'last_seen_at'])
      .execute();
    for (const p of presence) {
      const last = p.last_seen_at === null ? null : Number(p.last_seen_at);
      // The episode begins when the silence became an alarm (last frame + threshold).
      const finding = detectOffline(last, now, config)[0];
      await set(Number(p.point_id), null, 'offline', finding !== undefined, finding?.start ?? now, {
        lastFrameAt: last,
      });
    }

    // Missing hours of 考核因子 of running points over the look-back window, from each hour's first receipt.
    const from = hourStart(now - (this.#options.lookBackMs ?? 48 * HOUR_MS));
    const points = await this.#store.db
      .selectFrom('point_factor as f')
      .innerJoin('monitoring_point as p', 'p.id', 'f.point_id')
      .select(['p.id', 'p.in_service_on', 'f.factor_code'])
      .where('f.assessed', '=', 1)
      .where('p.status', '=', 'running')
      .execute();
    const received = await this.#store.db
      .selectFrom('obs_hour')
      .select(['point_id', 'factor_code', 'period_start'])
      .select((eb) => eb.fn.min('received_at').as('first'))
      .where('period_start', '>=', from)
      .groupBy(['point_id', 'factor_code', 'period_start'])
      .execute();
    const receipts = new Map<string, Map<number, number>>();
    for (const r of received) {
      const key = `${r.point_id}|${r.factor_code}`;
      let hours = receipts.get(key);
      if (hours === undefined) {
        hours = new Map();
        receipts.set(key, hours);
      }
      hours.set(Number(r.period_start), Number(r.first));
    }
    const marksOf = new Map<number, Mark[]>();
    for (const p of points) {
      const pointId = Number(p.id);
      const inService = p.in_service_on === null ? from : Date.parse(`${p.in_service_on}T00:00:00+08:00`);
      if (!marksOf.has(pointId)) marksOf.set(pointId, await approvedMarks(this.#store, pointId, from, now));
      const evaluation = missingEvaluation(
        {
          factor: p.factor_code,
          window: { from: Math.max(from, hourStart(inService + HOUR_MS - 1)), to: hourStart(now) },
          received: receipts.get(`${pointId}|${p.factor_code}`) ?? new Map(),
          marks: marksOf.get(pointId) ?? [],
          config,
        },
        now,
      );
      const hours = (evaluation.detail as { hours: { start: number }[] }).hours;
      await set(pointId, p.factor_code, 'missing', evaluation.active, hours[0]?.start ?? now, {
        missing: hours,
      });
    }
  }
}
