import { beijingInstant } from '@qingyuan/domain';
import { ObservationRepository } from '@qingyuan/store';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../store/test/dialects.js';
import { insertFactors, insertPoint } from '../../store/test/fixtures.js';
import { AnalysisWorker } from '../src/analysis/worker.js';

const H = 3_600_000;
const T0 = beijingInstant(2026, 11, 3, 10);

describeEachDialect('rule latency reported by the analysis worker', (store) => {
  it('tells how long each judged point-day took', async () => {
    const { pointId } = await insertPoint(store(), { kind: 'gas' });
    await insertFactors(store(), pointId, [{ code: 'a21026', hourLimit: 35 }]);
    await new ObservationRepository(store()).write('hour', [
      {
        pointId,
        factorCode: 'a21026',
        periodStart: T0,
        values: { avg: 50 },
        dataFlag: 'N',
        source: 'das',
        receivedAt: T0 + H,
      },
    ]);
    const judged: [string, number][] = [];
    const worker = new AnalysisWorker(store(), {
      delayMs: 10,
      now: () => T0 + 2 * H,
      onJudged: (kind, s) => judged.push([kind, s]),
    });
    worker.ingested([
      { pointId, factorCode: 'a21026', period: 'hour', periodStart: T0, outcome: 'inserted', source: 'das' },
    ]);
    for (let i = 0; i < 200 && judged.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect(judged.map(([kind]) => kind)).toContain('day');
    expect(judged.every(([, s]) => s > 0 && s < 10)).toBe(true);
  });
});
