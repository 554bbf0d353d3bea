/**
 * @qingyuan/store — everything the platform knows, on SQLite (embedded default) or PostgreSQL, behind one
 * schema and one set of repositories (Kysely).
 */
export {
  DEFAULT_DATABASE_URL,
  migrate,
  type OpenOptions,
  openStore,
  parseDatabaseUrl,
  redact,
  type Store,
} from './database.js';
export { DIALECTS, type DialectName } from './dialect.js';
export { STORE_ERRORS, type StoreCode, StoreError } from './errors.js';
export * from './schema.js';
export { isValidUscc, usccCheckCharacter, usccProblem } from './uscc.js';
export * from './repositories/device-info.js';
export * from './repositories/observations.js';
export * from './repositories/raw-frames.js';
export * from './repositories/retention.js';
