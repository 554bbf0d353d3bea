import { createHash } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import type { Store } from '../database.js';
import type { AuditLogTable } from '../schema.js';

export type AuditRecord = Selectable<AuditLogTable>;

export interface AuditEntry {
  readonly at: number;
  /** 'user:<id>', 'token:<id>', 'system' or 'public'. */
  readonly actor: string;
  readonly actorName: string;
  /** What was done, e.g. 'enterprise.update', 'command.send', 'session.login'. */
  readonly action: string;
  readonly entity: string;
  readonly entityId?: string | number | null;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly peer?: string | null;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly records: number;
  /** The first record that does not verify. */
  readonly brokenAt?: number;
  readonly reason?: 'hash' | 'link';
}

/** The chain's start: the hash a first record links to. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** SHA-256 over the previous hash and every field of the record, in a fixed order. */
export function auditHash(prevHash: string, row: Omit<AuditRecord, 'id' | 'hash' | 'prev_hash'>): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        prevHash,
        Number(row.at),
        row.actor,
        row.actor_name,
        row.action,
        row.entity,
        row.entity_id,
        row.before_json,
        row.after_json,
        row.peer,
      ]),
    )
    .digest('hex');
}

/**
 * The audit log (审计日志): append-only, each record hash-chained to the one before, so that changing,
 * inserting or removing a record breaks verification from that record on. Appends are serialised (one
 * SQLite writer; a table lock on PostgreSQL) so the chain never forks.
 */
export class AuditRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    const fields = {
      at: entry.at,
      actor: entry.actor,
      actor_name: entry.actorName,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
      peer: entry.peer ?? null,
    };
    return this.#store.db.transaction().execute(async (trx) => {
      if (this.#store.dialect === 'postgres')
        await sql`LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
      const last = await trx
        .selectFrom('audit_log')
        .select('hash')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const prev = last?.hash ?? AUDIT_GENESIS;
      return trx
        .insertInto('audit_log')
        .values({ ...fields, prev_hash: prev, hash: auditHash(prev, fields) })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  async list(
    query: {
      entity?: string;
      entityId?: string;
      actor?: string;
      from?: number;
      to?: number;
      limit?: number;
    } = {},
  ): Promise<AuditRecord[]> {
    let select = this.#store.db.selectFrom('audit_log').selectAll();
    if (query.entity !== undefined) select = select.where('entity', '=', query.entity);
    if (query.entityId !== undefined) select = select.where('entity_id', '=', query.entityId);
    if (query.actor !== undefined) select = select.where('actor', '=', query.actor);
    if (query.from !== undefined) select = select.where('at', '>=', query.from);
    if (query.to !== undefined) select = select.where('at', '<', query.to);
    return select
      .orderBy('id', 'desc')
      .limit(Math.min(query.limit ?? 200, 5000))
      .execute();
  }

  /** Walks the whole chain in id order; names the first record whose hash or link is wrong. */
  async verify(pageSize = 5000): Promise<AuditVerification> {
    let prev = AUDIT_GENESIS;
    let after = 0;
    let records = 0;
    for (;;) {
      const rows = await this.#store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('id', '>', after)
        .orderBy('id')
        .limit(pageSize)
        .execute();
      for (const row of rows) {
        const id = Number(row.id);
        if (row.prev_hash !== prev) return { ok: false, records, brokenAt: id, reason: 'link' };
        if (auditHash(prev, row) !== row.hash) return { ok: false, records, brokenAt: id, reason: 'hash' };
        prev = row.hash;
        after = id;
        records++;
      }
      if (rows.length < pageSize) return { ok: true, records };
    }
  }
}
