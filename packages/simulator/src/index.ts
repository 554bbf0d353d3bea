/** @qingyuan/simulator — the data-logger fleet simulator. */

export { createClock, type SimClock } from './clock.js';
export { type DemoScenario, demoScenarios } from './demo-scenarios.js';
export type { AckedFrame, DeviceEvent, DeviceStats } from './device.js';
export {
  type DeviceSpec,
  loadDevicesFile,
  loadDevicesFromRegistry,
  parseDevicesCsv,
  registryDevices,
  syntheticDevices,
} from './devices.js';
export { SIMULATOR_ERRORS, type SimulatorCode, SimulatorError } from './errors.js';
export {
  DEFAULT_FACTORS,
  FACTOR_PROFILES,
  type FactorProfile,
  factorProfile,
  NORMAL_SHARE_OF_LIMIT,
  profileUnderLimit,
} from './factors.js';
export { type Fleet, type FleetDevice, type FleetOptions, type FleetStats, startFleet } from './fleet.js';
export { DEFAULT_HISTORY_LIMITS, type HistoryLimits } from './history.js';
export {
  type Accumulation,
  type AggregatePeriod,
  type AggregateRecord,
  type AggregateValue,
  accumulate,
  aggregateFlag,
  aggregateRecord,
  baseSample,
  correctedConcentration,
  createModel,
  DEFAULT_REFERENCE_O2,
  type DeviceKind,
  type DeviceModel,
  gasFlow,
  MASS_FACTOR,
  type ModelDevice,
  mergeAccumulations,
  type ObservationRecord,
  periodRecord,
  type RealtimeRecord,
  type RealtimeValue,
  realtimeRecord,
  SAMPLE_STEP_MS,
  type Sample,
  type SampleTransform,
  sampleAt,
  softCeiling,
  volumeFactor,
} from './model.js';
export { formatValue, observationCp, PERIOD_CN, wireCode } from './records.js';
export {
  clockDrift,
  frameBehaviour,
  isOffline,
  parseScenario,
  parseScenarioFile,
  SCENARIO_NAMES,
  SCENARIOS,
  type ScenarioDefinition,
  type ScenarioName,
  type ScenarioSpec,
  scenarioTransform,
  wrongPassword,
} from './scenarios.js';
