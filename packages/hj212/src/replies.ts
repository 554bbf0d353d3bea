import { type CommandParams, commandCp, commandDefinition } from './commands.js';
import type { MessageInput } from './encode.js';
import { Hj212Error } from './errors.js';
import type { CpField, Header, Message } from './message.js';
import { composeFlag, VERSION_PROFILES } from './profiles.js';
import { commandCode } from './tables/command-codes.js';
import { formatQn } from './time.js';
import type { DetectedVersion, ProtocolVersion } from './versions.js';

/** ST of every interaction packet (HJ 212-2017 表 5: 91 系统交互). */
export const ST_INTERACTION = '91';

/** The dialect to answer a packet in: its own version, or 2017 when the version is unknown. */
export function dialectOf(version: DetectedVersion): ProtocolVersion {
  return version === 'unknown' ? '2017' : version;
}

/** The request a reply refers to: its QN and header. */
type Request = Pick<Header, 'qn' | 'pw' | 'mn' | 'cn' | 'pnum' | 'pno'>;

function reply(request: Request, dialect: ProtocolVersion, cn: string, fields: CpField[]): MessageInput {
  // One object shape for every reply (an absent field is undefined, which the encoder skips): replies are
  // built for every acknowledged frame.
  const flag = composeFlag(dialect, { ack: false });
  const cp = fields.map((field) => [field]);
  if (VERSION_PROFILES[dialect].replyStyle === 'qn-in-cp') {
    // HJ/T 212-2005 附录 C: "ST=91;CN=9011;PW=…;MN=…;Flag=0;CP=&&QN=…;QnRtn=1&&".
    if (request.qn !== undefined) cp.unshift([{ key: 'QN', value: request.qn }]);
    return { qn: undefined, st: ST_INTERACTION, cn, pw: request.pw, mn: request.mn, flag, cp };
  }
  // HJ 212-2017 附录 C: "QN=<request QN>;ST=91;CN=9011;PW=…;MN=…;Flag=4;CP=&&QnRtn=1&&".
  return { qn: request.qn, st: ST_INTERACTION, cn, pw: request.pw, mn: request.mn, flag, cp };
}

/**
 * 9014 数据应答 for an upload (HJ 212-2017 表 C.14–C.19, C.50: one per sub-packet, echoing that
 * sub-packet's QN). In the 2005 dialect the acknowledged QN and CN travel inside CP, PW and MN are
 * omitted, and a sub-packet's PNO/PNUM are named (HJ/T 212-2005 附录 C).
 */
export function dataAck(upload: Request, dialect: ProtocolVersion): MessageInput {
  if (VERSION_PROFILES[dialect].replyStyle === 'qn-in-cp') {
    const cp: CpField[][] = [];
    if (upload.qn !== undefined) cp.push([{ key: 'QN', value: upload.qn }]);
    if (upload.cn !== undefined) cp.push([{ key: 'CN', value: upload.cn }]);
    if (upload.pno !== undefined && upload.pnum !== undefined) {
      cp.push([{ key: 'PNO', value: String(upload.pno) }], [{ key: 'PNUM', value: String(upload.pnum) }]);
    }
    return { st: ST_INTERACTION, cn: '9014', cp };
  }
  return reply(upload, dialect, '9014', []);
}

/** 9013 通知应答 (to a 1013 time-calibration request or a 2005 2072 alarm; from a DAS to 2012/2022). */
export function noticeReply(notice: Request, dialect: ProtocolVersion): MessageInput {
  return reply(notice, dialect, '9013', []);
}

/** 9011 请求应答 with a QnRtn (HJ 212-2017 表 7). */
export function requestReply(request: Request, dialect: ProtocolVersion, qnRtn: number): MessageInput {
  return reply(request, dialect, '9011', [{ key: 'QnRtn', value: String(qnRtn) }]);
}

/** 9012 执行结果 with an ExeRtn (HJ 212-2017 表 6). */
export function executionResult(request: Request, dialect: ProtocolVersion, exeRtn: number): MessageInput {
  return reply(request, dialect, '9012', [{ key: 'ExeRtn', value: String(exeRtn) }]);
}

/**
 * What the platform must send back for a data logger's packet, or undefined: a 9014 when an upload asks
 * for one (Flag.A = 1; no Flag means no ack), a 9013 for a notice (1013, 2005's 2072). Requests and
 * replies from the data logger need no answer from this function.
 */
export function platformReply(message: Message): MessageInput | undefined {
  if (message.direction !== 'up' || message.cn === undefined) return undefined;
  const dialect = dialectOf(message.version);
  const row = commandCode(message.cn, dialect);
  if (row?.up?.kind === 'notice') return noticeReply(message, dialect);
  if (message.ackRequested && row?.up?.kind === 'upload') return dataAck(message, dialect);
  return undefined;
}

export interface CommandTarget {
  readonly mn: string;
  readonly pw: string;
  /** The device's ST (a request carries the system code of the device it addresses, 表 C.1 "ST=32"). */
  readonly st: string;
  readonly version: ProtocolVersion;
}

/**
 * A platform request or notice of 附录 C, ready for `encodeMessage`: `buildCommand('get-hour-data',
 * { BeginTime, EndTime }, target, now)`. Requests ask for an answer (Flag.A = 1). Throws `Hj212Error`
 * HJ212_E_ENCODE_COMMAND when the command does not exist in the device's version.
 */
export function buildCommand(
  name: string,
  params: CommandParams,
  target: CommandTarget,
  now: number,
): MessageInput {
  const command = commandDefinition(name, target.version);
  if (command === undefined || command.decodeOnly === true)
    throw new Hj212Error('HJ212_E_ENCODE_COMMAND', { command: name, version: target.version });
  return {
    qn: formatQn(now),
    st: target.st,
    cn: command.cn,
    pw: target.pw,
    mn: target.mn,
    flag: composeFlag(target.version, { ack: true }),
    cp: commandCp(command, params, target.version),
  };
}
