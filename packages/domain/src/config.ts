/**
 * Rule configuration: every threshold the rules use, with the defaults of the standards (cited where
 * each is used). A deployment overrides any of them; the version is recorded with every result so that
 * which rule set judged which period is evidence.
 */
export interface RuleConfig {
  /** Bumped whenever a default or a rule's logic changes. */
  readonly version: string;
  /** HJ 75-2017 / HJ 76-2017 附录 B: a valid hour needs ≥ 45 valid minutes. */
  readonly validMinutesPerHour: number;
  /** A valid day needs ≥ 20 valid hours. */
  readonly validHoursPerDay: number;
  /** A valid month needs ≥ 25 valid days (≥ 23 in February). */
  readonly validDaysPerMonth: number;
  readonly validDaysPerFebruary: number;
  /** Treat S (manually entered set value) as valid only when a manual-monitoring record backs it. */
  readonly suspectNeedsManualRecord: boolean;
  /** 有效传输率 target (办法 第八条: > 95 %). */
  readonly transmissionTarget: number;
  /** Relative tolerance when our 折算 or roll-up is compared with the device's. */
  readonly recomputeTolerance: number;
  /** O₂ at or above this (%) makes 21 − O₂ too small to correct by: 折算 is not computed (dilution). */
  readonly oxygenCeiling: number;
}

export const DEFAULT_RULES: RuleConfig = {
  version: 'qy-rules-1',
  validMinutesPerHour: 45,
  validHoursPerDay: 20,
  validDaysPerMonth: 25,
  validDaysPerFebruary: 23,
  suspectNeedsManualRecord: true,
  transmissionTarget: 0.95,
  recomputeTolerance: 0.05,
  oxygenCeiling: 20,
};

/** The defaults with some values replaced (a new version string is required when anything changes). */
export function ruleConfig(overrides: Partial<RuleConfig> & { version?: string } = {}): RuleConfig {
  return { ...DEFAULT_RULES, ...overrides };
}
