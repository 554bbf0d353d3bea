/**
 * Emission amounts (排放量): hourly emissions of flue gas and loads of wastewater, their sums over Beijing
 * days, months, quarters and years, and the HJ 75-2017 substitution (修约) of emission amounts for invalid
 * periods.
 *
 * Units: gas concentration mg/m³ (measured, dry, standard state), gas flow m³/h (standard, dry), water
 * concentration mg/L, water volume m³; every amount in kg.
 */
import { DomainError } from './errors.js';
import { type CalendarUnit, HOUR_MS, periodOf } from './time.js';

function input(ok: boolean, field: string, value: unknown, why: string) {
  if (!ok) throw new DomainError('DOMAIN_E_INPUT', { field, value, reason: why });
}

/**
 * Emission rate G (kg/h) = C × Q_sn × 10⁻⁶. HJ 75-2017 附录 A [M; practice P]: C is the **measured (实测)
 * dry standard** concentration (mg/m³), not the 折算 value — 折算 serves limit comparison only; Q_sn the
 * standard dry flow (m³/h). mg/m³ × m³/h = mg/h; × 10⁻⁶ = kg/h.
 */
export function emissionRateKgPerHour(
  measuredDryStandardMgPerM3: number,
  standardDryFlowM3PerHour: number,
): number {
  return measuredDryStandardMgPerM3 * standardDryFlowM3PerHour * 1e-6;
}

/** Hourly emission (kg) = G × 1 h (or × `hours` for a partial or longer period). */
export function hourlyEmissionKg(
  measuredDryStandardMgPerM3: number,
  standardDryFlowM3PerHour: number,
  hours = 1,
): number {
  return emissionRateKgPerHour(measuredDryStandardMgPerM3, standardDryFlowM3PerHour) * hours;
}

/**
 * Wastewater load (kg) = C (mg/L) × V (m³) × 10⁻³: mg/L = g/m³, so mg/L × m³ = g; / 1000 = kg.
 * HJ 356-2019 [M].
 */
export function waterLoadKg(concentrationMgPerL: number, volumeM3: number): number {
  return concentrationMgPerL * volumeM3 * 1e-3;
}

/** One hour's emission (or load), by its Beijing hour start. */
export interface HourlyEmission {
  readonly start: number;
  readonly kg: number;
}

export interface EmissionTotal {
  readonly from: number;
  readonly to: number;
  readonly kg: number;
  /** Hours summed. */
  readonly hours: number;
}

/**
 * Sums of hourly emissions per Beijing calendar period (days, months, quarters, years are sums of the
 * hourly values — HJ 75-2017 附录 A [M]). Sorted by period; periods without hours are absent.
 */
export function sumEmissions(hourly: readonly HourlyEmission[], unit: CalendarUnit): EmissionTotal[] {
  const byPeriod = new Map<number, { from: number; to: number; kg: number; hours: number }>();
  for (const h of hourly) {
    input(Number.isFinite(h.kg), 'kg', h.kg, 'must be a finite number');
    const p = periodOf(unit, h.start);
    const t = byPeriod.get(p.from);
    if (t === undefined) byPeriod.set(p.from, { from: p.from, to: p.to, kg: h.kg, hours: 1 });
    else {
      t.kg += h.kg;
      t.hours++;
    }
  }
  return [...byPeriod.values()].sort((a, b) => a.from - b.from);
}

export type InvalidCause = 'out-of-control' | 'maintenance' | 'other';

export interface SubstitutionInput {
  /** The consecutive invalid period [from, to), and why it is invalid. */
  readonly invalidRun: { readonly from: number; readonly to: number; readonly cause: InvalidCause };
  /** Hourly emissions of valid hours (any order; only those ending before the cut-off are used). */
  readonly history: readonly HourlyEmission[];
  /** The quarter's 有效数据捕集率 α as a fraction (transmission-counts.ts `captureRate`). */
  readonly alpha: number;
  /**
   * 失控: the last calibration (校准/校验) that passed before the out-of-control period. History is taken
   * before it. Default `invalidRun.from` (the 失控 period starts at the last passed check).
   */
  readonly lastCalibrationAt?: number;
}

export type Substitution =
  | {
      readonly status: 'substituted';
      /** Substitute emission of every invalid hour, kg. */
      readonly hourlyKg: number;
      /** hourlyKg × invalidHours, kg. */
      readonly totalKg: number;
      readonly invalidHours: number;
      /** The number of valid hours before the cut-off the maximum is taken over: 180, 720 or 2160. */
      readonly window: 180 | 720 | 2160;
      /** Valid hours actually found in the window (fewer than `window` when history is short). */
      readonly historyHours: number;
      readonly shortHistory: boolean;
      /** History is taken before this instant. */
      readonly cutoff: number;
      readonly rule: string;
    }
  | { readonly status: 'not-covered'; readonly invalidHours: number; readonly reason: string };

/**
 * Substitute emission amounts for an invalid period, HJ 75-2017 §11 (数据审核和处理) [M; the same table is
 * implemented in practice, P]. Applies to the SO₂/NOx/PM emission amount, never to concentrations.
 *
 * | cause                | α          | N consecutive invalid h | substitute hourly emission               |
 * | 失控 out-of-control  | ≥ 90 %     | ≤ 24                    | max of the 180 valid h before last calib. |
 * | 失控                 | ≥ 90 %     | > 24                    | max of the 720 valid h before last calib. |
 * | 失控                 | 75–90 %    | any                     | max of the 2160 valid h before last calib.|
 * | maintenance / other  | ≥ 90 %     | ≤ 24                    | max of the 180 valid h before the period  |
 * | maintenance / other  | ≥ 90 %     | > 24                    | max of the 720 valid h before the period  |
 * | maintenance / other  | 75–90 %    | any                     | max of the 2160 valid h before the period |
 *
 * α < 75 % is not covered by the table as known: 'not-covered' with a reason, no invented value. A short
 * history (fewer valid hours than the window) uses the hours there are and says so [Proposal]; no valid
 * hour at all is 'not-covered'.
 */
export function substituteEmission(args: SubstitutionInput): Substitution {
  const { invalidRun, history, alpha } = args;
  input(invalidRun.to > invalidRun.from, 'invalidRun', invalidRun, 'to must be after from');
  input(Number.isFinite(alpha) && alpha >= 0 && alpha <= 1, 'alpha', alpha, 'a fraction in [0, 1]');
  const invalidHours = Math.ceil((invalidRun.to - invalidRun.from) / HOUR_MS);

  if (alpha < 0.75) {
    return {
      status: 'not-covered',
      invalidHours,
      reason: `capture rate ${(alpha * 100).toFixed(1)} % < 75 %: HJ 75-2017 substitution table does not cover it`,
    };
  }
  const window = alpha < 0.9 ? 2160 : invalidHours <= 24 ? 180 : 720;
  const outOfControl = invalidRun.cause === 'out-of-control';
  const cutoff = outOfControl ? (args.lastCalibrationAt ?? invalidRun.from) : invalidRun.from;
  input(
    cutoff <= invalidRun.from,
    'lastCalibrationAt',
    args.lastCalibrationAt,
    'after the invalid period starts',
  );

  const seen = new Set<number>();
  const before: HourlyEmission[] = [];
  for (const h of history) {
    input(Number.isFinite(h.kg) && h.kg >= 0, 'history.kg', h.kg, 'a finite amount ≥ 0');
    input(!seen.has(h.start), 'history.start', h.start, 'duplicate hour');
    seen.add(h.start);
    if (h.start + HOUR_MS <= cutoff) before.push(h);
  }
  before.sort((a, b) => b.start - a.start);
  const used = before.slice(0, window);
  if (used.length === 0) {
    return {
      status: 'not-covered',
      invalidHours,
      reason: 'no valid hour before the cut-off to substitute from',
    };
  }
  const hourlyKg = Math.max(...used.map((h) => h.kg));
  const basis = outOfControl ? 'before the last calibration' : 'before the invalid period';
  return {
    status: 'substituted',
    hourlyKg,
    totalKg: hourlyKg * invalidHours,
    invalidHours,
    window,
    historyHours: used.length,
    shortHistory: used.length < window,
    cutoff,
    rule: `HJ 75-2017 §11: ${invalidRun.cause}, α ${(alpha * 100).toFixed(1)} %, ${invalidHours} h → max of ${window} valid hours ${basis}`,
  };
}
