import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
import { POINT_STATUSES, type PointStatus } from '../schema.js';
import { optionalText, requireOneOf, requireText } from './common.js';
import { factorRows, factorView, type PointFactorInput, type PointFactorView } from './point-factors.js';
import {
  checkPointReferences,
  POINT_COLUMNS,
  type PointCredentials,
  type PointInput,
  type PointPatch,
  type PointStatusChange,
  type PointView,
  PROTOCOL_VERSIONS,
  pointColumns,
  pointView,
  requirePoint,
  requireSecret,
  splitCrcVariants,
  splitPeers,
} from './point-fields.js';

export type { PointFactorInput, PointFactorView } from './point-factors.js';
export type {
  PointCredentials,
  PointInput,
  PointPatch,
  PointStatusChange,
  PointView,
  ProtocolVersion,
} from './point-fields.js';
export { PROTOCOL_VERSIONS } from './point-fields.js';

/**
 * Monitoring points (监测点位), their status history and factors. The HJ 212 password is a secret: no
 * ordinary read selects it (`PointView` has no such field); only `credentials`, for the gateway, does.
 */
export class PointRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Creates the point and its first status-history row (stamped `now`). */
  async create(input: PointInput, now: number): Promise<PointView> {
    requireText('name', input.name);
    requireText('mn', input.mn);
    requireSecret(input.password);
    requireOneOf('protocolVersion', input.protocolVersion, PROTOCOL_VERSIONS);
    requireOneOf('status', input.status, POINT_STATUSES);
    const values = pointColumns(input);
    if (values.outlet_id === undefined)
      throw new StoreError('STORE_E_INVALID', { field: 'outletId', value: input.outletId });
    const outletId = values.outlet_id;
    return this.#store.db.transaction().execute(async (trx) => {
      await checkPointReferences(trx, values);
      const row = await trx
        .insertInto('monitoring_point')
        .values({
          outlet_id: outletId,
          name: values.name as string,
          mn: values.mn as string,
          password: values.password as string,
          protocol_version: input.protocolVersion,
          crc_variants: values.crc_variants ?? 'hj212',
          realtime_interval_s: values.realtime_interval_s ?? 30,
          minute_interval_min: values.minute_interval_min ?? 10,
          in_service_on: values.in_service_on ?? null,
          accepted_on: values.accepted_on ?? null,
          filed_on: values.filed_on ?? null,
          status: input.status,
          allowed_peers: values.allowed_peers ?? null,
          created_at: now,
          updated_at: now,
        })
        .returning(POINT_COLUMNS)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('point_status_history')
        .values({ point_id: Number(row.id), status: input.status, changed_at: now, reason: null })
        .execute();
      return pointView(row);
    });
  }

  async get(id: number): Promise<PointView | undefined> {
    const row = await this.#store.db
      .selectFrom('monitoring_point')
      .select(POINT_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : pointView(row);
  }

  async byMn(mn: string): Promise<PointView | undefined> {
    const row = await this.#store.db
      .selectFrom('monitoring_point')
      .select(POINT_COLUMNS)
      .where('mn', '=', mn)
      .executeTakeFirst();
    return row === undefined ? undefined : pointView(row);
  }

  /** The outlet's points, by id. */
  async byOutlet(outletId: number): Promise<PointView[]> {
    const rows = await this.#store.db
      .selectFrom('monitoring_point')
      .select(POINT_COLUMNS)
      .where('outlet_id', '=', outletId)
      .orderBy('id')
      .execute();
    return rows.map(pointView);
  }

  /** For the gateway only: the password and the protocol settings of an MN. */
  async credentials(mn: string): Promise<PointCredentials | undefined> {
    const row = await this.#store.db
      .selectFrom('monitoring_point')
      .select(['id', 'mn', 'password', 'protocol_version', 'crc_variants', 'allowed_peers', 'status'])
      .where('mn', '=', mn)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      pointId: Number(row.id),
      mn: row.mn,
      password: row.password,
      protocolVersion: row.protocol_version,
      crcVariants: splitCrcVariants(row.crc_variants),
      allowedPeers: splitPeers(row.allowed_peers),
      status: row.status,
    };
  }

  /** Changes the non-secret fields given and stamps `updated_at`; returns the point as it now is. */
  async update(pointId: number, patch: PointPatch, now: number): Promise<PointView> {
    const {
      password: _password,
      status: _status,
      ...allowed
    } = patch as PointPatch & { password?: unknown; status?: unknown };
    const values = pointColumns(allowed);
    return this.#store.db.transaction().execute(async (trx) => {
      await requirePoint(trx, pointId);
      await checkPointReferences(trx, values, pointId);
      const row = await trx
        .updateTable('monitoring_point')
        .set({ ...values, updated_at: now })
        .where('id', '=', pointId)
        .returning(POINT_COLUMNS)
        .executeTakeFirstOrThrow();
      return pointView(row);
    });
  }

  async setPassword(pointId: number, password: string, now: number): Promise<void> {
    const secret = requireSecret(password);
    const result = await this.#store.db
      .updateTable('monitoring_point')
      .set({ password: secret, updated_at: now })
      .where('id', '=', pointId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0)
      throw new StoreError('STORE_E_NOT_FOUND', { entity: 'monitoringPoint', id: pointId });
  }

  /**
   * Sets the point's status and appends a history row (both stamped `now`). Setting the status it already
   * has changes nothing and returns false.
   */
  async setStatus(
    pointId: number,
    status: PointStatus,
    now: number,
    reason: string | null,
  ): Promise<boolean> {
    requireOneOf('status', status, POINT_STATUSES);
    const why = optionalText('reason', reason);
    return this.#store.db.transaction().execute(async (trx) => {
      const held = await requirePoint(trx, pointId);
      if (held.status === status) return false;
      await trx
        .updateTable('monitoring_point')
        .set({ status, updated_at: now })
        .where('id', '=', pointId)
        .execute();
      await trx
        .insertInto('point_status_history')
        .values({ point_id: pointId, status, changed_at: now, reason: why })
        .execute();
      return true;
    });
  }

  /** The point's status changes, oldest first (the first is its status at creation). */
  async statusHistory(pointId: number): Promise<PointStatusChange[]> {
    const rows = await this.#store.db
      .selectFrom('point_status_history')
      .selectAll()
      .where('point_id', '=', pointId)
      .orderBy('changed_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: Number(row.id),
      status: row.status,
      changedAt: Number(row.changed_at),
      reason: row.reason,
    }));
  }

  /** Replaces the point's factors with `factors` (in one transaction). */
  async setFactors(pointId: number, factors: readonly PointFactorInput[]): Promise<void> {
    const rows = factorRows(pointId, factors);
    await this.#store.db.transaction().execute(async (trx) => {
      await requirePoint(trx, pointId);
      await trx.deleteFrom('point_factor').where('point_id', '=', pointId).execute();
      if (rows.length > 0) await trx.insertInto('point_factor').values(rows).execute();
    });
  }

  /** The point's factors, by factor code. */
  async factors(pointId: number): Promise<PointFactorView[]> {
    const rows = await this.#store.db
      .selectFrom('point_factor')
      .selectAll()
      .where('point_id', '=', pointId)
      .orderBy('factor_code')
      .execute();
    return rows.map(factorView);
  }
}
