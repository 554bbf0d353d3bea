import {
  beijingDay,
  type ContractInput,
  type ContractorInput,
  type ContractorPatch,
  type ContractorQuery,
  type ContractorView,
  type ContractPatch,
  type ContractView,
} from '@qingyuan/store';
import type { Principal } from '../../access/principal.js';
import type { Scope } from '../../access/scope.js';
import { QyError } from '../../errors.js';
import type { ServiceContext } from '../context.js';
import { found } from './scoped.js';

export interface ContractorDetail extends ContractorView {
  /** Its contracts with enterprises in the caller's scope, by start date. */
  readonly contracts: (ContractView & { inForce: boolean })[];
}

/**
 * Contractors (承建、运维、巡查、智能监控运维单位): reference data every registry reader sees; their
 * contracts only as far as the enterprises are in the caller's scope.
 */
export class ContractorService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  async list(principal: Principal, query: ContractorQuery = {}): Promise<ContractorView[]> {
    this.#ctx.access.require(principal, 'registry.read');
    return this.#ctx.repos.contractors.list(query);
  }

  async get(principal: Principal, id: number): Promise<ContractorDetail> {
    const scope = this.#ctx.access.require(principal, 'registry.read');
    const contractor = found(await this.#ctx.repos.contractors.get(id), 'contractor', id);
    const today = beijingDay(this.#ctx.now());
    const rows = await this.#ctx.store.db
      .selectFrom('contract')
      .selectAll()
      .where('contractor_id', '=', id)
      .where('enterprise_id', 'in', scope.enterpriseIds())
      .orderBy('starts_on')
      .orderBy('id')
      .execute();
    const contracts = rows.map((r) => ({
      id: Number(r.id),
      contractorId: Number(r.contractor_id),
      enterpriseId: Number(r.enterprise_id),
      pointId: r.point_id === null ? null : Number(r.point_id),
      scope: r.scope,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      cancelledAt: r.cancelled_at === null ? null : Number(r.cancelled_at),
      cancelReason: r.cancel_reason,
      inForce: r.starts_on <= today && r.ends_on >= today && r.cancelled_at === null,
    }));
    return { ...contractor, contracts };
  }

  async create(principal: Principal, input: ContractorInput): Promise<ContractorView> {
    this.#ctx.access.require(principal, 'reference.write');
    const contractor = await this.#ctx.repos.contractors.create(input);
    await this.#ctx.audit.record(principal, 'contractor.create', 'contractor', contractor.id, {
      after: contractor,
    });
    return contractor;
  }

  async update(principal: Principal, id: number, patch: ContractorPatch): Promise<ContractorView> {
    this.#ctx.access.require(principal, 'reference.write');
    const before = found(await this.#ctx.repos.contractors.get(id), 'contractor', id);
    const after = await this.#ctx.repos.contractors.update(id, patch);
    await this.#ctx.audit.record(principal, 'contractor.update', 'contractor', id, { before, after });
    return after;
  }

  /** Records a contract of the contractor with an enterprise (or one of its points) in the caller's scope. */
  async createContract(
    principal: Principal,
    contractorId: number,
    input: Omit<ContractInput, 'contractorId'>,
  ): Promise<ContractView> {
    const scope = this.#ctx.access.require(principal, 'reference.write');
    found(await this.#ctx.repos.contractors.get(contractorId), 'contractor', contractorId);
    await scope.requireEnterprise(input.enterpriseId);
    if (input.pointId !== undefined && input.pointId !== null) await scope.requirePoint(input.pointId);
    const contract = await this.#ctx.repos.contractors.createContract({ ...input, contractorId });
    await this.#ctx.audit.record(principal, 'contract.create', 'contract', contract.id, { after: contract });
    return contract;
  }

  /**
   * Corrects or ends a contract whose enterprise is in the caller's scope (outside it: QY_E_NOT_FOUND).
   * `endsOn` (the last day in force) may not be before the start; once the contract has started it may
   * only be brought forward — ending it early takes the contractor's access away as soon as the day is past
   * — and its enterprise, point and scope text are fixed (QY_E_CONTRACT_STARTED): those are corrections of
   * a contract not yet in force.
   */
  async updateContract(principal: Principal, id: number, patch: ContractPatch): Promise<ContractView> {
    const scope = this.#ctx.access.require(principal, 'reference.write');
    const before = await this.#openContract(scope, id);
    const started = before.startsOn <= beijingDay(this.#ctx.now());
    const retargeted =
      (patch.enterpriseId !== undefined && patch.enterpriseId !== before.enterpriseId) ||
      (patch.pointId !== undefined && patch.pointId !== before.pointId) ||
      (patch.scope !== undefined && patch.scope !== before.scope);
    if (started && retargeted) throw new QyError('QY_E_CONTRACT_STARTED', { id, startsOn: before.startsOn });
    if (patch.endsOn !== undefined) {
      if (patch.endsOn < before.startsOn)
        throw new QyError('QY_E_CONTRACT_DATES', {
          field: 'endsOn',
          value: patch.endsOn,
          startsOn: before.startsOn,
          problem: 'before-start',
        });
      if (started && patch.endsOn > before.endsOn)
        throw new QyError('QY_E_CONTRACT_DATES', {
          field: 'endsOn',
          value: patch.endsOn,
          endsOn: before.endsOn,
          problem: 'extends-started',
        });
    }
    if (patch.enterpriseId !== undefined) await scope.requireEnterprise(patch.enterpriseId);
    if (patch.pointId !== undefined && patch.pointId !== null) await scope.requirePoint(patch.pointId);
    const after = await this.#ctx.repos.contractors.updateContract(id, patch);
    await this.#ctx.audit.record(principal, 'contract.update', 'contract', id, { before, after });
    return after;
  }

  /**
   * Cancels a contract, with enterprise in the caller's scope, that has not started (its first day is
   * after today, Beijing calendar): it is kept, with when and why, but is never in force, so the
   * contractor never gains access through it. A contract that has started is ended early instead
   * (QY_E_CONTRACT_STARTED); one already cancelled is QY_E_CONTRACT_CANCELLED.
   */
  async cancelContract(principal: Principal, id: number, input: { reason: string }): Promise<ContractView> {
    const scope = this.#ctx.access.require(principal, 'reference.write');
    const before = await this.#openContract(scope, id);
    const now = this.#ctx.now();
    const today = beijingDay(now);
    if (before.startsOn <= today)
      throw new QyError('QY_E_CONTRACT_STARTED', { id, startsOn: before.startsOn, action: 'cancel' });
    const after = await this.#ctx.repos.contractors.cancelContract(id, input.reason, now, today);
    await this.#ctx.audit.record(principal, 'contract.cancel', 'contract', id, { before, after });
    return after;
  }

  /** A contract whose enterprise is in `scope` (else QY_E_NOT_FOUND) and that is not cancelled. */
  async #openContract(scope: Scope, id: number): Promise<ContractView> {
    const contract = await this.#ctx.repos.contractors.getContract(id);
    if (contract === undefined || !(await scope.hasEnterprise(contract.enterpriseId)))
      throw new QyError('QY_E_NOT_FOUND', { entity: 'contract', id });
    if (contract.cancelledAt !== null)
      throw new QyError('QY_E_CONTRACT_CANCELLED', { id, cancelledAt: contract.cancelledAt });
    return contract;
  }
}
