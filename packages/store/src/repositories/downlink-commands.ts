import type { Selectable } from 'kysely';
import type { Store } from '../database.js';
import type { CommandPurpose, CommandState, DownlinkCommandTable } from '../schema.js';

export type DownlinkCommandRecord = Omit<Selectable<DownlinkCommandTable>, 'params' | 'result'> & {
  readonly params: Record<string, unknown>;
  readonly result: Record<string, unknown> | null;
};

export interface NewDownlinkCommand {
  readonly pointId: number;
  readonly mn: string;
  readonly command: string;
  readonly cn: string;
  readonly qn: string;
  readonly params: Record<string, unknown>;
  readonly purpose: CommandPurpose;
  readonly requestedBy: string;
  readonly requestedAt: number;
}

export interface DownlinkCommandChange {
  readonly state: CommandState;
  readonly attempts?: number;
  readonly qnRtn?: number | null;
  readonly exeRtn?: number | null;
  readonly result?: Record<string, unknown> | null;
  readonly errorCode?: string | null;
  readonly finishedAt?: number | null;
}

const FINAL: readonly CommandState[] = ['rejected', 'succeeded', 'failed', 'timed-out', 'offline'];

/** The audit of downlink commands (反控): every request sent to a device and what became of it. */
export class DownlinkCommandRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async create(input: NewDownlinkCommand): Promise<DownlinkCommandRecord> {
    const row = await this.#store.db
      .insertInto('downlink_command')
      .values({
        point_id: input.pointId,
        mn: input.mn,
        command: input.command,
        cn: input.cn,
        qn: input.qn,
        params: JSON.stringify(input.params),
        purpose: input.purpose,
        requested_by: input.requestedBy,
        requested_at: input.requestedAt,
        state: 'pending',
        attempts: 0,
        updated_at: input.requestedAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return view(row);
  }

  /** Moves a command on; a finished command (rejected, succeeded, failed, timed out, offline) stays so. */
  async update(id: number, change: DownlinkCommandChange, now: number): Promise<void> {
    const set: Record<string, unknown> = { state: change.state, updated_at: now };
    if (change.attempts !== undefined) set.attempts = change.attempts;
    if (change.qnRtn !== undefined) set.qn_rtn = change.qnRtn;
    if (change.exeRtn !== undefined) set.exe_rtn = change.exeRtn;
    if (change.result !== undefined)
      set.result = change.result === null ? null : JSON.stringify(change.result);
    if (change.errorCode !== undefined) set.error_code = change.errorCode;
    if (change.finishedAt !== undefined) set.finished_at = change.finishedAt;
    else if (FINAL.includes(change.state)) set.finished_at = now;
    await this.#store.db
      .updateTable('downlink_command')
      .set(set)
      .where('id', '=', id)
      .where('state', 'not in', FINAL)
      .execute();
  }

  async get(id: number): Promise<DownlinkCommandRecord | undefined> {
    const row = await this.#store.db
      .selectFrom('downlink_command')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : view(row);
  }

  /** A device's commands (or everyone's), newest first. */
  async list(
    options: { mn?: string; purpose?: CommandPurpose; limit?: number } = {},
  ): Promise<DownlinkCommandRecord[]> {
    let query = this.#store.db.selectFrom('downlink_command').selectAll();
    if (options.mn !== undefined) query = query.where('mn', '=', options.mn);
    if (options.purpose !== undefined) query = query.where('purpose', '=', options.purpose);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(options.limit ?? 1000)
      .execute();
    return rows.map(view);
  }

  /** Commands left unfinished by a gateway that stopped: they can no longer be answered. */
  async abandonUnfinished(now: number): Promise<number> {
    const result = await this.#store.db
      .updateTable('downlink_command')
      .set({ state: 'failed', error_code: 'GATEWAY_E_RESTARTED', updated_at: now, finished_at: now })
      .where('state', 'not in', FINAL)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

function view(row: Selectable<DownlinkCommandTable>): DownlinkCommandRecord {
  return {
    ...row,
    params: JSON.parse(row.params) as Record<string, unknown>,
    result: row.result === null ? null : (JSON.parse(row.result) as Record<string, unknown>),
  };
}
