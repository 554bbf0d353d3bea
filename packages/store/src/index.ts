/**
 * @qingyuan/store — everything the platform knows, on SQLite (embedded default) or PostgreSQL, behind one
 * schema and one set of repositories (Kysely).
 */
export {
  analyze,
  DEFAULT_DATABASE_URL,
  migrate,
  type OpenOptions,
  openStore,
  parseDatabaseUrl,
  redact,
  type Store,
  WAL_SIZE_LIMIT_BYTES,
} from './database.js';
export { DeviceIndexWorker, type DeviceIndexWorkerStats } from './device-index-worker.js';
export { DIALECTS, type DialectName } from './dialect.js';
export { STORE_ERRORS, type StoreCode, StoreError } from './errors.js';
export {
  type ChangeCounts,
  csvRecords,
  type ImportProblem,
  importRegistry,
  parseRegistryCsv,
  parseRegistryXlsx,
  REGISTRY_COLUMNS,
  REGISTRY_HEADERS,
  type RegistryColumn,
  type RegistryImportOptions,
  type RegistryImportResult,
  type RegistryImportSummary,
  type RegistryRow,
  type RegistrySheet,
  readRegistryFile,
  registryColumn,
  registrySheet,
} from './import/registry-import.js';
export * from './repositories/accounts.js';
export * from './repositories/alarms.js';
export * from './repositories/audit.js';
export { regionSubtree, SUBJECT_COLUMN, type Subject } from './repositories/common.js';
export {
  type ContractInput,
  type ContractorInput,
  type ContractorPatch,
  type ContractorQuery,
  ContractorRepository,
  type ContractorView,
  type ContractPatch,
  type ContractTarget,
  type ContractView,
  contractInForce,
  FILING_STATUSES,
  type FilingStatus,
} from './repositories/contractors.js';
export * from './repositories/device-info.js';
export * from './repositories/downlink-commands.js';
export * from './repositories/emissions.js';
export {
  ENTERPRISE_STATUSES,
  type EnterpriseInput,
  type EnterprisePatch,
  type EnterpriseQuery,
  EnterpriseRepository,
  type EnterpriseStatus,
  type EnterpriseView,
  KEY_UNIT_CATEGORIES,
  type KeyUnitCategory,
  type KeyUnitListing,
  type KeyUnitYear,
} from './repositories/enterprises.js';
export * from './repositories/forwarding.js';
export * from './repositories/frames-by-device.js';
export * from './repositories/hour-counts.js';
export * from './repositories/index.js';
export * from './repositories/ingest.js';
export * from './repositories/judgements.js';
export * from './repositories/manual-records.js';
export * from './repositories/marks.js';
export * from './repositories/observations.js';
export {
  OUTLET_KINDS,
  OUTLET_STATUSES,
  type OutletInput,
  type OutletKind,
  type OutletPatch,
  OutletRepository,
  type OutletStatus,
  type OutletView,
} from './repositories/outlets.js';
export {
  type AllowanceView,
  type PermitInput,
  PermitRepository,
  type PermitView,
} from './repositories/permits.js';
export {
  type PointCredentials,
  type PointFactorInput,
  type PointFactorView,
  type PointInput,
  type PointPatch,
  PointRepository,
  type PointStatusChange,
  type PointView,
  PROTOCOL_VERSIONS,
  type ProtocolVersion,
} from './repositories/points.js';
export * from './repositories/presence.js';
export * from './repositories/raw-frames.js';
export type { PackEntrySource, RealtimeUploadInput } from './repositories/realtime-packs.js';
export {
  REGION_LEVELS,
  type RegionLevel,
  RegionRepository,
  type RegionView,
} from './repositories/regions.js';
export * from './repositories/retention.js';
export * from './repositories/rule-settings.js';
export {
  type ApplicableLimit,
  LIMIT_PERIODS,
  type LimitInput,
  type LimitPeriod,
  type LimitView,
  STANDARD_KINDS,
  type StandardInput,
  type StandardKind,
  type StandardPatch,
  StandardRepository,
  type StandardView,
  type StandardWithLimits,
} from './repositories/standards.js';
export * from './repositories/tip-offs.js';
export * from './schema.js';
export {
  csvField,
  DEFAULT_DEMO_ENTERPRISES,
  DEFAULT_DEMO_SEED,
  type DemoOptions,
  type DemoSummary,
  exportDevices,
  seedDemo,
} from './seed/demo.js';
export { inTransaction } from './transaction-scope.js';
export { isValidUscc, usccCheckCharacter, usccProblem } from './uscc.js';
export { WalCheckpointer, type WalCheckpointerStats } from './wal-checkpointer.js';
export { readFirstWorksheet, type WorksheetRead, type WorksheetSpec, writeWorksheet } from './xlsx.js';
