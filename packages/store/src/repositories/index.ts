import type { Store } from '../database.js';
import { AccountRepository } from './accounts.js';
import { AlarmRepository } from './alarms.js';
import { AuditRepository } from './audit.js';
import { ContractorRepository } from './contractors.js';
import { DeviceInfoRepository } from './device-info.js';
import { DownlinkCommandRepository } from './downlink-commands.js';
import { EnterpriseRepository } from './enterprises.js';
import { ForwardingRepository } from './forwarding.js';
import { JudgementRepository } from './judgements.js';
import { ManualRecordRepository } from './manual-records.js';
import { MarkRepository } from './marks.js';
import { ObservationRepository } from './observations.js';
import { OutletRepository } from './outlets.js';
import { PermitRepository } from './permits.js';
import { PointRepository } from './points.js';
import { PresenceRepository } from './presence.js';
import { RawFrameRepository } from './raw-frames.js';
import { RegionRepository } from './regions.js';
import { RetentionRepository } from './retention.js';
import { RuleSettingRepository } from './rule-settings.js';
import { StandardRepository } from './standards.js';
import { TipOffRepository } from './tip-offs.js';

/** Every repository of the store, over one open `Store`. */
export interface Repositories {
  readonly regions: RegionRepository;
  readonly enterprises: EnterpriseRepository;
  readonly outlets: OutletRepository;
  readonly points: PointRepository;
  readonly standards: StandardRepository;
  readonly permits: PermitRepository;
  readonly contractors: ContractorRepository;
  readonly observations: ObservationRepository;
  readonly rawFrames: RawFrameRepository;
  readonly deviceInfo: DeviceInfoRepository;
  readonly retention: RetentionRepository;
  readonly forwarding: ForwardingRepository;
  readonly presence: PresenceRepository;
  readonly downlinkCommands: DownlinkCommandRepository;
  readonly marks: MarkRepository;
  readonly manualRecords: ManualRecordRepository;
  readonly tipOffs: TipOffRepository;
  readonly alarms: AlarmRepository;
  readonly judgements: JudgementRepository;
  readonly accounts: AccountRepository;
  readonly audit: AuditRepository;
  readonly ruleSettings: RuleSettingRepository;
}

/** Constructs all repositories over `store`. */
export function repositories(store: Store): Repositories {
  return {
    regions: new RegionRepository(store),
    enterprises: new EnterpriseRepository(store),
    outlets: new OutletRepository(store),
    points: new PointRepository(store),
    standards: new StandardRepository(store),
    permits: new PermitRepository(store),
    contractors: new ContractorRepository(store),
    observations: new ObservationRepository(store),
    rawFrames: new RawFrameRepository(store),
    deviceInfo: new DeviceInfoRepository(store),
    retention: new RetentionRepository(store),
    forwarding: new ForwardingRepository(store),
    presence: new PresenceRepository(store),
    downlinkCommands: new DownlinkCommandRepository(store),
    marks: new MarkRepository(store),
    manualRecords: new ManualRecordRepository(store),
    tipOffs: new TipOffRepository(store),
    alarms: new AlarmRepository(store),
    judgements: new JudgementRepository(store),
    accounts: new AccountRepository(store),
    audit: new AuditRepository(store),
    ruleSettings: new RuleSettingRepository(store),
  };
}
