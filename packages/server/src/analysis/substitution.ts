import {
  captureRate,
  HOUR_MS,
  type HourlyEmission,
  type InvalidCause,
  periodOf,
  type RuleConfig,
  substituteEmission,
} from '@qingyuan/domain';
import type { EmissionHour, Store } from '@qingyuan/store';
import { transmissionCounts } from './transmission-report.js';

/** Flue-gas pollutants whose emission amounts HJ 75-2017 §11 substitutes (SO₂, NOx, particulate). */
const SUBSTITUTED = new Set(['a21026', 'a21002', 'a34013']);

/**
 * HJ 75-2017 §11 修约 for a point-day's invalid hours of SO₂/NOx/PM: each run of consecutive invalid hours
 * (counted back across earlier days) gets the maximum hourly emission of the 180/720/2160 valid hours
 * before it, by the quarter's capture rate α and the run's length. The cause is read from the flag: M
 * (maintenance) → maintenance, anything else → other; QC out-of-control (失控) is not detected yet, so its
 * "before the last calibration" window is never used [Proposal]. α < 75 % stays invalid (not covered).
 */
export async function substituteDay(
  store: Store,
  pointId: number,
  rows: EmissionHour[],
  flags: ReadonlyMap<string, string | null>,
  rules: RuleConfig,
): Promise<EmissionHour[]> {
  const out = [...rows];
  const byFactor = new Map<string, number[]>();
  out.forEach((r, i) => {
    if (r.basis === 'invalid' && SUBSTITUTED.has(r.factor_code))
      byFactor.set(r.factor_code, [...(byFactor.get(r.factor_code) ?? []), i]);
  });
  for (const [factor, indexes] of byFactor) {
    const first = out[indexes[0] as number] as EmissionHour;
    const quarter = periodOf('quarter', first.period_start);
    const counts = (
      await transmissionCounts(store, {
        interval: { from: quarter.from, to: Math.min(quarter.to, periodOf('day', first.period_start).to) },
        view: 'amended',
        rules,
        pointIds: [pointId],
      })
    )
      .get(pointId)
      ?.get(factor);
    const alpha = counts === undefined ? null : captureRate(counts);
    if (alpha === null) continue;
    for (const run of runs(indexes.map((i) => (out[i] as EmissionHour).period_start))) {
      const before = await invalidHoursBefore(store, pointId, factor, run.from);
      const history: HourlyEmission[] = (
        await store.db
          .selectFrom('emission_hour')
          .select(['period_start', 'kg'])
          .where('point_id', '=', pointId)
          .where('factor_code', '=', factor)
          .where('period_start', '<', run.from - before * HOUR_MS)
          .where('basis', 'in', ['measured', 'device'])
          .orderBy('period_start', 'desc')
          .limit(2160)
          .execute()
      ).map((h) => ({ start: Number(h.period_start), kg: Number(h.kg) }));
      const flag = flags.get(`${factor}|${run.from}`) ?? null;
      const cause: InvalidCause = flag === 'M' ? 'maintenance' : 'other';
      const result = substituteEmission({
        invalidRun: { from: run.from - before * HOUR_MS, to: run.to, cause },
        history,
        alpha,
      });
      if (result.status !== 'substituted') continue;
      for (let t = run.from; t < run.to; t += HOUR_MS) {
        const i = out.findIndex((r) => r.factor_code === factor && r.period_start === t);
        if (i >= 0) out[i] = { ...(out[i] as EmissionHour), kg: result.hourlyKg, basis: 'substituted' };
      }
    }
  }
  return out;
}

/** Consecutive hours, as [from, to) runs. */
function runs(starts: readonly number[]): { from: number; to: number }[] {
  const sorted = [...starts].sort((a, b) => a - b);
  const out: { from: number; to: number }[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.to === s) last.to = s + HOUR_MS;
    else out.push({ from: s, to: s + HOUR_MS });
  }
  return out;
}

/** How many consecutive hours right before `at` were already invalid (or substituted): the run began earlier. */
async function invalidHoursBefore(
  store: Store,
  pointId: number,
  factor: string,
  at: number,
): Promise<number> {
  const rows = await store.db
    .selectFrom('emission_hour')
    .select(['period_start', 'basis'])
    .where('point_id', '=', pointId)
    .where('factor_code', '=', factor)
    .where('period_start', '<', at)
    .where('period_start', '>=', at - 2160 * HOUR_MS)
    .orderBy('period_start', 'desc')
    .execute();
  let n = 0;
  for (const r of rows) {
    if (Number(r.period_start) !== at - (n + 1) * HOUR_MS) break;
    if (r.basis !== 'invalid' && r.basis !== 'substituted') break;
    n += 1;
  }
  return n;
}
