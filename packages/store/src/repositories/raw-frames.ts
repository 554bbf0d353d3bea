import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Store } from '../database.js';
import type { FrameVerdict, RawFrameTable } from '../schema.js';

/** A received frame to archive: valid or not, before it is interpreted. */
export interface FrameArrival {
  readonly receivedAt: number;
  readonly peer: string;
  readonly mn?: string | null;
  readonly cn?: string | null;
  readonly qn?: string | null;
  readonly bytes: Uint8Array;
  readonly verdict: FrameVerdict;
  readonly errorCode?: string | null;
}

export interface ArchivedFrame {
  readonly id: number;
  readonly sha256: string;
  readonly chainDay: string;
}

export interface ChainVerification {
  readonly day: string;
  readonly ok: boolean;
  readonly frames: number;
  /** The first frame whose record does not hash to what is stored (or whose link is wrong). */
  readonly brokenAt?: number;
  readonly reason?: 'hash' | 'link' | 'head';
}

export type StoredFrame = Selectable<RawFrameTable>;

/** The link before the first frame of a day. */
export const GENESIS_HASH = '0'.repeat(64);

/** The Beijing calendar day (YYYY-MM-DD) of a UTC instant: chains are per Beijing day. */
export function beijingDay(epochMs: number): string {
  return new Date(epochMs + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The hash of a frame's archive record: SHA-256 over the previous hash and every stored field, so that
 * changing, inserting or removing any frame of a day breaks the chain from that point on.
 */
export function frameHash(prevHash: string, frame: FrameArrival): string {
  const hash = createHash('sha256');
  hash.update(
    [
      prevHash,
      String(frame.receivedAt),
      frame.peer,
      frame.mn ?? '',
      frame.cn ?? '',
      frame.qn ?? '',
      frame.verdict,
      frame.errorCode ?? '',
      String(frame.bytes.length),
    ].join('\n'),
  );
  hash.update('\n');
  hash.update(frame.bytes);
  return hash.digest('hex');
}

/**
 * The raw frame archive: every frame, hash-chained per Beijing day. Appends are serialised per day through
 * `frame_chain_head` (a row lock on PostgreSQL; SQLite has one writer), so several gateways can share a
 * database without forking a chain.
 */
export class RawFrameRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Archives frames in order; returns their ids and hashes. */
  async append(frames: readonly FrameArrival[]): Promise<ArchivedFrame[]> {
    if (frames.length === 0) return [];
    return this.#store.db.transaction().execute(async (trx) => {
      const heads = new Map<string, { last: string; frames: number; known: boolean }>();
      const out: ArchivedFrame[] = [];
      for (const frame of frames) {
        const day = beijingDay(frame.receivedAt);
        let head = heads.get(day);
        if (head === undefined) {
          let query = trx.selectFrom('frame_chain_head').selectAll().where('chain_day', '=', day);
          if (this.#store.dialect === 'postgres') query = query.forUpdate();
          const row = await query.executeTakeFirst();
          head = row === undefined ? { last: GENESIS_HASH, frames: 0, known: false } : { last: row.last_hash, frames: row.frames, known: true };
          heads.set(day, head);
        }
        const sha256 = frameHash(head.last, frame);
        const { id } = await trx
          .insertInto('raw_frame')
          .values({
            received_at: frame.receivedAt,
            peer: frame.peer,
            mn: frame.mn ?? null,
            cn: frame.cn ?? null,
            qn: frame.qn ?? null,
            bytes: frame.bytes,
            verdict: frame.verdict,
            error_code: frame.errorCode ?? null,
            sha256,
            prev_hash: head.last,
            chain_day: day,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        head.last = sha256;
        head.frames++;
        out.push({ id: Number(id), sha256, chainDay: day });
      }
      for (const [day, head] of heads) {
        if (head.known) {
          await trx
            .updateTable('frame_chain_head')
            .set({ last_hash: head.last, frames: head.frames })
            .where('chain_day', '=', day)
            .execute();
        } else {
          await trx.insertInto('frame_chain_head').values({ chain_day: day, last_hash: head.last, frames: head.frames }).execute();
        }
      }
      return out;
    });
  }

  async get(id: number): Promise<StoredFrame | undefined> {
    const row = await this.#store.db.selectFrom('raw_frame').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : normalise(row);
  }

  /** Frames of one device (or all) in [from, to), oldest first. */
  async list(options: { mn?: string; from?: number; to?: number; limit?: number } = {}): Promise<StoredFrame[]> {
    let query = this.#store.db.selectFrom('raw_frame').selectAll();
    if (options.mn !== undefined) query = query.where('mn', '=', options.mn);
    if (options.from !== undefined) query = query.where('received_at', '>=', options.from);
    if (options.to !== undefined) query = query.where('received_at', '<', options.to);
    const rows = await query.orderBy('id').limit(options.limit ?? 10_000).execute();
    return rows.map(normalise);
  }

  /** Recomputes a day's chain from its first frame and checks it against the stored head. */
  async verifyDay(day: string): Promise<ChainVerification> {
    const db = this.#store.db;
    const head = await db.selectFrom('frame_chain_head').selectAll().where('chain_day', '=', day).executeTakeFirst();
    const rows = await db.selectFrom('raw_frame').selectAll().where('chain_day', '=', day).orderBy('id').execute();
    let previous = GENESIS_HASH;
    for (const raw of rows) {
      const row = normalise(raw);
      if (row.prev_hash !== previous) return { day, ok: false, frames: rows.length, brokenAt: row.id, reason: 'link' };
      const recomputed = frameHash(previous, {
        receivedAt: row.received_at,
        peer: row.peer,
        mn: row.mn,
        cn: row.cn,
        qn: row.qn,
        bytes: row.bytes,
        verdict: row.verdict,
        errorCode: row.error_code,
      });
      if (recomputed !== row.sha256) return { day, ok: false, frames: rows.length, brokenAt: row.id, reason: 'hash' };
      previous = row.sha256;
    }
    const headOk =
      (head === undefined && rows.length === 0) ||
      (head !== undefined && head.last_hash === previous && Number(head.frames) === rows.length);
    return headOk ? { day, ok: true, frames: rows.length } : { day, ok: false, frames: rows.length, reason: 'head' };
  }

  /** Deletes whole days before `day` (retention keeps chains whole); returns frames deleted. */
  async deleteDaysBefore(day: string): Promise<number> {
    return this.#store.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('raw_frame').where('chain_day', '<', day).executeTakeFirst();
      await trx.deleteFrom('frame_chain_head').where('chain_day', '<', day).execute();
      return Number(result.numDeletedRows);
    });
  }
}

function normalise(row: Selectable<RawFrameTable>): StoredFrame {
  const bytes = row.bytes as Uint8Array;
  return {
    ...row,
    id: Number(row.id),
    received_at: Number(row.received_at),
    // Buffers from both drivers, as plain Uint8Array views.
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  };
}
