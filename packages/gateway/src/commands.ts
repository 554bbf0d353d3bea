import {
  buildCommand,
  type CommandParams,
  commandDefinition,
  encodeMessage,
  Hj212Error,
  type Message,
  type ProtocolVersion,
} from '@qingyuan/hj212';
import type {
  CommandPurpose,
  CommandState,
  DownlinkCommandRecord,
  DownlinkCommandRepository,
} from '@qingyuan/store';
import { checkNumber, TIMER } from './config.js';
import type { CredentialCache } from './credentials.js';
import { GatewayError } from './errors.js';
import type { ConnectionRegistry } from './presence.js';

export interface CommandRequest {
  readonly mn: string;
  /** The codec's command name (`get-hour-data`, `set-system-time`…; see COMMANDS in @qingyuan/hj212). */
  readonly command: string;
  readonly params?: CommandParams;
  readonly purpose?: CommandPurpose;
  /** Who asked (user id or `gateway`), for the audit. */
  readonly requestedBy: string;
  /** HJ 212 §6.2 OverTime (ms) and ReCount; defaults 10 s × 3 (GPRS/4G, 表 1). */
  readonly overTimeMs?: number;
  readonly reCount?: number;
  /** How long after 9011 the device may take to finish (data, then 9012); default 5 min. */
  readonly executionTimeoutMs?: number;
  /** Called with the audit record once it exists (before sending): an API answers with it at once. */
  readonly onCreated?: (record: DownlinkCommandRecord) => void;
}

export interface CommandOutcome {
  readonly id: number;
  readonly state: CommandState;
  readonly qn: string;
  readonly qnRtn: number | null;
  readonly exeRtn: number | null;
  /** What the device answered, by CN: parameters/time values, and counts of data records. */
  readonly result: Record<string, unknown>;
}

interface HistoryRange {
  readonly cn: string;
  readonly from: number;
  /** Inclusive: EndTime is the last record's DataTime in the standard's examples. */
  readonly to: number;
}

type WithHistory = Pending & { readonly history: HistoryRange };

interface Pending {
  readonly id: number;
  readonly mn: string;
  readonly qn: string;
  readonly purpose: CommandPurpose;
  readonly notice: boolean;
  /** For a history request (BeginTime/EndTime): the CN and DataTimes of the records it asks for. */
  readonly history: HistoryRange | undefined;
  readonly frame: Uint8Array;
  readonly request: Required<Pick<CommandRequest, 'overTimeMs' | 'reCount' | 'executionTimeoutMs'>>;
  /** Requests written to a connection. */
  attempts: number;
  /** OverTime periods begun (a period the device was offline in counts, unsent). */
  rounds: number;
  state: CommandState;
  qnRtn: number | null;
  exeRtn: number | null;
  result: Record<string, unknown>;
  /**
   * DataTimes of the observation records answered so far, by CN: a record sent twice (a live upload
   * re-sent while the history answer runs, or a logger repeating itself) counts once.
   */
  answeredTimes: Map<string, Set<number | undefined>>;
  timer: NodeJS.Timeout | undefined;
  /** The audit's writes, one after another: a later state never lands before an earlier one. */
  written: Promise<void>;
  resolve: (outcome: CommandOutcome) => void;
}

/** After a device reconnects, an unanswered request goes out again this soon (its first frame answered). */
const RESEND_AFTER_RECONNECT_MS = 1000;

const ACCEPTED = 1; // QnRtn 1: 准备执行请求 (HJ 212-2017 表 7)
const SUCCESS = 1; // ExeRtn 1: 执行成功 (表 6)

/**
 * Downlink commands (反控): sends an 附录 C request to an online device, correlates the device's 9011
 * (QnRtn), its data answers and its 9012 (ExeRtn) by QN, re-sends after OverTime up to ReCount times when
 * no 9011 arrives (HJ 212-2017 §6.2), and records every step in downlink_command (the audit).
 *
 * A command outlives its device's connection: loggers on GPRS/4G drop and redial often, and a request
 * accepted before the drop is still carried out (a time set, a calibration). So a device going offline ends
 * nothing by itself: an unanswered request is sent again on the device's new connection as soon as it is
 * back (within its ReCount), an accepted one keeps waiting for its 9012, and a command whose time runs out
 * while its device is away ends `offline` (GATEWAY_E_NOT_ONLINE) rather than `timed-out`.
 */
export class CommandService {
  readonly #pending = new Map<string, Pending>();
  readonly #lastQnAt = new Map<string, number>();
  /** Unfinished history requests by MN: their records come under new QNs. */
  readonly #histories = new Map<string, WithHistory[]>();

  constructor(
    private readonly repository: DownlinkCommandRepository,
    private readonly registry: ConnectionRegistry,
    private readonly credentials: CredentialCache,
    private readonly now: () => number,
  ) {}

  get inFlight(): number {
    return this.#pending.size;
  }

  /** Sends the command; resolves when it finished (succeeded, rejected, failed, timed out). */
  async send(request: CommandRequest): Promise<CommandOutcome> {
    checkNumber('overTimeMs', request.overTimeMs, TIMER, 'GATEWAY_E_COMMAND');
    checkNumber('executionTimeoutMs', request.executionTimeoutMs, TIMER, 'GATEWAY_E_COMMAND');
    // 表 C.1 bounds a logger's ReCount to 0 < n ≤ 99; the platform's own may be 0 (send once).
    checkNumber('reCount', request.reCount, [0, 99, true], 'GATEWAY_E_COMMAND');
    const device = await this.credentials.lookup(request.mn);
    if (device === undefined) throw new GatewayError('GATEWAY_E_UNKNOWN_DEVICE', { mn: request.mn });
    const link = this.registry.get(request.mn);
    const version = (link?.protocolVersion ?? device.protocolVersion) as ProtocolVersion;
    const definition = commandDefinition(request.command, version);
    const at = this.#qnTime(request.mn);
    let message: ReturnType<typeof buildCommand>;
    try {
      message = buildCommand(
        request.command,
        request.params ?? {},
        { mn: request.mn, pw: device.password, st: link?.st ?? '32', version },
        at,
      );
    } catch (error) {
      const detail = error instanceof Hj212Error ? { reason: error.message } : {};
      throw new GatewayError('GATEWAY_E_COMMAND', { command: request.command, version, ...detail });
    }
    const record = await this.repository.create({
      pointId: device.pointId,
      mn: request.mn,
      command: request.command,
      cn: message.cn ?? '',
      qn: message.qn ?? '',
      params: { ...(request.params ?? {}) },
      purpose: request.purpose ?? 'operator',
      requestedBy: request.requestedBy,
      requestedAt: this.now(),
    });
    request.onCreated?.(record);
    if (link === undefined) {
      await this.repository.update(
        record.id,
        { state: 'offline', errorCode: 'GATEWAY_E_NOT_ONLINE' },
        this.now(),
      );
      throw new GatewayError('GATEWAY_E_NOT_ONLINE', { mn: request.mn, command: record.id });
    }
    return new Promise((resolve) => {
      const pending: Pending = {
        id: record.id,
        mn: request.mn,
        qn: record.qn,
        purpose: record.purpose,
        notice: definition?.kind === 'notice',
        history: historyRange(record.cn, request.params),
        frame: encodeMessage(message),
        request: {
          overTimeMs: request.overTimeMs ?? 10_000,
          reCount: request.reCount ?? 3,
          executionTimeoutMs: request.executionTimeoutMs ?? 300_000,
        },
        attempts: 0,
        rounds: 0,
        state: 'pending',
        qnRtn: null,
        exeRtn: null,
        result: {},
        answeredTimes: new Map(),
        timer: undefined,
        written: Promise.resolve(),
        resolve,
      };
      this.#pending.set(key(request.mn, record.qn), pending);
      if (pending.history !== undefined)
        this.#histories.set(pending.mn, [...(this.#histories.get(pending.mn) ?? []), pending as WithHistory]);
      this.#transmit(pending);
    });
  }

  /**
   * A trusted upload from a device: if it answers one of our commands, the command moves on, and the
   * answer's purpose is returned (`backfill` marks the data it carries); undefined for any other upload.
   * Answers are 9011, 9012 and 9013 with the request's QN, data with the request's QN, and — since the
   * standard has a logger send the records of a history request under new QNs (HJ 212-2017 附录 C,
   * 表 C.21–C.24: 9011, one upload per record, then 9012) — uploads of a history request's CN whose
   * DataTime lies in its [BeginTime, EndTime].
   */
  observe(message: Message): CommandPurpose | undefined {
    // Asked for every upload: with no command pending (nearly always), no key is built.
    if (message.mn === undefined || this.#pending.size === 0) return undefined;
    const pending = this.#answered(message.mn, message);
    if (pending === undefined) return undefined;
    const body = message.body;
    switch (body.type) {
      case 'request-reply':
        pending.qnRtn = body.qnRtn ?? null;
        if (pending.qnRtn === ACCEPTED) {
          this.#move(pending, 'accepted');
          this.#arm(pending, pending.request.executionTimeoutMs, () => this.#expire(pending));
        } else this.#finish(pending, 'rejected', null);
        return pending.purpose;
      case 'execution-result':
        pending.exeRtn = body.exeRtn ?? null;
        this.#finish(pending, pending.exeRtn === SUCCESS ? 'succeeded' : 'failed', null);
        return pending.purpose;
      case 'notice-reply':
        if (pending.notice) this.#finish(pending, 'succeeded', null);
        return pending.purpose;
      default: {
        // Data answering the request: parameters and times as values, observation records counted (by DataTime).
        const cn = message.cn ?? 'unknown';
        if (body.type === 'observations') {
          const times = pending.answeredTimes.get(cn) ?? new Set();
          pending.answeredTimes.set(cn, times.add(body.dataTime));
          const counts = (pending.result.records ?? {}) as Record<string, number>;
          counts[cn] = times.size;
          pending.result.records = counts;
        } else {
          pending.result[cn] = summarise(message);
        }
        // Data is progress: the execution timeout starts again.
        if (pending.state === 'accepted')
          this.#arm(pending, pending.request.executionTimeoutMs, () => this.#expire(pending));
        return pending.purpose;
      }
    }
  }

  /**
   * The device is online again (a new connection): a request not yet answered by 9011 may have been lost
   * with the old connection, and goes out again shortly, if its ReCount allows one more.
   */
  deviceOnline(mn: string): void {
    for (const pending of this.#pending.values()) {
      if (pending.mn !== mn || pending.state === 'accepted' || pending.rounds > pending.request.reCount)
        continue;
      this.#arm(pending, RESEND_AFTER_RECONNECT_MS, () => this.#transmit(pending));
    }
  }

  /** Stops every timer (gateway shutdown); unfinished commands end as failed. */
  stop(): void {
    for (const pending of this.#pending.values()) this.#finish(pending, 'failed', 'GATEWAY_E_STOPPED');
  }

  /** The unfinished command `message` answers: by the request's QN, else as a history request's record. */
  #answered(mn: string, message: Message): Pending | undefined {
    const qn = requestQn(message);
    const byQn = qn === undefined ? undefined : this.#pending.get(key(mn, qn));
    if (byQn !== undefined) return byQn;
    const histories = this.#histories.get(mn);
    const at = (message.body as { readonly dataTime?: number }).dataTime;
    if (histories === undefined || at === undefined) return undefined;
    return histories.find(
      ({ history }) => history.cn === message.cn && at >= history.from && at <= history.to,
    );
  }

  /** One OverTime period: the request written if the device is online, then the next period or the end. */
  #transmit(pending: Pending): void {
    pending.rounds += 1;
    const link = this.registry.get(pending.mn);
    if (link !== undefined) {
      pending.attempts += 1;
      link.session.send(pending.frame);
      this.#move(pending, 'sent');
    }
    this.#arm(pending, pending.request.overTimeMs, () => {
      if (pending.rounds <= pending.request.reCount) this.#transmit(pending);
      else this.#expire(pending);
    });
  }

  /** Out of time: `offline` if the device is away now (the likely reason), else `timed-out`. */
  #expire(pending: Pending): void {
    if (this.registry.get(pending.mn) === undefined) this.#finish(pending, 'offline', 'GATEWAY_E_NOT_ONLINE');
    else this.#finish(pending, 'timed-out', 'GATEWAY_E_COMMAND_TIMEOUT');
  }

  #arm(pending: Pending, ms: number, then: () => void): void {
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    pending.timer = setTimeout(then, ms);
    pending.timer.unref();
  }

  #move(pending: Pending, state: CommandState): void {
    pending.state = state;
    this.#persist(pending, null);
  }

  #finish(pending: Pending, state: CommandState, errorCode: string | null): void {
    if (!this.#pending.delete(key(pending.mn, pending.qn))) return;
    if (pending.history !== undefined) {
      const rest = (this.#histories.get(pending.mn) ?? []).filter((p) => p !== pending);
      if (rest.length === 0) this.#histories.delete(pending.mn);
      else this.#histories.set(pending.mn, rest);
    }
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    pending.state = state;
    this.#persist(pending, errorCode);
    const outcome: CommandOutcome = {
      id: pending.id,
      state,
      qn: pending.qn,
      qnRtn: pending.qnRtn,
      exeRtn: pending.exeRtn,
      result: pending.result,
    };
    // Resolved once the audit holds the final state: what the caller is told, a reader of the audit sees.
    void pending.written.then(() => pending.resolve(outcome));
  }

  #persist(pending: Pending, errorCode: string | null): void {
    const change = {
      state: pending.state,
      attempts: pending.attempts,
      qnRtn: pending.qnRtn,
      exeRtn: pending.exeRtn,
      result: { ...pending.result },
      ...(errorCode === null ? {} : { errorCode }),
    };
    const at = this.now();
    // A failed write is not retried: the next one carries the whole state again.
    pending.written = pending.written
      .then(() => this.repository.update(pending.id, change, at))
      .catch(() => undefined);
  }

  /** A QN time for a new command, strictly increasing per device (QN must be unique per MN). */
  #qnTime(mn: string): number {
    const at = Math.max(this.now(), (this.#lastQnAt.get(mn) ?? 0) + 1);
    this.#lastQnAt.set(mn, at);
    return at;
  }
}

export type { DownlinkCommandRecord };

const key = (mn: string, qn: string) => `${mn}\u0000${qn}`;

/** The QN of the request a message answers: 2005 replies carry it in CP, 2017 ones in the header. */
function requestQn(message: Message): string | undefined {
  const body = message.body as { readonly requestQn?: string };
  return body.requestQn ?? message.qn;
}

function historyRange(cn: string, params: CommandParams | undefined): HistoryRange | undefined {
  const from = params?.BeginTime;
  const to = params?.EndTime;
  return typeof from === 'number' && typeof to === 'number' ? { cn, from, to } : undefined;
}

function summarise(message: Message): unknown {
  const body = message.body;
  switch (body.type) {
    case 'system-time':
      return { systemTime: body.systemTime ?? null, polId: body.polId ?? null };
    case 'parameters':
      return { ...body.params, ...(body.polId === undefined ? {} : { PolId: body.polId }) };
    case 'device-info':
      return body.entries.map((e) => ({ polId: e.polId ?? null, items: e.items }));
    default:
      return message.cp;
  }
}
