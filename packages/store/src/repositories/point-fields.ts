import { type CrcVariant, isCrcVariant } from '@qingyuan/hj212';
import type { Kysely, Selectable } from 'kysely';
import { StoreError } from '../errors.js';
import { type Database, type MonitoringPointTable, POINT_STATUSES, type PointStatus } from '../schema.js';
import { optionalDate, requireId, requireInteger, requireOneOf, requireText } from './common.js';

/** Types, row mapping and checks of monitoring points (used by `PointRepository`). */

export type { PointFactorInput, PointFactorView } from './point-factors.js';

export type ProtocolVersion = MonitoringPointTable['protocol_version'];
export const PROTOCOL_VERSIONS = ['2005', '2017', '2025'] as const satisfies readonly ProtocolVersion[];

/** A 监测点位 (`monitoringPoint`) as ordinary reads return it: never with its password. */
export interface PointView {
  readonly id: number;
  readonly outletId: number;
  readonly name: string;
  readonly mn: string;
  readonly protocolVersion: ProtocolVersion;
  readonly crcVariants: CrcVariant[];
  readonly realtimeIntervalS: number;
  readonly minuteIntervalMin: number;
  readonly inServiceOn: string | null;
  readonly acceptedOn: string | null;
  readonly filedOn: string | null;
  readonly status: PointStatus;
  /** Peer addresses the gateway accepts this MN from, or null for any. */
  readonly allowedPeers: string[] | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface PointInput {
  readonly outletId: number;
  readonly name: string;
  readonly mn: string;
  /** HJ 212 access password (PW). */
  readonly password: string;
  readonly protocolVersion: ProtocolVersion;
  /** Default ['hj212']. */
  readonly crcVariants?: readonly CrcVariant[];
  /** Default 30. */
  readonly realtimeIntervalS?: number;
  /** Default 10. */
  readonly minuteIntervalMin?: number;
  readonly inServiceOn?: string | null;
  readonly acceptedOn?: string | null;
  readonly filedOn?: string | null;
  readonly status: PointStatus;
  /** Null or absent: any peer. */
  readonly allowedPeers?: readonly string[] | null;
}

/** The non-secret fields `update` changes; status goes through `setStatus`, the password through `setPassword`. */
export type PointPatch = Partial<Omit<PointInput, 'password' | 'status'>>;

/** What the gateway needs to authenticate and decode a data logger's frames. */
export interface PointCredentials {
  readonly pointId: number;
  readonly mn: string;
  readonly password: string;
  readonly protocolVersion: ProtocolVersion;
  readonly crcVariants: CrcVariant[];
  readonly allowedPeers: string[] | null;
  readonly status: PointStatus;
}

export interface PointStatusChange {
  readonly id: number;
  readonly status: PointStatus;
  readonly changedAt: number;
  readonly reason: string | null;
}

/** Every column but the password: what ordinary reads select. */
export const POINT_COLUMNS = [
  'id',
  'outlet_id',
  'name',
  'mn',
  'protocol_version',
  'crc_variants',
  'realtime_interval_s',
  'minute_interval_min',
  'in_service_on',
  'accepted_on',
  'filed_on',
  'status',
  'allowed_peers',
  'created_at',
  'updated_at',
] as const satisfies readonly Exclude<keyof MonitoringPointTable, 'password'>[];

export type PointRow = Omit<Selectable<MonitoringPointTable>, 'password'>;
export type PointColumns = Partial<
  Omit<Selectable<MonitoringPointTable>, 'id' | 'created_at' | 'updated_at'>
>;

export function splitCrcVariants(text: string): CrcVariant[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(isCrcVariant);
}

export function splitPeers(text: string | null): string[] | null {
  if (text === null) return null;
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

export function pointView(row: PointRow): PointView {
  return {
    id: Number(row.id),
    outletId: Number(row.outlet_id),
    name: row.name,
    mn: row.mn,
    protocolVersion: row.protocol_version,
    crcVariants: splitCrcVariants(row.crc_variants),
    realtimeIntervalS: Number(row.realtime_interval_s),
    minuteIntervalMin: Number(row.minute_interval_min),
    inServiceOn: row.in_service_on,
    acceptedOn: row.accepted_on,
    filedOn: row.filed_on,
    status: row.status,
    allowedPeers: splitPeers(row.allowed_peers),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function crcColumn(value: unknown): string {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isCrcVariant)) {
    throw new StoreError('STORE_E_INVALID', { field: 'crcVariants', value });
  }
  return [...new Set(value)].join(',');
}

function peersColumn(value: unknown): string | null {
  if (value === null) return null;
  if (!Array.isArray(value)) throw new StoreError('STORE_E_INVALID', { field: 'allowedPeers', value });
  const peers = value.map((peer) => requireText('allowedPeers', peer));
  if (peers.some((peer) => peer.includes(',')))
    throw new StoreError('STORE_E_INVALID', { field: 'allowedPeers', value });
  return peers.join(',');
}

/** The validated columns of a point input or patch (only the fields given). */
export function pointColumns(patch: PointPatch & { password?: string; status?: PointStatus }): PointColumns {
  const out: PointColumns = {};
  if (patch.outletId !== undefined) out.outlet_id = requireId('outletId', patch.outletId);
  if (patch.name !== undefined) out.name = requireText('name', patch.name);
  if (patch.mn !== undefined) out.mn = requireText('mn', patch.mn);
  if (patch.password !== undefined) out.password = requireSecret(patch.password);
  if (patch.protocolVersion !== undefined) {
    out.protocol_version = requireOneOf('protocolVersion', patch.protocolVersion, PROTOCOL_VERSIONS);
  }
  if (patch.crcVariants !== undefined) out.crc_variants = crcColumn(patch.crcVariants);
  if (patch.realtimeIntervalS !== undefined) {
    out.realtime_interval_s = requireInteger('realtimeIntervalS', patch.realtimeIntervalS, 1);
  }
  if (patch.minuteIntervalMin !== undefined) {
    out.minute_interval_min = requireInteger('minuteIntervalMin', patch.minuteIntervalMin, 1, 60);
  }
  if (patch.inServiceOn !== undefined) out.in_service_on = optionalDate('inServiceOn', patch.inServiceOn);
  if (patch.acceptedOn !== undefined) out.accepted_on = optionalDate('acceptedOn', patch.acceptedOn);
  if (patch.filedOn !== undefined) out.filed_on = optionalDate('filedOn', patch.filedOn);
  if (patch.status !== undefined) out.status = requireOneOf('status', patch.status, POINT_STATUSES);
  if (patch.allowedPeers !== undefined) out.allowed_peers = peersColumn(patch.allowedPeers);
  return out;
}

/** A password is kept exactly as given (it is compared with the frame's PW), but may not be blank. */
export function requireSecret(value: unknown): string {
  // The value is deliberately not echoed in the error detail.
  if (typeof value !== 'string' || value.trim().length === 0)
    throw new StoreError('STORE_E_INVALID', { field: 'password' });
  return value;
}

export async function requirePoint(db: Kysely<Database>, pointId: number): Promise<{ status: PointStatus }> {
  const held = await db
    .selectFrom('monitoring_point')
    .select('status')
    .where('id', '=', pointId)
    .executeTakeFirst();
  if (held === undefined)
    throw new StoreError('STORE_E_NOT_FOUND', { entity: 'monitoringPoint', id: pointId });
  return held;
}

/** The outlet must exist and the MN must be free (checked here, not left to the driver's error). */
export async function checkPointReferences(
  db: Kysely<Database>,
  values: PointColumns,
  selfId?: number,
): Promise<void> {
  if (values.outlet_id !== undefined) {
    const outlet = await db
      .selectFrom('outlet')
      .select('id')
      .where('id', '=', values.outlet_id)
      .executeTakeFirst();
    if (outlet === undefined)
      throw new StoreError('STORE_E_REFERENCE', { field: 'outletId', value: values.outlet_id });
  }
  if (values.mn !== undefined) {
    let query = db.selectFrom('monitoring_point').select('id').where('mn', '=', values.mn);
    if (selfId !== undefined) query = query.where('id', '<>', selfId);
    if ((await query.executeTakeFirst()) !== undefined)
      throw new StoreError('STORE_E_DUPLICATE', { field: 'mn', value: values.mn });
  }
}
