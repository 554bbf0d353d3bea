/** @qingyuan/gateway — the HJ 212 TCP gateway. */
export { GATEWAY_ERRORS, type GatewayCode, GatewayError } from './errors.js';
