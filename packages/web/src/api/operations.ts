// Shapes of the answers read by the operations pages (智能监控, 原始报文, 反控, 系统管理): see docs/api.md and
// packages/server/src/services/monitoring/{device-info,frames}.ts, command-service.ts, audit-service.ts,
// system-service.ts and accounts/account-service.ts.

/** GET /points/:id/device-info item (CN 3020). */
export interface DeviceInfoItem {
  readonly polId: string;
  readonly infoCode: string;
  readonly name: string | null;
  readonly infoClass: 'log' | 'state' | 'parameter' | 'other';
  readonly unit: string;
  readonly value: string;
  readonly valueName: string | null;
  readonly observedAt: number | null;
  readonly receivedAt: number;
}

export interface DeviceInfoNow {
  readonly pointId: number;
  readonly states: readonly DeviceInfoItem[];
  readonly parameters: readonly DeviceInfoItem[];
  readonly logs: readonly DeviceInfoItem[];
  readonly other: readonly DeviceInfoItem[];
}

/** GET /points/:id/parameter-changes. */
export interface ParameterChanges {
  readonly pointId: number;
  readonly from: number;
  readonly to: number;
  readonly differences: readonly {
    readonly polId: string;
    readonly infoCode: string;
    readonly name: string | null;
    readonly filed: string | null;
    readonly current: string | null;
    readonly currentSince: number | null;
  }[];
  readonly changes: readonly {
    readonly polId: string;
    readonly infoCode: string;
    readonly name: string | null;
    readonly at: number;
    readonly previous: string | null;
    readonly value: string;
    readonly baseline: string | null;
    readonly changed: boolean;
    readonly offBaseline: boolean;
  }[];
}

/** The frame verdicts of the store (FRAME_VERDICTS). */
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

/** GET /frames row. */
export interface FrameSummary {
  readonly id: number;
  readonly receivedAt: number;
  readonly peer: string;
  readonly mn: string | null;
  readonly cn: string | null;
  readonly qn: string | null;
  readonly verdict: string;
  readonly errorCode: string | null;
  readonly length: number;
  readonly text: string;
}

/** GET /frames/:id. */
export interface FrameDetail extends FrameSummary {
  readonly decoded: Record<string, unknown>;
  readonly chain: {
    readonly day: string;
    readonly sha256: string;
    readonly prevHash: string;
    readonly recordIntact: boolean;
    readonly linkIntact: boolean;
  };
}

/** The command states of the store (COMMAND_STATES). */
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
export const FINAL_COMMAND_STATES: readonly CommandState[] = [
  'rejected',
  'succeeded',
  'failed',
  'timed-out',
  'offline',
];

/** GET /commands row, GET /commands/:id, POST /points/:id/commands answer. */
export interface CommandView {
  readonly id: number;
  readonly pointId: number;
  readonly mn: string;
  readonly command: string;
  readonly cn: string;
  readonly qn: string;
  readonly params: Record<string, unknown>;
  readonly purpose: 'operator' | 'backfill' | 'time-sync';
  readonly requestedBy: string;
  readonly requestedAt: number;
  readonly state: CommandState;
  readonly attempts: number;
  readonly qnRtn: number | null;
  readonly exeRtn: number | null;
  readonly result: Record<string, unknown> | null;
  readonly errorCode: string | null;
  readonly updatedAt: number;
  readonly finishedAt: number | null;
}

/** The roles of the store (ROLES). */
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

/** GET /users row. */
export interface UserView {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly regionCode: string | null;
  readonly enterpriseId: number | null;
  readonly contractorId: number | null;
  readonly status: 'active' | 'disabled';
  readonly mustChangePassword: boolean;
  readonly lockedUntil: number | null;
  readonly lastLoginAt: number | null;
  readonly createdAt: number;
}

export interface UserInput {
  readonly username?: string;
  readonly displayName?: string;
  readonly role?: Role;
  readonly status?: 'active' | 'disabled';
  readonly regionCode?: string | null;
  readonly enterpriseId?: number | null;
  readonly contractorId?: number | null;
}

/** GET /audit row. */
export interface AuditView {
  readonly id: number;
  readonly at: number;
  readonly actor: string;
  readonly actorName: string;
  readonly action: string;
  readonly entity: string;
  readonly entityId: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly peer: string | null;
  readonly hash: string;
}

/** GET /audit/verify. */
export interface AuditVerification {
  readonly ok: boolean;
  readonly records: number;
  readonly brokenAt?: number;
  readonly reason?: 'hash' | 'link';
}

export interface ForwarderStats {
  readonly targetId: number;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly connected: boolean;
  readonly sent: number;
  readonly acked: number;
  readonly retries: number;
  readonly reconnects: number;
  readonly givenUp: number;
  readonly [key: string]: unknown;
}

/** GET /system/status (gateway null when no gateway runs in the process). */
export interface PlatformStatus {
  readonly generatedAt: number;
  readonly gateway:
    | (Record<string, number | Record<string, number>> & {
        readonly rejected: Record<string, number>;
        readonly port: number;
      })
    | null;
  readonly registry?: { readonly enterprises: number; readonly points: number };
  readonly online?: readonly {
    readonly mn: string;
    readonly since: number;
    readonly lastSeenAt: number;
    readonly peer: string;
    readonly protocolVersion: string;
    readonly framesReceived: number;
  }[];
  readonly forwarding?: readonly ForwarderStats[];
  readonly recentFrames?: readonly {
    readonly id: number;
    readonly receivedAt: number;
    readonly mn: string | null;
    readonly cn: string | null;
    readonly verdict: string;
    readonly errorCode: string | null;
  }[];
}
