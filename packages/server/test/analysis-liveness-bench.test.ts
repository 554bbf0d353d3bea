import { beijingInstant, DEFAULT_RULES } from '@qingyuan/domain';
import { type ObservationInput, ObservationRepository } from '@qingyuan/store';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../store/test/dialects.js';
import { insertFactors, insertPoint } from '../../store/test/fixtures.js';
import { LivenessSweep } from '../src/analysis/liveness.js';

/**
 * The liveness sweep, full (every pair, as before the incremental sweep) against incremental, over
 * QY_BENCH_POINTS points × 4 assessed factors × 48 h of hours received on time. Run with QY_BENCH=1;
 * results in docs/benchmarks.md.
 */
const H = 3_600_000;
const M = 60_000;
const T0 = beijingInstant(2026, 11, 1);
const POINTS = Number(process.env.QY_BENCH_POINTS ?? 1000);
const FACTORS = ['w01018', 'w21003', 'w21011', 'w00000'];

describeEachDialect('liveness sweep: full vs incremental (QY_BENCH=1)', (store) => {
  it.skipIf(process.env.QY_BENCH !== '1')(
    'measures',
    async () => {
      const observations = new ObservationRepository(store());
      for (let i = 0; i < POINTS; i++) {
        const { pointId } = await insertPoint(store(), { kind: 'water' });
        await insertFactors(
          store(),
          pointId,
          FACTORS.map((code) => ({ code })),
        );
        const rows: ObservationInput[] = [];
        for (const factorCode of FACTORS)
          for (let h = 0; h < 50; h++)
            rows.push({
              pointId,
              factorCode,
              periodStart: T0 + h * H,
              values: { avg: 1 },
              dataFlag: 'N',
              source: 'das',
              receivedAt: T0 + (h + 1) * H,
            });
        await observations.write('hour', rows);
      }
      let now = T0 + 50 * H + 5 * M;
      const time = async (sweep: LivenessSweep) => {
        const t = performance.now();
        await sweep.sweep();
        return performance.now() - t;
      };
      const full = new LivenessSweep(store(), { rules: DEFAULT_RULES, now: () => now, fullEveryMs: 0 });
      const incremental = new LivenessSweep(store(), { rules: DEFAULT_RULES, now: () => now });
      const rounds: Record<string, number[]> = { full: [], quiet: [], deadline: [] };
      await time(incremental); // its first sweep is full
      for (let r = 0; r < 5; r++) {
        now += 5 * M;
        rounds.full?.push(await time(full));
        rounds.quiet?.push(await time(incremental));
      }
      // An hour's deadline passes (every pair received it): the sweep reads that hour only.
      now = T0 + 51 * H + M;
      rounds.full?.push(await time(full));
      rounds.deadline?.push(await time(incremental));
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      console.log(
        `liveness ${POINTS} points × ${FACTORS.length} factors: full ${median(rounds.full ?? [])?.toFixed(1)} ms, ` +
          `incremental quiet ${median(rounds.quiet ?? [])?.toFixed(1)} ms, at a deadline ${rounds.deadline?.[0]?.toFixed(1)} ms ` +
          `(pairs judged ${incremental.pairsJudged})`,
      );
      expect(incremental.pairsJudged).toBe(0);
    },
    600_000,
  );
});
