export { analyseDay, daysOf, hourReadings } from './analysis/analyse-day.js';
export { type LivenessOptions, LivenessSweep } from './analysis/liveness.js';
export { loadPointContext, type PointContext } from './analysis/point-context.js';
export { type PointFactorCounts, totalCounts, transmissionCounts } from './analysis/transmission-report.js';
export { AnalysisWorker, type AnalysisWorkerOptions } from './analysis/worker.js';
export type { CliIo } from './cli/io.js';
export { runCli, VERSION } from './cli/main.js';
export { QY_ERRORS, type QyCode, QyError } from './errors.js';
export { type Platform, type PlatformConfig, startPlatform } from './platform.js';
