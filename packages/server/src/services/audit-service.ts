import type { AuditRecord, AuditVerification } from '@qingyuan/store';
import type { Principal } from '../access/principal.js';
import type { ServiceContext } from './context.js';

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

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

export function auditView(r: AuditRecord): AuditView {
  return {
    id: Number(r.id),
    at: Number(r.at),
    actor: r.actor,
    actorName: r.actor_name,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: parse(r.before_json),
    after: parse(r.after_json),
    peer: r.peer,
    hash: r.hash,
  };
}

/** The audit log as the province reads it: filtered lists, and verification of the hash chain. */
export class AuditService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  async list(
    principal: Principal,
    query: { entity?: string; entityId?: string; actor?: string; from?: number; to?: number; limit?: number },
  ): Promise<AuditView[]> {
    this.#ctx.access.require(principal, 'audit.read');
    return (await this.#ctx.repos.audit.list(query)).map(auditView);
  }

  async verify(principal: Principal): Promise<AuditVerification> {
    this.#ctx.access.require(principal, 'audit.read');
    return this.#ctx.repos.audit.verify();
  }
}
