export type { CliIo } from './cli/io.js';
export { runCli, VERSION } from './cli/main.js';
export { QY_ERRORS, type QyCode, QyError } from './errors.js';
