import {
  type AnomalyConfig,
  type ClockObservation,
  clockEvaluations,
  DAY_MS,
  DEFAULT_ANOMALY_CONFIG,
  type KeyedEvaluation,
  type RuleConfig,
  thresholdsFor,
} from '@qingyuan/domain';
import type { Store } from '@qingyuan/store';
import { sql } from 'kysely';
import { type Detail, saveEpisodes } from './alarm-episodes.js';

export const CLOCK_ALARM = 'clock-skew';
/** A time sync that did not reach the device does not set its clock. */
const FAILED_SYNC = new Set(['rejected', 'failed', 'timed-out', 'offline']);

/**
 * 时钟偏差 as an alarm episode per point (factor '*'), from the facts the gateway records: a `clock-skew`
 * device event (a real-time upload whose DataTime was more than its clockSkewMs from receipt — HJ 212
 * DataTime is the logger's clock, HJ 212-2017 表 4) opens or continues it; it closes on the first sign the
 * clock is right again: a `time-sync` (1012 set time) that reached the device, or a later real-time upload
 * (CN 2011) whose DataTime is within the threshold of its receipt (domain clockEvaluations, [Proposal]).
 * The facts of the trailing `lookBackMs` are refolded onto the episode open before them, so re-running
 * gives the same episodes.
 */
export async function judgeClock(
  store: Store,
  pointId: number,
  rules: RuleConfig,
  now: number,
  config: AnomalyConfig = DEFAULT_ANOMALY_CONFIG,
  lookBackMs = 7 * DAY_MS,
): Promise<{ open: number }> {
  const from = now - lookBackMs;
  const events = await store.db
    .selectFrom('device_event')
    .select(['kind', 'at', 'detail'])
    .where('point_id', '=', pointId)
    .where('kind', 'in', ['clock-skew', 'time-sync'])
    .where('at', '>=', from)
    .where('at', '<=', now)
    .orderBy('at')
    .execute();
  const observations: ClockObservation[] = [];
  for (const e of events) {
    const detail = (e.detail === null ? {} : JSON.parse(e.detail)) as Record<string, unknown>;
    if (e.kind === 'clock-skew' && typeof detail.skewMs === 'number')
      observations.push({ at: Number(e.at), skewMs: detail.skewMs });
    else if (e.kind === 'time-sync' && !FAILED_SYNC.has(String(detail.state)))
      observations.push({ at: Number(e.at), skewMs: null });
  }
  const limit = thresholdsFor(config, '*').clockSkewMs;
  const lastSkew = observations.filter((o) => o.skewMs !== null).at(-1);
  if (lastSkew !== undefined) {
    // The first real-time upload after the last skew whose DataTime is near its receipt: the clock is right.
    // Uploads are the packs themselves (one row per upload, migration 0016): no need to unpack factors.
    const good = await store.db
      .selectFrom('obs_realtime_pack_by_point')
      .select(['period_start', 'received_at'])
      .where('point_id', '=', pointId)
      .where('period_start', '>=', lastSkew.at - limit)
      .where('received_at', '>', lastSkew.at)
      .where('received_at', '<=', now)
      .where(sql<number>`abs(period_start - received_at)`, '<=', limit)
      .orderBy('received_at')
      .limit(1)
      .executeTakeFirst();
    if (good !== undefined)
      observations.push({
        at: Number(good.received_at),
        skewMs: Number(good.period_start) - Number(good.received_at),
      });
  }
  const saved = await saveEpisodes(
    store,
    pointId,
    { from, to: now + 1 },
    clockEvaluations(observations, config).map(
      ({ type, factor, at, active, value, severity }): KeyedEvaluation<Detail> => ({
        type,
        factor,
        at,
        active,
        value: value ?? null,
        severity: severity ?? null,
        detail: { skewMs: value ?? null, limitMs: limit },
      }),
    ),
    [CLOCK_ALARM],
    rules,
    now,
  );
  return { open: saved.open };
}
