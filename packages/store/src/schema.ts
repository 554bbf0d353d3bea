import type { ColumnType, Generated } from 'kysely';

/**
 * The tables of Qingyuan's store, one schema on both dialects. Conventions: instants are UTC epoch
 * milliseconds (`bigint` in PostgreSQL, read back as numbers); calendar dates are `YYYY-MM-DD` (Beijing
 * calendar); booleans are 0/1 integers; lists and objects that are never queried inside are JSON text.
 */

/** An epoch-ms column: numbers in and out on both dialects (pg's int8 is parsed to number). */
type Instant = number;
/** `YYYY-MM-DD`, Beijing calendar. */
type CalendarDate = string;
/** 0 or 1. */
type Flag01 = number;

export interface RegionTable {
  /** GB/T 2260 six-digit code, e.g. 420100. */
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parent_code: string | null;
}

export interface EnterpriseTable {
  id: Generated<number>;
  /** 统一社会信用代码 (GB 32100-2015), 18 characters, checked. */
  uscc: string;
  name: string;
  region_code: string;
  /** GB/T 4754 industry code, e.g. D4411. */
  industry_code: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  contact_name: string | null;
  contact_phone: string | null;
  status: 'active' | 'suspended' | 'closed';
  created_at: Instant;
  updated_at: Instant;
}

/** 重点排污单位名录 membership: an enterprise is a key unit in a year for a category. */
export interface EnterpriseKeyUnitTable {
  enterprise_id: number;
  year: number;
  category: 'water' | 'gas' | 'soil' | 'noise' | 'environmental-risk' | 'other';
}

export interface EmissionStandardTable {
  id: Generated<number>;
  /** e.g. "GB 13223-2011", or a local standard's number. */
  code: string;
  name: string;
  kind: 'water' | 'gas';
  /** 基准氧含量 (%) where the standard sets one for all its sources; per-limit values override. */
  reference_o2: number | null;
  local: Flag01;
  notes: string | null;
}

export interface StandardLimitTable {
  id: Generated<number>;
  standard_id: number;
  /** HJ 212-2017 factor code. */
  factor_code: string;
  /** Averaging period the limit applies to. */
  period: 'hour' | 'day' | 'instant';
  limit_value: number;
  unit: string;
  /** The source category the limit is for (e.g. 燃煤锅炉, 新建), or null for all. */
  applies_to: string | null;
  reference_o2: number | null;
}

export interface OutletTable {
  id: Generated<number>;
  enterprise_id: number;
  kind: 'water' | 'gas';
  /** The enterprise's outlet number, e.g. DA001, DW001. */
  code: string;
  name: string;
  longitude: number | null;
  latitude: number | null;
  standard_id: number | null;
  reference_o2: number | null;
  stack_height_m: number | null;
  key_unit_category: string | null;
  status: 'active' | 'stopped' | 'removed';
}

export const POINT_STATUSES = ['planned', 'building', 'running', 'stopped', 'removed'] as const;
export type PointStatus = (typeof POINT_STATUSES)[number];

export interface MonitoringPointTable {
  id: Generated<number>;
  outlet_id: number;
  name: string;
  /** HJ 212 device identifier, unique. */
  mn: string;
  /** HJ 212 access password: a secret, read only through `PointRepository.credentials`. */
  password: string;
  protocol_version: '2005' | '2017' | '2025';
  /** Accepted CRC variants, comma-separated (hj212,modbus,modbus-swapped). */
  crc_variants: string;
  realtime_interval_s: number;
  minute_interval_min: number;
  in_service_on: CalendarDate | null;
  accepted_on: CalendarDate | null;
  filed_on: CalendarDate | null;
  status: PointStatus;
  /** Allowed peer addresses, comma-separated, or null for any. */
  allowed_peers: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface PointStatusHistoryTable {
  id: Generated<number>;
  point_id: number;
  status: PointStatus;
  changed_at: Instant;
  reason: string | null;
}

export interface PointFactorTable {
  point_id: number;
  factor_code: string;
  code_2005: string | null;
  unit: string;
  range_low: number | null;
  range_high: number | null;
  hour_limit: number | null;
  day_limit: number | null;
  /** 考核因子: counted in the effective transmission rate. */
  assessed: Flag01;
  alarm_low: number | null;
  alarm_high: number | null;
}

export interface PermitTable {
  id: Generated<number>;
  enterprise_id: number;
  number: string;
  valid_from: CalendarDate;
  valid_to: CalendarDate;
}

export interface PermitAllowanceTable {
  permit_id: number;
  factor_code: string;
  annual_kg: number;
}

export const CONTRACTOR_KINDS = ['construction', 'om', 'inspection', 'intelligent-monitoring'] as const;
export type ContractorKind = (typeof CONTRACTOR_KINDS)[number];

export interface ContractorTable {
  id: Generated<number>;
  uscc: string;
  name: string;
  kind: ContractorKind;
  /** JSON array of qualification names. */
  qualifications: string;
  /** JSON array of region codes served. */
  service_regions: string;
  filing_status: 'filed' | 'not-filed' | 'revoked';
}

export interface ContractTable {
  id: Generated<number>;
  contractor_id: number;
  enterprise_id: number;
  point_id: number | null;
  scope: string;
  starts_on: CalendarDate;
  ends_on: CalendarDate;
  /** Set when the contract was cancelled before it started (migration 0013): it is then never in force. */
  cancelled_at: Instant | null;
  cancel_reason: string | null;
}

export const OBSERVATION_SOURCES = ['das', 'backfill', 'computed', 'manual'] as const;
export type ObservationSource = (typeof OBSERVATION_SOURCES)[number];

/**
 * One value set of one factor at one point for one period. `revision` 0 is the first receipt; a re-upload
 * with other values adds revision n+1 and stamps the previous one `superseded_at` (nothing is overwritten).
 */
export interface ObservationTable {
  point_id: number;
  factor_code: string;
  period_start: Instant;
  revision: number;
  rtd: number | null;
  min: number | null;
  avg: number | null;
  max: number | null;
  cou: number | null;
  zs_rtd: number | null;
  zs_min: number | null;
  zs_avg: number | null;
  zs_max: number | null;
  data_flag: string | null;
  e_flag: string | null;
  sample_time: Instant | null;
  source: ObservationSource;
  received_at: Instant;
  frame_id: number | null;
  superseded_at: Instant | null;
}

/**
 * Real-time observations as stored (migration 0016): one row per upload of a point at one instant, its
 * factors packed in `entries` (JSON keyed by factor code; `repositories/realtime-packs.ts`). Read them
 * through the view `obs_realtime` (one row per factor, as `ObservationTable`).
 */
export interface ObservationPackTable {
  point_id: number;
  period_start: Instant;
  seq: number;
  entries: string;
  /** How many entries `entries` holds. */
  factors: number;
  source: ObservationSource;
  received_at: Instant;
  frame_id: number | null;
}

export const FRAME_VERDICTS = [
  'accepted',
  'crc_error',
  'auth_failed',
  'malformed',
  'duplicate',
  'unknown_device',
  'rejected',
  'discarded',
] as const;
export type FrameVerdict = (typeof FRAME_VERDICTS)[number];

/** Every received frame, valid or not, hash-chained per Beijing day. */
export interface RawFrameTable {
  id: Generated<number>;
  received_at: Instant;
  peer: string;
  mn: string | null;
  cn: string | null;
  qn: string | null;
  bytes: ColumnType<Uint8Array, Uint8Array, never>;
  verdict: FrameVerdict;
  error_code: string | null;
  /** SHA-256 (hex) of this frame's chain record (see raw-frames.ts). */
  sha256: string;
  prev_hash: string;
  chain_day: CalendarDate;
}

export interface FrameChainHeadTable {
  chain_day: CalendarDate;
  last_hash: string;
  frames: number;
}

/**
 * The archive's frames by device (MN), filled in batches behind the gateway (migration 0015): frames with
 * an id above `frame_index_state.through_id` for `device` are not in it yet.
 */
export interface RawFrameDeviceTable {
  mn: string;
  received_at: Instant;
  frame_id: number;
}

/** How far a lazily built index of the archive has got (`device`: raw_frame_device). */
export interface FrameIndexStateTable {
  name: string;
  through_id: number;
}

/** CN 3020 现场端信息 received, per point × PolId × i-code (PolId '' when the item has none). */
export interface DeviceInfoTable {
  id: Generated<number>;
  point_id: number;
  pol_id: string;
  info_code: string;
  value: string;
  observed_at: Instant | null;
  received_at: Instant;
  frame_id: number | null;
}

/** 备案参数: the filed parameter values received values are compared against. */
export interface DeviceParamBaselineTable {
  point_id: number;
  pol_id: string;
  info_code: string;
  value: string;
  filed_at: Instant;
  filed_by: string | null;
}

/** What happened to a device, beyond its data: the gateway's and the rules' raw material. */
export const DEVICE_EVENT_KINDS = [
  'online',
  'offline',
  'restart',
  'clock-skew',
  'time-sync',
  'auth-failed',
  'throttled',
  'alarm',
] as const;
export type DeviceEventKind = (typeof DEVICE_EVENT_KINDS)[number];

export interface DeviceEventTable {
  id: Generated<number>;
  /** Null when the MN is not registered. */
  point_id: number | null;
  mn: string | null;
  kind: DeviceEventKind;
  at: Instant;
  /** JSON object with the event's particulars (peer, skew in ms, reason…). */
  detail: string | null;
  frame_id: number | null;
}

/** The connection registry, persisted: one row per MN that ever connected. */
export interface DevicePresenceTable {
  mn: string;
  point_id: number;
  online: Flag01;
  /** Since when the device is online (or offline). */
  since: Instant;
  last_seen_at: Instant | null;
  peer: string | null;
  /** Which gateway process holds the connection. */
  gateway: string | null;
  protocol_version: string | null;
  frames_received: number;
  frames_rejected: number;
  duplicates: number;
  updated_at: Instant;
}

/** CN 2021: a treatment facility's run state (RS) at a time. */
export interface FacilityRunStateTable {
  point_id: number;
  /** The facility's id in the packet (SB1, SB2…). */
  facility: string;
  data_time: Instant;
  state: number;
  received_at: Instant;
  frame_id: number | null;
}

/** CN 2041: a treatment facility's running hours (RT) on a day. */
export interface FacilityRunTimeTable {
  point_id: number;
  facility: string;
  data_time: Instant;
  hours: number;
  received_at: Instant;
  frame_id: number | null;
}

export const COMMAND_STATES = [
  'pending',
  'sent',
  'accepted',
  'rejected',
  'succeeded',
  'failed',
  'timed-out',
  'offline',
] as const;
export type CommandState = (typeof COMMAND_STATES)[number];

export const COMMAND_PURPOSES = ['operator', 'backfill', 'time-sync'] as const;
export type CommandPurpose = (typeof COMMAND_PURPOSES)[number];

/** A downlink command (反控) and what became of it: the audit of every request sent to a device. */
export interface DownlinkCommandTable {
  id: Generated<number>;
  point_id: number;
  mn: string;
  /** The codec's command name (get-time, get-hour-data…). */
  command: string;
  cn: string;
  qn: string;
  /** JSON object of the request's parameters. */
  params: string;
  purpose: CommandPurpose;
  requested_by: string;
  requested_at: Instant;
  state: CommandState;
  attempts: number;
  qn_rtn: number | null;
  exe_rtn: number | null;
  /** JSON of what the device answered (time, parameters…). */
  result: string | null;
  error_code: string | null;
  updated_at: Instant;
  finished_at: Instant | null;
}

export interface RetentionPolicyTable {
  table_name: string;
  /** Days kept, or null to keep for ever. */
  keep_days: number | null;
}

/** An upstream platform that frames are forwarded to (转发目标), over TCP. */
export interface ForwardTargetTable {
  id: Generated<number>;
  /** Unique, chosen by the operator (e.g. "national", "wuhan-city"). */
  name: string;
  host: string;
  port: number;
  /** Wait for the upstream's 9014 before a frame counts as forwarded (frames that ask for one). */
  wait_ack: Flag01;
  enabled: Flag01;
  created_at: Instant;
  updated_at: Instant;
}

/** A monitoring point whose frames a target forwards (given by MN, kept by id). */
export interface ForwardTargetPointTable {
  target_id: number;
  point_id: number;
}

/** A region whose enterprises' points (the whole subtree) a target forwards. */
export interface ForwardTargetRegionTable {
  target_id: number;
  region_code: string;
}

/** How far a target got: every forwardable frame with id <= last_frame_id is dealt with. */
export interface ForwardCursorTable {
  target_id: number;
  last_frame_id: number;
  updated_at: Instant;
}

/** A frame a target stopped trying to forward (no 9014 after every attempt): never skipped silently. */
export interface ForwardGivenUpTable {
  target_id: number;
  frame_id: number;
  attempts: number;
  /** The code and message of the last failure. */
  last_error: string;
  at: Instant;
}

export const MARK_KINDS = ['valid', 'invalid', 'stopped', 'exempt'] as const;
export type MarkKindName = (typeof MARK_KINDS)[number];
export const MARK_STATES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type MarkState = (typeof MARK_STATES)[number];

/** 标记: a statement about a point's periods (one factor or '*'); it counts only once approved. */
export interface MarkTable {
  id: Generated<number>;
  point_id: number;
  factor_code: string;
  from_at: Instant;
  to_at: Instant;
  kind: MarkKindName;
  origin: 'manual' | 'automatic';
  reason: string;
  made_by: string;
  made_at: Instant;
  state: MarkState;
  decided_by: string | null;
  decided_at: Instant | null;
}

export const TIP_OFF_CATEGORIES = ['超标排放', '数据造假', '设施停运', '其他'] as const;
export type TipOffCategory = (typeof TIP_OFF_CATEGORIES)[number];
export const TIP_OFF_STATES = ['received', 'assigned', 'handled'] as const;
export type TipOffState = (typeof TIP_OFF_STATES)[number];

/** 公众举报 (湖北省办法 第十条), routed to the responsible city (`region_code`). */
export interface TipOffTable {
  id: Generated<number>;
  received_at: Instant;
  enterprise_id: number | null;
  region_code: string;
  category: TipOffCategory;
  description: string;
  contact: string | null;
  /** JSON [{ name, type, size, sha256 }]; the bytes are in tip_attachment. */
  attachments: string;
  state: TipOffState;
  handled_by: string | null;
  handled_at: Instant | null;
  /** The handling note, shown to the filer with the receipt code. */
  note: string | null;
  /** The authorities' own note (migration 0013), never shown to the filer. */
  internal_note: string | null;
  /** The code shown to the filer. */
  receipt: string;
  peer: string | null;
}

export interface TipAttachmentTable {
  id: Generated<number>;
  tip_id: number;
  name: string;
  type: string;
  bytes: ColumnType<Uint8Array, Uint8Array, never>;
}

export const MANUAL_RECORD_PERIODS = ['hour', 'day'] as const;
export type ManualRecordPeriod = (typeof MANUAL_RECORD_PERIODS)[number];
export const MANUAL_RECORD_STATES = ['pending', 'approved', 'rejected'] as const;
export type ManualRecordState = (typeof MANUAL_RECORD_STATES)[number];

/**
 * 人工监测数据: one factor of a point measured by hand over an hour or a Beijing day (湖北省办法 第十五条);
 * it counts only once approved.
 */
export interface ManualRecordTable {
  id: Generated<number>;
  point_id: number;
  factor_code: string;
  period: ManualRecordPeriod;
  from_at: Instant;
  to_at: Instant;
  value: number;
  unit: string;
  /** The method or standard followed (HJ 75 手工比对, GB/T 16157…). */
  method: string;
  /** The monitoring agency that sampled and analysed. */
  agency: string;
  sampled_at: Instant;
  report_no: string;
  note: string | null;
  filed_by: string;
  filed_at: Instant;
  state: ManualRecordState;
  decided_by: string | null;
  decided_at: Instant | null;
}

/** One alarm episode: opened when its condition starts, closed when it ends. */
export interface AlarmTable {
  id: Generated<number>;
  point_id: number;
  factor_code: string | null;
  type: string;
  opened_at: Instant;
  closed_at: Instant | null;
  peak_value: number | null;
  limit_value: number | null;
  /** JSON object: what the rule saw (values, thresholds, old and new parameters…). */
  detail: string;
  rule_version: string;
  updated_at: Instant;
}

export const JUDGEMENT_VIEWS = ['first', 'amended'] as const;
export type JudgementView = (typeof JUDGEMENT_VIEWS)[number];

/** How one period of one factor was judged, per view and rule-set version (evidence). */
export interface PeriodJudgementTable {
  point_id: number;
  factor_code: string;
  period: 'hour' | 'day' | 'month';
  period_start: Instant;
  view: JudgementView;
  validity: 'valid' | 'invalid' | 'excluded' | 'suspect' | 'missing';
  reason: string;
  value: number | null;
  corrected_value: number | null;
  rule_version: string;
  judged_at: Instant;
}

/** 应传 / 实传 / 有效 hours of one point × factor on one Beijing day, per view. */
export interface TransmissionDayTable {
  point_id: number;
  factor_code: string;
  day: CalendarDate;
  view: JudgementView;
  expected: number;
  received: number;
  valid: number;
  excluded: number;
  rule_version: string;
  computed_at: Instant;
}

/** Emission (排放量) of one pollutant at one point in one hour. */
export interface EmissionHourTable {
  point_id: number;
  factor_code: string;
  period_start: Instant;
  /** kg; null for an invalid hour (not yet substituted). */
  kg: number | null;
  basis: 'measured' | 'device' | 'substituted' | 'invalid';
  volume_m3: number | null;
  rule_version: string;
  computed_at: Instant;
}

export const ROLES = [
  'province_admin',
  'province',
  'city',
  'county',
  'enterprise',
  'om_contractor',
  'inspection_unit',
  'monitoring_operator',
] as const;
export type Role = (typeof ROLES)[number];

/** A person who logs in. Authorities carry a region, enterprise users an enterprise, contractors a contractor. */
export interface UserAccountTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: Role;
  region_code: string | null;
  enterprise_id: number | null;
  contractor_id: number | null;
  /** `scrypt$N$r$p$salt$hash` (base64). */
  password_hash: string;
  password_changed_at: Instant;
  must_change_password: Flag01;
  failed_logins: number;
  locked_until: Instant | null;
  status: 'active' | 'disabled';
  created_at: Instant;
  last_login_at: Instant | null;
}

export interface UserSessionTable {
  /** SHA-256 (hex) of the session id held in the cookie. */
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Instant;
  last_seen_at: Instant;
  expires_at: Instant;
  revoked_at: Instant | null;
  peer: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** SHA-256 (hex) of the token. */
  token_hash: string;
  /** JSON array of permission names. */
  permissions: string;
  created_at: Instant;
  expires_at: Instant | null;
  revoked_at: Instant | null;
  last_used_at: Instant | null;
}

/** A province-wide rule setting (`anomaly`, …): its JSON value, a revision counting changes, who and when. */
export interface RuleSettingTable {
  name: string;
  /** JSON. */
  value: string;
  revision: number;
  updated_at: Instant;
  /** The actor as in the audit log ('user:7', 'token:3', 'cli'). */
  updated_by: string;
  updated_by_name: string;
}

/** One audited act: append-only, each row's hash covering the previous row's hash and every field. */
export interface AuditLogTable {
  id: Generated<number>;
  at: Instant;
  actor: string;
  actor_name: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  peer: string | null;
  prev_hash: string;
  hash: string;
}

export interface Database {
  region: RegionTable;
  enterprise: EnterpriseTable;
  enterprise_key_unit: EnterpriseKeyUnitTable;
  emission_standard: EmissionStandardTable;
  standard_limit: StandardLimitTable;
  outlet: OutletTable;
  monitoring_point: MonitoringPointTable;
  point_status_history: PointStatusHistoryTable;
  point_factor: PointFactorTable;
  permit: PermitTable;
  permit_allowance: PermitAllowanceTable;
  contractor: ContractorTable;
  contract: ContractTable;
  /** A view over `obs_realtime_pack` (migration 0016): read it, write through ObservationRepository. */
  obs_realtime: ObservationTable;
  obs_realtime_pack: ObservationPackTable;
  /** The packs read by point (migration 0019; on SQLite through the index file: realtime-point-index.ts). */
  obs_realtime_pack_by_point: ObservationPackTable;
  obs_minute: ObservationTable;
  obs_hour: ObservationTable;
  obs_day: ObservationTable;
  raw_frame: RawFrameTable;
  frame_chain_head: FrameChainHeadTable;
  raw_frame_device: RawFrameDeviceTable;
  frame_index_state: FrameIndexStateTable;
  device_info: DeviceInfoTable;
  device_param_baseline: DeviceParamBaselineTable;
  retention_policy: RetentionPolicyTable;
  device_event: DeviceEventTable;
  device_presence: DevicePresenceTable;
  facility_run_state: FacilityRunStateTable;
  facility_run_time: FacilityRunTimeTable;
  downlink_command: DownlinkCommandTable;
  forward_target: ForwardTargetTable;
  forward_target_point: ForwardTargetPointTable;
  forward_target_region: ForwardTargetRegionTable;
  forward_cursor: ForwardCursorTable;
  forward_given_up: ForwardGivenUpTable;
  mark: MarkTable;
  manual_record: ManualRecordTable;
  tip_off: TipOffTable;
  tip_attachment: TipAttachmentTable;
  alarm: AlarmTable;
  period_judgement: PeriodJudgementTable;
  transmission_day: TransmissionDayTable;
  emission_hour: EmissionHourTable;
  user_account: UserAccountTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
  rule_setting: RuleSettingTable;
}

export const OBSERVATION_TABLES = {
  realtime: 'obs_realtime',
  minute: 'obs_minute',
  hour: 'obs_hour',
  day: 'obs_day',
} as const;
export type ObservationPeriod = keyof typeof OBSERVATION_TABLES;
