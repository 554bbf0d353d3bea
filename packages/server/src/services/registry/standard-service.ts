import type {
  LimitInput,
  StandardInput,
  StandardKind,
  StandardPatch,
  StandardView,
  StandardWithLimits,
} from '@qingyuan/store';
import type { Principal } from '../../access/principal.js';
import type { ServiceContext } from '../context.js';
import { found } from './scoped.js';

/** The emission-standard library: province-wide reference data, read by every registry reader. */
export class StandardService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  async list(principal: Principal, query: { kind?: StandardKind } = {}): Promise<StandardView[]> {
    this.#ctx.access.require(principal, 'registry.read');
    return this.#ctx.repos.standards.list(query.kind);
  }

  async get(principal: Principal, id: number): Promise<StandardWithLimits> {
    this.#ctx.access.require(principal, 'registry.read');
    return found(await this.#ctx.repos.standards.get(id), 'standard', id);
  }

  async create(principal: Principal, input: StandardInput): Promise<StandardWithLimits> {
    this.#ctx.access.require(principal, 'reference.write');
    const standard = await this.#ctx.repos.standards.create(input);
    await this.#ctx.audit.record(principal, 'standard.create', 'standard', standard.id, { after: standard });
    return standard;
  }

  /** Changes the standard's fields and, when `limits` is given, replaces its limits. */
  async update(
    principal: Principal,
    id: number,
    patch: StandardPatch & { limits?: readonly LimitInput[] },
  ): Promise<StandardWithLimits> {
    this.#ctx.access.require(principal, 'reference.write');
    const repo = this.#ctx.repos.standards;
    const before = found(await repo.get(id), 'standard', id);
    const { limits, ...fields } = patch;
    // Checked before anything is written, so a bad limit leaves the fields unchanged too.
    if (limits !== undefined) await repo.setLimits(id, limits);
    await repo.update(id, fields);
    const after = found(await repo.get(id), 'standard', id);
    await this.#ctx.audit.record(principal, 'standard.update', 'standard', id, { before, after });
    return after;
  }
}
