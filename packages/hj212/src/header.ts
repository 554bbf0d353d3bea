import type { Header } from './message.js';
import type { ParseContext } from './parse-context.js';
import { versionFromFlagBits } from './profiles.js';
import { parseQn } from './time.js';
import type { DetectedVersion } from './versions.js';

/**
 * The header of a data segment (HJ 212-2017 §6.3.2 表 3): QN ST CN PW MN Flag PNUM PNO, by key, in any
 * order, each possibly missing, read in place; then the version from Flag and the field checks.
 */

export interface MutableHeader {
  qn: string | undefined;
  st: string | undefined;
  cn: string | undefined;
  pw: string | undefined;
  mn: string | undefined;
  flag: number | undefined;
  pnum: number | undefined;
  pno: number | undefined;
}

/**
 * Reads the header in text[start, headerEnd) (`cpAt` is where "CP=&&" starts, or -1), detects the version
 * and checks the fields. A data logger repeats its header on every packet and only QN changes: a header
 * seen before without any deviation is taken from a memo (same result as reading it — the memo holds only
 * clean headers, and QN is still read and checked).
 */
export function readHeaderCached(
  text: string,
  start: number,
  headerEnd: number,
  cpAt: number,
  ctx: ParseContext,
): { header: MutableHeader; version: DetectedVersion } {
  const tail = cpAt > start + 21 && qnFirst(text, start) ? text.slice(start + 21, cpAt) : undefined;
  const memo = tail === undefined ? undefined : HEADER_MEMO.get(tail);
  if (memo !== undefined) {
    const m = memo.header;
    const header: MutableHeader = {
      qn: text.slice(start + 3, start + 20),
      st: m.st,
      cn: m.cn,
      pw: m.pw,
      mn: m.mn,
      flag: m.flag,
      pnum: m.pnum,
      pno: m.pno,
    };
    ctx.version = memo.version;
    if (parseQn(header.qn as string) === undefined) ctx.add('HJ212_E_QN_INVALID', { qn: header.qn });
    return { header, version: memo.version };
  }
  const header = readHeader(text, start, headerEnd, ctx);
  if (cpAt > start && text.charCodeAt(cpAt - 1) !== 0x3b) ctx.note('HJ212_E_HEADER_SEPARATOR', 'CP');
  const version = detectVersion(header, ctx);
  ctx.version = version;
  checkHeader(header, version, ctx);
  if (tail !== undefined && ctx.isEmpty()) remember(tail, header, version);
  return { header, version };
}

/** Header fields up to `end` ("QN=…;ST=…;…;"): parsed in place, by key, in any order. */
function readHeader(text: string, start: number, end: number, ctx: ParseContext): MutableHeader {
  // Every field present from the start: one object shape for all headers.
  const header: MutableHeader = {
    qn: undefined,
    st: undefined,
    cn: undefined,
    pw: undefined,
    mn: undefined,
    flag: undefined,
    pnum: undefined,
    pno: undefined,
  };
  let pos = start;
  while (pos < end) {
    let sep = text.indexOf(';', pos);
    if (sep < 0 || sep > end) sep = end;
    if (sep > pos && !wellFormedField(text, pos, sep, header)) {
      // Two "=" in one part means fields joined by a comma: "QN=…534,ST=32" (HJ 212-2017 表 C.22, C.48).
      const eq = text.indexOf('=', pos);
      const eq2 = eq < 0 || eq >= sep ? -1 : text.indexOf('=', eq + 1);
      if (eq2 >= 0 && eq2 < sep && text.lastIndexOf(',', eq2) > eq) {
        // "QN=…534,ST=32" (a comma instead of ";", HJ 212-2017 表 C.22 and C.48 as printed).
        const part = text.slice(pos, sep);
        ctx.note('HJ212_E_HEADER_SEPARATOR', part);
        for (const piece of part.split(',')) headerField(piece, 0, piece.length, header, ctx);
      } else {
        headerField(text, pos, sep, header, ctx);
      }
    }
    pos = sep + 1;
  }
  return header;
}

const isBlank = (code: number): boolean => code === 0x20 || code === 0x09;

/** A small unsigned integer in text[start, end) with at most `maxDigits` digits, or -1. */
function integerAt(text: string, start: number, end: number, maxDigits: number): number {
  if (end <= start || end - start > maxDigits) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The usual header field, read in place: a known key at `pos`, "=", a value up to `sep` with no spaces at
 * its ends, no comma-joined field inside, and (for Flag/PNUM/PNO) digits in range. False leaves the part
 * to `headerField`, which handles and reports everything else.
 */
function wellFormedField(text: string, pos: number, sep: number, header: MutableHeader): boolean {
  const c0 = text.charCodeAt(pos);
  const c1 = text.charCodeAt(pos + 1);
  let field: number;
  let valueStart: number;
  if (text.charCodeAt(pos + 2) === 0x3d) {
    valueStart = pos + 3;
    if (c0 === 0x51 && c1 === 0x4e) field = QN;
    else if (c0 === 0x53 && c1 === 0x54) field = ST;
    else if (c0 === 0x43 && c1 === 0x4e) field = CN;
    else if (c0 === 0x50 && c1 === 0x57) field = PW;
    else if (c0 === 0x4d && c1 === 0x4e) field = MN;
    else return false;
  } else if (c0 === 0x46 && text.startsWith('Flag=', pos)) {
    valueStart = pos + 5;
    field = FLAG;
  } else if (c0 === 0x50 && c1 === 0x4e && text.startsWith('PNUM=', pos)) {
    valueStart = pos + 5;
    field = PNUM;
  } else if (c0 === 0x50 && c1 === 0x4e && text.startsWith('PNO=', pos)) {
    valueStart = pos + 4;
    field = PNO;
  } else {
    return false;
  }
  if (sep <= valueStart || isBlank(text.charCodeAt(valueStart)) || isBlank(text.charCodeAt(sep - 1)))
    return false;
  if (field >= FLAG) {
    const number = integerAt(text, valueStart, sep, field === FLAG ? 3 : 4);
    if (number < (field === FLAG ? 0 : 1) || number > (field === FLAG ? 255 : 9999)) return false;
    // Named stores (a variable property name would make every header access megamorphic).
    if (field === FLAG) {
      if (header.flag !== undefined) return false;
      header.flag = number;
    } else if (field === PNUM) {
      if (header.pnum !== undefined) return false;
      header.pnum = number;
    } else {
      if (header.pno !== undefined) return false;
      header.pno = number;
    }
    return true;
  }
  const eq = text.indexOf('=', valueStart);
  if (eq >= 0 && eq < sep) return false; // "QN=…,ST=32": fields joined by a comma
  const value = text.slice(valueStart, sep);
  switch (field) {
    case QN:
      if (header.qn !== undefined) return false;
      header.qn = value;
      return true;
    case ST:
      if (header.st !== undefined) return false;
      header.st = value;
      return true;
    case CN:
      if (header.cn !== undefined) return false;
      header.cn = value;
      return true;
    case PW:
      if (header.pw !== undefined) return false;
      header.pw = value;
      return true;
    default:
      if (header.mn !== undefined) return false;
      header.mn = value;
      return true;
  }
}

const QN = 0;
const ST = 1;
const CN = 2;
const PW = 3;
const MN = 4;
const FLAG = 5;
const PNUM = 6;
const PNO = 7;

function headerField(
  text: string,
  start: number,
  end: number,
  header: MutableHeader,
  ctx: ParseContext,
): void {
  let eq = text.indexOf('=', start);
  if (eq < 0 || eq > end) eq = end;
  let keyStart = start;
  let keyEnd = eq;
  let valueStart = eq < end ? eq + 1 : end;
  let valueEnd = end;
  if (
    (keyEnd > keyStart && (isBlank(text.charCodeAt(keyStart)) || isBlank(text.charCodeAt(keyEnd - 1)))) ||
    (valueEnd > valueStart &&
      (isBlank(text.charCodeAt(valueStart)) || isBlank(text.charCodeAt(valueEnd - 1))))
  ) {
    while (keyStart < keyEnd && isBlank(text.charCodeAt(keyStart))) keyStart++;
    while (keyEnd > keyStart && isBlank(text.charCodeAt(keyEnd - 1))) keyEnd--;
    while (valueStart < valueEnd && isBlank(text.charCodeAt(valueStart))) valueStart++;
    while (valueEnd > valueStart && isBlank(text.charCodeAt(valueEnd - 1))) valueEnd--;
    ctx.add('HJ212_E_CP_WHITESPACE', { field: text.slice(keyStart, keyEnd) });
  }
  if (keyEnd === keyStart) return;
  const key = text.slice(keyStart, keyEnd);
  const duplicate = (): void => ctx.note('HJ212_E_HEADER_DUPLICATE', key);
  switch (key) {
    case 'QN':
      if (header.qn === undefined) header.qn = text.slice(valueStart, valueEnd);
      else duplicate();
      return;
    case 'ST':
      if (header.st === undefined) header.st = text.slice(valueStart, valueEnd);
      else duplicate();
      return;
    case 'CN':
      if (header.cn === undefined) header.cn = text.slice(valueStart, valueEnd);
      else duplicate();
      return;
    case 'PW':
      if (header.pw === undefined) header.pw = text.slice(valueStart, valueEnd);
      else duplicate();
      return;
    case 'MN':
      if (header.mn === undefined) header.mn = text.slice(valueStart, valueEnd);
      else duplicate();
      return;
    case 'Flag': {
      if (header.flag !== undefined) {
        duplicate();
        return;
      }
      const flag = integerAt(text, valueStart, valueEnd, 3);
      if (flag < 0 || flag > 255)
        ctx.add('HJ212_E_FLAG_INVALID', { value: text.slice(valueStart, valueEnd) });
      else header.flag = flag;
      return;
    }
    case 'PNUM':
    case 'PNO': {
      const name = key === 'PNUM' ? 'pnum' : 'pno';
      if (header[name] !== undefined) {
        duplicate();
        return;
      }
      const number = integerAt(text, valueStart, valueEnd, 4);
      if (number < 1) ctx.add('HJ212_E_PACKET_NUMBERS', { [key]: text.slice(valueStart, valueEnd) });
      else header[name] = number;
      return;
    }
    default:
      ctx.note('HJ212_E_HEADER_UNKNOWN', key);
  }
}

/** Flag >> 2 names the version (HJ 212-2017 表 3); no Flag at all reads as HJ/T 212-2005. */
function detectVersion(header: Header, ctx: ParseContext): DetectedVersion {
  if (header.flag === undefined) {
    ctx.add('HJ212_E_FLAG_MISSING');
    return '2005';
  }
  const version = versionFromFlagBits(header.flag >> 2);
  if (version === 'unknown')
    ctx.add('HJ212_E_VERSION_UNKNOWN', { flag: header.flag, versionBits: header.flag >> 2 });
  return version;
}

const isStChar = (code: number): boolean => (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
const isDigitCode = (code: number): boolean => code >= 0x30 && code <= 0x39;
/** ST: two characters 0-9/A-Z (HJ 212-2017 §6.6.1.1). */
const validSt = (st: string): boolean =>
  st.length === 2 && isStChar(st.charCodeAt(0)) && isStChar(st.charCodeAt(1));
/** CN: four digits (表 9). */
const validCn = (cn: string): boolean =>
  cn.length === 4 &&
  isDigitCode(cn.charCodeAt(0)) &&
  isDigitCode(cn.charCodeAt(1)) &&
  isDigitCode(cn.charCodeAt(2)) &&
  isDigitCode(cn.charCodeAt(3));
const MN_2017 = /^[0-9A-Fa-f]{24}$/;
/** A connection sends one MN over and over: remember the last one that passed the pattern. */
let lastWellFormedMn = '';

function checkHeader(header: Header, version: DetectedVersion, ctx: ParseContext): void {
  const reply2005Ack = version === '2005' && header.cn === '9014';
  if (header.qn === undefined) {
    // 2005: "对于上传数据 QN，PNO，PNUM为可选项"; replies carry it inside CP.
    if (version !== '2005') ctx.add('HJ212_E_QN_MISSING');
  } else if (parseQn(header.qn) === undefined) {
    ctx.add('HJ212_E_QN_INVALID', { qn: header.qn });
  }
  if (header.st === undefined) ctx.add('HJ212_E_ST_MISSING');
  else if (!validSt(header.st)) ctx.add('HJ212_E_ST_INVALID', { st: header.st });
  if (header.cn === undefined) ctx.add('HJ212_E_CN_MISSING');
  else if (!validCn(header.cn)) ctx.add('HJ212_E_CN_INVALID', { cn: header.cn });
  if (header.pw === undefined && !reply2005Ack) ctx.add('HJ212_E_PW_MISSING');
  if (header.mn === undefined) {
    if (!reply2005Ack) ctx.add('HJ212_E_MN_MISSING');
  } else if (header.mn !== lastWellFormedMn && header.mn.length !== 14) {
    if (MN_2017.test(header.mn)) lastWellFormedMn = header.mn;
    else ctx.add('HJ212_E_MN_FORMAT', { mn: header.mn });
  }
  const split = header.flag !== undefined && (header.flag & 2) === 2;
  const numbered = header.pnum !== undefined || header.pno !== undefined;
  if (
    (header.flag !== undefined && split !== numbered) ||
    (numbered && (header.pnum === undefined || header.pno === undefined)) ||
    (header.pnum !== undefined && header.pno !== undefined && header.pno > header.pnum)
  ) {
    ctx.add('HJ212_E_PACKET_NUMBERS', { flag: header.flag, pnum: header.pnum, pno: header.pno });
  }
}

interface HeaderMemo {
  readonly header: MutableHeader;
  readonly version: DetectedVersion;
}

/** Clean header tails (after "QN=…;" up to "CP=&&") already read, bounded. */
const HEADER_MEMO = new Map<string, HeaderMemo>();
const HEADER_MEMO_MAX = 4096;

function remember(tail: string, header: MutableHeader, version: DetectedVersion): void {
  if (HEADER_MEMO.size >= HEADER_MEMO_MAX) HEADER_MEMO.clear();
  HEADER_MEMO.set(tail, { header: { ...header, qn: undefined }, version });
}

/** For tests: forget every remembered header. */
export function clearHeaderMemo(): void {
  HEADER_MEMO.clear();
}

/** "QN=" + 17 characters + ";" at the start: the layout the memo covers. */
function qnFirst(text: string, start: number): boolean {
  return (
    text.charCodeAt(start) === 0x51 &&
    text.charCodeAt(start + 1) === 0x4e &&
    text.charCodeAt(start + 2) === 0x3d &&
    text.charCodeAt(start + 20) === 0x3b
  );
}
