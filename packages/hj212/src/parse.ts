import { readUplinkBody } from './bodies.js';
import { commandByCn, looksLikeCommand, readCommand } from './commands.js';
import { type CpSplitNotes, splitCp } from './cp-text.js';
import type { Diagnostic } from './errors.js';
import { type MutableHeader, readHeaderCached } from './header.js';
import type { Body, Cp, Direction, Header, Message } from './message.js';
import { scanObservations } from './observations-scan.js';
import { ParseContext } from './parse-context.js';
import { VERSION_PROFILES } from './profiles.js';
import { anyCommandCode, type CommandCode, commandCode } from './tables/command-codes.js';
import type { DetectedVersion } from './versions.js';

export interface ParseOptions {
  /** Who sent the packet. Default: inferred from the CN and its parameters (a data logger, when in doubt). */
  readonly direction?: Direction;
}

export interface ParsedSegment {
  readonly message: Message;
  readonly diagnostics: Diagnostic[];
}

const CP_OPEN = 'CP=&&';

/**
 * Parses a data segment (HJ 212-2017 §6.3.2 表 3, §6.3.3): the header by key in any order, each field
 * possibly missing, then CP between the first "CP=&&" and the last "&&". Never throws; every deviation is
 * a diagnostic.
 */
export function parseDataSegment(text: string, options: ParseOptions = {}): ParsedSegment {
  const bytes = encoder.encode(text);
  return parseSegment(text, 0, text.length, options, bytes.length === text.length ? bytes : undefined);
}

const encoder = new TextEncoder();

/**
 * Parses the data segment text[start, end) (a decoded frame, without copying the segment out). `bytes`,
 * when given, is the same segment as ASCII bytes at the same offsets: the observation scanner reads them.
 */
export function parseSegment(
  text: string,
  start: number,
  end: number,
  options: ParseOptions,
  bytes?: Uint8Array,
): ParsedSegment {
  const ctx = new ParseContext();
  let cpAt = text.indexOf(CP_OPEN, start);
  if (cpAt + CP_OPEN.length > end) cpAt = -1;
  const { header, version } = readHeaderCached(text, start, cpAt < 0 ? end : cpAt, cpAt, ctx);
  if (version === '2005' && hasNonAscii(text, start, end)) ctx.add('HJ212_E_NON_ASCII_2005');

  let contentStart = 0;
  let contentEnd = 0;
  if (cpAt < 0) {
    ctx.add('HJ212_E_CP_MISSING');
  } else {
    contentStart = cpAt + CP_OPEN.length;
    contentEnd = end >= 2 ? text.lastIndexOf('&&', end - 2) : -1;
    if (contentEnd < contentStart) {
      contentEnd = end;
      ctx.add('HJ212_E_CP_UNTERMINATED');
    } else if (contentEnd + 2 < end && text.slice(contentEnd + 2, end).trim().length > 0) {
      ctx.note('HJ212_E_HEADER_SEPARATOR', 'text after CP');
    }
    if (version !== 'unknown' && contentEnd + 2 - cpAt > VERSION_PROFILES[version].maxCpLength) {
      ctx.add('HJ212_E_CP_TOO_LONG', {
        length: contentEnd + 2 - cpAt,
        max: VERSION_PROFILES[version].maxCpLength,
      });
    }
  }

  // CP groups are built only when something reads them (the observation fast path does not).
  const lazy = new LazyCp(text, contentStart, contentEnd);
  const { direction, body } = readBody(
    header,
    version,
    text,
    bytes,
    contentStart,
    contentEnd,
    () => lazy.read(ctx),
    options.direction,
    ctx,
  );
  const diagnostics = ctx.finish();
  const message = new ParsedMessage(
    header,
    version,
    direction,
    text,
    contentStart,
    contentEnd,
    lazy.peek(),
    body,
  );
  return { message, diagnostics };
}

/**
 * CP groups split on first use, from text or (the byte fast path) from ASCII bytes; deviations are
 * reported when the parser itself asks.
 */
export class LazyCp {
  #cp: Cp | undefined;
  readonly #source: string | Uint8Array;
  readonly #start: number;
  readonly #end: number;

  constructor(source: string | Uint8Array, start: number, end: number, cp?: Cp) {
    this.#source = source;
    this.#start = start;
    this.#end = end;
    this.#cp = cp;
  }

  /** The groups if already split, else undefined. */
  peek(): Cp | undefined {
    return this.#cp;
  }

  read(ctx?: ParseContext): Cp {
    if (this.#cp === undefined) {
      const notes: CpSplitNotes = { emptyItems: 0, whitespace: 0, noValue: 0 };
      const source = this.#source;
      this.#cp =
        typeof source === 'string'
          ? splitCp(source, this.#start, this.#end, notes)
          : splitCp(textOf(source, this.#start, this.#end), 0, this.#end - this.#start, notes);
      if (ctx !== undefined) {
        if (notes.emptyItems > 0) ctx.add('HJ212_E_CP_EMPTY_ITEM', { count: notes.emptyItems });
        if (notes.whitespace > 0) ctx.add('HJ212_E_CP_WHITESPACE', { count: notes.whitespace });
        if (notes.noValue > 0) ctx.add('HJ212_E_CP_NO_VALUE', { count: notes.noValue });
        if (notes.openLogs !== undefined) ctx.add('HJ212_E_CP_LOG_UNTERMINATED', { count: notes.openLogs });
      }
    }
    return this.#cp;
  }
}

/**
 * A parsed message. `cp` is an accessor that splits the CP text on first use, so the hot path never pays
 * for groups nobody reads; `toJSON` and `{ ...message, cp: message.cp }` give a plain copy.
 */
export class ParsedMessage extends LazyCp implements Message {
  readonly qn: string | undefined;
  readonly st: string | undefined;
  readonly cn: string | undefined;
  readonly pw: string | undefined;
  readonly mn: string | undefined;
  readonly flag: number | undefined;
  readonly pnum: number | undefined;
  readonly pno: number | undefined;
  readonly version: DetectedVersion;
  readonly ackRequested: boolean;
  readonly split: boolean;
  readonly direction: Direction;
  readonly body: Body;

  /** `qn` overrides the header's (the fast path shares one remembered header between packets). */
  constructor(
    header: MutableHeader,
    version: DetectedVersion,
    direction: Direction,
    /** CP is source[cpStart, cpEnd), text or ASCII bytes; `groups` when already split. */
    source: string | Uint8Array,
    cpStart: number,
    cpEnd: number,
    groups: Cp | undefined,
    body: Body,
    qn: string | undefined = header.qn,
  ) {
    super(source, cpStart, cpEnd, groups);
    this.qn = qn;
    this.st = header.st;
    this.cn = header.cn;
    this.pw = header.pw;
    this.mn = header.mn;
    this.flag = header.flag;
    this.pnum = header.pnum;
    this.pno = header.pno;
    this.version = version;
    const flag = header.flag ?? 0;
    this.ackRequested = header.flag !== undefined && (flag & 1) === 1;
    this.split = header.flag !== undefined && (flag & 2) === 2;
    this.direction = direction;
    this.body = body;
  }

  get cp(): Cp {
    return this.read();
  }

  toJSON(): Message {
    return { ...this, cp: this.cp };
  }
}

function readBody(
  header: Header,
  version: DetectedVersion,
  text: string | undefined,
  bytes: Uint8Array | undefined,
  contentStart: number,
  contentEnd: number,
  cp: () => Cp,
  requested: Direction | undefined,
  ctx: ParseContext,
): { direction: Direction; body: Body } {
  const cn = header.cn;
  if (cn === undefined) {
    cp();
    return { direction: requested ?? 'up', body: { type: 'unknown' } };
  }
  let row: CommandCode | undefined = version === 'unknown' ? undefined : commandCode(cn, version);
  if (row === undefined) {
    row = anyCommandCode(cn);
    ctx.add('HJ212_E_CN_UNKNOWN', { cn, version, knownIn: row?.versions });
  }
  const commandVersion = version === 'unknown' ? (row?.versions[row.versions.length - 1] ?? '2017') : version;
  const command =
    row?.down === 'request' || row?.down === 'notice' ? commandByCn(cn, commandVersion) : undefined;
  const up = row?.up;
  // Observation uploads (nearly all traffic): a factor field ("-") or DataTime marks the upload form.
  if (up?.body.type === 'observations' && requested !== 'down' && text !== undefined) {
    const marked =
      requested === 'up' || command === undefined || looksLikeUpload(text, contentStart, contentEnd);
    if (marked) {
      const fast =
        bytes === undefined
          ? undefined
          : scanObservations(bytes, contentStart, contentEnd, up.body.period, ctx);
      if (fast !== undefined) return { direction: 'up', body: fast };
      return { direction: 'up', body: readUplinkBody(up.body, cp(), header, ctx) };
    }
  }
  const groups = cp();
  const direction =
    requested ??
    (command === undefined
      ? 'up'
      : up === undefined
        ? 'down'
        : looksLikeCommand(command, groups)
          ? 'down'
          : 'up');
  if (direction === 'down' && command !== undefined)
    return { direction, body: readCommand(command, groups, ctx) };
  if (up !== undefined) return { direction, body: readUplinkBody(up.body, groups, header, ctx) };
  return { direction, body: { type: 'unknown' } };
}

function looksLikeUpload(text: string, start: number, end: number): boolean {
  const dash = text.indexOf('-', start);
  if (dash >= 0 && dash < end) return true;
  const dataTime = text.indexOf('DataTime', start);
  return dataTime >= 0 && dataTime < end;
}

/** Re-reads the body of a message from (merged) CP, e.g. after sub-packet reassembly. */
export function rereadBody(message: Message, cp: Cp): { body: Body; diagnostics: Diagnostic[] } {
  const ctx = new ParseContext();
  ctx.version = message.version;
  const { body } = readBody(
    message,
    message.version,
    undefined,
    undefined,
    0,
    0,
    () => cp,
    message.direction,
    ctx,
  );
  return { body, diagnostics: ctx.finish() };
}

function hasNonAscii(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) > 0x7f) return true;
  return false;
}

const asText = new TextDecoder();

function textOf(bytes: Uint8Array, start: number, end: number): string {
  return asText.decode(bytes.subarray(start, end));
}
