import {
  type CompiledQuery,
  type Kysely,
  type RawBuilder,
  type Selectable,
  sql,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { Store } from '../database.js';
import type { DialectName } from '../dialect.js';
import { StoreError } from '../errors.js';
import type { Database, ForwardTargetTable } from '../schema.js';
import { requireId, requireInteger, requireText, requireTextList } from './common.js';

/**
 * CNs of the data uploads forwarded upstream (HJ 212-2017 表 9 uploads, the 2005 alarm uploads 2071/2072
 * and the 2025 additions): the same codes, in the same order, as the `raw_frame_forward` partial index of
 * migrations 0006 (PostgreSQL) and 0017 (SQLite), so that both planners can prove the index covers the
 * query. Replies, heartbeats and answers to the platform's own requests are not forwarded.
 */
export const FORWARDED_CNS = [
  '2011',
  '2013',
  '2021',
  '2031',
  '2041',
  '2051',
  '2052',
  '2061',
  '2062',
  '2071',
  '2072',
  '2081',
  '2111',
  '3019',
  '3020',
] as const;

/**
 * The partial index's predicate, written with literals (a bound parameter would not let SQLite match the
 * index's WHERE, nor PostgreSQL prove the implication for a generic plan), as each dialect's index has it:
 * on SQLite with ORs (migration 0017: an IN list there costs every insert a temporary table), on
 * PostgreSQL with IN.
 */
const FORWARDABLE: Readonly<Record<DialectName, RawBuilder<boolean>>> = {
  sqlite: sql<boolean>`raw_frame.verdict = 'accepted' and (${sql.raw(
    FORWARDED_CNS.map((cn) => `raw_frame.cn = '${cn}'`).join(' or '),
  )})`,
  postgres: sql<boolean>`raw_frame.verdict = 'accepted' and raw_frame.cn in (${sql.raw(
    FORWARDED_CNS.map((cn) => `'${cn}'`).join(', '),
  )})`,
};

/** An upstream platform (转发目标) and what it receives. */
export interface ForwardTargetView {
  readonly id: number;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Wait for the upstream's 9014 on frames that ask for one (Flag A = 1). */
  readonly waitAck: boolean;
  readonly enabled: boolean;
  /** Current MNs of the target's monitoring points, sorted. */
  readonly mns: readonly string[];
  /** Region codes whose whole subtree's enterprises' points are forwarded, sorted. */
  readonly regions: readonly string[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface ForwardTargetInput {
  /** Unique, chosen by the operator (e.g. `national`, `wuhan-city`). */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly waitAck?: boolean;
  readonly enabled?: boolean;
  /** Monitoring points by MN (kept by point id, so a replaced data logger's new MN is followed). */
  readonly mns?: readonly string[];
  /** Region codes (GB/T 2260); every point of every enterprise in the subtree is forwarded. */
  readonly regions?: readonly string[];
  /**
   * Where forwarding starts. Default: from now on (the cursor starts at the newest forwardable frame; a
   * platform added later wants current data). `since` (epoch ms) replays the frames received at or after
   * it that are still in the archive; `fromFrameId` starts at that frame id (inclusive). At most one.
   */
  readonly since?: number;
  readonly fromFrameId?: number;
}

/** Fields to change; `mns` and `regions`, when given, replace the whole list. */
export interface ForwardTargetPatch {
  readonly name?: string;
  readonly host?: string;
  readonly port?: number;
  readonly waitAck?: boolean;
  readonly enabled?: boolean;
  readonly mns?: readonly string[];
  readonly regions?: readonly string[];
}

/** One archived frame to forward, with its original bytes. */
export interface ForwardFrame {
  readonly id: number;
  readonly mn: string | null;
  readonly cn: string | null;
  readonly qn: string | null;
  readonly bytes: Uint8Array;
  /** Flag bit A of the frame: the data logger asked for a 9014 (so the upstream will send one). */
  readonly wantsAck: boolean;
  readonly receivedAt: number;
}

export interface ForwardBatch {
  /** The next frames of the target after the position asked for, in id order. */
  readonly frames: ForwardFrame[];
  /**
   * Every forwardable frame with id ≤ `through` was looked at: the position may move here once `frames`
   * are dealt with, even when none of the frames in between belong to the target.
   */
  readonly through: number;
}

export interface ForwardLag {
  /** Frames of the target after its cursor. */
  readonly frames: number;
  /** Receipt time of the oldest of them, or null when none is pending. */
  readonly oldestReceivedAt: number | null;
  /** Age of that frame at `now`, in seconds (0 when none is pending). */
  readonly seconds: number;
}

export interface ForwardGivenUpView {
  readonly frameId: number;
  readonly attempts: number;
  readonly lastError: string;
  readonly at: number;
}

/** At most this many forwardable frames (of any device) are looked at per `nextFrames` call. */
export const DEFAULT_SCAN_LIMIT = 5000;

/**
 * Upstream forwarding (数据转发): targets, their durable cursors in the raw frame archive, and the frames
 * given up on. The forwarder reads the archive in id order through the `raw_frame_forward` partial index;
 * the cursor only ever moves forward.
 */
export class ForwardingRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Creates a target and its cursor (see `ForwardTargetInput.since`/`fromFrameId` for where it starts). */
  async createTarget(input: ForwardTargetInput, now: number): Promise<ForwardTargetView> {
    const name = requireText('name', input.name);
    const host = requireText('host', input.host);
    const port = requireInteger('port', input.port, 1, 65535);
    const mns = requireTextList('mns', input.mns ?? []);
    const regions = requireTextList('regions', input.regions ?? []);
    requireScope(mns, regions);
    if (input.since !== undefined && input.fromFrameId !== undefined)
      throw new StoreError('STORE_E_INVALID', {
        field: 'since',
        problem: 'give since or fromFrameId, not both',
      });
    if (input.since !== undefined) requireInteger('since', input.since, 0);
    if (input.fromFrameId !== undefined) requireId('fromFrameId', input.fromFrameId);
    const id = await this.#store.db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('forward_target')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirst();
      if (taken !== undefined) throw new StoreError('STORE_E_DUPLICATE', { field: 'name', value: name });
      const pointIds = await pointIdsOf(trx, mns);
      await requireRegions(trx, regions);
      const row = await trx
        .insertInto('forward_target')
        .values({
          name,
          host,
          port,
          wait_ack: input.waitAck === true ? 1 : 0,
          enabled: input.enabled === false ? 0 : 1,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const targetId = Number(row.id);
      await replaceScope(trx, targetId, pointIds, regions);
      await trx
        .insertInto('forward_cursor')
        .values({
          target_id: targetId,
          last_frame_id: await startCursor(trx, this.#store.dialect, input),
          updated_at: now,
        })
        .execute();
      return targetId;
    });
    return this.#view(id);
  }

  /** Changes the fields given and stamps `updated_at`; returns the target as it now is. */
  async updateTarget(
    target: number | string,
    patch: ForwardTargetPatch,
    now: number,
  ): Promise<ForwardTargetView> {
    const id = await this.#store.db.transaction().execute(async (trx) => {
      const row = await findTarget(trx, target);
      if (row === undefined) throw new StoreError('STORE_E_FORWARD_TARGET_UNKNOWN', { target });
      const targetId = Number(row.id);
      const values: Updateable<ForwardTargetTable> = {};
      if (patch.name !== undefined) {
        const name = requireText('name', patch.name);
        const taken = await trx
          .selectFrom('forward_target')
          .select('id')
          .where('name', '=', name)
          .where('id', '<>', targetId)
          .executeTakeFirst();
        if (taken !== undefined) throw new StoreError('STORE_E_DUPLICATE', { field: 'name', value: name });
        values.name = name;
      }
      if (patch.host !== undefined) values.host = requireText('host', patch.host);
      if (patch.port !== undefined) values.port = requireInteger('port', patch.port, 1, 65535);
      if (patch.waitAck !== undefined) values.wait_ack = patch.waitAck ? 1 : 0;
      if (patch.enabled !== undefined) values.enabled = patch.enabled ? 1 : 0;
      if (patch.mns !== undefined || patch.regions !== undefined) {
        const current = await scopeOf(trx, targetId);
        const mns = patch.mns === undefined ? current.mns : requireTextList('mns', patch.mns);
        const regions =
          patch.regions === undefined ? current.regions : requireTextList('regions', patch.regions);
        requireScope(mns, regions);
        const pointIds = await pointIdsOf(trx, mns);
        await requireRegions(trx, regions);
        await replaceScope(trx, targetId, pointIds, regions);
      }
      await trx
        .updateTable('forward_target')
        .set({ ...values, updated_at: now })
        .where('id', '=', targetId)
        .execute();
      return targetId;
    });
    return this.#view(id);
  }

  /** Deletes a target with its cursor, scope and given-up records. */
  async deleteTarget(target: number | string): Promise<void> {
    await this.#store.db.transaction().execute(async (trx) => {
      const row = await findTarget(trx, target);
      if (row === undefined) throw new StoreError('STORE_E_FORWARD_TARGET_UNKNOWN', { target });
      const id = Number(row.id);
      // Explicit rather than relying on ON DELETE CASCADE alone (SQLite enforces it only with foreign_keys=ON).
      for (const table of [
        'forward_target_point',
        'forward_target_region',
        'forward_cursor',
        'forward_given_up',
      ] as const)
        await trx.deleteFrom(table).where('target_id', '=', id).execute();
      await trx.deleteFrom('forward_target').where('id', '=', id).execute();
    });
  }

  /** A target by id or name, or undefined. */
  async getTarget(target: number | string): Promise<ForwardTargetView | undefined> {
    const row = await findTarget(this.#store.db, target);
    return row === undefined ? undefined : this.#view(Number(row.id), row);
  }

  /** Every target (or only the enabled ones), by name. */
  async listTargets(options: { enabledOnly?: boolean } = {}): Promise<ForwardTargetView[]> {
    let query = this.#store.db.selectFrom('forward_target').selectAll();
    if (options.enabledOnly === true) query = query.where('enabled', '=', 1);
    const rows = await query.orderBy('name').execute();
    const out: ForwardTargetView[] = [];
    for (const row of rows) out.push(await this.#view(Number(row.id), row));
    return out;
  }

  /** The target's durable cursor: every forwardable frame with id ≤ it is dealt with. */
  async cursor(targetId: number): Promise<number> {
    const row = await this.#store.db
      .selectFrom('forward_cursor')
      .select('last_frame_id')
      .where('target_id', '=', targetId)
      .executeTakeFirst();
    if (row === undefined) throw new StoreError('STORE_E_FORWARD_TARGET_UNKNOWN', { target: targetId });
    return Number(row.last_frame_id);
  }

  /**
   * The target's next frames after `after` (default: its cursor), in id order: accepted data uploads of its
   * points (by their current MN) and of the points of enterprises in its regions' subtrees. At most
   * `scanLimit` forwardable frames of any device are looked at, so a target with few devices among many
   * still moves on (`through`).
   */
  async nextFrames(
    targetId: number,
    limit: number,
    options: { after?: number; scanLimit?: number } = {},
  ): Promise<ForwardBatch> {
    requireInteger('limit', limit, 1);
    const after = options.after ?? (await this.cursor(targetId));
    const scanLimit = Math.max(1, options.scanLimit ?? DEFAULT_SCAN_LIMIT);
    const db = this.#store.db;
    // The id of the scanLimit-th forwardable frame after `after` (or of the newest): an index-only read.
    const window = await db
      .selectFrom(
        db
          .selectFrom('raw_frame')
          .select('raw_frame.id')
          .where(FORWARDABLE[this.#store.dialect])
          .where('raw_frame.id', '>', after)
          .orderBy('raw_frame.id')
          .limit(scanLimit)
          .as('scanned'),
      )
      .select((eb) => eb.fn.max('scanned.id').as('high'))
      .executeTakeFirst();
    const high = window?.high === null || window?.high === undefined ? after : Number(window.high);
    if (high <= after) return { frames: [], through: after };
    const rows = await this.#framesQuery(targetId, after, high, limit).execute();
    const frames = rows.map((row): ForwardFrame => {
      const raw = row.bytes as Uint8Array;
      const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
      return {
        id: Number(row.id),
        mn: row.mn,
        cn: row.cn,
        qn: row.qn,
        bytes,
        wantsAck: ackRequested(bytes),
        receivedAt: Number(row.received_at),
      };
    });
    const last = frames[frames.length - 1];
    return { frames, through: frames.length === limit && last !== undefined ? last.id : high };
  }

  /** The SQL `nextFrames` runs for one window, compiled (for review and for plan checks). */
  compileNextFrames(targetId: number, after: number, high: number, limit: number): CompiledQuery {
    return this.#framesQuery(targetId, after, high, limit).compile();
  }

  #framesQuery(targetId: number, after: number, high: number, limit: number) {
    const db = this.#store.db;
    return db
      .selectFrom('raw_frame')
      .select([
        'raw_frame.id',
        'raw_frame.mn',
        'raw_frame.cn',
        'raw_frame.qn',
        'raw_frame.bytes',
        'raw_frame.received_at',
      ])
      .where(FORWARDABLE[this.#store.dialect])
      .where('raw_frame.id', '>', after)
      .where('raw_frame.id', '<=', high)
      .where(frameMn(this.#store.dialect), 'in', scopeMns(db, targetId))
      .orderBy('raw_frame.id')
      .limit(limit);
  }

  /** Moves the durable cursor to `frameId`; never backwards (a lower id is ignored). */
  async advance(targetId: number, frameId: number, now: number): Promise<void> {
    await this.#store.db
      .updateTable('forward_cursor')
      .set({ last_frame_id: frameId, updated_at: now })
      .where('target_id', '=', targetId)
      .where('last_frame_id', '<', frameId)
      .execute();
  }

  /** Records a frame the target stopped trying to forward (a repeat updates the record). */
  async giveUp(
    targetId: number,
    frameId: number,
    attempts: number,
    error: string,
    now: number,
  ): Promise<void> {
    await this.#store.db
      .insertInto('forward_given_up')
      .values({ target_id: targetId, frame_id: frameId, attempts, last_error: error, at: now })
      .onConflict((oc) =>
        oc.columns(['target_id', 'frame_id']).doUpdateSet({ attempts, last_error: error, at: now }),
      )
      .execute();
  }

  /** Frames given up on, newest first. */
  async givenUp(targetId: number, limit = 100): Promise<ForwardGivenUpView[]> {
    const rows = await this.#store.db
      .selectFrom('forward_given_up')
      .selectAll()
      .where('target_id', '=', targetId)
      .orderBy('frame_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      frameId: Number(row.frame_id),
      attempts: row.attempts,
      lastError: row.last_error,
      at: Number(row.at),
    }));
  }

  /** How many frames given up on. */
  async givenUpCount(targetId: number): Promise<number> {
    const row = await this.#store.db
      .selectFrom('forward_given_up')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('target_id', '=', targetId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Frames pending for the target after `after` (default its durable cursor) and the age at `now` of the
   * oldest of them.
   */
  async lag(targetId: number, now: number, after?: number): Promise<ForwardLag> {
    const from = after ?? (await this.cursor(targetId));
    const db = this.#store.db;
    const row = await db
      .selectFrom('raw_frame')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('raw_frame.received_at').as('oldest')])
      .where(FORWARDABLE[this.#store.dialect])
      .where('raw_frame.id', '>', from)
      .where(frameMn(this.#store.dialect), 'in', scopeMns(db, targetId))
      .executeTakeFirst();
    const frames = Number(row?.n ?? 0);
    const oldest = row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest);
    return {
      frames,
      oldestReceivedAt: oldest,
      seconds: oldest === null ? 0 : Math.max(0, Math.round((now - oldest) / 1000)),
    };
  }

  async #view(id: number, row?: Selectable<ForwardTargetTable>): Promise<ForwardTargetView> {
    const db = this.#store.db;
    const target =
      row ?? (await db.selectFrom('forward_target').selectAll().where('id', '=', id).executeTakeFirst());
    if (target === undefined) throw new StoreError('STORE_E_FORWARD_TARGET_UNKNOWN', { target: id });
    const scope = await scopeOf(db, id);
    return {
      id,
      name: target.name,
      host: target.host,
      port: target.port,
      waitAck: target.wait_ack === 1,
      enabled: target.enabled === 1,
      mns: scope.mns,
      regions: scope.regions,
      createdAt: Number(target.created_at),
      updatedAt: Number(target.updated_at),
    };
  }
}

type Db = Kysely<Database> | Transaction<Database>;

async function findTarget(
  db: Db,
  target: number | string,
): Promise<Selectable<ForwardTargetTable> | undefined> {
  const query = db.selectFrom('forward_target').selectAll();
  return typeof target === 'number'
    ? query.where('id', '=', target).executeTakeFirst()
    : query.where('name', '=', target).executeTakeFirst();
}

function requireScope(mns: readonly string[], regions: readonly string[]): void {
  if (mns.length === 0 && regions.length === 0)
    throw new StoreError('STORE_E_INVALID', {
      field: 'mns',
      problem: 'a target forwards nothing without at least one MN or region',
    });
}

/** Point ids of `mns`, in order; an unregistered MN is an error naming it. */
async function pointIdsOf(db: Db, mns: readonly string[]): Promise<number[]> {
  if (mns.length === 0) return [];
  const rows = await db.selectFrom('monitoring_point').select(['id', 'mn']).where('mn', 'in', mns).execute();
  const byMn = new Map(rows.map((row) => [row.mn, Number(row.id)]));
  return mns.map((mn) => {
    const id = byMn.get(mn);
    if (id === undefined) throw new StoreError('STORE_E_FORWARD_UNKNOWN_MN', { mn });
    return id;
  });
}

async function requireRegions(db: Db, regions: readonly string[]): Promise<void> {
  if (regions.length === 0) return;
  const rows = await db.selectFrom('region').select('code').where('code', 'in', regions).execute();
  const known = new Set(rows.map((row) => row.code));
  const missing = regions.find((code) => !known.has(code));
  if (missing !== undefined) throw new StoreError('STORE_E_FORWARD_UNKNOWN_REGION', { region: missing });
}

async function replaceScope(
  db: Db,
  targetId: number,
  pointIds: readonly number[],
  regions: readonly string[],
): Promise<void> {
  await db.deleteFrom('forward_target_point').where('target_id', '=', targetId).execute();
  await db.deleteFrom('forward_target_region').where('target_id', '=', targetId).execute();
  if (pointIds.length > 0)
    await db
      .insertInto('forward_target_point')
      .values(pointIds.map((pointId) => ({ target_id: targetId, point_id: pointId })))
      .execute();
  if (regions.length > 0)
    await db
      .insertInto('forward_target_region')
      .values(regions.map((code) => ({ target_id: targetId, region_code: code })))
      .execute();
}

async function scopeOf(db: Db, targetId: number): Promise<{ mns: string[]; regions: string[] }> {
  const points = await db
    .selectFrom('forward_target_point')
    .innerJoin('monitoring_point', 'monitoring_point.id', 'forward_target_point.point_id')
    .select('monitoring_point.mn')
    .where('forward_target_point.target_id', '=', targetId)
    .execute();
  const regions = await db
    .selectFrom('forward_target_region')
    .select('region_code')
    .where('target_id', '=', targetId)
    .execute();
  // Sorted by code point in JS: the same order on both dialects whatever the collation.
  const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    mns: points.map((row) => row.mn).sort(byCodePoint),
    regions: regions.map((row) => row.region_code).sort(byCodePoint),
  };
}

/**
 * The MNs a target forwards, as a subquery: its own points, and the points of enterprises in the subtrees
 * of its regions (one recursive CTE over all of them, the same SQL on both dialects).
 */
function scopeMns(db: Kysely<Database>, targetId: number) {
  return db
    .withRecursive('forward_scope(code)', (qb) =>
      qb
        .selectFrom('forward_target_region')
        .select('forward_target_region.region_code as code')
        .where('forward_target_region.target_id', '=', targetId)
        .unionAll(
          qb
            .selectFrom('region')
            .innerJoin('forward_scope', 'forward_scope.code', 'region.parent_code')
            .select('region.code'),
        ),
    )
    .selectFrom('monitoring_point')
    .select('monitoring_point.mn')
    .where((eb) =>
      eb.or([
        eb(
          'monitoring_point.id',
          'in',
          eb
            .selectFrom('forward_target_point')
            .select('forward_target_point.point_id')
            .where('forward_target_point.target_id', '=', targetId),
        ),
        eb(
          'monitoring_point.outlet_id',
          'in',
          eb
            .selectFrom('outlet')
            .innerJoin('enterprise', 'enterprise.id', 'outlet.enterprise_id')
            .select('outlet.id')
            .where(
              'enterprise.region_code',
              'in',
              eb.selectFrom('forward_scope').select('forward_scope.code'),
            ),
        ),
      ]),
    );
}

/** Where a new target's cursor starts (see `ForwardTargetInput`). */
async function startCursor(db: Db, dialect: DialectName, input: ForwardTargetInput): Promise<number> {
  if (input.fromFrameId !== undefined) return input.fromFrameId - 1;
  if (input.since !== undefined) {
    // The frame before the first one received at or after `since`; ids follow receipt order.
    const first = await db
      .selectFrom('raw_frame')
      .select((eb) => eb.fn.min('raw_frame.id').as('id'))
      .where(FORWARDABLE[dialect])
      .where('raw_frame.received_at', '>=', input.since)
      .executeTakeFirst();
    if (first?.id !== null && first?.id !== undefined) return Number(first.id) - 1;
  }
  const newest = await db
    .selectFrom('raw_frame')
    .select((eb) => eb.fn.max('raw_frame.id').as('id'))
    .where(FORWARDABLE[dialect])
    .executeTakeFirst();
  return newest?.id === null || newest?.id === undefined ? 0 : Number(newest.id);
}

/**
 * `raw_frame.mn` for the scope test. On SQLite it is written `+raw_frame.mn`: the unary plus keeps the
 * planner off `raw_frame_mn_time` (mn, received_at), which would read every archived frame of every MN of
 * the target and sort them, instead of walking `raw_frame_forward` in id order from the cursor.
 */
function frameMn(dialect: DialectName): RawBuilder<string | null> {
  return dialect === 'sqlite' ? sql<string | null>`+raw_frame.mn` : sql<string | null>`raw_frame.mn`;
}

const latin1 = new TextDecoder('latin1');

/**
 * Flag bit A of a frame (HJ 212-2017 表 3: "A：命令是否应答；Bit：1-应答"), read from the header part of the
 * data segment (before `CP=&&`). No Flag means no acknowledgement (HJ/T 212-2005 uploads).
 */
export function ackRequested(bytes: Uint8Array): boolean {
  // "##" + 4 length digits, then the header; a header is far shorter than 256 bytes.
  const head = latin1.decode(bytes.subarray(6, Math.min(bytes.length, 6 + 256)));
  const cp = head.indexOf('CP=&&');
  const match = /(?:^|;)\s*Flag\s*=\s*(\d{1,3})\s*(?:;|$)/.exec(cp >= 0 ? head.slice(0, cp) : head);
  return match !== null && (Number(match[1]) & 1) === 1;
}
