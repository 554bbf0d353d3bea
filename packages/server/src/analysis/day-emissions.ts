import {
  emissionRateKgPerHour,
  hourVolume,
  type Reading,
  type RuleConfig,
  type Validity,
  waterLoadKg,
} from '@qingyuan/domain';
import type { EmissionHour } from '@qingyuan/store';
import type { PointContext } from './point-context.js';

const FLOW = { water: 'w00000', gas: 'a00000' } as const;
/** Not pollutants: flue-gas state parameters, water pH and temperature. */
const NOT_EMITTED = new Set(['a19001', 'a01011', 'a01012', 'a01013', 'a01014', 'w01001', 'w01010']);

/**
 * Hourly emissions of one point-day (amended view). Gas: measured dry standard concentration (mg/m³) ×
 * the hour's standard dry flow volume (m³) × 10⁻⁶ = kg (HJ 75-2017 附录 A [M]; the measured, not the 折算,
 * concentration). Water: concentration (mg/L) × the hour's volume (m³, from the flow's Cou, else its mean
 * in L/s) × 10⁻³ = kg (HJ 356-2019 [M]). Without a usable flow the device's own Cou (kg) is taken. An
 * hour whose concentration or flow is not valid has no amount (`invalid`; HJ 75 §11 substitution is to
 * come); stopped (excluded) hours are not listed.
 */
export function dayEmissions(
  context: PointContext,
  hours: readonly Reading[],
  validity: (reading: Reading) => Validity,
  rules: RuleConfig,
  now: number,
): EmissionHour[] {
  const flowFactor = FLOW[context.medium];
  const flows = new Map(hours.filter((r) => r.factor === flowFactor).map((r) => [r.start, r]));
  const out: EmissionHour[] = [];
  for (const reading of hours) {
    if (reading.factor === flowFactor || NOT_EMITTED.has(reading.factor)) continue;
    const own = validity(reading);
    if (own === 'excluded') continue;
    const flow = flows.get(reading.start);
    const flowValid = flow !== undefined && validity(flow) === 'valid';
    const volume = flow === undefined ? null : hourVolume(flow, context.medium === 'water' ? 'L/s' : 'm3/h');
    const row = {
      point_id: context.pointId,
      factor_code: reading.factor,
      period_start: reading.start,
      rule_version: rules.version,
      computed_at: now,
    };
    if (own !== 'valid' || (flow !== undefined && !flowValid)) {
      out.push({ ...row, kg: null, basis: 'invalid', volume_m3: volume });
    } else if (reading.value !== null && volume !== null) {
      const kg =
        context.medium === 'gas'
          ? emissionRateKgPerHour(reading.value, volume)
          : waterLoadKg(reading.value, volume);
      out.push({ ...row, kg: Math.max(0, kg), basis: 'measured', volume_m3: volume });
    } else if (typeof reading.cou === 'number' && Number.isFinite(reading.cou)) {
      out.push({ ...row, kg: Math.max(0, reading.cou), basis: 'device', volume_m3: null });
    }
  }
  return out;
}
