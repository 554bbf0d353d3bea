/**
 * Flue-gas conversions, HJ 75-2017 附录 A (also HJ 1045-2019 附录 A), formulas A1–A9.
 * Confidence: the formula chain is [P] (C3 in the regulatory notes) and matches memory of the standard
 * [M]; verify against the PDF. Standard state = 273 K, 101 325 Pa.
 *
 * Units: concentrations mg/m³ (or ppm for A3's input); temperatures °C; pressures Pa; moisture Xsw and
 * O₂ as given below; flows m³/h.
 */
import { DEFAULT_RULES, type RuleConfig } from './config.js';
import { DomainError } from './errors.js';
import type { Reading } from './records.js';

export const STANDARD_PRESSURE_PA = 101_325;
export const STANDARD_TEMPERATURE_K = 273;
/** Molar volume of an ideal gas at standard state, L/mol (HJ 75-2017 附录 A, A3 [M]). */
export const MOLAR_VOLUME_L = 22.4;
/** O₂ in dry air, % (the 21 of A8 and A9). */
export const AIR_OXYGEN_PERCENT = 21;

/**
 * Molar masses (g/mol) used by A3, rounded as the standard and practice round them [M]: SO₂ 64 (64/22.4 =
 * 2.86), NO₂ 46 (2.05), NO 30 (1.34), CO 28 (1.25). Override per deployment if a method fixes others.
 */
export const MOLAR_MASS: Readonly<Record<string, number>> = {
  SO2: 64,
  NO2: 46,
  NO: 30,
  CO: 28,
  CO2: 44,
  H2S: 34,
  NH3: 17,
  HCl: 36.5,
  O2: 32,
};

function input(ok: boolean, field: string, value: unknown, why: string) {
  if (!ok) throw new DomainError('DOMAIN_E_INPUT', { field, value, reason: why });
}

/** Flue-gas state at the measuring point. */
export interface FlueGasState {
  /** Flue-gas temperature ts, °C. */
  readonly temperatureC: number;
  /** Atmospheric pressure Ba, Pa. */
  readonly atmosphericPa: number;
  /** Static pressure of the flue gas Ps, Pa (relative; may be negative). */
  readonly staticPa: number;
}

function absolutePressure(s: FlueGasState): number {
  const p = s.atmosphericPa + s.staticPa;
  input(Number.isFinite(p) && p > 0, 'atmosphericPa+staticPa', p, 'absolute pressure must be > 0 Pa');
  input(s.temperatureC > -STANDARD_TEMPERATURE_K, 'temperatureC', s.temperatureC, 'below absolute zero');
  return p;
}

/**
 * A1, actual → standard state on the same wet/dry basis:
 * C_sn = C_s × 101325 / (Ba + Ps) × (273 + ts) / 273.
 */
export function toStandardState(actual: number, state: FlueGasState): number {
  const p = absolutePressure(state);
  return (
    ((actual * STANDARD_PRESSURE_PA) / p) *
    ((STANDARD_TEMPERATURE_K + state.temperatureC) / STANDARD_TEMPERATURE_K)
  );
}

/** A2, wet → dry basis: C_dry = C_wet / (1 − Xsw); Xsw = moisture volume fraction, 0 ≤ Xsw < 1. */
export function wetToDry(wet: number, moistureFraction: number): number {
  input(
    moistureFraction >= 0 && moistureFraction < 1,
    'moistureFraction',
    moistureFraction,
    'fraction in [0, 1)',
  );
  return wet / (1 - moistureFraction);
}

/**
 * A3, volume fraction → mass concentration at standard state: C (mg/m³) = M / 22.4 × C_v (µmol/mol, ppm).
 * `gas` is a key of {@link MOLAR_MASS} or a molar mass in g/mol.
 */
export function ppmToMgPerM3(ppm: number, gas: string | number): number {
  const m = typeof gas === 'number' ? gas : MOLAR_MASS[gas];
  input(m !== undefined && m > 0, 'gas', gas, 'unknown gas: give a molar mass in g/mol');
  return ((m as number) / MOLAR_VOLUME_L) * ppm;
}

/** Inverse of A3. */
export function mgPerM3ToPpm(mg: number, gas: string | number): number {
  return mg / ppmToMgPerM3(1, gas);
}

/**
 * A4, NOx expressed as NO₂ (HJ 75-2017 附录 A; HJ 76-2017 附录 B: NOx reported as NO₂ [V, S1]):
 * C_NOx = C_NO × 46/30 + C_NO₂, both in mg/m³ at standard state.
 */
export function noxAsNO2(noMgPerM3: number, no2MgPerM3: number): number {
  return noMgPerM3 * ((MOLAR_MASS.NO2 as number) / (MOLAR_MASS.NO as number)) + no2MgPerM3;
}

/** Result of a 折算: a value, or why none is computed. */
export type Corrected =
  | { readonly value: number; readonly reason?: undefined }
  | {
      readonly value: undefined;
      readonly reason: string;
    };

const DILUTION = 'dilution / O₂ near ambient';

function oxygenGuard(o2: number, field: string, config: RuleConfig): string | undefined {
  input(Number.isFinite(o2) && o2 >= 0, field, o2, 'O₂ must be ≥ 0 %');
  // [Proposal] 21 − O₂ → 0 makes every correction explode; at or above the ceiling we refuse (§1.1, §4).
  if (o2 >= config.oxygenCeiling || o2 >= AIR_OXYGEN_PERCENT) return `${DILUTION} (O₂ ${o2} %)`;
  return undefined;
}

/**
 * A8, excess-air coefficient α = 21 / (21 − O₂), O₂ dry-basis %. Undefined at or above the ceiling.
 */
export function excessAirCoefficient(o2Percent: number, config: RuleConfig = DEFAULT_RULES): Corrected {
  const guard = oxygenGuard(o2Percent, 'o2Percent', config);
  if (guard !== undefined) return { value: undefined, reason: guard };
  return { value: AIR_OXYGEN_PERCENT / (AIR_OXYGEN_PERCENT - o2Percent) };
}

/** A7, 折算 by coefficient: C_折 = C_sn,dry × α / α_s (α_s: the standard's reference coefficient). */
export function correctByCoefficient(dryStandard: number, alpha: number, referenceAlpha: number): number {
  input(alpha > 0, 'alpha', alpha, 'must be > 0');
  input(referenceAlpha > 0, 'referenceAlpha', referenceAlpha, 'must be > 0');
  return (dryStandard * alpha) / referenceAlpha;
}

/**
 * A9, 折算 to reference O₂: C_折 = C_sn,dry × (21 − O₂_ref) / (21 − O₂_meas), O₂ dry-basis %. Reference O₂
 * is per emission standard and outlet (e.g. GB 13223-2011 coal 6 % [M]) and must be configured, not
 * assumed. O₂_meas at or above `config.oxygenCeiling` → undefined, reason 'dilution / O₂ near ambient'.
 */
export function correctToReferenceO2(
  dryStandard: number,
  measuredO2: number,
  referenceO2: number,
  config: RuleConfig = DEFAULT_RULES,
): Corrected {
  input(
    Number.isFinite(referenceO2) && referenceO2 >= 0 && referenceO2 < AIR_OXYGEN_PERCENT,
    'referenceO2',
    referenceO2,
    'reference O₂ in [0, 21) %',
  );
  const guard = oxygenGuard(measuredO2, 'measuredO2', config);
  if (guard !== undefined) return { value: undefined, reason: guard };
  return {
    value: (dryStandard * (AIR_OXYGEN_PERCENT - referenceO2)) / (AIR_OXYGEN_PERCENT - measuredO2),
  };
}

/**
 * Standard dry flow [M]: Q_sn = Q_s × 273 / (273 + ts) × (Ba + Ps) / 101325 × (1 − Xsw); Q_s the actual
 * (wet, working-state) flow in m³/h.
 */
export function standardDryFlow(actualFlow: number, state: FlueGasState, moistureFraction: number): number {
  const p = absolutePressure(state);
  input(
    moistureFraction >= 0 && moistureFraction < 1,
    'moistureFraction',
    moistureFraction,
    'fraction in [0, 1)',
  );
  return (
    ((actualFlow * STANDARD_TEMPERATURE_K) / (STANDARD_TEMPERATURE_K + state.temperatureC)) *
    (p / STANDARD_PRESSURE_PA) *
    (1 - moistureFraction)
  );
}

export interface CorrectedCheck {
  /** Our A9 value from the reading's measured value and O₂; undefined when it cannot be computed. */
  readonly ours: number | undefined;
  /** The device's ZsAvg/ZsRtd (`corrected`); null when not sent. */
  readonly device: number | null;
  /** undefined when either side is missing. */
  readonly agrees: boolean | undefined;
  readonly reason: string;
}

/**
 * Recompute the device's 折算 value and compare (anomaly "折算与实测不符", §4 [Proposal]). The pollutant
 * reading's `value` is the measured dry standard concentration and the O₂ reading's `value` the dry O₂ %
 * of the same period. Agreement: |device − ours| ≤ tolerance × |ours| (relative; default
 * `config.recomputeTolerance`). No absolute allowance for the rounding of sent decimals is modelled.
 */
export function recomputeCorrected(
  pollutant: Reading,
  o2: Reading,
  referenceO2: number,
  tolerance: number = DEFAULT_RULES.recomputeTolerance,
  config: RuleConfig = DEFAULT_RULES,
): CorrectedCheck {
  const device = pollutant.corrected ?? null;
  if (pollutant.value === null || !Number.isFinite(pollutant.value)) {
    return { ours: undefined, device, agrees: undefined, reason: 'no measured value' };
  }
  if (o2.value === null || !Number.isFinite(o2.value)) {
    return { ours: undefined, device, agrees: undefined, reason: 'no O₂ value' };
  }
  const c = correctToReferenceO2(pollutant.value, o2.value, referenceO2, config);
  if (c.value === undefined) return { ours: undefined, device, agrees: undefined, reason: c.reason };
  if (device === null || !Number.isFinite(device)) {
    return { ours: c.value, device: null, agrees: undefined, reason: 'no device 折算 value' };
  }
  const diff = Math.abs(device - c.value);
  const agrees = diff <= tolerance * Math.abs(c.value);
  return {
    ours: c.value,
    device,
    agrees,
    reason: agrees ? 'agrees' : `device ${device} vs ours ${c.value} (±${tolerance * 100} %)`,
  };
}
