/**
 * 传输率 / 有效率 / 有效传输率 as counts (docs/regulatory-rules.md §2).
 *
 * Everything is counted in factor-hours (one per assessed factor per hour), and counts are the only thing
 * that is ever combined: they add (a commutative monoid with {@link ZERO_COUNTS}), and rates are derived
 * at the very end, from the sums. Averaging rates is never right: a point with 10 expected hours would
 * weigh as much as one with 744. Σ numerators / Σ denominators is the national practice [M, §2; the MEE
 * 《自动监测数据有效传输率统计算法说明》 itself was not retrieved] and our rule [Proposal, §2].
 */
import type { RuleConfig } from './config.js';
import { DomainError } from './errors.js';

/**
 * The counts of one subject (point × factor, or any sum of them) over one period, in factor-hours.
 *
 * Identities (hold for every value {@link hourCounts} returns, and so for every sum):
 * - hourCount = outOfServiceCount + excludedCount + standardCheckCount + expectedCount
 * - expectedCount = receivedCount + missingCount
 * - receivedCount = validCount + invalidCount + suspectCount
 */
export interface TransmissionCounts {
  /** Calendar hours in the period. */
  readonly hourCount: number;
  /** Hours before the point went into service (投运) or after it was removed: never expected. */
  readonly outOfServiceCount: number;
  /** In-service hours out of the denominator as stopped: flag F, or an approved stopped mark. */
  readonly excludedCount: number;
  /** Hours forgiven by the daily standard-sample-check (标样核查) deduction, wastewater only. */
  readonly standardCheckCount: number;
  /** 应传数据数. */
  readonly expectedCount: number;
  /** 实传数据数: expected hours with a record. */
  readonly receivedCount: number;
  /** 有效数据数: received hours judged valid. */
  readonly validCount: number;
  /** Received hours judged invalid. */
  readonly invalidCount: number;
  /** Received hours judged suspect (S without a manual-monitoring record): received, not valid. */
  readonly suspectCount: number;
  /** Expected hours with no record (缺失). */
  readonly missingCount: number;
}

export const ZERO_COUNTS: TransmissionCounts = Object.freeze({
  hourCount: 0,
  outOfServiceCount: 0,
  excludedCount: 0,
  standardCheckCount: 0,
  expectedCount: 0,
  receivedCount: 0,
  validCount: 0,
  invalidCount: 0,
  suspectCount: 0,
  missingCount: 0,
});

/** Field-wise sum: associative and commutative, with {@link ZERO_COUNTS} as identity. */
export function addCounts(a: TransmissionCounts, b: TransmissionCounts): TransmissionCounts {
  return {
    hourCount: a.hourCount + b.hourCount,
    outOfServiceCount: a.outOfServiceCount + b.outOfServiceCount,
    excludedCount: a.excludedCount + b.excludedCount,
    standardCheckCount: a.standardCheckCount + b.standardCheckCount,
    expectedCount: a.expectedCount + b.expectedCount,
    receivedCount: a.receivedCount + b.receivedCount,
    validCount: a.validCount + b.validCount,
    invalidCount: a.invalidCount + b.invalidCount,
    suspectCount: a.suspectCount + b.suspectCount,
    missingCount: a.missingCount + b.missingCount,
  };
}

export function sumCounts(items: Iterable<TransmissionCounts>): TransmissionCounts {
  let total = ZERO_COUNTS;
  for (const c of items) total = addCounts(total, c);
  return total;
}

/** Each rate in [0, 1], or null when its denominator is 0 (nothing was expected, or nothing received). */
export interface TransmissionRates {
  /** 传输率 = 实传 / 应传. */
  readonly transmissionRate: number | null;
  /** 有效率 = 有效 / 实传. */
  readonly validityRate: number | null;
  /** 有效传输率 (传输有效率) = 有效 / 应传 = 传输率 × 有效率. */
  readonly effectiveTransmissionRate: number | null;
}

const isCount = (n: number) => Number.isSafeInteger(n) && n >= 0;

/**
 * The three rates of some counts (national wording [M], regulatory-rules.md §2; 数据传输有效率 = 传输率 ×
 * 有效率 [V] S5, S6). Counts from elsewhere (a store's GROUP BY) are checked: whole, non-negative, and
 * valid ≤ received ≤ expected, so every rate is in [0, 1].
 */
export function transmissionRates(counts: TransmissionCounts): TransmissionRates {
  const { expectedCount: expected, receivedCount: received, validCount: valid } = counts;
  if (
    !isCount(expected) ||
    !isCount(received) ||
    !isCount(valid) ||
    valid > received ||
    received > expected
  ) {
    throw new DomainError('DOMAIN_E_INPUT', {
      field: 'counts',
      rule: 'whole counts with validCount ≤ receivedCount ≤ expectedCount',
      expectedCount: expected,
      receivedCount: received,
      validCount: valid,
    });
  }
  return {
    transmissionRate: expected === 0 ? null : received / expected,
    validityRate: received === 0 ? null : valid / received,
    effectiveTransmissionRate: expected === 0 ? null : valid / expected,
  };
}

function checkTarget(target: number): void {
  if (!(target >= 0 && target <= 1)) {
    throw new DomainError('DOMAIN_E_CONFIG', {
      field: 'transmissionTarget',
      value: target,
      allowed: '[0, 1]',
    });
  }
}

/**
 * Whether the 有效传输率 is above the configured target. Hubei: "有效传输率大于 95%" (办法 第八条(二) [V],
 * ../regulation/), so the comparison is strict: exactly 95 % does not meet it. The exact ratio is compared,
 * not a rounded percentage. null when nothing was expected (no rate to judge).
 */
export function meetsTransmissionTarget(
  rates: TransmissionRates,
  config: Pick<RuleConfig, 'transmissionTarget'>,
): boolean | null {
  checkTarget(config.transmissionTarget);
  return rates.effectiveTransmissionRate === null
    ? null
    : rates.effectiveTransmissionRate > config.transmissionTarget;
}

/**
 * HJ 75-2017 quarterly 有效数据捕集率 α for gas CEMS ([M], regulatory-rules.md §1.1; the same formula in
 * practice C2 [P]): α = (hours − invalid hours − source-stopped hours) / (hours − source-stopped hours).
 *
 * Mapped onto counts, for the counts of one quarter (sum the months; never average α):
 * - hours = in-service hours (hourCount − outOfServiceCount): a CEMS is judged from its 投运 on [Proposal];
 * - stopped = excludedCount (flag F or an approved stopped mark, as for 应传);
 * - invalid = every other hour without a valid value: invalid, suspect, missing, and hours forgiven by a
 *   standard-check deduction (a transmission-assessment rule, not HJ 75 [Proposal]).
 * So α = validCount / (hourCount − outOfServiceCount − excludedCount); null when that is 0. In [0, 1]
 * (× 100 % for display). Use the 'amended' view: HJ 75 judges the data after review.
 */
export function captureRate(counts: TransmissionCounts): number | null {
  const base = counts.hourCount - counts.outOfServiceCount - counts.excludedCount;
  if (!isCount(base) || !isCount(counts.validCount) || counts.validCount > base) {
    throw new DomainError('DOMAIN_E_INPUT', {
      field: 'counts',
      rule: 'validCount ≤ hourCount − outOfServiceCount − excludedCount',
      hourCount: counts.hourCount,
      outOfServiceCount: counts.outOfServiceCount,
      excludedCount: counts.excludedCount,
      validCount: counts.validCount,
    });
  }
  return base === 0 ? null : counts.validCount / base;
}
