import type { Message } from '@qingyuan/hj212';
import type { IngestResult } from '@qingyuan/store';
import type { ClockSkewLog } from './clock-skew.js';
import type { CommandService } from './commands.js';
import type { ResolvedOptions } from './config.js';
import type { CredentialCache, Device } from './credentials.js';
import type { DuplicateFilter } from './duplicates.js';
import type { GatewayCode } from './errors.js';
import type { IngestQueue, IngestUnit } from './ingest-queue.js';
import type { ConnectionRegistry } from './presence.js';
import type { Session } from './session.js';
import type { AuthThrottle } from './throttle.js';

export interface GatewayCounters {
  connections: number;
  refused: number;
  frames: number;
  accepted: number;
  duplicates: number;
  discarded: number;
  replies: number;
  commitFailures: number;
  rejected: Record<string, number>;
}

/** What a session needs from the gateway it belongs to. */
export interface GatewayServices {
  readonly options: ResolvedOptions;
  readonly credentials: CredentialCache;
  readonly throttle: AuthThrottle;
  readonly queue: IngestQueue;
  readonly registry: ConnectionRegistry;
  readonly commands: CommandService;
  readonly duplicates: DuplicateFilter;
  readonly clockSkews: ClockSkewLog;
  readonly counters: GatewayCounters;
  sessionClosed(session: Session, reason: string): void;
  authFailed(
    session: Session,
    message: Message,
    device: Device | undefined,
    code: GatewayCode,
    at: number,
  ): void;
  clockSkewed(device: Device, skewMs: number): void;
  timeRequested(device: Device): void;
  commitFailed(session: Session, error: unknown): void;
  /** A unit is durable (its replies go out next). */
  committed(unit: IngestUnit, result: IngestResult): void;
}
