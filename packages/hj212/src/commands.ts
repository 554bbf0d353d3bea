import { cpValue } from './bodies.js';
import { Hj212Error } from './errors.js';
import type { CommandBody, Cp, CpField } from './message.js';
import { type ParseContext, parseDecimal } from './parse-context.js';
import { VERSION_PROFILES } from './profiles.js';
import { formatBeijingTime } from './time.js';
import { indexByCn, type ProtocolVersion } from './versions.js';

type ParamType = 'time' | 'integer' | 'text' | 'hhmmss';

interface CommandParam {
  readonly key: string;
  readonly type: ParamType;
  readonly required: boolean;
  /** Allowed integers (HJ 212-2017 1064 MinInterval) or an inclusive range. */
  readonly oneOf?: readonly number[];
  readonly range?: readonly [number, number];
}

/** A platform → data logger request or notice of HJ 212 附录 C, with its parameters in CP order. */
export interface CommandDefinition {
  readonly name: string;
  /** Known well enough to recognise, not to build (its parameters are not all modelled). */
  readonly decodeOnly?: boolean;
  readonly cn: string;
  readonly versions: readonly ProtocolVersion[];
  readonly kind: 'request' | 'notice';
  readonly params: readonly CommandParam[];
}

const ALL: readonly ProtocolVersion[] = ['2005', '2017', '2025'];
const SINCE_2017: readonly ProtocolVersion[] = ['2017', '2025'];
const ONLY_2005: readonly ProtocolVersion[] = ['2005'];

const req = (key: string, type: ParamType, extra: Partial<CommandParam> = {}): CommandParam => ({
  key,
  type,
  required: true,
  ...extra,
});
const opt = (key: string, type: ParamType): CommandParam => ({ key, type, required: false });
const polId = req('PolId', 'text');
const timeRange = [req('BeginTime', 'time'), req('EndTime', 'time')];

const define = (
  name: string,
  cn: string,
  versions: readonly ProtocolVersion[],
  params: readonly CommandParam[] = [],
  kind: 'request' | 'notice' = 'request',
): CommandDefinition => ({ name, cn, versions, kind, params });

/**
 * Platform requests (HJ 212-2017 附录 C 表 C.1–C.46; HJ/T 212-2005 附录 C). 3013 and 3014 changed meaning
 * in 2017 and therefore have a definition per version; builders refuse a name the version lacks.
 */
export const COMMANDS: readonly CommandDefinition[] = [
  // 表 C.1: OverTime 0<n≤99 s, ReCount 0<n≤99.
  define('set-timeout-retries', '1000', ALL, [
    req('OverTime', 'integer', { range: [1, 99] }),
    req('ReCount', 'integer', { range: [1, 99] }),
  ]),
  define('get-system-time', '1011', ALL, [opt('PolId', 'text')]),
  define('set-system-time', '1012', ALL, [opt('PolId', 'text'), req('SystemTime', 'time')]),
  define('get-realtime-interval', '1061', ALL),
  // 2017 表 C.8: RtdInterval 30 ≤ n ≤ 3600 s (2005: any N4).
  define('set-realtime-interval', '1062', SINCE_2017, [req('RtdInterval', 'integer', { range: [30, 3600] })]),
  define('set-realtime-interval', '1062', ONLY_2005, [req('RtdInterval', 'integer', { range: [1, 9999] })]),
  define('get-minute-interval', '1063', SINCE_2017),
  // 2017 表 C.10: MinInterval ∈ {1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30} min.
  define('set-minute-interval', '1064', SINCE_2017, [
    req('MinInterval', 'integer', { oneOf: [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30] }),
  ]),
  define('set-password', '1072', SINCE_2017, [req('NewPW', 'text')]),
  define('set-password', '1072', ONLY_2005, [req('PW', 'text')]),
  define('start-realtime-data', '2011', ALL),
  define('stop-realtime-data', '2012', ALL, [], 'notice'),
  define('start-run-state', '2021', ALL),
  define('stop-run-state', '2022', ALL, [], 'notice'),
  define('get-day-data', '2031', ALL, timeRange),
  define('get-run-time-data', '2041', ALL, timeRange),
  define('get-minute-data', '2051', ALL, timeRange),
  define('get-hour-data', '2061', ALL, timeRange),
  define('calibrate', '3011', ALL, [polId]),
  define('sample-now', '3012', ALL, [polId]),
  define('start-cleaning', '3013', SINCE_2017, [polId]),
  define('comparison-sample', '3014', SINCE_2017, [polId]),
  // HJ/T 212-2005 meanings of 3013/3014 (设备操作命令; 设置设备采样时间周期 with repeated "CTime="): read
  // back for what they are, never built (the repeated CTime list is not modelled; it stays in CP).
  { ...define('device-operation', '3013', ONLY_2005, [opt('PolId', 'text')]), decodeOnly: true },
  { ...define('set-sampling-hours', '3014', ONLY_2005, [opt('PolId', 'text')]), decodeOnly: true },
  define('keep-exceedance-sample', '3015', SINCE_2017, [opt('PolId', 'text')]),
  define('set-sampling-period', '3016', SINCE_2017, [
    polId,
    req('CstartTime', 'hhmmss'),
    req('Ctime', 'integer', { range: [1, 24] }),
  ]),
  define('get-sampling-period', '3017', SINCE_2017, [polId]),
  define('get-sample-output-time', '3018', SINCE_2017, [polId]),
  define('get-instrument-sn', '3019', SINCE_2017, [polId]),
  define('get-device-info', '3020', SINCE_2017, [
    opt('PolId', 'text'),
    req('InfoId', 'text'),
    opt('BeginTime', 'time'),
    opt('EndTime', 'time'),
  ]),
  // 表 C.45: the value travels as "<InfoId>-Info=<value>".
  define('set-device-parameter', '3021', SINCE_2017, [
    opt('PolId', 'text'),
    req('InfoId', 'text'),
    req('Info', 'text'),
  ]),
  // HJ 212-2025 (unverified: from third-party code).
  define('keep-sample-now', '3022', ['2025'], [polId]),
  define('start-standard-check', '3024', ['2025'], [polId]),
];

/**
 * The requests a platform offers its operators (反控), by name: every request this codec builds, except
 * the ones it only reads back (2005's 3013/3014) and set-password — a data logger's access password is the
 * platform's credential for it, and changing it on the device alone would lock the device out. Shared by
 * the platform's command service and its web app.
 */
export const OPERATOR_COMMANDS: readonly string[] = [
  ...new Set(COMMANDS.filter((c) => c.decodeOnly !== true && c.name !== 'set-password').map((c) => c.name)),
];

/** The definition of a named command in a version. */
export function commandDefinition(name: string, version: ProtocolVersion): CommandDefinition | undefined {
  return COMMANDS.find((command) => command.name === name && command.versions.includes(version));
}

export function commandByCn(cn: string, version: ProtocolVersion): CommandDefinition | undefined {
  return BY_VERSION[version].get(cn);
}

const BY_VERSION = indexByCn(COMMANDS);

export type CommandParams = Readonly<Record<string, string | number | undefined>>;

function paramText(command: CommandDefinition, param: CommandParam, value: string | number): string {
  const fail = (reason: string): never => {
    throw new Hj212Error('HJ212_E_ENCODE_FIELD', { command: command.name, param: param.key, value, reason });
  };
  switch (param.type) {
    case 'time':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return fail('a time must be UTC epoch milliseconds');
      return formatBeijingTime(value);
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail('must be an integer');
      if (param.oneOf !== undefined && !param.oneOf.includes(value))
        return fail(`must be one of ${param.oneOf.join(', ')}`);
      if (param.range !== undefined && (value < param.range[0] || value > param.range[1])) {
        return fail(`must be from ${param.range[0]} to ${param.range[1]}`);
      }
      return String(value);
    }
    case 'hhmmss':
      if (typeof value !== 'string' || !/^([01]\d|2[0-3])[0-5]\d[0-5]\d$/.test(value))
        return fail('must be hhmmss');
      return value;
    case 'text':
      if (typeof value !== 'string' || value.length === 0) return fail('must be non-empty text');
      return value;
  }
}

/** CP groups of a command; BeginTime/EndTime share one group where the version writes them with ",". */
export function commandCp(command: CommandDefinition, params: CommandParams, version: ProtocolVersion): Cp {
  const groups: CpField[][] = [];
  const infoId = params.InfoId;
  for (const param of command.params) {
    const value = params[param.key];
    if (value === undefined) {
      if (param.required) {
        throw new Hj212Error('HJ212_E_ENCODE_FIELD', {
          command: command.name,
          param: param.key,
          reason: 'required',
        });
      }
      continue;
    }
    const key = param.key === 'Info' ? `${String(infoId)}-Info` : param.key;
    const field: CpField = { key, value: paramText(command, param, value) };
    const previous = groups[groups.length - 1];
    if (
      param.key === 'EndTime' &&
      VERSION_PROFILES[version].timeRangeSeparator === ',' &&
      previous?.[0]?.key === 'BeginTime'
    ) {
      previous.push(field);
    } else {
      groups.push([field]);
    }
  }
  return groups;
}

/** Reads a platform request or notice back into its name and typed parameters. */
export function readCommand(command: CommandDefinition, cp: Cp, ctx: ParseContext): CommandBody {
  const params: Record<string, string | number> = {};
  for (const param of command.params) {
    const key = param.key === 'Info' ? `${cpValue(cp, 'InfoId') ?? ''}-Info` : param.key;
    const text = cpValue(cp, key);
    if (text === undefined) continue;
    if (param.type === 'time') {
      const time = ctx.time(text, key);
      if (time !== undefined) params[param.key] = time;
    } else if (param.type === 'integer') {
      const number = parseDecimal(text);
      if (number === undefined) ctx.note('HJ212_E_VALUE_NOT_NUMBER', `${key}=${text}`);
      else params[param.key] = number;
    } else {
      params[param.key] = text;
    }
  }
  return { type: 'command', command: command.name, params };
}

/** Whether every CP key is a parameter of the command (so a two-way CN reads as the platform's request). */
export function looksLikeCommand(command: CommandDefinition | undefined, cp: Cp): boolean {
  if (command === undefined) return false;
  const keys = new Set(command.params.map((param) => param.key));
  const infoId = cpValue(cp, 'InfoId');
  for (const group of cp) {
    for (const field of group) {
      if (keys.has(field.key)) continue;
      if (infoId !== undefined && field.key === `${infoId}-Info` && keys.has('Info')) continue;
      return false;
    }
  }
  return true;
}
