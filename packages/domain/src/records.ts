/**
 * What the rules read. Independent of the store's row types: workers map stored observations, marks
 * and device information to these. All instants are UTC epoch ms; periods are Beijing calendar periods.
 */

export type ProtocolVersion = '2005' | '2017' | '2025';
export type Medium = 'water' | 'gas';
export type ObservationPeriod = 'realtime' | 'minute' | 'hour' | 'day';

/** One factor's values for one period (or one real-time sample) as received. */
export interface Reading {
  readonly factor: string;
  /** Period start (or the sampling instant for real-time data). */
  readonly start: number;
  /** The period's mean (Avg), or Rtd for real-time data; null when the record carries no value. */
  readonly value: number | null;
  readonly min?: number | null;
  readonly max?: number | null;
  /** Cumulative amount over the period (Cou): kg for pollutants, m³ for flow. */
  readonly cou?: number | null;
  /** The device's 折算 value for the period (ZsAvg / ZsRtd), if sent. */
  readonly corrected?: number | null;
  /** HJ 212 data flag as received (N, F, M, S, D, C, T, B; 2005 adds P). */
  readonly flag: string | null;
  /** The protocol version of the frame it came in (flags differ between 2005 and 2017). */
  readonly protocol?: ProtocolVersion;
  /**
   * Which receipt of the period this is, as the store numbers them (`revision`): 0 the first receipt, n+1 a
   * later upload with other values. Absent: 0. Lets the transmission counts pick one record per period.
   */
  readonly revision?: number;
  /** When the platform received it (`receivedAt`, UTC epoch ms), if known. */
  readonly receivedAt?: number;
}

/**
 * 标记: a statement about a period made after the fact — by the enterprise (manual) or by the platform's
 * rules (automatic) — e.g. "these hours were stopped (停产)", "these values are invalid (维护)". Only
 * approved marks count; manual marks take precedence over automatic ones.
 */
/**
 * A manual-monitoring result (人工监测数据) as the rules read it: one factor over [from, to), an hour or a
 * Beijing day. Only approved ones back anything.
 */
export interface ManualRecord {
  readonly factor: string;
  readonly from: number;
  /** Exclusive. */
  readonly to: number;
  readonly approved: boolean;
  /** How a reason names it, e.g. `#12 (report HBJC-2026-0001)`. */
  readonly reference: string;
}

export interface Mark {
  /** The factor it applies to, or '*' for every factor of the point. */
  readonly factor: string;
  readonly from: number;
  /** Exclusive. */
  readonly to: number;
  readonly kind: MarkKind;
  readonly origin: 'manual' | 'automatic';
  readonly approved: boolean;
  /** When it was made (later marks of the same origin win). */
  readonly madeAt: number;
}

/**
 * valid / invalid: what the mark says about the values; stopped: the source was not producing (excluded
 * from the expected count, 应传); exempt: an approved exemption (豁免) — the values stand but do not count
 * for exceedance.
 */
export type MarkKind = 'valid' | 'invalid' | 'stopped' | 'exempt';

/**
 * What a period's record counts as. `excluded`: the source was stopped (F, or a stopped mark) — out of the
 * denominator, not invalid. `suspect`: S (manually entered set value) without a manual-monitoring record.
 */
export type Validity = 'valid' | 'invalid' | 'excluded' | 'suspect';

/** Device working state (i12001) at a time, from CN 3020. */
export interface WorkingState {
  readonly at: number;
  /** 0 运行, 1 维护, 2 故障, 3 校准, 5 反吹, 6 电源故障, 7 测量, 8 标定, 9 待机, 10 运维 (HJ 212-2017 附录 B). */
  readonly state: number;
}

/** A limit for a factor: per averaging period, on the 折算 value for gas where a reference O₂ applies. */
export interface FactorLimit {
  readonly factor: string;
  readonly hourly?: number;
  readonly daily?: number;
  /** pH and similar: a lower bound. */
  readonly lower?: number;
}
