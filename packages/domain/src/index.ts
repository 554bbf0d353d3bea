/**
 * @qingyuan/domain — the platform's judgement as pure functions: validity, roll-ups, 折算 and emissions,
 * exceedance and anomaly alarms, effective transmission rates. No I/O, no clock: time and configuration
 * are parameters.
 */

export * from './anomalies.js';
export * from './anomaly-settings.js';
export * from './anomaly-window.js';
export * from './config.js';
export * from './conversion.js';
export * from './downsample.js';
export * from './emissions.js';
export * from './episodes.js';
export * from './errors.js';
export * from './exceedance.js';
export * from './near-limit.js';
export * from './records.js';
export * from './rollup.js';
export * from './time.js';
export * from './transmission.js';
export * from './transmission-aggregate.js';
export * from './transmission-counts.js';
export * from './validity.js';
