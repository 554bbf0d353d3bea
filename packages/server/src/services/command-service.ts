import { GatewayError } from '@qingyuan/gateway';
import { COMMANDS } from '@qingyuan/hj212';
import type { CommandPurpose, CommandState, DownlinkCommandRecord } from '@qingyuan/store';
import { actorOf, type Principal } from '../access/principal.js';
import type { Scope } from '../access/scope.js';
import { QyError } from '../errors.js';
import type { ServiceContext } from './context.js';

export interface CommandView {
  readonly id: number;
  readonly pointId: number;
  readonly mn: string;
  /** The codec's command name (get-system-time, get-hour-data…). */
  readonly command: string;
  readonly cn: string;
  readonly qn: string;
  readonly params: Record<string, unknown>;
  readonly purpose: CommandPurpose;
  readonly requestedBy: string;
  readonly requestedAt: number;
  /** pending → sent → accepted (9011 QnRtn=1) → succeeded/failed (9012 ExeRtn), or rejected/timed-out/offline. */
  readonly state: CommandState;
  readonly attempts: number;
  readonly qnRtn: number | null;
  readonly exeRtn: number | null;
  readonly result: Record<string, unknown> | null;
  readonly errorCode: string | null;
  readonly updatedAt: number;
  readonly finishedAt: number | null;
}

export interface CommandFilter {
  readonly pointId?: number;
  readonly state?: CommandState;
  readonly purpose?: CommandPurpose;
  readonly limit?: number;
  readonly offset?: number;
}

/** Downlink commands (反控) to online devices in scope, audited. */
export class CommandService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  get context(): ServiceContext {
    return this.#ctx;
  }

  /**
   * Sends a command to the device of a point in scope and answers at once with its record (state
   * `pending`); the gateway follows the device's 9011/9012 and updates the record (GET /commands/:id).
   * A device this process cannot reach — offline, or no gateway runs here — is QY_E_DEVICE_OFFLINE.
   */
  async send(
    principal: Principal,
    pointId: number,
    request: { command: string; params?: Readonly<Record<string, string | number>> },
  ): Promise<CommandView> {
    const scope = this.#ctx.access.require(principal, 'commands.send');
    await scope.requirePoint(pointId);
    const point = await this.#ctx.store.db
      .selectFrom('monitoring_point')
      .select('mn')
      .where('id', '=', pointId)
      .executeTakeFirstOrThrow();
    const gateway = this.#ctx.gateway;
    if (gateway === undefined)
      throw new QyError('QY_E_DEVICE_OFFLINE', { mn: point.mn, reason: 'no gateway runs in this process' });
    if (!gateway.online().some((link) => link.mn === point.mn))
      throw new QyError('QY_E_DEVICE_OFFLINE', { mn: point.mn });
    const params = typedParams(request.command, request.params ?? {});
    const record = await new Promise<DownlinkCommandRecord>((resolve, reject) => {
      gateway
        .sendCommand({
          mn: point.mn,
          command: request.command,
          params,
          purpose: 'operator',
          requestedBy: actorOf(principal),
          onCreated: resolve,
        })
        // Errors after the record exists (the device left meanwhile) are in the record; before, they are ours.
        .catch((error: unknown) => reject(translate(error, point.mn)));
    });
    await this.#ctx.audit.record(principal, 'command.send', 'command', Number(record.id), {
      after: { pointId, mn: point.mn, command: request.command, cn: record.cn, qn: record.qn, params },
    });
    return this.#view(scope, Number(record.id));
  }

  /** Commands to the points in scope (operators', backfill and time-sync alike), newest first. */
  async list(principal: Principal, filter: CommandFilter = {}): Promise<CommandView[]> {
    const scope = this.#ctx.access.require(principal, 'commands.send');
    const rows = await this.#query(scope)
      .$if(filter.pointId !== undefined, (q) => q.where('point_id', '=', filter.pointId as number))
      .$if(filter.state !== undefined, (q) => q.where('state', '=', filter.state as CommandState))
      .$if(filter.purpose !== undefined, (q) => q.where('purpose', '=', filter.purpose as CommandPurpose))
      .orderBy('id', 'desc')
      .limit(Math.min(filter.limit ?? 500, 5000))
      .offset(filter.offset ?? 0)
      .execute();
    return rows.map(commandView);
  }

  /** One command with its state and the device's answers (QnRtn, ExeRtn, returned values). */
  async get(principal: Principal, id: number): Promise<CommandView> {
    const scope = this.#ctx.access.require(principal, 'commands.send');
    return this.#view(scope, id);
  }

  async #view(scope: Scope, id: number): Promise<CommandView> {
    const row = await this.#query(scope).where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'command', id });
    return commandView(row);
  }

  #query(scope: Scope) {
    return this.#ctx.store.db
      .selectFrom('downlink_command')
      .selectAll()
      .where('point_id', 'in', scope.pointIds());
  }
}

/**
 * Parameters as the codec types them: the API's validation turns integer-looking text into numbers (an
 * Info value "60", a CstartTime "060000"), so text and hhmmss become text again (hhmmss zero-padded);
 * times and integers given as text become numbers.
 */
function typedParams(
  command: string,
  params: Readonly<Record<string, string | number>>,
): Record<string, string | number> {
  const types = new Map(
    COMMANDS.filter((c) => c.name === command).flatMap((c) => c.params.map((p) => [p.key, p.type] as const)),
  );
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(params)) {
    const type = types.get(key);
    if (type === 'text') out[key] = String(value);
    else if (type === 'hhmmss') out[key] = String(value).padStart(6, '0');
    else if ((type === 'time' || type === 'integer') && typeof value === 'string' && /^-?\d+$/.test(value))
      out[key] = Number(value);
    else out[key] = value;
  }
  return out;
}

/** The gateway's refusals in the API's catalogue. */
function translate(error: unknown, mn: string): unknown {
  if (!(error instanceof GatewayError)) return error;
  if (error.code === 'GATEWAY_E_NOT_ONLINE' || error.code === 'GATEWAY_E_UNKNOWN_DEVICE')
    return new QyError('QY_E_DEVICE_OFFLINE', { mn }, { cause: error });
  if (error.code === 'GATEWAY_E_COMMAND')
    return new QyError('QY_E_VALIDATION', { field: 'params', ...error.detail }, { cause: error });
  return error;
}

interface CommandRow {
  id: number;
  point_id: number;
  mn: string;
  command: string;
  cn: string;
  qn: string;
  params: string;
  purpose: CommandPurpose;
  requested_by: string;
  requested_at: number;
  state: CommandState;
  attempts: number;
  qn_rtn: number | null;
  exe_rtn: number | null;
  result: string | null;
  error_code: string | null;
  updated_at: number;
  finished_at: number | null;
}

const num = (v: number | null) => (v === null ? null : Number(v));

function commandView(r: CommandRow): CommandView {
  return {
    id: Number(r.id),
    pointId: Number(r.point_id),
    mn: r.mn,
    command: r.command,
    cn: r.cn,
    qn: r.qn,
    params: JSON.parse(r.params) as Record<string, unknown>,
    purpose: r.purpose,
    requestedBy: r.requested_by,
    requestedAt: Number(r.requested_at),
    state: r.state,
    attempts: Number(r.attempts),
    qnRtn: num(r.qn_rtn),
    exeRtn: num(r.exe_rtn),
    result: r.result === null ? null : (JSON.parse(r.result) as Record<string, unknown>),
    errorCode: r.error_code,
    updatedAt: Number(r.updated_at),
    finishedAt: num(r.finished_at),
  };
}
