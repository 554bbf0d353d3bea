/** @qingyuan/gateway — the HJ 212 TCP gateway. */
export { findGaps, type Gap } from './backfill.js';
export { type CommandOutcome, type CommandRequest, CommandService } from './commands.js';
export type { BackfillOptions, GatewayOptions } from './config.js';
export { gatewayOptionsFromJson } from './config-json.js';
export { GATEWAY_ERRORS, type GatewayCode, GatewayError } from './errors.js';
export * from './forward/forward-service.js';
export { interpret } from './interpret.js';
export type { Link, PresenceEvent } from './presence.js';
export { Gateway, type GatewayLog, type GatewayStats, type ObservationWritten } from './server.js';
