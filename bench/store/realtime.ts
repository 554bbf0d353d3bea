import { analyze, type ObservationInput, ObservationRepository, type Store } from '@qingyuan/store';
import type pg from 'pg';
import { median, pgInsertRows, plainSelect } from './common.js';

/**
 * bench/store, real-time part: packed real-time values (one `obs_realtime_pack` row per upload, migration
 * 0016) written through `ObservationRepository.write('realtime', …)` against the raw driver inserting the
 * same packs (the JSON built, no conflict handling), then read — a day of one point (`samples`) and the
 * newest values of every point (`latest`) — against a plain SELECT of the same packs, not unpacked.
 */
export interface RealtimeResult {
  ingestOurs: number;
  ingestRaw: number;
  dayOurs: number;
  dayRaw: number;
  latestOurs: number;
  latestRaw: number;
  valuesDay: number;
  valuesLatest: number;
}

const INTERVAL_MS = 30_000;
const DAY_MS = 86_400_000;
const BATCH_FRAMES = 500;

export async function measureRealtime(
  store: Store,
  ids: readonly number[],
  factors: readonly string[],
  t0: number,
  time: (fn: () => Promise<unknown>) => Promise<number>,
): Promise<RealtimeResult> {
  const repo = new ObservationRepository(store);
  const instants = DAY_MS / INTERVAL_MS;
  /** The frames of instants [from, to) of every point, as the gateway hands their rows over. */
  const frames = (from: number, to: number, step: number): ObservationInput[][] => {
    const out: ObservationInput[][] = [];
    for (let k = from; k < to; k += step)
      for (const pointId of ids)
        out.push(
          factors.map((factorCode, f) => ({
            pointId,
            factorCode,
            periodStart: t0 + k * INTERVAL_MS,
            values: { rtd: 10 + ((k * 7 + f * 13 + pointId) % 100) / 10, zs_rtd: 11 + (k % 50) / 10 },
            dataFlag: 'N',
            source: 'das',
            receivedAt: t0 + k * INTERVAL_MS + 800,
          })),
        );
    return out;
  };
  const raw = rawPackInserter(store);
  const ours: number[] = [];
  const rawRates: number[] = [];
  // Ingest, on the day before the one read: our writer takes the even instants, the raw driver the odd
  // ones, in alternating rounds (short ones: the median of twelve).
  const rounds = 12;
  const perRound = Math.floor(instants / rounds / 2) * 2;
  for (let r = 0; r < rounds; r++) {
    const even = frames(r * perRound - instants, (r + 1) * perRound - instants, 2);
    const odd = frames(r * perRound + 1 - instants, (r + 1) * perRound - instants, 2);
    const timeOurs = async () => {
      const ms = await time(async () => {
        for (let i = 0; i < even.length; i += BATCH_FRAMES)
          await repo.write('realtime', even.slice(i, i + BATCH_FRAMES).flat());
      });
      ours.push(even.length / (ms / 1000));
    };
    const timeRaw = async () => {
      const ms = await time(async () => {
        for (let i = 0; i < odd.length; i += BATCH_FRAMES) await raw(odd.slice(i, i + BATCH_FRAMES));
      });
      rawRates.push(odd.length / (ms / 1000));
    };
    if (r % 2 === 0) {
      await timeOurs();
      await timeRaw();
    } else {
      await timeRaw();
      await timeOurs();
    }
  }
  // The day read, untimed.
  const day = frames(0, instants, 1);
  for (let i = 0; i < day.length; i += BATCH_FRAMES)
    await repo.write('realtime', day.slice(i, i + BATCH_FRAMES).flat());
  await analyze(store);

  const target = ids[Math.floor(ids.length / 2)] as number;
  const plainDay = plainSelect(
    store,
    'SELECT * FROM obs_realtime_pack WHERE point_id = $1 AND period_start >= $2 AND period_start < $3 ORDER BY period_start, seq',
    [target, t0, t0 + DAY_MS],
  );
  const plainLatest = plainSelect(
    store,
    `SELECT p.* FROM monitoring_point mp JOIN obs_realtime_pack p ON p.point_id = mp.id
      AND p.period_start = (SELECT max(w.period_start) FROM obs_realtime_pack w WHERE w.point_id = mp.id)
      ORDER BY p.point_id, p.seq`,
    [],
  );
  const dayReads = { ours: [] as number[], raw: [] as number[] };
  const latest = { ours: [] as number[], raw: [] as number[] };
  let valuesDay = 0;
  let valuesLatest = 0;
  for (let r = 0; r < 7; r++) {
    dayReads.ours.push(
      await time(async () => {
        const columns = await repo.samples('realtime', target, t0, t0 + DAY_MS);
        valuesDay = columns.reduce((n, c) => n + c.value.length, 0);
      }),
    );
    dayReads.raw.push(await time(plainDay));
    latest.ours.push(
      await time(async () => {
        valuesLatest = (await repo.latest('realtime')).length;
      }),
    );
    latest.raw.push(await time(plainLatest));
  }
  return {
    ingestOurs: median(ours),
    ingestRaw: median(rawRates),
    dayOurs: median(dayReads.ours),
    dayRaw: median(dayReads.raw),
    latestOurs: median(latest.ours),
    latestRaw: median(latest.raw),
    valuesDay,
    valuesLatest,
  };
}

const PACK_COLUMNS = 'point_id, period_start, seq, entries, factors, source, received_at, frame_id';

/** One pack per frame, as the writer builds it, inserted plainly (a frame's rows share point and instant). */
function packValues(frame: readonly ObservationInput[]): unknown[] {
  const first = frame[0] as ObservationInput;
  const entries: Record<string, Record<string, unknown>> = {};
  for (const row of frame) entries[row.factorCode] = { ...row.values, flag: row.dataFlag };
  return [
    first.pointId,
    first.periodStart,
    0,
    JSON.stringify(entries),
    frame.length,
    first.source,
    first.receivedAt,
    null,
  ];
}

function rawPackInserter(store: Store): (frames: ObservationInput[][]) => Promise<void> {
  if (store.sqlite !== undefined) {
    const sqlite = store.sqlite;
    const insert = sqlite.prepare(
      `INSERT INTO obs_realtime_pack (${PACK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const tx = sqlite.transaction((frames: ObservationInput[][]) => {
      for (const frame of frames) insert.run(packValues(frame));
    });
    return async (frames) => tx(frames);
  }
  const pool = store.pool as pg.Pool;
  return (frames) => pgInsertRows(pool, 'obs_realtime_pack', PACK_COLUMNS, frames.map(packValues));
}
