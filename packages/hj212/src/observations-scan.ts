import { type MutableFactor, newFactor } from './bodies.js';
import { internAscii } from './intern.js';
import type { FactorObservation, ObservationPeriod, ObservationsBody, ValueKind } from './message.js';
import type { ParseContext } from './parse-context.js';
import { DATA_FLAGS } from './tables/data-flags.js';
import { beijingTimeInBytes } from './time.js';
import { PROTOCOL_VERSIONS, type ProtocolVersion } from './versions.js';

/**
 * The hot path for data uploads (CN 2011/2051/2061/2031: nearly all traffic). It reads factors straight
 * from the ASCII bytes of CP in one pass — no CP groups, no text, no substrings for keys or numbers (codes
 * and extended flags are interned) — and gives up (returns undefined) at the first irregularity:
 * whitespace, empty items, `//` logs, bare items, unknown suffixes or flags, duplicates, values that are
 * not plain decimals, timestamps that are not 14 valid digits. The general reader then parses the packet
 * and reports every deviation; a property test holds both readers to the same result.
 */

type FieldKind = ValueKind | 'Flag' | 'EFlag' | 'SampleTime';

const DASH = 0x2d;
const EQ = 0x3d;
const COMMA = 0x2c;
const SEMI = 0x3b;
const SLASH = 0x2f;

/** Whether bytes[at, at + word.length) spells `word` (ASCII). */
function spells(bytes: Uint8Array, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * The suffix starting at `from`, recognised by its letters and by the "=" that must follow it; returns the
 * kind, with the suffix length in `out[0]`, or undefined.
 */
function suffixAt(b: Uint8Array, from: number, out: number[]): FieldKind | undefined {
  const c0 = b[from];
  const c1 = b[from + 1];
  if (b[from + 3] === EQ) {
    out[0] = 3;
    const c2 = b[from + 2];
    if (c0 === 0x41 && c1 === 0x76 && c2 === 0x67) return 'Avg';
    if (c0 === 0x4d && c1 === 0x69 && c2 === 0x6e) return 'Min';
    if (c0 === 0x4d && c1 === 0x61 && c2 === 0x78) return 'Max';
    if (c0 === 0x52 && c1 === 0x74 && c2 === 0x64) return 'Rtd';
    if (c0 === 0x43 && c1 === 0x6f && c2 === 0x75) return 'Cou';
    if (c0 === 0x41 && c1 === 0x6c && c2 === 0x61) return 'Ala';
    return undefined;
  }
  if (b[from + 4] === EQ) {
    out[0] = 4;
    if (c0 === 0x46 && c1 === 0x6c && b[from + 2] === 0x61 && b[from + 3] === 0x67) return 'Flag';
    if (c0 === 0x44 && c1 === 0x61 && b[from + 2] === 0x74 && b[from + 3] === 0x61) return 'Data';
    return undefined;
  }
  if (b[from + 5] === EQ) {
    out[0] = 5;
    if (c0 === 0x5a && c1 === 0x73) {
      const c2 = b[from + 2];
      if (c2 === 0x41 && b[from + 3] === 0x76 && b[from + 4] === 0x67) return 'ZsAvg';
      if (c2 === 0x4d && b[from + 3] === 0x69 && b[from + 4] === 0x6e) return 'ZsMin';
      if (c2 === 0x4d && b[from + 3] === 0x61 && b[from + 4] === 0x78) return 'ZsMax';
      if (c2 === 0x52 && b[from + 3] === 0x74 && b[from + 4] === 0x64) return 'ZsRtd';
      return undefined;
    }
    return spells(b, from, 'EFlag') ? 'EFlag' : undefined;
  }
  if (b[from + 10] === EQ && c0 === 0x53 && c1 === 0x61 && spells(b, from + 2, 'mpleTime')) {
    out[0] = 10;
    return 'SampleTime';
  }
  if (b[from + 7] === EQ && spells(b, from, 'DayData')) {
    out[0] = 7;
    return 'DayData';
  }
  if (b[from + 9] === EQ && spells(b, from, 'NightData')) {
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
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * Reads a plain decimal from `start` up to the next "," or ";" or `end`; stores where it stopped in
 * `stop[0]` and returns the value, or NaN for anything else (a space, an exponent, more than 15 digits).
 * With at most 15 digits the mantissa is an exact integer and 10^k an exact double, so one correctly
 * rounded division gives exactly what Number(text) gives.
 */
function decimalUntilSeparator(b: Uint8Array, start: number, end: number, stop: number[]): number {
  let i = start;
  let negative = false;
  const first = b[i];
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
    const code = b[i] as number;
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
  if (digits === 0 || digits > 15) return Number.NaN;
  const value = fraction > 0 ? mantissa / (POW10[fraction] as number) : mantissa;
  return negative ? -value : value;
}

/** Index of the next "," or ";" at or after `from` (or `end`). */
function separatorFrom(b: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const code = b[i];
    if (code === COMMA || code === SEMI) return i;
  }
  return end;
}

/** Whether the 14 bytes at `a` and at `b` are the same. */
function sameDigits(bytes: Uint8Array, a: number, b: number): boolean {
  for (let i = 0; i < 14; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

const isBlank = (code: number | undefined): boolean => code === 0x20 || code === 0x09;

/** Whether bytes[a, a + length) and bytes[b, b + length) are the same. */
function sameSpan(bytes: Uint8Array, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

/** Out-parameter for suffix lengths and value ends (the scan is synchronous and not re-entered). */
const SCRATCH = [0];

/** Data uploads carry no bare items: one shared, frozen empty list. */
const NO_EXTRAS: readonly never[] = Object.freeze([]);

/** Reads the observations of an upload from ASCII bytes[start, end) (the CP content), or undefined. */
export function scanObservations(
  b: Uint8Array,
  start: number,
  end: number,
  period: ObservationPeriod,
  ctx: ParseContext,
): ObservationsBody | undefined {
  if (ctx.version === 'unknown') return undefined;
  const known = KNOWN_FLAGS[ctx.version];
  const factors: MutableFactor[] = [];
  const scratch = SCRATCH;
  let last: MutableFactor | undefined;
  let lastCodeAt = 0;
  let lastCodeLength = 0;
  let dataTime: number | undefined;
  let sawDataTime = false;
  let lastTimeAt = -1;
  let lastTime = 0;
  let at = start;
  while (at < end) {
    // The usual case: the same factor as the field before ("code-" at `at`), found with one compare.
    // (Compared with the bytes where that code last stood: both sides are the same typed array.)
    let factor = last;
    let dash = factor === undefined ? -1 : at + lastCodeLength;
    if (factor === undefined || b[dash] !== DASH || !sameSpan(b, at, lastCodeAt, lastCodeLength)) {
      // A new key: find its "=" and "-" (a separator before the "=" means an item without one).
      let eq = -1;
      dash = -1;
      for (let i = at; i < end; i++) {
        const code = b[i];
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
      if (eq <= at || isBlank(b[at]) || isBlank(b[eq - 1])) return undefined;
      if (dash < 0) {
        // The one plain item a data upload has: DataTime, 14 valid digits.
        if (sawDataTime || eq - at !== 8 || !spells(b, at, 'DataTime')) return undefined;
        const valueEnd = separatorFrom(b, eq + 1, end);
        dataTime = valueEnd - eq - 1 === 14 ? beijingTimeInBytes(b, eq + 1, 14) : undefined;
        if (dataTime === undefined) return undefined;
        sawDataTime = true;
        at = valueEnd + 1;
        if (at === end) return undefined; // a trailing separator: an empty item
        continue;
      }
      if (dash === at) return undefined;
      const code = internAscii(b, at, dash);
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
      lastCodeAt = at;
      lastCodeLength = dash - at;
    }
    const kind = suffixAt(b, dash + 1, scratch);
    if (kind === undefined) return undefined;
    const valueStart = dash + 2 + (scratch[0] as number);
    let valueEnd: number;
    if (kind === 'Flag') {
      const flag = b[valueStart] as number;
      valueEnd = valueStart + 1;
      const after = valueEnd < end ? b[valueEnd] : COMMA;
      if (
        (after !== COMMA && after !== SEMI) ||
        flag >= 128 ||
        known[flag] !== 1 ||
        factor.dataFlag !== undefined
      ) {
        return undefined;
      }
      factor.dataFlag = ONE_CHAR[flag] as string;
    } else if (kind === 'SampleTime') {
      // 14 digits, then a separator or the end (the digit checks below rule out a separator inside).
      valueEnd = valueStart + 14;
      const after = valueEnd < end ? b[valueEnd] : COMMA;
      if (valueEnd > end || (after !== COMMA && after !== SEMI) || factor.sampleTime !== undefined)
        return undefined;
      // Analysers sampled together share a SampleTime: reuse the last one read when the digits match.
      if (lastTimeAt < 0 || !sameDigits(b, lastTimeAt, valueStart)) {
        const time = beijingTimeInBytes(b, valueStart, 14);
        if (time === undefined) return undefined;
        lastTime = time;
        lastTimeAt = valueStart;
      }
      factor.sampleTime = lastTime;
    } else if (kind === 'EFlag') {
      valueEnd = separatorFrom(b, valueStart, end);
      if (valueEnd === valueStart || isBlank(b[valueStart]) || isBlank(b[valueEnd - 1])) return undefined;
      if (b[valueStart] === SLASH || factor.eFlag !== undefined) return undefined;
      factor.eFlag = internAscii(b, valueStart, valueEnd);
    } else {
      const value = decimalUntilSeparator(b, valueStart, end, scratch);
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
