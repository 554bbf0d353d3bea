import { BEIJING_OFFSET_MS } from '@qingyuan/hj212';
import {
  DEFAULT_FACTORS,
  type FactorProfile,
  factorProfile,
  GAS_STATE_FACTORS,
  profileUnderLimit,
} from './factors.js';
import { gaussian, hashInts, hashText, uniform } from './random.js';

/**
 * The data model (pure). Every device has one underlying series per factor, sampled on a fixed grid of
 * SAMPLE_STEP_MS; real-time values are grid samples, and minute/hour/day Min/Avg/Max/Cou are computed from
 * the same samples, so they are consistent by construction. A sample is a function of (seed, MN, factor,
 * time) only: any period can be recomputed, in any order, with the same result.
 *
 * Formulas (documented in README.md):
 * - Cou of a flow: water Σ Q_i[L/s]·Δt[s] / 1000 → m³; gas Σ Q_i[m³/s]·Δt[s] → m³.
 * - Cou of a pollutant: Σ C_i·Q_i·Δt · 10⁻⁶ → kg (water mg/L × L/s × s = mg; gas mg/m³ × m³/s × s = mg),
 *   i.e. about Avg × Cou(flow) × 10⁻³ for water (mg/L × m³ = g) and × 10⁻⁶ for gas (mg/m³ × m³ = mg); the
 *   emission amount uses the measured, not the 折算, concentration (HJ 75-2017 附录 A, emission rate
 *   G = C × Q × 10⁻⁶).
 * - Zs (折算): C × (21 − O₂ref)/(21 − O₂) (HJ 75-2017 附录 A, formula A9; O₂ref per GB 13223-2011 etc.);
 *   ZsRtd with the same instant's O₂, ZsMin/ZsAvg/ZsMax with the period's average O₂; 21 − O₂ is floored
 *   at 0.5 so ambient air (O₂ ≈ 20.9 %) cannot divide by zero.
 * - Gas flow (standard dry state): Q = v × A × 273/(273 + t) × (101.325 + Ps)/101.325 × (1 − Xsw).
 */

/** The sampling grid: 30 s, the shortest RtdInterval HJ 212-2017 allows (表 C.8, 30–3600 s). */
export const SAMPLE_STEP_MS = 30_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** 21 − O₂ is never taken below this (O₂ ≥ 20.5 % is air, not flue gas). */
export const MIN_OXYGEN_DEFICIT = 0.5;
/** GB 13223-2011 coal-fired boiler reference O₂ (6 %), the default when the outlet gives none. */
export const DEFAULT_REFERENCE_O2 = 6;

export type DeviceKind = 'water' | 'gas';

export interface ModelDevice {
  readonly mn: string;
  readonly kind: DeviceKind;
  /** Reported factors (HJ 212-2017 codes); empty = the kind's defaults. */
  readonly factors: readonly string[];
  /** Reference O₂ (%) for 折算; default 6. */
  readonly referenceO2?: number;
  /** The point's own limits by factor code (`profileUnderLimit`); default the typical ones. */
  readonly limits?: Readonly<Record<string, number>>;
}

export interface DeviceModel {
  readonly mn: string;
  readonly kind: DeviceKind;
  readonly seed: number;
  /** Reported factors, in upload order. */
  readonly factors: readonly FactorProfile[];
  /** Every factor the model computes (reported ones plus those flow is derived from). */
  readonly computed: readonly FactorProfile[];
  readonly referenceO2: number;
  /** Gas: duct cross-section (m²). */
  readonly ductArea: number;
  /** Device level of each computed factor. */
  readonly level: Readonly<Record<string, number>>;
  /** Whether uploads carry Cou (the device measures flow). */
  readonly hasFlow: boolean;
  /** Whether gas pollutants carry Zs values (the device measures O₂). */
  readonly hasOxygen: boolean;
  readonly flowCode: 'w00000' | 'a00000';
}

/** One grid sample: a value and a data flag per computed factor. Scenarios change it in place. */
export interface Sample {
  readonly time: number;
  readonly values: Record<string, number>;
  readonly flags: Record<string, string>;
}

/** A change applied to every sample (instrument calibration, scenarios); must be a function of the sample. */
export type SampleTransform = (sample: Sample, model: DeviceModel) => void;

export function createModel(device: ModelDevice, seed: number): DeviceModel {
  const deviceSeed = hashInts(seed, hashText(device.mn));
  const codes = device.factors.length > 0 ? device.factors : DEFAULT_FACTORS[device.kind];
  const limits = device.limits ?? {};
  const profileOf = (code: string) =>
    profileUnderLimit(
      factorProfile(code, device.kind),
      Object.hasOwn(limits, code) ? limits[code] : undefined,
    );
  const factors = [...new Set(codes)].map(profileOf);
  const flowCode = device.kind === 'water' ? 'w00000' : 'a00000';
  const computedCodes = new Set(factors.map((f) => f.code));
  computedCodes.add(flowCode);
  if (device.kind === 'gas') for (const code of GAS_STATE_FACTORS) computedCodes.add(code);
  // Flow last for gas: it is derived from the state factors.
  const computed = [...computedCodes]
    .map(profileOf)
    .sort((a, b) => Number(a.code === 'a00000') - Number(b.code === 'a00000'));
  const level: Record<string, number> = {};
  computed.forEach((factor, index) => {
    const u = uniform(deviceSeed, 0x1e7e1, hashText(factor.code), index);
    level[factor.code] = factor.base * (1 + factor.spread * (2 * u - 1));
  });
  const reported = new Set(factors.map((f) => f.code));
  return {
    mn: device.mn,
    kind: device.kind,
    seed: deviceSeed,
    factors,
    computed,
    referenceO2: device.referenceO2 ?? DEFAULT_REFERENCE_O2,
    ductArea: 2 + 8 * uniform(deviceSeed, 0xa7ea),
    level,
    hasFlow: reported.has(flowCode),
    hasOxygen: device.kind === 'gas' && reported.has('a19001'),
    flowCode,
  };
}

/** Production load shape in [-1, 1]: Beijing-time diurnal cycle peaking mid-afternoon, weekends lower. */
export function loadShape(time: number): number {
  const beijing = time + BEIJING_OFFSET_MS;
  const hour = (beijing % DAY_MS) / HOUR_MS;
  const weekday = (Math.floor(beijing / DAY_MS) + 4) % 7; // 1970-01-01 was a Thursday (4)
  const daily = Math.sin((2 * Math.PI * (hour - 9)) / 24);
  return weekday === 0 || weekday === 6 ? daily * 0.8 - 0.2 : daily;
}

const SLOW_KNOT_MS = 20 * 60_000;

/** Smooth noise in about [-3.5, 3.5]: random knots every 20 min, cosine-interpolated. */
function slowNoise(seed: number, salt: number, time: number): number {
  const position = time / SLOW_KNOT_MS;
  const knot = Math.floor(position);
  const fraction = position - knot;
  const a = gaussian(seed, salt, 0x51, knot);
  const b = gaussian(seed, salt, 0x51, knot + 1);
  const w = (1 - Math.cos(Math.PI * fraction)) / 2;
  return a * (1 - w) + b * w;
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/** The untransformed sample at a grid instant (time is rounded down to the grid). */
export function baseSample(model: DeviceModel, time: number): Sample {
  const t = Math.floor(time / SAMPLE_STEP_MS) * SAMPLE_STEP_MS;
  const shape = loadShape(t);
  const step = t / SAMPLE_STEP_MS;
  const values: Record<string, number> = {};
  const flags: Record<string, string> = {};
  for (const factor of model.computed) {
    flags[factor.code] = 'N';
    if (factor.code === 'a00000') continue;
    const salt = hashText(factor.code);
    const level = model.level[factor.code] as number;
    // O₂ falls when the load rises (more fuel per unit of air).
    const diurnal = factor.role === 'oxygen' ? -factor.diurnal * shape : factor.diurnal * shape;
    let value =
      level *
      (1 + diurnal) *
      (1 + factor.slowNoise * slowNoise(model.seed, salt, t)) *
      (1 + factor.fastNoise * gaussian(model.seed, salt, step));
    if (factor.code === 'a01013')
      value = level + Math.abs(level) * (diurnal + factor.slowNoise * slowNoise(model.seed, salt, t));
    if (factor.limit !== undefined) value = softCeiling(value, factor.max);
    values[factor.code] = clamp(value, factor.min, factor.max);
  }
  if (model.hasOxygen) {
    // Flue-gas limits apply to the Zs value (折算 to the reference O₂, formula above): keep that under
    // the ceiling too, by lowering the measured value with it.
    const oxygen = values.a19001 as number;
    for (const factor of model.computed) {
      if (!factor.corrected || factor.limit === undefined) continue;
      const measured = values[factor.code] as number;
      const zs = correctedConcentration(measured, oxygen, model.referenceO2);
      const ceiled = softCeiling(zs, factor.max);
      if (ceiled < zs) values[factor.code] = clamp((measured * ceiled) / zs, factor.min, factor.max);
    }
  }
  if (model.kind === 'gas') {
    const flow = factorProfile('a00000', 'gas');
    values.a00000 = clamp(gasFlow(model.ductArea, values), flow.min, flow.max);
  }
  return { time: t, values, flags };
}

/** Where `softCeiling` starts to bend, as a share of the ceiling. */
const KNEE = 0.75;

/**
 * Identity up to KNEE × ceiling, then a tanh curve that approaches the ceiling without reaching it:
 * strictly increasing, so values near the top keep varying (a hard clamp would repeat one value, and
 * repeated values are what the constant-value rule looks for).
 */
export function softCeiling(value: number, ceiling: number): number {
  const knee = KNEE * ceiling;
  if (value <= knee) return value;
  const room = ceiling - knee;
  return knee + room * Math.tanh((value - knee) / room);
}

/** Standard-state dry flue-gas flow (m³/s) from velocity, temperature, static pressure and humidity. */
export function gasFlow(ductArea: number, values: Readonly<Record<string, number>>): number {
  const velocity = values.a01011 ?? 0;
  const temperature = values.a01012 ?? 0;
  const pressure = values.a01013 ?? 0;
  const humidity = values.a01014 ?? 0;
  return (
    velocity *
    ductArea *
    (273 / (273 + temperature)) *
    ((101.325 + pressure) / 101.325) *
    (1 - humidity / 100)
  );
}

/** A sample after the transforms (calibration, scenarios). */
export function sampleAt(model: DeviceModel, time: number, transform?: SampleTransform): Sample {
  const sample = baseSample(model, time);
  transform?.(sample, model);
  return sample;
}

/** 折算 concentration: C × (21 − O₂ref)/(21 − O₂) (HJ 75-2017 附录 A, A9), with 21 − O₂ ≥ 0.5. */
export function correctedConcentration(concentration: number, oxygen: number, referenceO2: number): number {
  return (concentration * (21 - referenceO2)) / Math.max(21 - oxygen, MIN_OXYGEN_DEFICIT);
}

/** kg per (concentration unit × flow unit × s): water mg/L × L/s × s, gas mg/m³ × m³/s × s — both mg. */
export const MASS_FACTOR = 1e-6;
/** m³ per (flow unit × s): water L/s → 10⁻³, gas m³/s → 1. */
export function volumeFactor(kind: DeviceKind): number {
  return kind === 'water' ? 1e-3 : 1;
}

export interface RealtimeValue {
  readonly code: string;
  readonly rtd: number;
  readonly zsRtd?: number;
  readonly flag: string;
}

export interface RealtimeRecord {
  readonly period: 'realtime';
  readonly dataTime: number;
  readonly factors: readonly RealtimeValue[];
}

export interface AggregateValue {
  readonly code: string;
  readonly min: number;
  readonly avg: number;
  readonly max: number;
  readonly cou?: number;
  readonly zsMin?: number;
  readonly zsAvg?: number;
  readonly zsMax?: number;
  readonly flag: string;
}

export type AggregatePeriod = 'minute' | 'hour' | 'day';

export interface AggregateRecord {
  readonly period: AggregatePeriod;
  /** Interval start (HJ 212-2017 表 4: 时间标签为测量开始时间). */
  readonly dataTime: number;
  /** Interval end (exclusive). */
  readonly end: number;
  readonly factors: readonly AggregateValue[];
}

export type ObservationRecord = RealtimeRecord | AggregateRecord;

/** CN 2011: the sample at `time` (grid instant). */
export function realtimeRecord(
  model: DeviceModel,
  time: number,
  transform?: SampleTransform,
): RealtimeRecord {
  const sample = sampleAt(model, time, transform);
  const oxygen = sample.values.a19001 ?? 0;
  const factors = model.factors.map((factor): RealtimeValue => {
    const rtd = sample.values[factor.code] as number;
    const flag = sample.flags[factor.code] ?? 'N';
    if (factor.corrected && model.hasOxygen) {
      return { code: factor.code, rtd, zsRtd: correctedConcentration(rtd, oxygen, model.referenceO2), flag };
    }
    return { code: factor.code, rtd, flag };
  });
  return { period: 'realtime', dataTime: sample.time, factors };
}

/** Sums over grid samples, mergeable (an hour is the merge of its parts, a day the merge of its hours). */
export interface Accumulation {
  readonly count: number;
  readonly sum: Readonly<Record<string, number>>;
  readonly min: Readonly<Record<string, number>>;
  readonly max: Readonly<Record<string, number>>;
  /** Σ value × flow × Δt (pollutants) or Σ flow × Δt (the flow itself), before unit factors. */
  readonly flux: Readonly<Record<string, number>>;
  readonly flags: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** Accumulates the samples of [from, to) (grid instants from the first at or after `from`). */
export function accumulate(
  model: DeviceModel,
  from: number,
  to: number,
  transform?: SampleTransform,
): Accumulation {
  const sum: Record<string, number> = {};
  const min: Record<string, number> = {};
  const max: Record<string, number> = {};
  const flux: Record<string, number> = {};
  const flags: Record<string, Record<string, number>> = {};
  for (const factor of model.computed) {
    sum[factor.code] = 0;
    min[factor.code] = Number.POSITIVE_INFINITY;
    max[factor.code] = Number.NEGATIVE_INFINITY;
    flux[factor.code] = 0;
    flags[factor.code] = {};
  }
  let count = 0;
  const first = Math.ceil(from / SAMPLE_STEP_MS) * SAMPLE_STEP_MS;
  const stepSeconds = SAMPLE_STEP_MS / 1000;
  for (let t = first; t < to; t += SAMPLE_STEP_MS) {
    const sample = sampleAt(model, t, transform);
    const flow = sample.values[model.flowCode] ?? 0;
    count++;
    for (const factor of model.computed) {
      const code = factor.code;
      const value = sample.values[code] as number;
      sum[code] = (sum[code] as number) + value;
      if (value < (min[code] as number)) min[code] = value;
      if (value > (max[code] as number)) max[code] = value;
      flux[code] = (flux[code] as number) + (code === model.flowCode ? flow : value * flow) * stepSeconds;
      const flag = sample.flags[code] ?? 'N';
      const counts = flags[code] as Record<string, number>;
      counts[flag] = (counts[flag] ?? 0) + 1;
    }
  }
  return { count, sum, min, max, flux, flags };
}

/** The union of accumulations (of adjacent periods). */
export function mergeAccumulations(parts: readonly Accumulation[]): Accumulation {
  const sum: Record<string, number> = {};
  const min: Record<string, number> = {};
  const max: Record<string, number> = {};
  const flux: Record<string, number> = {};
  const flags: Record<string, Record<string, number>> = {};
  let count = 0;
  for (const part of parts) {
    count += part.count;
    for (const code of Object.keys(part.sum)) {
      sum[code] = (sum[code] ?? 0) + (part.sum[code] as number);
      min[code] = Math.min(min[code] ?? Number.POSITIVE_INFINITY, part.min[code] as number);
      max[code] = Math.max(max[code] ?? Number.NEGATIVE_INFINITY, part.max[code] as number);
      flux[code] = (flux[code] ?? 0) + (part.flux[code] as number);
      const counts = flags[code] ?? {};
      flags[code] = counts;
      for (const [flag, n] of Object.entries(part.flags[code] ?? {})) counts[flag] = (counts[flag] ?? 0) + n;
    }
  }
  return { count, sum, min, max, flux, flags };
}

/**
 * The data flag of an aggregate (HJ 212-2017 notes to 表 C.16–C.18): water — one abnormal value marks the
 * aggregate abnormal; flue gas — at least 75 % normal values give N. The abnormal flag given is the most
 * frequent one (the notes say D for flue gas; a maintenance hour then still reads M).
 */
export function aggregateFlag(kind: DeviceKind, counts: Readonly<Record<string, number>>): string {
  let total = 0;
  let worst = 'N';
  let worstCount = 0;
  for (const [flag, n] of Object.entries(counts)) {
    total += n;
    if (flag !== 'N' && n > worstCount) {
      worst = flag;
      worstCount = n;
    }
  }
  if (worstCount === 0) return 'N';
  if (kind === 'gas' && (counts.N ?? 0) >= 0.75 * total) return 'N';
  return worst;
}

/** The record of an accumulated period; undefined when it holds no sample. */
export function aggregateRecord(
  model: DeviceModel,
  period: AggregatePeriod,
  from: number,
  to: number,
  accumulation: Accumulation,
): AggregateRecord | undefined {
  const n = accumulation.count;
  if (n === 0) return undefined;
  const oxygenAvg = (accumulation.sum.a19001 ?? 0) / n;
  const factors = model.factors.map((factor): AggregateValue => {
    const code = factor.code;
    const avg = (accumulation.sum[code] as number) / n;
    const min = accumulation.min[code] as number;
    const max = accumulation.max[code] as number;
    const flag = aggregateFlag(model.kind, accumulation.flags[code] ?? {});
    const flux = accumulation.flux[code] as number;
    const cou = !model.hasFlow
      ? undefined
      : code === model.flowCode
        ? flux * volumeFactor(model.kind)
        : factor.cumulative
          ? flux * MASS_FACTOR
          : undefined;
    const value: AggregateValue = { code, min, avg, max, flag, ...(cou === undefined ? {} : { cou }) };
    if (!factor.corrected || !model.hasOxygen) return value;
    const zs = (c: number) => correctedConcentration(c, oxygenAvg, model.referenceO2);
    return { ...value, zsMin: zs(min), zsAvg: zs(avg), zsMax: zs(max) };
  });
  return { period, dataTime: from, end: to, factors };
}

/** Accumulates and summarises [from, to) in one call. */
export function periodRecord(
  model: DeviceModel,
  period: AggregatePeriod,
  from: number,
  to: number,
  transform?: SampleTransform,
): AggregateRecord | undefined {
  return aggregateRecord(model, period, from, to, accumulate(model, from, to, transform));
}

/** Start of the Beijing day containing `time`. */
export function beijingDayStart(time: number): number {
  return Math.floor((time + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
}
