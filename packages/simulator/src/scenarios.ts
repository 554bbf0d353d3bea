import { type CrcVariant, isCrcVariant, type ProtocolVersion } from '@qingyuan/hj212';
import { SimulatorError } from './errors.js';
import type { DeviceModel, Sample, SampleTransform } from './model.js';
import { baseSample, HOUR_MS } from './model.js';
import { uniform } from './random.js';

/**
 * The scenario library: each scenario is applied to one device (or '*') during a window of simulated time
 * [from, to) (open ends allowed). Sample scenarios are pure transformations of grid samples, so every
 * record (2011 and the 2051/2061/2031 aggregates) shows them consistently; frame scenarios change how a
 * frame is written; connection and clock scenarios change the logger's behaviour.
 */
export const SCENARIO_NAMES = [
  'offline',
  'packet-loss',
  'constant-value',
  'zero-value',
  'negative-value',
  'over-range',
  'exceedance',
  'sudden-change',
  'flow-mismatch',
  'dilution',
  'parameter-tampering',
  'maintenance',
  'calibration',
  'fault',
  'clock-drift',
  'wrong-password',
  'modbus-crc',
  'dialect-2005',
  'split',
  'garbage',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

type OptionType = 'number' | 'text' | 'factors';

export interface ScenarioDefinition {
  readonly name: ScenarioName;
  readonly layer: 'sample' | 'frame' | 'connection' | 'clock';
  /** One line: what the platform sees. */
  readonly description: string;
  readonly options: Readonly<Record<string, OptionType>>;
}

const FACTORS = { factors: 'factors' } as const;

const define = (
  name: ScenarioName,
  layer: ScenarioDefinition['layer'],
  description: string,
  options: Record<string, OptionType> = {},
): ScenarioDefinition => ({ name, layer, description, options });

export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioDefinition>> = {
  offline: define(
    'offline',
    'connection',
    'The logger is disconnected and does not reconnect; records of the window are kept in its history only.',
  ),
  'packet-loss': define(
    'packet-loss',
    'frame',
    'Uploads are lost on the way with probability p (default 0.3); unacknowledged ones are resent.',
    { p: 'number' },
  ),
  'constant-value': define(
    'constant-value',
    'sample',
    'Values freeze (恒值): the value at the window start, or `value`.',
    {
      ...FACTORS,
      value: 'number',
    },
  ),
  'zero-value': define('zero-value', 'sample', 'Values read 0 (零值).', FACTORS),
  'negative-value': define(
    'negative-value',
    'sample',
    'Values turn negative (负值): −scale × value (scale default 0.5).',
    {
      ...FACTORS,
      scale: 'number',
    },
  ),
  'over-range': define(
    'over-range',
    'sample',
    'Values exceed the instrument range (i13001) by 5–25 % and carry flag T (超量程).',
    FACTORS,
  ),
  exceedance: define(
    'exceedance',
    'sample',
    'Concentrations exceed the limit (`limit`, default the typical one): limit × max(1.1, ratio × value/level) (ratio default 1.6).',
    { ...FACTORS, ratio: 'number', limit: 'number' },
  ),
  'sudden-change': define(
    'sudden-change',
    'sample',
    'Values jump by `factor` (default 4) for the window (突变).',
    { ...FACTORS, factor: 'number' },
  ),
  'flow-mismatch': define(
    'flow-mismatch',
    'sample',
    'Flow reads 0 while concentrations go on (mode=no-flow, default), or concentrations 0 with flow (mode=no-concentration).',
    { mode: 'text' },
  ),
  dilution: define(
    'dilution',
    'sample',
    'Air dilution: O₂ rises to `o2` (default 20.0 %) and measured concentrations fall by (21 − O₂new)/(21 − O₂).',
    { o2: 'number' },
  ),
  'parameter-tampering': define(
    'parameter-tampering',
    'sample',
    'Instrument parameters changed: value × slope + intercept (default slope 0.6), uploaded as 3020 i13008/i13007 (and i13001 `range`).',
    { ...FACTORS, slope: 'number', intercept: 'number', range: 'number' },
  ),
  maintenance: define(
    'maintenance',
    'sample',
    'Data flagged M (维护) and the instrument state i12001 = 1, announced by 3020.',
    FACTORS,
  ),
  calibration: define(
    'calibration',
    'sample',
    'Data flagged C (校准) and i12001 = 3, announced by 3020.',
    FACTORS,
  ),
  fault: define('fault', 'sample', 'Data flagged D (故障) and i12001 = 2, announced by 3020.', FACTORS),
  'clock-drift': define(
    'clock-drift',
    'clock',
    'The logger clock runs fast by `rate` seconds per simulated hour (default 30; negative = slow) until set by 1012.',
    { rate: 'number' },
  ),
  'wrong-password': define(
    'wrong-password',
    'frame',
    'Uploads carry a wrong PW (`password`, default the right one with its last character changed).',
    { password: 'text' },
  ),
  'modbus-crc': define(
    'modbus-crc',
    'frame',
    'Frames are signed with CRC-16/MODBUS (`variant` modbus or modbus-swapped) instead of the 附录 A CRC.',
    { variant: 'text' },
  ),
  'dialect-2005': define(
    'dialect-2005',
    'frame',
    'Frames are written in HJ/T 212-2005: 2005 factor codes, Flag version 0 (`bare=1`: no QN, no Flag, hence no 9014).',
    { bare: 'number' },
  ),
  split: define(
    'split',
    'frame',
    'Uploads are split into sub-packets (Flag.D, PNUM/PNO) of at most `size` bytes (default 200).',
    { size: 'number' },
  ),
  garbage: define(
    'garbage',
    'frame',
    'Junk bytes are written before frames with probability p (default 1).',
    { p: 'number' },
  ),
};

/** A scenario applied to a device (MN, or '*' for every device) during [from, to) of simulated time. */
export interface ScenarioSpec {
  readonly scenario: ScenarioName;
  readonly device: string;
  readonly from?: number;
  readonly to?: number;
  readonly options?: Readonly<Record<string, string | number>>;
}

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

/** Whether a scenario is in force at simulated time t. */
export function isActive(spec: ScenarioSpec, t: number): boolean {
  return (spec.from === undefined || t >= spec.from) && (spec.to === undefined || t < spec.to);
}

/** The scenarios that apply to one device. */
export function scenariosFor(mn: string, scenarios: readonly ScenarioSpec[]): ScenarioSpec[] {
  return scenarios.filter((spec) => spec.device === '*' || spec.device === mn);
}

const numberOption = (spec: ScenarioSpec, key: string, fallback: number): number => {
  const value = spec.options?.[key];
  return typeof value === 'number' ? value : fallback;
};
const textOption = (spec: ScenarioSpec, key: string): string | undefined => {
  const value = spec.options?.[key];
  return value === undefined ? undefined : String(value);
};

/** The factors a sample scenario changes: `factors=` or, by default, the reported concentrations (all reported factors for flag scenarios). */
export function targetFactors(spec: ScenarioSpec, model: DeviceModel): string[] {
  const listed = textOption(spec, 'factors');
  if (listed !== undefined && listed !== 'all')
    return listed.split(/[,;|]/).filter((code) => code.length > 0);
  const flagsOnly =
    spec.scenario === 'maintenance' || spec.scenario === 'calibration' || spec.scenario === 'fault';
  return model.factors
    .filter((factor) => listed === 'all' || flagsOnly || factor.role === 'concentration')
    .map((factor) => factor.code);
}

/** Instrument state i12001 (HJ 212-2017 表 B.10) in force: 0 running, 1 maintenance, 2 fault, 3 calibration. */
export function instrumentState(
  scenarios: readonly ScenarioSpec[],
  model: DeviceModel,
  code: string,
  t: number,
): number {
  let state = 0;
  for (const spec of scenarios) {
    if (!isActive(spec, t)) continue;
    const value =
      spec.scenario === 'maintenance'
        ? 1
        : spec.scenario === 'fault'
          ? 2
          : spec.scenario === 'calibration'
            ? 3
            : 0;
    if (value !== 0 && targetFactors(spec, model).includes(code)) state = value;
  }
  return state;
}

export interface InstrumentParameters {
  /** i13001 测量量程 (upper value). */
  readonly measuringRange: number;
  /** i13007 截距. */
  readonly intercept: number;
  /** i13008 斜率. */
  readonly slope: number;
}

/** Parameters as changed by a tampering scenario in force, or undefined. */
export function tamperedParameters(
  scenarios: readonly ScenarioSpec[],
  model: DeviceModel,
  code: string,
  t: number,
  filed: InstrumentParameters,
): InstrumentParameters | undefined {
  for (const spec of scenarios) {
    if (
      spec.scenario !== 'parameter-tampering' ||
      !isActive(spec, t) ||
      !targetFactors(spec, model).includes(code)
    )
      continue;
    return {
      measuringRange: numberOption(spec, 'range', filed.measuringRange),
      intercept: numberOption(spec, 'intercept', filed.intercept),
      slope: numberOption(spec, 'slope', 0.6),
    };
  }
  return undefined;
}

function applySample(spec: ScenarioSpec, sample: Sample, model: DeviceModel): void {
  const values = sample.values;
  const codes = targetFactors(spec, model);
  const each = (fn: (code: string, value: number) => number) => {
    for (const code of codes) {
      const value = values[code];
      if (value !== undefined) values[code] = fn(code, value);
    }
  };
  const profile = (code: string) => model.computed.find((factor) => factor.code === code);
  switch (spec.scenario) {
    case 'constant-value': {
      const fixed = spec.options?.value;
      const origin = spec.from === undefined ? undefined : baseSample(model, spec.from);
      each((code) =>
        typeof fixed === 'number' ? fixed : (origin?.values[code] ?? (model.level[code] as number)),
      );
      return;
    }
    case 'zero-value':
      each(() => 0);
      return;
    case 'negative-value': {
      const scale = numberOption(spec, 'scale', 0.5);
      each((_, value) => -Math.abs(value) * scale - 0.01);
      return;
    }
    case 'over-range':
      each((code) => {
        sample.flags[code] = 'T';
        const range = profile(code)?.range ?? 100;
        return range * (1.05 + 0.2 * uniform(model.seed, 0x0e5, sample.time));
      });
      return;
    case 'exceedance': {
      const ratio = numberOption(spec, 'ratio', 1.6);
      each((code, value) => {
        const factor = profile(code);
        const limit = numberOption(spec, 'limit', factor?.limit ?? (factor?.range ?? 100) / 2);
        const level = model.level[code] ?? value;
        return limit * Math.max(1.1, (ratio * value) / level);
      });
      return;
    }
    case 'sudden-change': {
      const factor = numberOption(spec, 'factor', 4);
      each((_, value) => value * factor);
      return;
    }
    case 'flow-mismatch':
      if (textOption(spec, 'mode') === 'no-concentration') {
        for (const factor of model.computed) if (factor.role === 'concentration') values[factor.code] = 0;
      } else {
        values[model.flowCode] = 0;
        if (model.kind === 'gas') values.a01011 = 0;
      }
      return;
    case 'dilution': {
      const target = Math.min(
        20.8,
        numberOption(spec, 'o2', 20) + 0.3 * (uniform(model.seed, 0x02d, sample.time) - 0.5),
      );
      const before = values.a19001;
      if (before === undefined) return;
      const dilution = (21 - target) / (21 - before);
      for (const factor of model.computed) {
        if (factor.role === 'concentration') values[factor.code] = (values[factor.code] as number) * dilution;
      }
      values.a19001 = target;
      return;
    }
    case 'parameter-tampering': {
      const slope = numberOption(spec, 'slope', 0.6);
      const intercept = numberOption(spec, 'intercept', 0);
      each((_, value) => value * slope + intercept);
      return;
    }
    case 'maintenance':
    case 'calibration':
    case 'fault': {
      const flag = spec.scenario === 'maintenance' ? 'M' : spec.scenario === 'calibration' ? 'C' : 'D';
      for (const code of codes) if (code in sample.flags) sample.flags[code] = flag;
      return;
    }
    default:
      return;
  }
}

/** The sample scenarios of a device as one transform (undefined when there are none). */
export function scenarioTransform(scenarios: readonly ScenarioSpec[]): SampleTransform | undefined {
  const sampleLayer = scenarios.filter((spec) => SCENARIOS[spec.scenario].layer === 'sample');
  if (sampleLayer.length === 0) return undefined;
  return (sample, model) => {
    for (const spec of sampleLayer) if (isActive(spec, sample.time)) applySample(spec, sample, model);
  };
}

/** How frames are written at simulated time t. */
export interface FrameBehaviour {
  readonly password?: string;
  readonly crcVariant?: CrcVariant;
  readonly dialect?: ProtocolVersion;
  /** 2005 without QN and Flag. */
  readonly bare?: boolean;
  readonly maxDataLength?: number;
  readonly garbageProbability?: number;
  readonly lossProbability?: number;
}

export function frameBehaviour(
  scenarios: readonly ScenarioSpec[],
  t: number,
  password: string,
): FrameBehaviour {
  const out: {
    -readonly [K in keyof FrameBehaviour]: FrameBehaviour[K];
  } = {};
  for (const spec of scenarios) {
    if (!isActive(spec, t)) continue;
    switch (spec.scenario) {
      case 'wrong-password':
        out.password = textOption(spec, 'password') ?? wrongPassword(password);
        break;
      case 'modbus-crc': {
        const variant = textOption(spec, 'variant') ?? 'modbus';
        out.crcVariant = isCrcVariant(variant) ? variant : 'modbus';
        break;
      }
      case 'dialect-2005':
        out.dialect = '2005';
        out.bare = numberOption(spec, 'bare', 0) === 1;
        break;
      case 'split':
        out.maxDataLength = numberOption(spec, 'size', 200);
        break;
      case 'garbage':
        out.garbageProbability = numberOption(spec, 'p', 1);
        break;
      case 'packet-loss':
        out.lossProbability = numberOption(spec, 'p', 0.3);
        break;
      default:
        break;
    }
  }
  return out;
}

/** The right password with its last character changed. */
export function wrongPassword(password: string): string {
  const last = password.at(-1) ?? '0';
  return `${password.slice(0, -1)}${last === '9' ? '0' : last === 'z' ? 'a' : String.fromCharCode(last.charCodeAt(0) + 1)}`;
}

export function isOffline(scenarios: readonly ScenarioSpec[], t: number): boolean {
  return scenarios.some((spec) => spec.scenario === 'offline' && isActive(spec, t));
}

/**
 * Clock drift accumulated by simulated time t (ms): rate s/h over the part of each window before t; a window
 * without a start drifts from `origin` (the simulation start).
 */
export function clockDrift(
  scenarios: readonly ScenarioSpec[],
  t: number,
  origin = Number.NEGATIVE_INFINITY,
): number {
  let drift = 0;
  for (const spec of scenarios) {
    if (spec.scenario !== 'clock-drift') continue;
    const from = spec.from ?? origin;
    const end = Math.min(t, spec.to ?? Number.POSITIVE_INFINITY);
    if (end <= from || !Number.isFinite(from)) continue;
    drift += ((end - from) / HOUR_MS) * numberOption(spec, 'rate', 30) * 1000;
  }
  return drift;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing: "name[:mn][@from..to][?key=value&…]" and JSON files

const RELATIVE = /^\+(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** An ISO 8601 time, or "+<n><ms|s|m|h|d|w>" after the simulation start. */
export function parseScenarioTime(text: string, start: number): number {
  const relative = RELATIVE.exec(text);
  if (relative !== null) return start + Number(relative[1]) * (UNIT_MS[relative[2] as string] as number);
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    throw new SimulatorError('SIMULATOR_E_SCENARIO', {
      time: text,
      reason: 'an ISO 8601 time or +<n>s|m|h|d|w',
    });
  }
  return time;
}

/** Checks names and option types; returns the spec with typed options. */
export function validateScenario(input: {
  scenario: string;
  device?: string;
  from?: number;
  to?: number;
  options?: Record<string, unknown>;
}): ScenarioSpec {
  const fail = (reason: string): never => {
    throw new SimulatorError('SIMULATOR_E_SCENARIO', { scenario: input.scenario, reason });
  };
  if (!isScenarioName(input.scenario)) fail(`unknown scenario; known: ${SCENARIO_NAMES.join(', ')}`);
  const definition = SCENARIOS[input.scenario as ScenarioName];
  const device = input.device === undefined || input.device === '' ? '*' : input.device;
  if (input.from !== undefined && input.to !== undefined && input.to <= input.from)
    fail('the window ends before it starts');
  const options: Record<string, string | number> = {};
  for (const [key, raw] of Object.entries(input.options ?? {})) {
    const type = definition.options[key];
    if (type === undefined) {
      const known = Object.keys(definition.options);
      fail(`option "${key}" unknown; ${known.length > 0 ? `known: ${known.join(', ')}` : 'it takes none'}`);
    }
    if (type === 'number') {
      const value = typeof raw === 'number' ? raw : Number(raw);
      if (typeof raw === 'boolean' || !Number.isFinite(value)) fail(`option "${key}" must be a number`);
      options[key] = value;
    } else {
      if (typeof raw !== 'string' || raw.length === 0) fail(`option "${key}" must be text`);
      options[key] = raw as string;
    }
  }
  const p = options.p;
  if (typeof p === 'number' && (p < 0 || p > 1)) fail('p must be from 0 to 1');
  return {
    scenario: input.scenario as ScenarioName,
    device,
    ...(input.from === undefined ? {} : { from: input.from }),
    ...(input.to === undefined ? {} : { to: input.to }),
    ...(Object.keys(options).length === 0 ? {} : { options }),
  };
}

/**
 * Parses one command-line scenario: `name[:mn][@from..to][?key=value&…]`, e.g.
 * `exceedance:MN0001@2026-03-01T08:00+08:00..2026-03-01T12:00+08:00?factors=w01018`,
 * `offline@+2h..+3h`, `garbage`. Times are ISO 8601 or relative to `start` (+30m, +2h, +1d); either end of
 * the window may be left out.
 */
export function parseScenario(text: string, start: number): ScenarioSpec {
  const queryAt = text.indexOf('?');
  const head = queryAt < 0 ? text : text.slice(0, queryAt);
  const query = queryAt < 0 ? '' : text.slice(queryAt + 1);
  const windowAt = head.indexOf('@');
  const target = windowAt < 0 ? head : head.slice(0, windowAt);
  const window = windowAt < 0 ? undefined : head.slice(windowAt + 1);
  const colon = target.indexOf(':');
  const scenario = colon < 0 ? target : target.slice(0, colon);
  const device = colon < 0 ? undefined : target.slice(colon + 1);
  let from: number | undefined;
  let to: number | undefined;
  if (window !== undefined) {
    const dots = window.indexOf('..');
    if (dots < 0)
      throw new SimulatorError('SIMULATOR_E_SCENARIO', { scenario: text, reason: 'a window is from..to' });
    const fromText = window.slice(0, dots);
    const toText = window.slice(dots + 2);
    if (fromText.length > 0) from = parseScenarioTime(fromText, start);
    if (toText.length > 0) to = parseScenarioTime(toText, start);
  }
  const options: Record<string, string> = {};
  for (const pair of query.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new SimulatorError('SIMULATOR_E_SCENARIO', {
        scenario: text,
        reason: `option "${pair}" is not key=value`,
      });
    options[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return validateScenario({
    scenario,
    ...(device === undefined ? {} : { device }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    options,
  });
}

/** A JSON scenario file: an array of `{ "scenario", "device"?, "from"?, "to"?, "options"? }` (times ISO or +2h). */
export function parseScenarioFile(json: string, start: number): ScenarioSpec[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (cause) {
    throw new SimulatorError(
      'SIMULATOR_E_SCENARIO',
      { reason: `not JSON: ${(cause as Error).message}` },
      { cause },
    );
  }
  if (!Array.isArray(data))
    throw new SimulatorError('SIMULATOR_E_SCENARIO', { reason: 'the file must hold an array' });
  return data.map((entry: unknown, index) => {
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof (entry as { scenario?: unknown }).scenario !== 'string'
    ) {
      throw new SimulatorError('SIMULATOR_E_SCENARIO', { index, reason: 'each entry needs "scenario"' });
    }
    const e = entry as {
      scenario: string;
      device?: unknown;
      from?: unknown;
      to?: unknown;
      options?: unknown;
    };
    const time = (value: unknown) =>
      typeof value === 'string' ? parseScenarioTime(value, start) : undefined;
    const from = time(e.from);
    const to = time(e.to);
    return validateScenario({
      scenario: e.scenario,
      ...(typeof e.device === 'string' ? { device: e.device } : {}),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      ...(typeof e.options === 'object' && e.options !== null
        ? { options: e.options as Record<string, unknown> }
        : {}),
    });
  });
}
