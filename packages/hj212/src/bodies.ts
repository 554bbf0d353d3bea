import { resolveFactorCode } from './factor-resolution.js';
import type {
  AlarmBody,
  Body,
  Cp,
  CpField,
  DataAckBody,
  DeviceInfoBody,
  DeviceInfoItem,
  FactorObservation,
  Header,
  ObservationPeriod,
  ObservationsBody,
  ParametersBody,
  RunStateBody,
  RunTimeBody,
  ValueKind,
} from './message.js';
import { VALUE_KINDS } from './message.js';
import { type ParseContext, parseDecimal } from './parse-context.js';
import type { UplinkBody } from './tables/command-codes.js';
import { dataFlag } from './tables/data-flags.js';

const VALUE_KIND_SET: ReadonlySet<string> = new Set<string>(VALUE_KINDS);

/** Every field suffix HJ 212 defines in any version (2017 表 4, 2005 字段对照表). */
const KNOWN_SUFFIXES: ReadonlySet<string> = new Set<string>([
  ...VALUE_KINDS,
  ...['Flag', 'EFlag', 'SampleTime', 'RS', 'RT', 'Info', 'SN', 'UpValue', 'LowValue'],
]);

/** A factor while its fields are read (both readers build these). */
export interface MutableFactor {
  code: string;
  originalCode: string;
  values: Partial<Record<ValueKind, number>>;
  dataFlag?: string;
  eFlag?: string;
  sampleTime?: number;
  other?: Record<string, string>;
}

/** `code-Suffix` → [code, suffix], or undefined for keys without a suffix. */
function splitKey(key: string): [string, string] | undefined {
  const dash = key.lastIndexOf('-');
  if (dash <= 0 || dash === key.length - 1) return undefined;
  return [key.slice(0, dash), key.slice(dash + 1)];
}

export function newFactor(originalCode: string, ctx: ParseContext): MutableFactor {
  const resolved = resolveFactorCode(originalCode, ctx.version);
  if (resolved.mapped) ctx.note('HJ212_E_CODE_2005', `${originalCode}→${resolved.code}`);
  if (resolved.unitChanged) ctx.note('HJ212_E_UNIT_CHANGED_2005', originalCode);
  if (resolved.noiseSwapped) ctx.note('HJ212_E_NOISE_DAY_NIGHT_2005', `${originalCode}→${resolved.code}`);
  if (
    (resolved.system === '2005' && ctx.version !== '2005') ||
    (resolved.system === '2017' && ctx.version === '2005')
  ) {
    ctx.note('HJ212_E_CODE_VERSION_MIX', originalCode);
  }
  return { code: resolved.code, originalCode, values: {} };
}

function setOther(factor: MutableFactor, suffix: string, value: string): void {
  if (factor.other === undefined) factor.other = Object.create(null) as Record<string, string>;
  factor.other[suffix] = value;
}

function assignFactorField(factor: MutableFactor, suffix: string, value: string, ctx: ParseContext): void {
  if (VALUE_KIND_SET.has(suffix)) {
    const kind = suffix as ValueKind;
    const number = parseDecimal(value);
    if (number === undefined) {
      ctx.note('HJ212_E_VALUE_NOT_NUMBER', `${factor.originalCode}-${suffix}=${value}`);
      setOther(factor, suffix, value);
    } else if (factor.values[kind] !== undefined) {
      ctx.note('HJ212_E_DUPLICATE_VALUE', `${factor.originalCode}-${suffix}`);
    } else {
      factor.values[kind] = number;
    }
    return;
  }
  switch (suffix) {
    case 'Flag':
      if (factor.dataFlag !== undefined) ctx.note('HJ212_E_DUPLICATE_VALUE', `${factor.originalCode}-Flag`);
      else factor.dataFlag = value;
      if (ctx.version !== 'unknown' && dataFlag(ctx.version, value) === undefined) {
        ctx.note('HJ212_E_DATA_FLAG_UNKNOWN', value);
      }
      return;
    case 'EFlag':
      factor.eFlag = value;
      return;
    case 'SampleTime': {
      const time = ctx.time(value, `${factor.originalCode}-SampleTime`);
      if (time !== undefined) factor.sampleTime = time;
      else setOther(factor, 'SampleTime', value);
      return;
    }
    default:
      if (!KNOWN_SUFFIXES.has(suffix)) ctx.note('HJ212_E_UNKNOWN_SUFFIX', suffix);
      setOther(factor, suffix, value);
  }
}

/** Reads `code-Suffix=value` fields into factors (grouped by code, in order of first appearance). */
function readFactors(cp: Cp, ctx: ParseContext, onPlain: (field: CpField) => void): FactorObservation[] {
  const factors: MutableFactor[] = [];
  const byCode = new Map<string, MutableFactor>();
  let last: MutableFactor | undefined;
  for (let g = 0; g < cp.length; g++) {
    const group = cp[g] as readonly CpField[];
    for (let f = 0; f < group.length; f++) {
      const field = group[f] as CpField;
      const value = field.value;
      const parts = value === null ? undefined : splitKey(field.key);
      if (parts === undefined || value === null) {
        onPlain(field);
        continue;
      }
      const [code, suffix] = parts;
      let factor = last !== undefined && last.originalCode === code ? last : byCode.get(code);
      if (factor === undefined) {
        factor = newFactor(code, ctx);
        byCode.set(code, factor);
        factors.push(factor);
      }
      last = factor;
      assignFactorField(factor, suffix, value, ctx);
    }
  }
  return factors;
}

function readObservations(cp: Cp, period: ObservationPeriod, ctx: ParseContext): ObservationsBody {
  let dataTime: number | undefined;
  let sawDataTime = false;
  const extras: CpField[] = [];
  const factors = readFactors(cp, ctx, (field) => {
    if (field.key === 'DataTime' && !sawDataTime) {
      sawDataTime = true;
      dataTime = ctx.time(field.value, 'DataTime');
    } else {
      extras.push(field);
    }
  });
  if (!sawDataTime) ctx.add('HJ212_E_DATATIME_MISSING');
  return dataTime === undefined
    ? { type: 'observations', period, factors, extras }
    : { type: 'observations', period, dataTime, factors, extras };
}

function readFacilities<K extends 'state' | 'hours'>(
  cp: Cp,
  suffix: 'RS' | 'RT',
  valueKey: K,
  ctx: ParseContext,
): { dataTime?: number; treatmentFacilities: ({ id: string } & Record<K, number>)[]; extras: CpField[] } {
  let dataTime: number | undefined;
  const treatmentFacilities: ({ id: string } & Record<K, number>)[] = [];
  const extras: CpField[] = [];
  for (const group of cp) {
    for (const field of group) {
      if (field.key === 'DataTime' && dataTime === undefined) {
        dataTime = ctx.time(field.value, 'DataTime');
        continue;
      }
      const parts = splitKey(field.key);
      const number = field.value === null ? undefined : parseDecimal(field.value);
      if (parts !== undefined && parts[1] === suffix && number !== undefined) {
        treatmentFacilities.push({ id: parts[0], [valueKey]: number } as { id: string } & Record<K, number>);
      } else {
        if (parts !== undefined && parts[1] === suffix)
          ctx.note('HJ212_E_VALUE_NOT_NUMBER', `${field.key}=${field.value}`);
        extras.push(field);
      }
    }
  }
  return dataTime === undefined ? { treatmentFacilities, extras } : { dataTime, treatmentFacilities, extras };
}

function readDeviceInfo(cp: Cp, ctx: ParseContext): DeviceInfoBody {
  let dataTime: number | undefined;
  const entries: { polId?: string; items: DeviceInfoItem[] }[] = [];
  const extras: CpField[] = [];
  let current: { polId?: string; items: DeviceInfoItem[] } | undefined;
  // Both groupings of the field: "PolId=w01018;i12001-Info=1" (standard) and "PolId=w01019,i12001-Info=0"
  // (firmware): a PolId opens an entry, the Info fields after it belong to it.
  for (const group of cp) {
    for (const field of group) {
      if (field.key === 'DataTime' && dataTime === undefined) {
        dataTime = ctx.time(field.value, 'DataTime');
      } else if (field.key === 'PolId' && field.value !== null) {
        current = { polId: field.value, items: [] };
        entries.push(current);
      } else {
        const parts = splitKey(field.key);
        if (parts !== undefined && parts[1] === 'Info' && field.value !== null) {
          if (current === undefined) {
            current = { items: [] };
            entries.push(current);
          }
          const value = field.value;
          const isLog = value.length >= 4 && value.startsWith('//') && value.endsWith('//');
          current.items.push(
            isLog ? { code: parts[0], value, text: value.slice(2, -2) } : { code: parts[0], value },
          );
        } else {
          extras.push(field);
        }
      }
    }
  }
  const body = { type: 'device-info', entries, extras } as const;
  return dataTime === undefined ? body : { ...body, dataTime };
}

function readAlarm(cp: Cp, ctx: ParseContext): AlarmBody {
  let alarmTime: number | undefined;
  let alarmType: number | undefined;
  let dataTime: number | undefined;
  const factors = readFactors(cp, ctx, (field) => {
    if (field.key === 'AlarmTime') alarmTime = ctx.time(field.value, 'AlarmTime');
    else if (field.key === 'DataTime') dataTime = ctx.time(field.value, 'DataTime');
    else if (field.key === 'AlarmType' && field.value !== null) alarmType = parseDecimal(field.value);
  });
  return {
    type: 'alarm',
    factors,
    ...(alarmTime === undefined ? {} : { alarmTime }),
    ...(alarmType === undefined ? {} : { alarmType }),
    ...(dataTime === undefined ? {} : { dataTime }),
  };
}

/** First value of a plain key anywhere in CP. */
export function cpValue(cp: Cp, key: string): string | undefined {
  for (const group of cp)
    for (const field of group) if (field.key === key && field.value !== null) return field.value;
  return undefined;
}

function readParameters(cp: Cp, ctx: ParseContext): ParametersBody {
  // Keys come from the device: a prototype-free record, so "__proto__" or "constructor" is just a key.
  const params: Record<string, string> = Object.create(null);
  let polId: string | undefined;
  let dataTime: number | undefined;
  for (const group of cp) {
    for (const field of group) {
      if (field.value === null) continue;
      if (field.key === 'PolId' && polId === undefined) polId = field.value;
      else if (field.key === 'DataTime' && dataTime === undefined)
        dataTime = ctx.time(field.value, 'DataTime');
      else if (!Object.hasOwn(params, field.key)) params[field.key] = field.value;
    }
  }
  return {
    type: 'parameters',
    params,
    ...(polId === undefined ? {} : { polId }),
    ...(dataTime === undefined ? {} : { dataTime }),
  };
}

/** The QN a reply refers to: inside CP (2005) or the header's (2017). */
function replyQn(cp: Cp, header: Header, ctx: ParseContext): string | undefined {
  const qn = cpValue(cp, 'QN') ?? header.qn;
  if (qn === undefined) ctx.add('HJ212_E_REPLY_QN_MISSING');
  return qn;
}

function optionalNumber(cp: Cp, key: string): number | undefined {
  const text = cpValue(cp, key);
  return text === undefined ? undefined : parseDecimal(text);
}

const withDefined = <T extends object>(body: T): T =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as T;

/** Reads a data logger's packet by the body its CN defines. */
export function readUplinkBody(spec: UplinkBody, cp: Cp, header: Header, ctx: ParseContext): Body {
  switch (spec.type) {
    case 'observations':
      return readObservations(cp, spec.period, ctx);
    case 'run-state': {
      const read = readFacilities(cp, 'RS', 'state', ctx);
      return { type: 'run-state', ...read } satisfies RunStateBody;
    }
    case 'run-time': {
      const read = readFacilities(cp, 'RT', 'hours', ctx);
      return { type: 'run-time', ...read } satisfies RunTimeBody;
    }
    case 'device-info':
      return readDeviceInfo(cp, ctx);
    case 'restart':
      return withDefined({
        type: 'restart',
        dataTime: ctx.time(cpValue(cp, 'DataTime') ?? null, 'DataTime'),
        restartTime: ctx.time(cpValue(cp, 'RestartTime') ?? null, 'RestartTime'),
      });
    case 'system-time':
      return withDefined({
        type: 'system-time',
        polId: cpValue(cp, 'PolId'),
        systemTime: ctx.time(cpValue(cp, 'SystemTime') ?? null, 'SystemTime'),
      });
    case 'time-calibration-request':
      return withDefined({ type: 'time-calibration-request', polId: cpValue(cp, 'PolId') });
    case 'parameters':
      return readParameters(cp, ctx);
    case 'alarm':
      return readAlarm(cp, ctx);
    case 'request-reply':
      return withDefined({
        type: 'request-reply',
        requestQn: replyQn(cp, header, ctx),
        qnRtn: optionalNumber(cp, 'QnRtn'),
      });
    case 'execution-result':
      return withDefined({
        type: 'execution-result',
        requestQn: replyQn(cp, header, ctx),
        exeRtn: optionalNumber(cp, 'ExeRtn'),
      });
    case 'notice-reply':
      return withDefined({ type: 'notice-reply', requestQn: replyQn(cp, header, ctx) });
    case 'data-ack':
      return withDefined<DataAckBody>({
        type: 'data-ack',
        requestQn: replyQn(cp, header, ctx),
        ackedCn: cpValue(cp, 'CN'),
        pno: optionalNumber(cp, 'PNO'),
        pnum: optionalNumber(cp, 'PNUM'),
      });
    case 'heartbeat':
      return { type: 'heartbeat' };
  }
}
