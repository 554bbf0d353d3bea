// The shapes of the answers the web application reads (docs/api.md, OpenAPI at /api/docs).

export type Permission =
  | 'registry.read'
  | 'registry.write'
  | 'reference.write'
  | 'data.read'
  | 'frames.read'
  | 'commands.send'
  | 'marks.write'
  | 'marks.decide'
  | 'rules.read'
  | 'rules.write'
  | 'users.manage'
  | 'audit.read'
  | 'system.read'
  | 'self.manage'
  | 'public.read';

export interface Me {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: string;
  readonly regionCode: string | null;
  readonly enterpriseId: number | null;
  readonly contractorId: number | null;
  readonly mustChangePassword: boolean;
  readonly permissions: readonly Permission[];
  readonly csrfToken: string;
}

export interface LoginAnswer {
  readonly user: Omit<Me, 'permissions' | 'csrfToken'>;
  readonly csrfToken: string;
  readonly expiresAt: number;
}

export interface PublicSummary {
  readonly generatedAt: number;
  readonly registry: { readonly enterprises: number; readonly points: number };
  readonly online: number;
  readonly frames: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly forwardingTargets: number;
}

export interface AlarmSummary {
  readonly total: { readonly open: number; readonly closed: number };
  readonly byType: readonly { readonly type: string; readonly open: number; readonly closed: number }[];
}

export interface LiveFactor {
  readonly factorCode: string;
  readonly unit: string;
  readonly value: number | null;
  readonly corrected: number | null;
  readonly flag: string | null;
  readonly dataTime: number | null;
  readonly ageMs: number | null;
  readonly limit: {
    readonly upper: number | null;
    readonly lower: number | null;
    readonly onCorrected: boolean;
  };
  readonly exceeding: boolean | null;
}

export interface LivePoint {
  readonly pointId: number;
  readonly pointName: string;
  readonly mn: string;
  readonly status: string;
  readonly outletId: number;
  readonly outletCode: string;
  readonly medium: string;
  readonly enterpriseId: number;
  readonly enterpriseName: string;
  readonly regionCode: string;
  readonly online: boolean;
  readonly since: number | null;
  readonly lastSeenAt: number | null;
  readonly factors: readonly LiveFactor[];
}

export interface LiveStatus {
  readonly at: number;
  readonly points: readonly LivePoint[];
}

export interface Enterprise {
  readonly id: number;
  readonly name: string;
  readonly regionCode: string;
  readonly address: string | null;
  readonly longitude: number | null;
  readonly latitude: number | null;
  readonly status: string;
}

/** GET /live/events `latest`. */
export interface LatestEvent {
  readonly type: 'latest';
  readonly pointId: number;
  readonly values: readonly {
    readonly factor: string;
    readonly value: number | null;
    readonly flag: string | null;
    readonly dataTime: number;
  }[];
}

/** GET /live/events `alarm`. */
export interface AlarmEvent {
  readonly type: 'alarm';
  readonly pointId: number;
  readonly alarm: {
    readonly id: number;
    readonly type: string;
    readonly factor: string | null;
    readonly openedAt: number;
    readonly closedAt: number | null;
  };
}
