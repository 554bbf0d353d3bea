import { factorCode } from '@qingyuan/hj212';

/**
 * What the model knows about each factor it simulates. Codes are HJ 212-2017 附录 B (表 B.1 water, 表 B.2
 * air); units are the standard's default units (浓度 for Rtd/Min/Avg/Max, 排放量 for Cou).
 *
 * `limit` is a typical emission limit used only to scale simulated data and the exceedance scenario
 * (GB 8978-1996 一级 for COD/NH₃-N/TP, GB 18918-2002 一级 B for TN; the ultra-low-emission values of coal
 * power, 10/35/50 mg/m³, for PM/SO₂/NOx): it is not the limit of any real outlet.
 */
export type FactorRole = 'flow' | 'concentration' | 'ph' | 'oxygen' | 'condition';

export interface FactorProfile {
  readonly code: string;
  readonly medium: 'water' | 'gas';
  readonly role: FactorRole;
  /** Typical level before the per-device spread. */
  readonly base: number;
  /** Relative spread of the device's own level around `base` (0.4 = ±40 %). */
  readonly spread: number;
  /** Relative diurnal amplitude. */
  readonly diurnal: number;
  /** Relative noise: slow (drifting) and fast (per sample). */
  readonly slowNoise: number;
  readonly fastNoise: number;
  /**
   * Plausible bounds of a normal value; the model clamps into them. For a factor with a `limit`, `max` is
   * `NORMAL_SHARE_OF_LIMIT` × limit (derived: `limited`), and the model approaches it smoothly (`softCeiling`), on the Zs value
   * where one applies: normal data never reaches the early-warning share of its limit.
   */
  readonly min: number;
  readonly max: number;
  /** Instrument range upper value (i13001), the over-range threshold (flag T). */
  readonly range: number;
  readonly limit?: number;
  readonly decimals: number;
  /** Whether 2051/2061/2031 carry a Cou (cumulative) value: flow volume or emitted mass. */
  readonly cumulative: boolean;
  /** Whether Zs (折算, reference-O₂) values apply (flue-gas pollutants). */
  readonly corrected: boolean;
}

/**
 * The share of its limit a normal value stays under: below the 0.9 early-warning share of the
 * platform's exceedance rules (regulatory-rules.md, 小时超标分钟动态预警 [Proposal]), so a well-behaved
 * simulated plant raises nothing; the exceedance scenario is what crosses it.
 */
export const NORMAL_SHARE_OF_LIMIT = 0.85;

const p = (profile: FactorProfile): FactorProfile => profile;

/** A factor with a limit: its `max` is NORMAL_SHARE_OF_LIMIT × limit. */
const limited = (profile: Omit<FactorProfile, 'max'> & { readonly limit: number }): FactorProfile => ({
  ...profile,
  max: NORMAL_SHARE_OF_LIMIT * profile.limit,
});

export const FACTOR_PROFILES: Readonly<Record<string, FactorProfile>> = {
  // Water (表 B.1): flow L/s (Cou m³); concentrations mg/L (Cou kg); pH dimensionless.
  w00000: p({
    code: 'w00000',
    medium: 'water',
    role: 'flow',
    base: 60,
    spread: 0.6,
    diurnal: 0.35,
    slowNoise: 0.08,
    fastNoise: 0.03,
    min: 0,
    max: 2000,
    range: 3000,
    decimals: 2,
    cumulative: true,
    corrected: false,
  }),
  w01018: limited({
    code: 'w01018',
    medium: 'water',
    role: 'concentration',
    base: 38,
    spread: 0.4,
    diurnal: 0.15,
    slowNoise: 0.12,
    fastNoise: 0.04,
    min: 3,
    range: 500,
    limit: 100,
    decimals: 1,
    cumulative: true,
    corrected: false,
  }),
  w21003: limited({
    code: 'w21003',
    medium: 'water',
    role: 'concentration',
    base: 2.2,
    spread: 0.5,
    diurnal: 0.2,
    slowNoise: 0.15,
    fastNoise: 0.05,
    min: 0.05,
    range: 50,
    limit: 15,
    decimals: 3,
    cumulative: true,
    corrected: false,
  }),
  w21011: limited({
    code: 'w21011',
    medium: 'water',
    role: 'concentration',
    base: 0.22,
    spread: 0.4,
    diurnal: 0.15,
    slowNoise: 0.12,
    fastNoise: 0.05,
    min: 0.01,
    range: 5,
    limit: 0.5,
    decimals: 3,
    cumulative: true,
    corrected: false,
  }),
  w21001: limited({
    code: 'w21001',
    medium: 'water',
    role: 'concentration',
    base: 9,
    spread: 0.4,
    diurnal: 0.15,
    slowNoise: 0.12,
    fastNoise: 0.04,
    min: 0.5,
    range: 100,
    limit: 20,
    decimals: 2,
    cumulative: true,
    corrected: false,
  }),
  w01001: p({
    code: 'w01001',
    medium: 'water',
    role: 'ph',
    base: 7.3,
    spread: 0.05,
    diurnal: 0.01,
    slowNoise: 0.02,
    fastNoise: 0.005,
    min: 6.2,
    max: 8.8,
    range: 14,
    decimals: 2,
    cumulative: false,
    corrected: false,
  }),
  // Flue gas (表 B.2): flow m³/s (Cou m³); pollutants mg/m³ (Cou kg); O₂ %, temperature °C, pressure kPa
  // (static, gauge), velocity m/s, humidity %.
  a00000: p({
    code: 'a00000',
    medium: 'gas',
    role: 'flow',
    base: 0, // derived: velocity × duct area × standard dry state, see model.ts
    spread: 0,
    diurnal: 0,
    slowNoise: 0,
    fastNoise: 0,
    min: 0,
    max: 2000,
    range: 3000,
    decimals: 2,
    cumulative: true,
    corrected: false,
  }),
  a21026: limited({
    code: 'a21026',
    medium: 'gas',
    role: 'concentration',
    base: 18,
    spread: 0.3,
    diurnal: 0.12,
    slowNoise: 0.15,
    fastNoise: 0.05,
    min: 0.5,
    range: 200,
    limit: 35,
    decimals: 2,
    cumulative: true,
    corrected: true,
  }),
  a21002: limited({
    code: 'a21002',
    medium: 'gas',
    role: 'concentration',
    base: 26,
    spread: 0.3,
    diurnal: 0.12,
    slowNoise: 0.12,
    fastNoise: 0.04,
    min: 2,
    range: 300,
    limit: 50,
    decimals: 2,
    cumulative: true,
    corrected: true,
  }),
  a34013: limited({
    code: 'a34013',
    medium: 'gas',
    role: 'concentration',
    base: 4,
    spread: 0.5,
    diurnal: 0.1,
    slowNoise: 0.15,
    fastNoise: 0.06,
    min: 0.2,
    range: 50,
    limit: 10,
    decimals: 2,
    cumulative: true,
    corrected: true,
  }),
  a19001: p({
    code: 'a19001',
    medium: 'gas',
    role: 'oxygen',
    base: 7,
    spread: 0.2,
    diurnal: 0.08,
    slowNoise: 0.05,
    fastNoise: 0.02,
    min: 3,
    max: 14,
    range: 25,
    decimals: 2,
    cumulative: false,
    corrected: false,
  }),
  a01012: p({
    code: 'a01012',
    medium: 'gas',
    role: 'condition',
    base: 52,
    spread: 0.3,
    diurnal: 0.04,
    slowNoise: 0.03,
    fastNoise: 0.01,
    min: 20,
    max: 180,
    range: 300,
    decimals: 1,
    cumulative: false,
    corrected: false,
  }),
  a01013: p({
    code: 'a01013',
    medium: 'gas',
    role: 'condition',
    base: -0.25,
    spread: 0.5,
    diurnal: 0.1,
    slowNoise: 0.2,
    fastNoise: 0.05,
    min: -3,
    max: 3,
    range: 10,
    decimals: 3,
    cumulative: false,
    corrected: false,
  }),
  a01011: p({
    code: 'a01011',
    medium: 'gas',
    role: 'condition',
    base: 11,
    spread: 0.3,
    diurnal: 0.2,
    slowNoise: 0.05,
    fastNoise: 0.02,
    min: 2,
    max: 30,
    range: 40,
    decimals: 2,
    cumulative: false,
    corrected: false,
  }),
  a01014: p({
    code: 'a01014',
    medium: 'gas',
    role: 'condition',
    base: 9,
    spread: 0.3,
    diurnal: 0.05,
    slowNoise: 0.05,
    fastNoise: 0.02,
    min: 1,
    max: 30,
    range: 40,
    decimals: 1,
    cumulative: false,
    corrected: false,
  }),
};

/** Default factors of a device whose list names none. */
export const DEFAULT_FACTORS: Readonly<Record<'water' | 'gas', readonly string[]>> = {
  water: ['w00000', 'w01018', 'w21003', 'w21011', 'w21001', 'w01001'],
  gas: ['a00000', 'a21026', 'a21002', 'a34013', 'a19001', 'a01012', 'a01013', 'a01011', 'a01014'],
};

/** Factors a gas model always computes (flow is derived from them), reported or not. */
export const GAS_STATE_FACTORS = ['a19001', 'a01012', 'a01013', 'a01011', 'a01014'] as const;

/**
 * The profile of any code: a known one, or a generic concentration for other HJ 212 codes a device list
 * may name (level 10 in the code's unit, range 100; cumulative when the standard gives an emission unit).
 */
export function factorProfile(code: string, medium: 'water' | 'gas'): FactorProfile {
  const known = FACTOR_PROFILES[code];
  if (known !== undefined) return known;
  const row = factorCode(code);
  return {
    code,
    medium,
    role: 'concentration',
    base: 10,
    spread: 0.4,
    diurnal: 0.12,
    slowNoise: 0.12,
    fastNoise: 0.04,
    min: 0.1,
    max: 60,
    range: 100,
    decimals: 3,
    cumulative: row?.emissionUnit === '千克',
    corrected: medium === 'gas' && row?.unit === '毫克/立方米',
  };
}

/**
 * The profile of a factor at a point whose own limit (the registry's: hourly, else daily) is `limit`:
 * normal data stays under NORMAL_SHARE_OF_LIMIT of that limit, and where it is stricter than the typical one
 * the level comes down with it (a plant under a strict standard runs cleaner, not pinned at its ceiling).
 * Only concentrations take a limit; other roles are returned as they are.
 */
export function profileUnderLimit(profile: FactorProfile, limit: number | undefined): FactorProfile {
  if (limit === undefined || profile.role !== 'concentration' || !(limit > 0)) return profile;
  const typical = profile.limit ?? profile.max / NORMAL_SHARE_OF_LIMIT;
  const own = limited({ ...profile, limit });
  return {
    ...own,
    base: profile.base * Math.min(1, limit / typical),
    min: Math.min(profile.min, own.max / 10),
  };
}
