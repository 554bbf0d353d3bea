/**
 * @qingyuan/domain — the platform's judgement as pure functions: validity, roll-ups, 折算 and emissions,
 * exceedance and anomaly alarms, effective transmission rates. No I/O, no clock: time and configuration
 * are parameters.
 */
export * from './config.js';
export * from './errors.js';
export * from './records.js';
export * from './time.js';
