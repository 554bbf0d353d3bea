import { type CrcVariant, decodeOneFrame, isCrcVariant } from '@qingyuan/hj212';
import {
  FrameDeviceIndex,
  type FrameVerdict,
  GENESIS_HASH,
  type StoredFrame,
  storedFrame,
  storedFrameHash,
} from '@qingyuan/store';
import type { Scope } from '../../access/scope.js';
import { frameJson } from '../../cli/frame-json.js';
import { QyError } from '../../errors.js';
import type { ServiceContext } from '../context.js';

export interface FrameFilter {
  readonly mn?: string;
  readonly cn?: string;
  readonly verdict?: FrameVerdict;
  readonly from?: number;
  readonly to?: number;
  readonly limit?: number;
}

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
  /** The frame as received, as text (non-UTF-8 bytes as U+FFFD). */
  readonly text: string;
}

export interface FrameDetail extends FrameSummary {
  /** What the codec reads in it (the JSON of `qingyuan hj212 decode --verbose`). */
  readonly decoded: Record<string, unknown>;
  readonly chain: {
    readonly day: string;
    readonly sha256: string;
    readonly prevHash: string;
    /** The stored fields still hash to the stored hash. */
    readonly recordIntact: boolean;
    /** The previous frame of the day (or the day's genesis) hashes to this frame's link. */
    readonly linkIntact: boolean;
  };
}

/**
 * The device's access password (HJ 212 PW) is masked in everything shown: whoever reads frames must not be
 * able to impersonate the data logger. The stored frame is untouched (its hash still verifies).
 */
const MASK = '******';
const maskText = (value: string) => value.replace(/(^|[;&])PW=[^;&]*/g, `$1PW=${MASK}`);
export function maskPasswords(value: unknown): unknown {
  if (typeof value === 'string') return maskText(value);
  if (Array.isArray(value)) return value.map(maskPasswords);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, /^pw$/i.test(k) && v !== null ? MASK : maskPasswords(v)]),
    );
  return value;
}

const text = (bytes: Uint8Array) => maskText(new TextDecoder('utf-8').decode(bytes));

function summary(row: StoredFrame): FrameSummary {
  return {
    id: Number(row.id),
    receivedAt: Number(row.received_at),
    peer: row.peer,
    mn: row.mn,
    cn: row.cn,
    qn: row.qn,
    verdict: row.verdict,
    errorCode: row.error_code,
    length: row.bytes.length,
    text: text(row.bytes),
  };
}

/**
 * The frames a scope may see: those of its points' MNs; frames of unknown devices (no registered MN) only
 * for an unrestricted scope (the province), as nobody else can be said to own them.
 */
function scopedFrames(ctx: ServiceContext, scope: Scope) {
  const query = ctx.store.db.selectFrom('raw_frame').selectAll();
  if (scope.unrestricted) return query;
  return query.where(
    'mn',
    'in',
    ctx.store.db.selectFrom('monitoring_point').select('mn').where('id', 'in', scope.pointIds()),
  );
}

/**
 * Archived frames in scope, newest first. With a device (MN) named, through the archive's device index
 * (FrameDeviceIndex: a device's frames without scanning everyone's), once the scope is known to cover it.
 */
export async function listFrames(
  ctx: ServiceContext,
  scope: Scope,
  filter: FrameFilter,
): Promise<FrameSummary[]> {
  const limit = Math.min(filter.limit ?? 200, 5000);
  if (filter.mn !== undefined) {
    if (!scope.unrestricted) {
      const inScope = await ctx.store.db
        .selectFrom('monitoring_point')
        .select('id')
        .where('mn', '=', filter.mn)
        .where('id', 'in', scope.pointIds())
        .executeTakeFirst();
      if (inScope === undefined) return [];
    }
    const rows = await new FrameDeviceIndex(ctx.store).find({
      mn: filter.mn,
      ...(filter.cn === undefined ? {} : { cn: filter.cn }),
      ...(filter.verdict === undefined ? {} : { verdict: filter.verdict }),
      ...(filter.from === undefined ? {} : { from: filter.from }),
      ...(filter.to === undefined ? {} : { to: filter.to }),
      limit,
      order: 'desc',
    });
    return rows.map(summary);
  }
  let query = scopedFrames(ctx, scope);
  if (filter.cn !== undefined) query = query.where('cn', '=', filter.cn);
  if (filter.verdict !== undefined) query = query.where('verdict', '=', filter.verdict);
  if (filter.from !== undefined) query = query.where('received_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('received_at', '<', filter.to);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => summary(storedFrame(row)));
}

/** One frame in scope: its text, its decoded view and its place in the day's hash chain. */
export async function frameDetail(ctx: ServiceContext, scope: Scope, id: number): Promise<FrameDetail> {
  const visible = await scopedFrames(ctx, scope).where('id', '=', id).executeTakeFirst();
  const row = visible === undefined ? undefined : await ctx.repos.rawFrames.get(id);
  if (row === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'frame', id });
  const point =
    row.mn === null
      ? undefined
      : await ctx.store.db
          .selectFrom('monitoring_point')
          .select(['crc_variants', 'protocol_version'])
          .where('mn', '=', row.mn)
          .executeTakeFirst();
  // Decoded as the gateway would for this device: its accepted CRC variants.
  const variants = (point?.crc_variants ?? 'hj212').split(',').filter(isCrcVariant) as CrcVariant[];
  const decoded = maskPasswords(
    frameJson(decodeOneFrame(row.bytes, { crcVariants: variants }), true),
  ) as Record<string, unknown>;
  const previous = await ctx.store.db
    .selectFrom('raw_frame')
    .select('sha256')
    .where('chain_day', '=', row.chain_day)
    .where('id', '<', row.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const recomputed = storedFrameHash(row.prev_hash, row);
  return {
    ...summary(row),
    decoded,
    chain: {
      day: row.chain_day,
      sha256: row.sha256,
      prevHash: row.prev_hash,
      recordIntact: recomputed === row.sha256,
      linkIntact: (previous?.sha256 ?? GENESIS_HASH) === row.prev_hash,
    },
  };
}
