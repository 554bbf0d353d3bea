/**
 * The anomaly thresholds as a deployment sets them: what a province changes of the built-in defaults
 * ({@link DEFAULT_ANOMALY_THRESHOLDS}), overrides per factor, and detectors switched off per factor
 * (national-style tools switch alarms per outlet and pollutant, regulatory-rules.md §4 [P] C6). Each
 * threshold has an allowed range, a unit and a note of where its default comes from; the ranges are the
 * platform's [Proposal] — wide enough for any reasonable setting, narrow enough that a typo (hours as
 * minutes, a share as a percentage) is refused rather than silently switching a detector off.
 */
import {
  ANOMALY_TYPES,
  type AnomalyConfig,
  type AnomalyThresholds,
  type AnomalyType,
  DEFAULT_ANOMALY_THRESHOLDS,
  thresholdsFor,
} from './anomalies.js';
import { type AnomalyReachMs, hourlyAnomalyReach } from './anomaly-window.js';
import { HOUR_MS, MINUTE_MS } from './time.js';

export type AnomalyThresholdName = keyof AnomalyThresholds;

/** How a threshold is measured (the web shows hours and minutes; the API speaks in these units). */
export type ThresholdUnit = 'hours' | 'minutes' | 'ms' | 'count' | 'share' | 'factor-unit' | 'percent' | 'k';

export interface ThresholdSpec {
  readonly name: AnomalyThresholdName;
  /** The detectors that read it. */
  readonly detectors: readonly AnomalyType[];
  readonly unit: ThresholdUnit;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  /**
   * The built-in default is our choice ([Proposal]: regulatory-rules.md §4 found no source that fixes
   * it); false where the default is no threshold at all (0: "exactly zero", "exactly equal").
   */
  readonly proposal: boolean;
  /** Where the default comes from, for people. */
  readonly source: string;
}

const spec = (
  name: AnomalyThresholdName,
  detectors: readonly AnomalyType[],
  unit: ThresholdUnit,
  range: readonly [number, number],
  options: { integer?: boolean; proposal: boolean; source: string },
): ThresholdSpec => ({
  name,
  detectors,
  unit,
  min: range[0],
  max: range[1],
  integer: options.integer ?? false,
  proposal: options.proposal,
  source: options.source,
});

const BIG = 1e9;

/** Every threshold of {@link AnomalyThresholds} with its range; the order is the order people see. */
export const ANOMALY_THRESHOLD_SPECS: readonly ThresholdSpec[] = [
  spec('constantHours', ['constant-value'], 'hours', [2, 168], {
    integer: true,
    proposal: true,
    source: '§4 suggests ≥ 4 identical hours; 6 [Proposal]',
  }),
  spec('constantMinutes', ['constant-value'], 'minutes', [2, 1440], {
    integer: true,
    proposal: true,
    source: '§4: minute values unchanged for ≥ 60 min [Proposal]',
  }),
  spec('constantTolerance', ['constant-value'], 'factor-unit', [0, BIG], {
    proposal: false,
    source: '0: exactly equal (恒值 means identical)',
  }),
  spec('suddenWindowHours', ['sudden-change'], 'hours', [1, 168], {
    integer: true,
    proposal: true,
    source: '§4: a 24–168 h window [Proposal]',
  }),
  spec('suddenMinHistory', ['sudden-change'], 'count', [1, 168], {
    integer: true,
    proposal: true,
    source: '[Proposal]',
  }),
  spec('suddenK', ['sudden-change'], 'k', [1, 100], { proposal: true, source: '[Proposal]' }),
  spec('suddenRelativeFloor', ['sudden-change'], 'share', [0, 10], { proposal: true, source: '[Proposal]' }),
  spec('suddenAbsoluteFloor', ['sudden-change'], 'factor-unit', [0, BIG], {
    proposal: false,
    source: '0: no absolute floor',
  }),
  spec('flowZero', ['flow-mismatch', 'dilution'], 'factor-unit', [0, BIG], {
    proposal: false,
    source: '0: zero means zero',
  }),
  spec('concentrationZero', ['flow-mismatch'], 'factor-unit', [0, BIG], {
    proposal: false,
    source: '0: zero means zero',
  }),
  spec('dilutionOxygen', ['dilution'], 'percent', [10, 21], {
    proposal: true,
    source: '§4 names O₂ ≥ 19.5–20.9 %; 19 % [Proposal]',
  }),
  spec('nearLimitLow', ['near-limit'], 'share', [0.5, 1], {
    proposal: true,
    source: '§5: 90–100 % of the limit [Proposal]',
  }),
  spec('nearLimitHigh', ['near-limit'], 'share', [0.5, 1.5], {
    proposal: true,
    source: '§5: 90–100 % of the limit [Proposal]',
  }),
  spec('nearLimitShare', ['near-limit'], 'share', [0.05, 1], { proposal: true, source: '[Proposal]' }),
  spec('nearLimitMinHours', ['near-limit'], 'hours', [1, 336], {
    integer: true,
    proposal: true,
    source: 'two thirds of the window [Proposal]',
  }),
  spec('nearLimitWindowHours', ['near-limit'], 'hours', [1, 336], {
    integer: true,
    proposal: true,
    source: '[Proposal]',
  }),
  spec('stoppedFlowFloor', ['false-shutdown'], 'factor-unit', [0, BIG], {
    proposal: false,
    source: '0: any flow (set per outlet)',
  }),
  spec('stoppedConcentrationFloor', ['false-shutdown'], 'factor-unit', [0, BIG], {
    proposal: false,
    source: '0: any concentration (set per factor)',
  }),
  spec('stoppedMinHours', ['false-shutdown'], 'hours', [1, 168], {
    integer: true,
    proposal: true,
    source: '[Proposal]',
  }),
  spec('parameterTolerance', ['parameter-change'], 'share', [0, 1], {
    proposal: false,
    source: '1e-9: numerically equal',
  }),
  spec('clockSkewMs', ['clock-skew'], 'ms', [MINUTE_MS, 24 * HOUR_MS], {
    integer: true,
    proposal: true,
    source: "the gateway's clockSkewMs, 10 min [Proposal]",
  }),
  spec('missingGraceMs', ['missing'], 'ms', [0, 24 * HOUR_MS], {
    integer: true,
    proposal: true,
    source: '§4: received by H+1h [Proposal]',
  }),
  spec('offlineMs', ['offline'], 'ms', [MINUTE_MS, 24 * HOUR_MS], {
    integer: true,
    proposal: true,
    source: '§4: no frame, heartbeat included, for > N min; 30 min [Proposal]',
  }),
  spec('recomputeTolerance', ['corrected-mismatch'], 'share', [0, 1], {
    proposal: true,
    source: "unset: the rules' recomputeTolerance (§4 suggests ~1 %) [Proposal]",
  }),
];

const SPEC_BY_NAME: ReadonlyMap<string, ThresholdSpec> = new Map(
  ANOMALY_THRESHOLD_SPECS.map((s) => [s.name, s]),
);

/** The province's anomaly settings: changes to the built-in defaults, overrides per factor, switches. */
export interface AnomalySettings {
  /** Thresholds that differ from the built-in defaults (a threshold left out keeps the built-in one). */
  readonly defaults: Partial<AnomalyThresholds>;
  /** Per factor code ('*': the point as a whole — offline, clock skew). */
  readonly factors: Readonly<Record<string, Partial<AnomalyThresholds>>>;
  /** Detectors switched off per factor code ('*' as above). */
  readonly disabled: Readonly<Record<string, readonly AnomalyType[]>>;
}

export const EMPTY_ANOMALY_SETTINGS: AnomalySettings = { defaults: {}, factors: {}, disabled: {} };

/** What a setting gets wrong (the caller turns it into its own error code). */
export type AnomalySettingsProblem =
  | { readonly kind: 'unknown-threshold'; readonly field: string; readonly factor: string | null }
  | {
      readonly kind: 'range';
      readonly field: AnomalyThresholdName;
      readonly factor: string | null;
      readonly value: unknown;
      readonly min: number;
      readonly max: number;
      readonly integer: boolean;
    }
  | { readonly kind: 'unknown-type'; readonly factor: string; readonly type: string }
  | { readonly kind: 'factor'; readonly factor: string }
  | {
      readonly kind: 'inconsistent';
      readonly field: AnomalyThresholdName;
      readonly other: AnomalyThresholdName;
      readonly factor: string | null;
      readonly reason: string;
    };

/** A factor code as registered (HJ 212-2017 a21026, HJ 212-2005 02, …) or '*' for the point as a whole. */
const FACTOR = /^(\*|[A-Za-z0-9]{1,20})$/;

/**
 * Every problem of `settings`, in a stable order (defaults first, then factors by code): unknown names,
 * values outside their range or not whole, and thresholds that contradict each other once merged with the
 * defaults (the near-limit band, a sudden-change history longer than its window, a near-limit minimum
 * longer than its window). An empty list: `resolveAnomalySettings` will not throw.
 */
export function anomalySettingsProblems(settings: AnomalySettings): AnomalySettingsProblem[] {
  const problems: AnomalySettingsProblem[] = [];
  const checkValues = (values: Readonly<Record<string, unknown>>, factor: string | null) => {
    for (const [field, value] of Object.entries(values)) {
      const s = SPEC_BY_NAME.get(field);
      if (s === undefined) {
        problems.push({ kind: 'unknown-threshold', field, factor });
        continue;
      }
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        value >= s.min &&
        value <= s.max &&
        (!s.integer || Number.isInteger(value));
      if (!ok)
        problems.push({
          kind: 'range',
          field: s.name,
          factor,
          value,
          min: s.min,
          max: s.max,
          integer: s.integer,
        });
    }
  };
  checkValues(settings.defaults, null);
  const factors = Object.keys(settings.factors).sort();
  for (const factor of factors) {
    if (!FACTOR.test(factor)) problems.push({ kind: 'factor', factor });
    else checkValues(settings.factors[factor] ?? {}, factor);
  }
  for (const factor of Object.keys(settings.disabled).sort()) {
    if (!FACTOR.test(factor)) {
      problems.push({ kind: 'factor', factor });
      continue;
    }
    for (const type of settings.disabled[factor] ?? [])
      if (!(ANOMALY_TYPES as readonly string[]).includes(type))
        problems.push({ kind: 'unknown-type', factor, type });
  }
  if (problems.length > 0) return problems;
  // Consistency of the merged thresholds, for the defaults and each factor.
  const defaults = { ...DEFAULT_ANOMALY_THRESHOLDS, ...settings.defaults };
  for (const factor of [null, ...factors]) {
    const t = factor === null ? defaults : { ...defaults, ...settings.factors[factor] };
    const pair = (field: AnomalyThresholdName, other: AnomalyThresholdName, ok: boolean, reason: string) => {
      if (!ok) problems.push({ kind: 'inconsistent', field, other, factor, reason });
    };
    pair('nearLimitLow', 'nearLimitHigh', t.nearLimitLow < t.nearLimitHigh, 'the band must be low < high');
    pair(
      'suddenMinHistory',
      'suddenWindowHours',
      t.suddenMinHistory <= t.suddenWindowHours,
      'the history needed cannot exceed the window',
    );
    pair(
      'nearLimitMinHours',
      'nearLimitWindowHours',
      t.nearLimitMinHours <= t.nearLimitWindowHours,
      'the hours needed cannot exceed the window',
    );
  }
  return problems;
}

/** The detectors' configuration from the settings (built-in defaults for what is not set). */
export function resolveAnomalySettings(settings: AnomalySettings): AnomalyConfig {
  const config: AnomalyConfig = {
    defaults: { ...DEFAULT_ANOMALY_THRESHOLDS, ...settings.defaults },
    factors: settings.factors,
    disabled: settings.disabled,
  };
  // The detectors' own check (thresholdsFor) must pass for every factor set.
  for (const factor of ['*', ...Object.keys(settings.factors)]) thresholdsFor(config, factor);
  return config;
}

/**
 * How far the hourly detectors see beyond a day under `config`: the widest reach of the defaults and of
 * every factor's thresholds (a factor with a longer 恒值 run or near-limit window needs more hours loaded).
 */
export function anomalyConfigReach(config: AnomalyConfig): AnomalyReachMs {
  let before = 0;
  let after = 0;
  for (const factor of ['*', ...Object.keys(config.factors ?? {})]) {
    const reach = hourlyAnomalyReach(thresholdsFor(config, factor));
    before = Math.max(before, reach.before);
    after = Math.max(after, reach.after);
  }
  return { before, after };
}
