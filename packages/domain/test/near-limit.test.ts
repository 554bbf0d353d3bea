import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AnomalyContext,
  anomalyContextWindow,
  anomalyEvaluations,
  DEFAULT_ANOMALY_THRESHOLDS,
  DEFAULT_RULES,
  detectConstantValue,
  detectFalseShutdown,
  detectNearLimit,
  detectSuddenChange,
  foldAllEpisodes,
  HOUR_MS,
  hourlyAnomalyReach,
  nearLimitEvaluations,
  type Reading,
} from '../src/index.js';

const DAY = Date.UTC(2026, 2, 1, 16); // 2026-03-02 00:00 Beijing
const hour = (h: number) => DAY + h * HOUR_MS;
const SO2 = 'a21026';
const ctx: AnomalyContext = { marks: [], rules: DEFAULT_RULES };
const series = (values: (number | null)[], flags: string[] = []): Reading[] =>
  values.map((value, i) => ({ factor: SO2, start: hour(i), value, flag: flags[i] ?? 'N' }));

describe('near-limit discharge over a trailing 72 h window (长期接近限值)', () => {
  it('opens one episode once half the trailing window lies in 90–100 % of the limit, closes when it no longer does', () => {
    // 48 hours at 60 % of the limit, 60 hours at 95 %, then 72 hours at 50 %.
    const values = [...Array(48).fill(60), ...Array(60).fill(95), ...Array(72).fill(50)];
    const judged = values.map((_, i) => hour(i));
    const evaluations = nearLimitEvaluations(series(values), 100, judged, ctx);
    // Hours 0–46 have fewer than 48 counted hours in their window: not judged.
    expect(evaluations[0]?.at).toBe(hour(47));
    const episodes = foldAllEpisodes(evaluations);
    expect(episodes.map((e) => [(e.openedAt - DAY) / HOUR_MS, ((e.closedAt ?? 0) - DAY) / HOUR_MS])).toEqual([
      // Window [h − 71, h]: near hours ≥ counted / 2 from h = 83 (36 of 72) …
      [83, 144],
    ]);
    expect(episodes[0]?.peakValue).toBeCloseTo(60 / 72);
  });

  it('exceeding hours and invalid hours are not near; a plausible diurnal series never fires', () => {
    const over = nearLimitEvaluations(series(Array(72).fill(101)), 100, [hour(71)], ctx);
    expect(over.map((e) => e.active)).toEqual([false]);
    const flagged = nearLimitEvaluations(
      series(Array(72).fill(95), Array(72).fill('M')),
      100,
      [hour(71)],
      ctx,
    );
    expect(flagged).toEqual([]);
    const diurnal = Array.from({ length: 96 }, (_, i) => 60 + 25 * Math.sin((2 * Math.PI * i) / 24));
    const judged = diurnal.map((_, i) => hour(i));
    expect(nearLimitEvaluations(series(diurnal), 100, judged, ctx).some((e) => e.active)).toBe(false);
  });

  it('is detectNearLimit over each trailing window (property)', () => {
    const value = fc.oneof(fc.constantFrom(95, 92, 100, 60, 101), fc.constant(null));
    fc.assert(
      fc.property(fc.array(value, { minLength: 0, maxLength: 130 }), fc.nat(129), (values, probe) => {
        const hours = series(values);
        const at = hour(probe);
        const window = { from: at + HOUR_MS - 72 * HOUR_MS, to: at + HOUR_MS };
        const expected = detectNearLimit(hours, 100, window, ctx).length > 0;
        const [evaluation] = nearLimitEvaluations(hours, 100, [at], ctx);
        expect(evaluation?.active ?? false).toBe(expected);
      }),
    );
  });
});

describe('hourly anomalies across midnight (anomalyContextWindow)', () => {
  const reach = hourlyAnomalyReach(DEFAULT_ANOMALY_THRESHOLDS);

  it('reaches 71 h back (near-limit window) and 5 h ahead (a 6-hour run)', () => {
    expect([reach.before / HOUR_MS, reach.after / HOUR_MS]).toEqual([71, 5]);
  });

  it('a constant run 20:00–03:00 is one episode, opened the evening before', () => {
    const values = Array.from({ length: 48 }, (_, i) => (i >= 20 && i < 27 ? 42 : 30 + (i % 5)));
    const hours = series(values);
    const perDay = [0, 1].flatMap((d) => {
      const day = { from: hour(24 * d), to: hour(24 * d + 24) };
      const window = anomalyContextWindow(day, DEFAULT_ANOMALY_THRESHOLDS);
      const seen = hours.filter((r) => r.start >= window.from && r.start < window.to);
      const inDay = seen.filter((r) => r.start >= day.from && r.start < day.to).map((r) => r.start);
      return anomalyEvaluations('constant-value', SO2, inDay, detectConstantValue(seen, 'hour', ctx));
    });
    expect(
      foldAllEpisodes(perDay).map((e) => [
        (e.openedAt - DAY) / HOUR_MS,
        (e.closedAt ?? 0) / HOUR_MS - DAY / HOUR_MS,
      ]),
    ).toEqual([[20, 27]]);
  });

  it('day by day over the context window gives the evaluations of the whole series (property)', () => {
    // Counted hours only for the runs of values: 恒值 skips invalid and missing hours, so a run broken by
    // them can reach further than the window (then the earlier day judges its earlier part).
    const value = fc.constantFrom(40, 41, 400);
    const flag = fc.constantFrom('N');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, flag, fc.constantFrom(0, 5, 900), fc.constantFrom('N', 'F')), {
          minLength: 72,
          maxLength: 72,
        }),
        (rows) => {
          const hours = series(
            rows.map(([v]) => v),
            rows.map(([, f]) => f),
          );
          const flow = rows.map(([, , q, f], i) => ({ factor: 'a00000', start: hour(i), value: q, flag: f }));
          const detect = (rs: readonly Reading[], fs: readonly Reading[]) => [
            ...detectConstantValue(rs, 'hour', ctx),
            ...detectSuddenChange(rs, ctx),
            ...detectFalseShutdown([...rs, ...fs], 'a00000', [SO2], ctx),
          ];
          const types = ['constant-value', 'sudden-change'] as const;
          const whole = detect(hours, flow);
          const day = { from: hour(24), to: hour(48) };
          const window = anomalyContextWindow(day, DEFAULT_ANOMALY_THRESHOLDS);
          const within = (r: Reading, i: { from: number; to: number }) => r.start >= i.from && r.start < i.to;
          const part = detect(
            hours.filter((r) => within(r, window)),
            flow.filter((r) => within(r, window)),
          );
          const judged = hours.filter((r) => within(r, day)).map((r) => r.start);
          // The same hours are active (a run's detail counts only the hours the window sees).
          const active = (type: (typeof types)[number], findings: typeof whole) =>
            anomalyEvaluations(type, SO2, judged, findings).map((e) => e.active);
          for (const type of types) expect(active(type, part)).toEqual(active(type, whole));
          expect(anomalyEvaluations('false-shutdown', 'a00000', judged, part).map((e) => e.active)).toEqual(
            anomalyEvaluations('false-shutdown', 'a00000', judged, whole).map((e) => e.active),
          );
        },
      ),
    );
  });
});
