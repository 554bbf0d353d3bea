import { AccountService, type SessionPolicy } from '../accounts/account-service.js';
import { AlarmService } from './alarm-service.js';
import { AuditService } from './audit-service.js';
import { CommandService } from './command-service.js';
import type { ServiceContext } from './context.js';
import { LiveService } from './live-service.js';
import { ManualRecordService } from './manual-record-service.js';
import { MarkService } from './mark-service.js';
import { MonitoringService } from './monitoring-service.js';
import { OverviewService } from './overview-service.js';
import { PublicService } from './public-service.js';
import { RegistryService } from './registry-service.js';
import { ReportService } from './report-service.js';
import { RuleService } from './rule-service.js';
import { SystemService } from './system-service.js';

/** Every service of the API, over one context. Each method checks access first. */
export interface Services {
  readonly ctx: ServiceContext;
  readonly accounts: AccountService;
  readonly audit: AuditService;
  readonly registry: RegistryService;
  readonly monitoring: MonitoringService;
  readonly overview: OverviewService;
  readonly alarms: AlarmService;
  readonly reports: ReportService;
  readonly rules: RuleService;
  readonly marks: MarkService;
  readonly manualRecords: ManualRecordService;
  readonly commands: CommandService;
  readonly live: LiveService;
  readonly system: SystemService;
  readonly public: PublicService;
}

export function createServices(
  ctx: ServiceContext,
  options: {
    sessionPolicy?: Partial<SessionPolicy>;
    liveCacheMs?: number;
    seriesCacheMs?: number;
    trendsCacheMs?: number;
  } = {},
): Services {
  return {
    ctx,
    accounts: new AccountService(ctx, options.sessionPolicy),
    audit: new AuditService(ctx),
    registry: new RegistryService(ctx),
    monitoring: new MonitoringService(ctx, {
      ...(options.liveCacheMs === undefined ? {} : { liveCacheMs: options.liveCacheMs }),
      ...(options.seriesCacheMs === undefined ? {} : { seriesCacheMs: options.seriesCacheMs }),
    }),
    // The overview is shared as long as the live answer (the same facts).
    overview: new OverviewService(ctx, {
      ...(options.liveCacheMs === undefined ? {} : { cacheMs: options.liveCacheMs }),
      ...(options.trendsCacheMs === undefined ? {} : { trendsCacheMs: options.trendsCacheMs }),
    }),
    alarms: new AlarmService(ctx),
    reports: new ReportService(ctx),
    rules: new RuleService(ctx),
    marks: new MarkService(ctx),
    manualRecords: new ManualRecordService(ctx),
    commands: new CommandService(ctx),
    live: new LiveService(ctx),
    system: new SystemService(ctx),
    public: new PublicService(ctx),
  };
}
