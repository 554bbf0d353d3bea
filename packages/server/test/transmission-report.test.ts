import {
  beijingInstant,
  DAY_MS,
  DEFAULT_RULES,
  type Mark,
  pointCounts,
  sumCounts,
  TRANSMISSION_VIEWS,
} from '@qingyuan/domain';
import {
  DeviceInfoRepository,
  MarkRepository,
  type ObservationInput,
  ObservationRepository,
} from '@qingyuan/store';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../store/test/dialects.js';
import { insertFactors, insertPoint } from '../../store/test/fixtures.js';
import { hourReadings } from '../src/analysis/readings.js';
import { transmissionCounts } from '../src/analysis/transmission-report.js';
import { loadWorkingStates, validityWithStates } from '../src/analysis/working-states.js';

const H = 3_600_000;
const FROM = beijingInstant(2026, 11, 1);
const DAYS = 3;
const FLAGS = ['N', 'N', 'N', 'N', 'F', 'M', 'D', 'S', null, 'X'];

/** A small deterministic PRNG (the data must be the same on both dialects and every run). */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

describeEachDialect('transmission counts from the hourly table', (store) => {
  it('equal the domain rules record by record, in both views, with marks, working states, revisions and 投运 dates', async () => {
    const random = prng(20261128);
    const points: number[] = [];
    for (let p = 0; p < 3; p++) {
      const { pointId } = await insertPoint(store(), { kind: 'water' });
      points.push(pointId);
      await insertFactors(
        store(),
        pointId,
        ['w01018', 'w21003', 'w00000'].map((code) => ({ code, assessed: code !== 'w00000' })),
      );
    }
    // The third point went into service on the second day.
    await store()
      .db.updateTable('monitoring_point')
      .set({ in_service_on: '2026-11-02' })
      .where('id', '=', points[2] as number)
      .execute();
    const observations = new ObservationRepository(store());
    for (const pointId of points) {
      const rows: ObservationInput[] = [];
      const revisions: ObservationInput[] = [];
      for (let h = 0; h < DAYS * 24; h++)
        for (const factor of ['w01018', 'w21003', 'w00000']) {
          if (random() < 0.15) continue; // missing
          const row = {
            pointId,
            factorCode: factor,
            periodStart: FROM + h * H,
            values: random() < 0.05 ? {} : { avg: Math.round(random() * 100) },
            dataFlag: FLAGS[Math.floor(random() * FLAGS.length)] ?? null,
            source: 'das' as const,
            receivedAt: FROM + (h + 1) * H,
          };
          rows.push(row);
          if (random() < 0.1)
            revisions.push({
              ...row,
              dataFlag: row.dataFlag === 'N' ? 'D' : 'N',
              values: { avg: 1 },
              receivedAt: row.receivedAt + DAY_MS,
            });
        }
      await observations.write('hour', rows);
      await observations.write('hour', revisions);
    }
    // Marks on the first point: a stopped half-day (approved), an invalid hour (approved), one rejected.
    const marks = new MarkRepository(store());
    const mark = async (kind: Mark['kind'], from: number, to: number, state: 'approved' | 'rejected') => {
      const m = await marks.create(
        {
          pointId: points[0] as number,
          factorCode: '*',
          from,
          to,
          kind,
          origin: 'manual',
          reason: 'test',
          madeBy: 'e',
        },
        FROM,
      );
      await marks.decide(m.id, state, 'city', FROM);
    };
    await mark('stopped', FROM + 30 * H, FROM + 42 * H, 'approved');
    await mark('invalid', FROM + 50 * H, FROM + 51 * H, 'approved');
    await mark('invalid', FROM + 5 * H, FROM + 6 * H, 'rejected');

    // The second point's COD analyser reported maintenance (i12001 = 1) from 20:00 to 02:00 the next day.
    await new DeviceInfoRepository(store()).record([
      {
        pointId: points[1] as number,
        polId: 'w01018',
        infoCode: 'i12001',
        value: '1',
        observedAt: FROM + 20 * H,
        receivedAt: FROM + 20 * H,
      },
      {
        pointId: points[1] as number,
        polId: 'w01018',
        infoCode: 'i12001',
        value: '0',
        observedAt: FROM + 26 * H,
        receivedAt: FROM + 26 * H,
      },
    ]);
    const interval = { from: FROM, to: FROM + DAYS * DAY_MS };
    const byView = new Map<string, ReturnType<typeof sumCounts>>();
    for (const view of TRANSMISSION_VIEWS) {
      const fast = await transmissionCounts(store(), {
        interval,
        view,
        rules: DEFAULT_RULES,
        pointIds: points,
      });
      for (const pointId of points) {
        const inService =
          pointId === points[2]
            ? { from: beijingInstant(2026, 11, 2), to: Number.POSITIVE_INFINITY }
            : { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY };
        const held = (await marks.overlapping(pointId, interval.from, interval.to)).map((m) => ({
          factor: m.factor_code,
          from: m.from_at,
          to: m.to_at,
          kind: m.kind,
          origin: m.origin,
          approved: true,
          madeAt: m.made_at,
        }));
        const reference = pointCounts({
          point: String(pointId),
          interval,
          assessedFactors: ['w01018', 'w21003'],
          hourly: await hourReadings(store(), { pointId, protocol: '2017' }, interval),
          marks: held,
          inService,
          view,
          validity: validityWithStates(DEFAULT_RULES, await loadWorkingStates(store(), pointId, interval.to)),
        });
        for (const row of reference) {
          const ours = fast.get(pointId)?.get(row.factor);
          const pick = (c: typeof row.counts | undefined) => ({
            expected: c?.expectedCount,
            received: c?.receivedCount,
            valid: c?.validCount,
            excluded: c?.excludedCount,
            suspect: c?.suspectCount,
          });
          expect(pick(ours), `${view} point ${pointId} ${row.factor}`).toEqual(pick(row.counts));
        }
        expect([...(fast.get(pointId)?.keys() ?? [])]).toEqual(['w01018', 'w21003']);
      }
      byView.set(view, sumCounts([...(fast.get(points[0] as number)?.values() ?? [])]));
    }
    // The approved stopped half-day left the amended denominator only (12 hours × 2 assessed factors, less
    // hours that were F-flagged anyway).
    const first = byView.get('first');
    const amended = byView.get('amended');
    expect((amended?.excludedCount ?? 0) - (first?.excludedCount ?? 0)).toBeGreaterThan(12);
  }, 60_000);
});
