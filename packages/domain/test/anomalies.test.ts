import { describe, expect, it } from 'vitest';
import {
  type AnomalyContext,
  anomalyEvaluations,
  anomalyReach,
  clockEvaluations,
  compareRollup,
  DEFAULT_ANOMALY_THRESHOLDS,
  DEFAULT_RULES,
  detectClockSkew,
  detectConstantValue,
  detectCorrectedMismatch,
  detectDilution,
  detectFalseShutdown,
  detectFlowMismatch,
  detectMissing,
  detectNearLimit,
  detectOffline,
  detectOverRange,
  detectParameterChange,
  detectRollupMismatch,
  detectStateFlagMismatch,
  detectSuddenChange,
  detectZeroAndNegative,
  foldAllEpisodes,
  HOUR_MS,
  lastFrameBefore,
  type Mark,
  MINUTE_MS,
  missingEvaluation,
  offlineEvaluation,
  type Reading,
} from '../src/index.js';

const DAY = Date.UTC(2026, 2, 1, 16); // 2026-03-02 00:00 Beijing
const hour = (h: number) => DAY + h * HOUR_MS;
const r = (factor: string, start: number, value: number | null, extra: Partial<Reading> = {}): Reading => ({
  factor,
  start,
  value,
  flag: 'N',
  ...extra,
});
const mark = (kind: Mark['kind'], from: number, to: number, factor = '*'): Mark => ({
  factor,
  from,
  to,
  kind,
  origin: 'manual',
  approved: true,
  madeAt: to,
});
const ctx = (marks: Mark[] = [], extra: Partial<AnomalyContext> = {}): AnomalyContext => ({
  marks,
  rules: DEFAULT_RULES,
  ...extra,
});
const series = (
  factor: string,
  values: (number | null)[],
  extra: (i: number) => Partial<Reading> = () => ({}),
) => values.map((v, i) => r(factor, hour(i), v, extra(i)));

/** A plausible diurnal series: base ± amp over 24 h, with small deterministic noise, 2 decimals. */
const diurnal = (base: number, amp: number, hours = 72, phase = 0) =>
  Array.from({ length: hours }, (_, i) => {
    const noise = (((i * 37 + 11) % 17) - 8) / 40;
    return Math.round((base + amp * Math.sin((2 * Math.PI * (i - phase)) / 24) + noise) * 100) / 100;
  });

const O2 = 'a19001';
const FLOW = 'a00000';
const SO2 = 'a21026';

describe('constant value (恒值)', () => {
  it.each([
    { name: '6 identical hours fire', values: [5, 7, 7, 7, 7, 7, 7, 8], expected: [[hour(1), hour(7), 6]] },
    { name: '5 identical hours do not', values: [5, 7, 7, 7, 7, 7, 8], expected: [] },
    {
      name: 'two runs, the long one fires',
      values: [3, 3, 3, 9, 9, 9, 9, 9, 9, 9],
      expected: [[hour(3), hour(10), 7]],
    },
  ])('$name', ({ values, expected }) => {
    const found = detectConstantValue(series(SO2, values), 'hour', ctx());
    expect(found.map((f) => [f.start, f.end, f.detail.count])).toEqual(expected);
  });

  it('excluded (stopped) hours are skipped, neither extending nor breaking a run', () => {
    const values = [7, 7, 7, 0, 0, 7, 7, 7];
    const withStop = detectConstantValue(
      series(SO2, values, (i) => (i === 3 || i === 4 ? { flag: 'F' } : {})),
      'hour',
      ctx(),
    );
    expect(withStop.map((f) => [f.start, f.end, f.detail.count])).toEqual([[hour(0), hour(8), 6]]);
  });

  it('minute data: ≥ 60 identical minutes', () => {
    const minutes = Array.from({ length: 70 }, (_, m) => r(FLOW, DAY + m * MINUTE_MS, m < 10 ? m : 1234.5));
    const found = detectConstantValue(minutes, 'minute', ctx());
    expect(found.map((f) => [f.start, f.detail.count])).toEqual([[DAY + 10 * MINUTE_MS, 60]]);
  });

  it('must not fire on a plausible diurnal series', () => {
    expect(detectConstantValue(series(SO2, diurnal(40, 15)), 'hour', ctx())).toEqual([]);
  });

  it('can be switched off per factor', () => {
    const found = detectConstantValue(
      series(SO2, [7, 7, 7, 7, 7, 7]),
      'hour',
      ctx([], { config: { defaults: DEFAULT_ANOMALY_THRESHOLDS, disabled: { [SO2]: ['constant-value'] } } }),
    );
    expect(found).toEqual([]);
  });
});

describe('zero and negative values', () => {
  it('zero fires unless stopped (F or stopped mark); negative always; invalid records are skipped', () => {
    const readings = series(SO2, [0, 0, -1, 0, -2, 0], (i) =>
      i === 1 ? { flag: 'F' } : i === 4 ? { flag: 'C' } : {},
    );
    const found = detectZeroAndNegative(readings, 'hour', ctx([mark('stopped', hour(5), hour(6))]));
    expect(found.map((f) => [f.type, f.start])).toEqual([
      ['zero-value', hour(0)],
      ['negative-value', hour(2)],
      ['zero-value', hour(3)],
    ]);
  });

  it('must not fire on a plausible diurnal series', () => {
    expect(detectZeroAndNegative(series(SO2, diurnal(40, 15)), 'hour', ctx())).toEqual([]);
  });
});

describe('over range (超量程)', () => {
  const params = [
    { factor: SO2, code: 'i13001', at: hour(0) - 1, value: '200' },
    { factor: SO2, code: 'i13001', at: hour(3), value: '500' },
  ];
  it('flag T, or the maximum at or above the range in force', () => {
    const readings = [
      r(SO2, hour(0), 150, { max: 200 }),
      r(SO2, hour(1), 190, { flag: 'T' }),
      r(SO2, hour(2), 199),
      r(SO2, hour(3), 250, { max: 300 }),
    ];
    const found = detectOverRange(readings, 'hour', params, ctx());
    expect(found.map((f) => [f.start, f.detail.range])).toEqual([
      [hour(0), 200],
      [hour(1), 200],
    ]);
  });

  it('must not fire on a plausible diurnal series', () => {
    expect(detectOverRange(series(SO2, diurnal(40, 15)), 'hour', params, ctx())).toEqual([]);
  });
});

describe('sudden change (突变)', () => {
  it('a spike fires once; a lasting step fires at the step only', () => {
    const base = [40, 41, 39, 40, 42, 40, 41];
    const spike = detectSuddenChange(series(SO2, [...base, 120, 40, 41]), ctx());
    expect(spike.map((f) => f.start)).toEqual([hour(7)]);
    // median 40, MAD 1 → sigma max(1.48, 4) = 4; bound 20: 120 is 80 from both median and previous.
    expect(spike[0]?.detail).toMatchObject({ median: 40, sigma: 4, previous: 41 });
    const step = detectSuddenChange(series(SO2, [...base, 90, 91, 90, 92, 90]), ctx());
    expect(step.map((f) => f.start)).toEqual([hour(7)]);
  });

  it('needs 6 values of history', () => {
    expect(detectSuddenChange(series(SO2, [40, 41, 40, 41, 40, 200]), ctx())).toEqual([]);
  });

  it('must not fire on a plausible diurnal series', () => {
    expect(detectSuddenChange(series(SO2, diurnal(40, 15, 168)), ctx())).toEqual([]);
  });
});

describe('flow mismatch (流量与浓度不匹配)', () => {
  it('flow zero with concentration; flow with zero or no concentration; stopped hours skipped', () => {
    const hours = [
      r(FLOW, hour(0), 0),
      r(SO2, hour(0), 35),
      r(FLOW, hour(1), 5000),
      r(SO2, hour(1), 0),
      r(FLOW, hour(2), 5000),
      r(SO2, hour(2), null),
      r(FLOW, hour(3), 0, { flag: 'F' }),
      r(SO2, hour(3), 35),
      r(FLOW, hour(4), 5000),
      r(SO2, hour(4), 35),
    ];
    const found = detectFlowMismatch(hours, FLOW, [SO2], ctx());
    expect(found.map((f) => [f.start, f.detail.kind])).toEqual([
      [hour(0), 'flow-zero'],
      [hour(1), 'concentration-zero'],
      [hour(2), 'concentration-zero'],
    ]);
  });

  it('must not fire on plausible diurnal flow and concentration', () => {
    const hours = [...series(FLOW, diurnal(50_000, 15_000)), ...series(SO2, diurnal(40, 15))];
    expect(detectFlowMismatch(hours, FLOW, [SO2], ctx())).toEqual([]);
  });
});

describe('折算 inconsistent with measured and O₂ (recomputeCorrected)', () => {
  // Reference O₂ 6 %, measured 11 %: factor (21 − 6)/(21 − 11) = 1.5.
  it('fires when the device 折算 is off by more than the tolerance (5 %)', () => {
    const so2 = [
      r(SO2, hour(0), 40, { corrected: 60 }),
      r(SO2, hour(1), 40, { corrected: 64 }),
      r(SO2, hour(2), 40, { corrected: 40 }),
    ];
    const o2 = series(O2, [11, 11, 11]);
    const found = detectCorrectedMismatch(so2, o2, 6, ctx());
    expect(found.map((f) => [f.start, f.detail.reported, f.detail.recomputed])).toEqual([
      [hour(1), 64, 60],
      [hour(2), 40, 60],
    ]);
  });

  it('must not fire when the device computes it right on a diurnal series', () => {
    const o2v = diurnal(10, 1.5);
    const so2 = diurnal(40, 15).map((v, i) =>
      r(SO2, hour(i), v, { corrected: (v * 15) / (21 - (o2v[i] as number)) }),
    );
    expect(detectCorrectedMismatch(so2, series(O2, o2v), 6, ctx())).toEqual([]);
  });
});

describe('dilution (O₂ near ambient while producing)', () => {
  it('O₂ ≥ 19 % with flow, not when stopped or without flow', () => {
    const o2 = series(O2, [19.5, 20.6, 20.8, 10]);
    const flow = [
      r(FLOW, hour(0), 50_000),
      r(FLOW, hour(1), 0),
      r(FLOW, hour(2), 50_000, { flag: 'F' }),
      r(FLOW, hour(3), 50_000),
    ];
    const found = detectDilution(o2, flow, ctx());
    expect(found.map((f) => [f.start, f.detail.oxygen])).toEqual([[hour(0), 19.5]]);
    expect(detectDilution(o2, undefined, ctx()).map((f) => f.start)).toEqual([hour(0), hour(1), hour(2)]);
  });

  it('must not fire on plausible O₂ (10 ± 2 %)', () => {
    expect(detectDilution(series(O2, diurnal(10, 2)), series(FLOW, diurnal(50_000, 15_000)), ctx())).toEqual(
      [],
    );
  });
});

describe('near-limit discharge (临限排放)', () => {
  const window = { from: hour(0), to: hour(96) };
  it('fires when ≥ 50 % of ≥ 72 counted hours lie in [90 %, 100 %] of the limit', () => {
    const values = Array.from({ length: 96 }, (_, i) => (i % 4 === 0 ? 60 : 95)); // 72 of 96 near
    const found = detectNearLimit(series(SO2, values), 100, window, ctx());
    expect(found).toEqual([
      {
        type: 'near-limit',
        factor: SO2,
        start: hour(0),
        end: hour(96),
        detail: { share: 0.75, nearHours: 72, countedHours: 96, limit: 100 },
      },
    ]);
    // Exceeding hours are not "near": 101 is outside the band.
    expect(
      detectNearLimit(
        series(
          SO2,
          values.map((v) => (v === 95 ? 101 : v)),
        ),
        100,
        window,
        ctx(),
      ),
    ).toEqual([]);
  });

  it('needs 48 counted hours', () => {
    expect(detectNearLimit(series(SO2, Array(47).fill(95)), 100, window, ctx())).toEqual([]);
    expect(detectNearLimit(series(SO2, Array(48).fill(95)), 100, window, ctx())).toHaveLength(1);
  });

  it('must not fire on a plausible diurnal series well under the limit', () => {
    expect(detectNearLimit(series(SO2, diurnal(60, 25, 96)), 100, window, ctx())).toEqual([]);
  });
});

describe('reported stopped but still emitting (报停未停)', () => {
  it('≥ 2 consecutive stopped hours with flow and concentration', () => {
    const hours = [
      ...series(FLOW, [50_000, 48_000, 47_000, 0, 46_000], (i) => (i >= 1 ? { flag: 'F' } : {})),
      ...series(SO2, [40, 35, 30, 0, 30], (i) => (i >= 1 ? { flag: 'F' } : {})),
    ];
    const found = detectFalseShutdown(hours, FLOW, [SO2], ctx());
    expect(found.map((f) => [f.start, f.end, f.detail.hours])).toEqual([[hour(1), hour(3), 2]]);
  });

  it('a stopped mark counts as reported stopped', () => {
    const hours = [...series(FLOW, [50_000, 50_000, 50_000]), ...series(SO2, [40, 40, 40])];
    const found = detectFalseShutdown(hours, FLOW, [SO2], ctx([mark('stopped', hour(0), hour(3))]));
    expect(found.map((f) => f.detail.hours)).toEqual([3]);
  });

  it('must not fire on a real stop (flow and concentration at zero) nor on normal production', () => {
    const stop = [
      ...series(FLOW, [0, 0, 0], () => ({ flag: 'F' })),
      ...series(SO2, [0, 0, 0], () => ({ flag: 'F' })),
    ];
    expect(detectFalseShutdown(stop, FLOW, [SO2], ctx())).toEqual([]);
    const normal = [...series(FLOW, diurnal(50_000, 15_000)), ...series(SO2, diurnal(40, 15))];
    expect(detectFalseShutdown(normal, FLOW, [SO2], ctx())).toEqual([]);
  });
});

describe('device-parameter change (i13001, i13004, i13005, i13007, i13008)', () => {
  const COD = 'w01018';
  const baselines = [
    { factor: COD, code: 'i13008', value: '1.000' },
    { factor: COD, code: 'i13007', value: '0' },
  ];
  it('against the previous value and the filed baseline, with old and new values', () => {
    const values = [
      { factor: COD, code: 'i13008', at: hour(0), value: '1.0' },
      { factor: COD, code: 'i13008', at: hour(1), value: '0.8' },
      { factor: COD, code: 'i13008', at: hour(2), value: '0.8' },
      { factor: COD, code: 'i13008', at: hour(3), value: 1 },
      { factor: COD, code: 'i13007', at: hour(1), value: '0.0' },
      { factor: COD, code: 'i12001', at: hour(1), value: '1' },
    ];
    const found = detectParameterChange(values, baselines);
    expect(found.map((f) => [f.start, f.detail])).toEqual([
      [
        hour(1),
        {
          code: 'i13008',
          name: 'slope (斜率)',
          previous: '1.0',
          value: '0.8',
          baseline: '1.000',
          changed: true,
          offBaseline: true,
        },
      ],
      [
        hour(2),
        {
          code: 'i13008',
          name: 'slope (斜率)',
          previous: '0.8',
          value: '0.8',
          baseline: '1.000',
          changed: false,
          offBaseline: true,
        },
      ],
      [
        hour(3),
        {
          code: 'i13008',
          name: 'slope (斜率)',
          previous: '0.8',
          value: 1,
          baseline: '1.000',
          changed: true,
          offBaseline: false,
        },
      ],
    ]);
  });

  it('must not fire when every report equals the baseline', () => {
    const values = Array.from({ length: 24 }, (_, i) => ({
      factor: COD,
      code: 'i13008',
      at: hour(i),
      value: '1.00',
    }));
    expect(detectParameterChange(values, baselines)).toEqual([]);
  });
});

describe('working state vs flag', () => {
  it('N while i12001 says maintenance; M while it says running; C while calibrating agrees', () => {
    const readings = series(SO2, [40, 40, 40, 40], (i) => ({ flag: ['N', 'M', 'C', 'N'][i] as string }));
    const states = [
      { at: hour(0) + 10 * MINUTE_MS, state: 1 },
      { at: hour(1) - 1, state: 0 },
      { at: hour(2) + 5 * MINUTE_MS, state: 3 },
      { at: hour(3) - 1, state: 0 },
    ];
    const found = detectStateFlagMismatch(readings, states, 'hour');
    expect(found.map((f) => [f.start, f.detail.flag])).toEqual([
      [hour(0), 'N'],
      [hour(1), 'M'],
    ]);
  });

  it('N while the analyser is on standby (9 待机): it says it is not measuring', () => {
    const states = [
      { at: hour(1) + 5 * MINUTE_MS, state: 9 },
      { at: hour(2), state: 7 },
    ];
    const found = detectStateFlagMismatch(series(SO2, [40, 40, 40]), states, 'hour');
    expect(found.map((f) => [f.start, f.detail.states])).toEqual([[hour(1), [9]]]);
  });

  it('must not fire when the analyser runs (0) or measures (7) with N data', () => {
    const states = Array.from({ length: 72 }, (_, i) => ({
      at: hour(i) + 5 * MINUTE_MS,
      state: i % 2 === 0 ? 0 : 7,
    }));
    expect(detectStateFlagMismatch(series(SO2, diurnal(40, 15)), states, 'hour')).toEqual([]);
  });
});

describe('clock skew (from device events)', () => {
  it('above 10 min fires; a time sync closes the episode', () => {
    const obs = [
      { at: hour(0), skewMs: 15 * MINUTE_MS },
      { at: hour(1), skewMs: -20 * MINUTE_MS },
      { at: hour(2), skewMs: null },
      { at: hour(3), skewMs: 2 * MINUTE_MS },
    ];
    expect(detectClockSkew(obs).map((f) => f.start)).toEqual([hour(0), hour(1)]);
    expect(foldAllEpisodes(clockEvaluations(obs))).toMatchObject([
      { openedAt: hour(0), closedAt: hour(2), peakValue: -20 * MINUTE_MS },
    ]);
  });

  it('must not fire on small skews', () => {
    expect(
      detectClockSkew([
        { at: hour(0), skewMs: 30_000 },
        { at: hour(1), skewMs: -9 * MINUTE_MS },
      ]),
    ).toEqual([]);
  });
});

describe('DAS roll-up vs ours', () => {
  it('takes the comparison (rollup.ts compareRollup) and reports mismatches', () => {
    const checks = [
      { factor: SO2, period: 'hour' as const, start: hour(0), comparison: compareRollup(40, 48, 0.05) },
      { factor: SO2, period: 'hour' as const, start: hour(1), comparison: compareRollup(40, 41, 0.05) },
    ];
    expect(detectRollupMismatch(checks)).toEqual([
      {
        type: 'rollup-mismatch',
        factor: SO2,
        start: hour(0),
        end: hour(1),
        detail: { period: 'hour', reported: 48, computed: 40, difference: 8 },
      },
    ]);
  });

  it('must not fire when they agree', () => {
    const checks = diurnal(40, 15).map((v, i) => ({
      factor: SO2,
      period: 'hour' as const,
      start: hour(i),
      comparison: compareRollup(v, v, 0.05),
    }));
    expect(detectRollupMismatch(checks)).toEqual([]);
  });
});

describe('missing data and offline (pure over receipt facts and now)', () => {
  const window = { from: hour(0), to: hour(6) };
  // Hours 0, 1 received on time; 2 and 3 never; 4 backfilled at 09:30; 5 not yet due at 07:30.
  const received = new Map([
    [hour(0), hour(1) + 1000],
    [hour(1), hour(2) + 1000],
    [hour(4), hour(9) + 30 * MINUTE_MS],
  ]);
  const input = { factor: SO2, window, received, marks: [] as Mark[] };

  it('an hour is missing once its end + 60 min has passed without receipt', () => {
    const at = hour(7) + 30 * MINUTE_MS; // 07:30: hours due by then are 0–5 (hour 5 due at 07:00)
    expect(detectMissing(input, at)).toEqual([
      { type: 'missing', factor: SO2, start: hour(2), end: hour(6), detail: { hours: 4 } },
    ]);
    // Exactly at the deadline of hour 2 (04:00) it is not yet missing; one ms later it is.
    expect(detectMissing(input, hour(4) - 1)).toEqual([]);
    expect(detectMissing(input, hour(4))).toMatchObject([{ start: hour(2), end: hour(3) }]);
  });

  it('a backfill closes the hours it brings; evaluating at an earlier now ignores later receipts', () => {
    const after = detectMissing(input, hour(10));
    expect(after.map((f) => [f.start, f.end])).toEqual([
      [hour(2), hour(4)],
      [hour(5), hour(6)],
    ]);
    const evaluations = [hour(4), hour(7), hour(10), hour(11)].map((now) =>
      missingEvaluation(
        {
          ...input,
          received: new Map([
            ...received,
            [hour(2), hour(10) + 1],
            [hour(3), hour(10) + 1],
            [hour(5), hour(10) + 1],
          ]),
        },
        now,
      ),
    );
    expect(evaluations.map((e) => e.active)).toEqual([true, true, true, false]);
    expect(foldAllEpisodes(evaluations)).toMatchObject([
      { type: 'missing', openedAt: hour(4), closedAt: hour(11), peakValue: 4 },
    ]);
  });

  it('hours under an approved stopped mark are not expected', () => {
    expect(detectMissing({ ...input, marks: [mark('stopped', hour(2), hour(6))] }, hour(10))).toEqual([]);
  });

  it('offline after 30 min without a frame (heartbeat included), closed by any frame', () => {
    const frames = [hour(0), hour(0) + 10 * MINUTE_MS, hour(1)];
    expect(
      detectOffline(lastFrameBefore(frames, hour(0) + 40 * MINUTE_MS), hour(0) + 40 * MINUTE_MS),
    ).toEqual([]);
    expect(
      detectOffline(lastFrameBefore(frames, hour(0) + 41 * MINUTE_MS), hour(0) + 41 * MINUTE_MS),
    ).toEqual([
      {
        type: 'offline',
        factor: '*',
        start: hour(0) + 40 * MINUTE_MS,
        detail: { lastFrameAt: hour(0) + 10 * MINUTE_MS, silentMs: 31 * MINUTE_MS },
      },
    ]);
    const checks = [20, 45, 59, 61].map((m) =>
      offlineEvaluation(lastFrameBefore(frames, hour(0) + m * MINUTE_MS), hour(0) + m * MINUTE_MS),
    );
    expect(checks.map((c) => c.active)).toEqual([false, true, true, false]);
  });

  it('must not fire when data and heartbeats arrive on time', () => {
    const onTime = new Map(
      Array.from({ length: 6 }, (_, h) => [hour(h), hour(h + 1) + 30_000] as [number, number]),
    );
    expect(detectMissing({ ...input, received: onTime }, hour(10))).toEqual([]);
    const frames = Array.from({ length: 600 }, (_, m) => hour(0) + m * MINUTE_MS);
    expect(detectOffline(lastFrameBefore(frames, hour(10)), hour(10))).toEqual([]);
  });
});

describe('to episodes, and late facts for window detectors', () => {
  it('anomalyEvaluations: judged periods covered by a finding are active', () => {
    const readings = series(SO2, [0, 0, 5, 0]);
    const found = detectZeroAndNegative(readings, 'hour', ctx());
    const evaluations = anomalyEvaluations(
      'zero-value',
      SO2,
      readings.map((x) => x.start),
      found,
    );
    expect(evaluations.map((e) => e.active)).toEqual([true, true, false, true]);
    expect(foldAllEpisodes(evaluations)).toMatchObject([
      { openedAt: hour(0), closedAt: hour(2) },
      { openedAt: hour(3), closedAt: null },
    ]);
  });

  it('anomalyReach widens a late mark to the whole constant-value run it touches', () => {
    const values = [...Array(12).fill(7), 8];
    const readings = series(SO2, values);
    const before = detectConstantValue(readings, 'hour', ctx());
    const changed = { from: hour(8), to: hour(9) };
    const reach = anomalyReach('constant-value', DEFAULT_ANOMALY_THRESHOLDS, changed, before);
    expect(reach).toEqual({ from: hour(0), to: hour(15) });
    // Re-evaluating only the reach with the late mark gives what a full re-evaluation gives.
    const late = [mark('invalid', hour(8), hour(9))];
    const inReach = readings.filter((x) => x.start >= reach.from && x.start < reach.to);
    expect(detectConstantValue(inReach, 'hour', ctx(late))).toEqual(
      detectConstantValue(readings, 'hour', ctx(late)),
    );
  });
});
