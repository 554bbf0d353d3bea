import { newFactor } from './bodies.js';
import type { FactorObservation, ObservationPeriod, ObservationsBody, ValueKind } from './message.js';
import type { ParseContext } from './parse-context.js';
import { DATA_FLAGS } from './tables/data-flags.js';
import { parseBeijingTime, parseBeijingTimeAt } from './time.js';
import { PROTOCOL_VERSIONS, type ProtocolVersion } from './versions.js';

/**
 * The hot path for data uploads (CN 2011/2051/2061/2031: nearly all traffic). It reads factors straight
 * from the text in one pass — no CP groups, no substrings for keys or numbers — and gives up (returns
 * undefined) at the first irregularity: whitespace, empty items, `//` logs, bare items, unknown suffixes or
 * flags, duplicates, values that are not plain decimals. The general reader then parses the packet and
 * reports every deviation; a property test holds both readers to the same result.
 */

type FieldKind = ValueKind | 'Flag' | 'EFlag' | 'SampleTime';

const charAt = (text: string, at: number): number => text.charCodeAt(at);

/**
 * The suffix starting at `from`, recognised by its letters and by the "=" that must follow it; returns the
 * kind, with the suffix length in `out[0]`, or undefined.
 */
function suffixAt(text: string, from: number, out: number[]): FieldKind | undefined {
  const c0 = charAt(text, from);
  const c1 = charAt(text, from + 1);
  if (charAt(text, from + 3) === EQ) {
    out[0] = 3;
    const c2 = charAt(text, from + 2);
    if (c0 === 0x41 && c1 === 0x76 && c2 === 0x67) return 'Avg';
    if (c0 === 0x4d && c1 === 0x69 && c2 === 0x6e) return 'Min';
    if (c0 === 0x4d && c1 === 0x61 && c2 === 0x78) return 'Max';
    if (c0 === 0x52 && c1 === 0x74 && c2 === 0x64) return 'Rtd';
    if (c0 === 0x43 && c1 === 0x6f && c2 === 0x75) return 'Cou';
    if (c0 === 0x41 && c1 === 0x6c && c2 === 0x61) return 'Ala';
    return undefined;
  }
  if (charAt(text, from + 4) === EQ) {
    out[0] = 4;
    if (c0 === 0x46 && c1 === 0x6c && text.startsWith('ag', from + 2)) return 'Flag';
    if (c0 === 0x44 && c1 === 0x61 && text.startsWith('ta', from + 2)) return 'Data';
    return undefined;
  }
  if (charAt(text, from + 5) === EQ) {
    out[0] = 5;
    if (c0 === 0x5a && c1 === 0x73) {
      const c2 = charAt(text, from + 2);
      if (c2 === 0x41 && text.startsWith('vg', from + 3)) return 'ZsAvg';
      if (c2 === 0x4d && text.startsWith('in', from + 3)) return 'ZsMin';
      if (c2 === 0x4d && text.startsWith('ax', from + 3)) return 'ZsMax';
      if (c2 === 0x52 && text.startsWith('td', from + 3)) return 'ZsRtd';
      return undefined;
    }
    return text.startsWith('EFlag', from) ? 'EFlag' : undefined;
  }
  if (charAt(text, from + 10) === EQ && text.startsWith('SampleTime', from)) {
    out[0] = 10;
    return 'SampleTime';
  }
  if (charAt(text, from + 7) === EQ && text.startsWith('DayData', from)) {
    out[0] = 7;
    return 'DayData';
  }
  if (charAt(text, from + 9) === EQ && text.startsWith('NightData', from)) {
    out[0] = 9;
    return 'NightData';
  }
  return undefined;
}

/** Per version: which single-character flags its table defines (anything else goes to the general reader). */
const KNOWN_FLAGS: Readonly<Record<ProtocolVersion, Uint8Array>> = (() => {
  const out = {} as Record<ProtocolVersion, Uint8Array>;
  for (const version of PROTOCOL_VERSIONS) {
    const known = new Uint8Array(128);
    for (const { flag } of DATA_FLAGS[version]) if (flag.length === 1) known[flag.charCodeAt(0)] = 1;
    out[version] = known;
  }
  return out;
})();

const ONE_CHAR = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

const DASH = 0x2d;
const EQ = 0x3d;
const COMMA = 0x2c;
const SEMI = 0x3b;

/**
 * Reads a plain decimal from `start` up to the next "," or ";" or `end`; stores where it stopped in
 * `stop[0]` and returns the value, or NaN for anything else (including a space). With at most 15 digits
 * the mantissa is an exact integer and 10^k an exact double, so one correctly rounded division gives
 * exactly what Number(text) gives.
 */
function decimalUntilSeparator(text: string, start: number, end: number, stop: number[]): number {
  let i = start;
  let negative = false;
  const first = charAt(text, i);
  if (first === DASH) {
    negative = true;
    i++;
  } else if (first === 0x2b) {
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < end; i++) {
    const code = charAt(text, i);
    if (code >= 0x30 && code <= 0x39) {
      mantissa = mantissa * 10 + (code - 0x30);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (code === 0x2e && fraction < 0) {
      fraction = 0;
    } else if (code === COMMA || code === SEMI) {
      break;
    } else {
      return Number.NaN;
    }
  }
  stop[0] = i;
  if (digits === 0) return Number.NaN;
  if (digits > 15) return Number(text.slice(start, i));
  const value = fraction > 0 ? mantissa / (POW10[fraction] as number) : mantissa;
  return negative ? -value : value;
}

/** Index of the next "," or ";" at or after `from` (or `end`). */
function separatorFrom(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const code = charAt(text, i);
    if (code === COMMA || code === SEMI) return i;
  }
  return end;
}

interface ScanFactor {
  code: string;
  originalCode: string;
  values: Partial<Record<ValueKind, number>>;
  dataFlag?: string;
  eFlag?: string;
  sampleTime?: number;
}

export function scanObservations(
  text: string,
  start: number,
  end: number,
  period: ObservationPeriod,
  ctx: ParseContext,
): ObservationsBody | undefined {
  if (ctx.version === 'unknown') return undefined;
  const logAt = text.indexOf('//', start);
  if (logAt >= 0 && logAt < end) return undefined;
  const known = KNOWN_FLAGS[ctx.version];
  const factors: ScanFactor[] = [];
  const scratch = SCRATCH;
  let last: ScanFactor | undefined;
  let dataTime: number | undefined;
  let sawDataTime = false;
  let lastTimeText = '';
  let lastTime = 0;
  let at = start;
  while (at < end) {
    // The usual case: the same factor as the field before ("code-" at `at`), found with one compare.
    let factor = last;
    let dash = factor === undefined ? -1 : at + factor.originalCode.length;
    if (factor === undefined || charAt(text, dash) !== DASH || !text.startsWith(factor.originalCode, at)) {
      // A new key: find its "=" and "-" by hand (a separator before the "=" means an item without one).
      let eq = -1;
      dash = -1;
      for (let i = at; i < end; i++) {
        const code = charAt(text, i);
        if (code === EQ) {
          eq = i;
          break;
        }
        if (code === COMMA || code === SEMI) return undefined;
        if (code === DASH) {
          if (dash >= 0) return undefined; // a "-" inside the code
          dash = i;
        }
      }
      if (eq <= at) return undefined;
      if (dash < 0) {
        // The one plain item a data upload has: DataTime.
        if (sawDataTime || eq - at !== 8 || !text.startsWith('DataTime', at)) return undefined;
        const valueEnd = separatorFrom(text, eq + 1, end);
        if (valueEnd > eq + 1 && (isBlank(charAt(text, eq + 1)) || isBlank(charAt(text, valueEnd - 1))))
          return undefined;
        sawDataTime = true;
        // 14 digits read in place; anything else through ctx.time, which reports it.
        const inPlace = valueEnd - eq - 1 === 14 ? parseBeijingTimeAt(text, eq + 1, 14) : undefined;
        dataTime = inPlace ?? ctx.time(text.slice(eq + 1, valueEnd), 'DataTime');
        at = valueEnd + 1;
        if (at === end) return undefined; // a trailing separator: an empty item
        continue;
      }
      if (dash === at || isBlank(charAt(text, at))) return undefined;
      const code = text.slice(at, dash);
      factor = undefined;
      for (const candidate of factors) {
        if (candidate.originalCode === code) {
          factor = candidate;
          break;
        }
      }
      if (factor === undefined) {
        factor = newFactor(code, ctx);
        factors.push(factor);
      }
      last = factor;
    }
    const kind = suffixAt(text, dash + 1, scratch);
    if (kind === undefined) return undefined;
    const valueStart = dash + 2 + (scratch[0] as number);
    let valueEnd: number;
    if (kind === 'Flag') {
      const flag = charAt(text, valueStart);
      valueEnd = valueStart + 1;
      const after = valueEnd < end ? charAt(text, valueEnd) : COMMA;
      if (
        (after !== COMMA && after !== SEMI) ||
        flag >= 128 ||
        known[flag] !== 1 ||
        factor.dataFlag !== undefined
      ) {
        return undefined;
      }
      factor.dataFlag = ONE_CHAR[flag] as string;
    } else if (kind === 'EFlag' || kind === 'SampleTime') {
      valueEnd = separatorFrom(text, valueStart, end);
      if (
        valueEnd === valueStart ||
        isBlank(charAt(text, valueStart)) ||
        isBlank(charAt(text, valueEnd - 1))
      ) {
        return undefined;
      }
      if (kind === 'EFlag') {
        if (factor.eFlag !== undefined) return undefined;
        factor.eFlag = text.slice(valueStart, valueEnd);
      } else {
        if (factor.sampleTime !== undefined) return undefined;
        if (!(lastTimeText.length === valueEnd - valueStart && text.startsWith(lastTimeText, valueStart))) {
          lastTimeText = text.slice(valueStart, valueEnd);
          const time = lastTimeText.length === 14 ? parseBeijingTime(lastTimeText) : undefined;
          if (time === undefined) return undefined;
          lastTime = time;
        }
        factor.sampleTime = lastTime;
      }
    } else {
      const value = decimalUntilSeparator(text, valueStart, end, scratch);
      valueEnd = scratch[0] as number;
      if (Number.isNaN(value) || !setValue(factor.values, kind, value)) return undefined;
    }
    at = valueEnd + 1;
    if (at === end) return undefined; // a trailing separator: an empty item
  }
  if (!sawDataTime) ctx.add('HJ212_E_DATATIME_MISSING');
  return dataTime === undefined
    ? { type: 'observations', period, factors: factors as FactorObservation[], extras: NO_EXTRAS }
    : { type: 'observations', period, dataTime, factors: factors as FactorObservation[], extras: NO_EXTRAS };
}

/** Out-parameter for suffix lengths and value ends (the scan is synchronous and not re-entered). */
const SCRATCH = [0];

/** Data uploads carry no bare items: one shared, frozen empty list. */
const NO_EXTRAS: readonly never[] = Object.freeze([]);

const isBlank = (code: number): boolean => code === 0x20 || code === 0x09;

/**
 * Stores a value under a constant property name (keyed stores with a variable name are an order of
 * magnitude slower in V8). False when the kind already has a value.
 */
function setValue(values: Partial<Record<ValueKind, number>>, kind: ValueKind, value: number): boolean {
  switch (kind) {
    case 'Rtd':
      if (values.Rtd !== undefined) return false;
      values.Rtd = value;
      return true;
    case 'Min':
      if (values.Min !== undefined) return false;
      values.Min = value;
      return true;
    case 'Avg':
      if (values.Avg !== undefined) return false;
      values.Avg = value;
      return true;
    case 'Max':
      if (values.Max !== undefined) return false;
      values.Max = value;
      return true;
    case 'Cou':
      if (values.Cou !== undefined) return false;
      values.Cou = value;
      return true;
    case 'ZsRtd':
      if (values.ZsRtd !== undefined) return false;
      values.ZsRtd = value;
      return true;
    case 'ZsMin':
      if (values.ZsMin !== undefined) return false;
      values.ZsMin = value;
      return true;
    case 'ZsAvg':
      if (values.ZsAvg !== undefined) return false;
      values.ZsAvg = value;
      return true;
    case 'ZsMax':
      if (values.ZsMax !== undefined) return false;
      values.ZsMax = value;
      return true;
    default:
      if (values[kind] !== undefined) return false;
      values[kind] = value;
      return true;
  }
}
