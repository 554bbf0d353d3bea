import { parseArgs } from 'node:util';
import {
  buildCommand,
  type Cp,
  type CpField,
  CRC_VARIANTS,
  type CrcVariant,
  crcText,
  type DecodeOptions,
  decodeFrame,
  decodeOneFrame,
  encodeDataSegment,
  encodeFrame,
  encodeMessageSplit,
  FrameDecoder,
  Hj212Error,
  isCrcVariant,
  isProtocolVersion,
  type MessageInput,
} from '@qingyuan/hj212';
import { QyError } from '../errors.js';
import { discardedJson, frameJson } from './frame-json.js';
import { type CliIo, inputChunks, inputLines } from './io.js';

export const HJ212_USAGE = `Usage:
  qingyuan hj212 decode [file|-] [--stream] [--strict] [--crc hj212,modbus,modbus-swapped]
                        [--direction up|down] [--verbose]
      Decode packets, one per line (lines starting with "#" and blank lines are skipped), or with
      --stream a raw byte stream (as captured from TCP). Prints one JSON object per packet.
  qingyuan hj212 encode [file|-] [--crc VARIANT] [--split [MAX]]
      Build frames. Each input line is either a data segment ("QN=…;ST=…;…;CP=&&…&&") or JSON:
        {"qn":"…","st":"32","cn":"2061","pw":"…","mn":"…","flag":5,"cp":"DataTime=…;w01018-Avg=1.2"}
        {"command":"get-hour-data","params":{"BeginTime":"2026-01-01T00:00:00Z","EndTime":"…"},
         "mn":"…","pw":"…","st":"32","version":"2017"}
      With --split, messages over MAX bytes (default 1024) become sub-packets.
  qingyuan hj212 crc <text> [--variant hj212|modbus|modbus-swapped]
      Print the CRC of a data segment (HJ 212-2017 附录 A by default).`;

function usage(reason: string): QyError {
  return new QyError('QY_E_CLI_USAGE', { reason, usage: 'qingyuan hj212 --help' });
}

function crcVariants(text: string | undefined): readonly CrcVariant[] {
  if (text === undefined) return ['hj212'];
  const variants = text.split(',').map((v) => v.trim());
  for (const variant of variants) {
    if (!isCrcVariant(variant))
      throw usage(`unknown CRC variant "${variant}" (known: ${CRC_VARIANTS.join(', ')})`);
  }
  return variants as CrcVariant[];
}

/** Blank lines and "# comment" lines (but not "##" packets) are skipped in line mode. */
const isSkippedLine = (text: string): boolean =>
  text.length === 0 || (text.startsWith('#') && !text.startsWith('##'));

const printJson = (io: CliIo, value: unknown): void => {
  io.stdout.write(`${JSON.stringify(value)}\n`);
};

async function decode(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      stream: { type: 'boolean' },
      strict: { type: 'boolean' },
      crc: { type: 'string' },
      direction: { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });
  if (positionals.length > 1) throw usage('decode takes at most one file');
  if (values.direction !== undefined && values.direction !== 'up' && values.direction !== 'down') {
    throw usage('--direction is "up" (from the data logger) or "down" (from the platform)');
  }
  const options: DecodeOptions = {
    strict: values.strict === true,
    crcVariants: crcVariants(values.crc),
    ...(values.direction === undefined ? {} : { direction: values.direction }),
  };
  const verbose = values.verbose === true;
  let failed = 0;
  if (values.stream === true) {
    const decoder = new FrameDecoder();
    const emit = (batch: ReturnType<FrameDecoder['push']>): void => {
      // Print in stream order: dropped bytes and frames interleave by offset.
      const events = [
        ...batch.diagnostics.map((d) => ({ offset: d.offset, json: discardedJson(d), ok: false })),
        ...batch.frames.map((frame) => {
          const decoded = decodeFrame(frame, options);
          return { offset: frame.offset, json: frameJson(decoded, verbose), ok: decoded.ok };
        }),
      ].sort((a, b) => a.offset - b.offset);
      for (const event of events) {
        if (!event.ok) failed++;
        printJson(io, event.json);
      }
    };
    for await (const chunk of inputChunks(positionals[0], io)) emit(decoder.push(chunk));
    emit(decoder.end());
  } else {
    let lineNumber = 0;
    for await (const line of inputLines(positionals[0], io)) {
      lineNumber++;
      const text = line.trim();
      if (isSkippedLine(text)) continue;
      // A packet quoted on a line has lost its CR LF to the line break: put it back.
      const decoded = decodeOneFrame(`${text}\r\n`, options);
      if (!decoded.ok) failed++;
      printJson(io, { line: lineNumber, ...frameJson(decoded, verbose) });
    }
  }
  return failed === 0 ? 0 : 1;
}

function cpFromJson(value: unknown): Cp {
  if (value === undefined || value === '') return [];
  if (typeof value === 'string') {
    return value.split(';').map((group) =>
      group.split(',').map((field): CpField => {
        const eq = field.indexOf('=');
        return eq < 0 ? { key: field, value: null } : { key: field.slice(0, eq), value: field.slice(eq + 1) };
      }),
    );
  }
  if (Array.isArray(value)) return value as Cp;
  throw new QyError('QY_E_CLI_INPUT', { reason: '"cp" must be text ("a=1;b=2,c=3") or an array of groups' });
}

function timeParam(value: unknown): unknown {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const epochMs = Date.parse(value);
    if (Number.isNaN(epochMs)) throw new QyError('QY_E_CLI_INPUT', { reason: `not a time: ${value}` });
    return epochMs;
  }
  return value;
}

function messageFromJson(json: Record<string, unknown>): MessageInput {
  if (typeof json.command === 'string') {
    const version = json.version ?? '2017';
    if (!isProtocolVersion(version))
      throw new QyError('QY_E_CLI_INPUT', { reason: `unknown version ${String(version)}` });
    const params = Object.fromEntries(
      Object.entries((json.params ?? {}) as Record<string, unknown>).map(([k, v]) => [k, timeParam(v)]),
    ) as Record<string, string | number>;
    const target = {
      mn: String(json.mn ?? ''),
      pw: String(json.pw ?? ''),
      st: String(json.st ?? '32'),
      version,
    };
    const built = buildCommand(
      json.command,
      params,
      target,
      typeof json.now === 'number' ? json.now : Date.now(),
    );
    return typeof json.qn === 'string' ? { ...built, qn: json.qn } : built;
  }
  const text = (key: string): string | undefined => (json[key] === undefined ? undefined : String(json[key]));
  const number = (key: string): number | undefined =>
    json[key] === undefined ? undefined : Number(json[key]);
  const fields = {
    qn: text('qn'),
    st: text('st'),
    cn: text('cn'),
    pw: text('pw'),
    mn: text('mn'),
    flag: number('flag'),
    pnum: number('pnum'),
    pno: number('pno'),
  };
  const header = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { ...header, cp: cpFromJson(json.cp) };
}

async function encode(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { crc: { type: 'string' }, split: { type: 'string' } },
  });
  const variant = crcVariants(values.crc);
  if (variant.length !== 1) throw usage('--crc takes one variant when encoding');
  const crcVariant = variant[0] as CrcVariant;
  const splitAt = values.split === undefined ? undefined : values.split === '' ? 1024 : Number(values.split);
  if (splitAt !== undefined && !(Number.isInteger(splitAt) && splitAt > 100))
    throw usage('--split takes a byte count > 100');
  const decoder = new TextDecoder();
  for await (const line of inputLines(positionals[0], io)) {
    const text = line.trim();
    if (isSkippedLine(text)) continue;
    let frames: Uint8Array[];
    if (text.startsWith('{')) {
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch (cause) {
        throw new QyError(
          'QY_E_CLI_INPUT',
          { reason: `invalid JSON: ${(cause as Error).message}` },
          { cause },
        );
      }
      const message = messageFromJson(json);
      frames =
        splitAt === undefined
          ? [encodeFrame(encodeDataSegment(message), { crcVariant })]
          : encodeMessageSplit(message, { crcVariant, maxDataLength: splitAt });
    } else {
      frames = [encodeFrame(text, { crcVariant })];
    }
    for (const frame of frames) io.stdout.write(decoder.decode(frame));
  }
  return 0;
}

function crc(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { variant: { type: 'string' } },
  });
  if (positionals.length !== 1) throw usage('crc takes exactly one text argument');
  const variant = values.variant ?? 'hj212';
  if (!isCrcVariant(variant)) throw usage(`unknown CRC variant "${variant}"`);
  io.stdout.write(`${crcText(new TextEncoder().encode(positionals[0]), variant)}\n`);
  return 0;
}

/** `qingyuan hj212 …` */
export async function hj212Command(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'decode':
        return await decode(rest, io);
      case 'encode':
        return await encode(rest, io);
      case 'crc':
        return crc(rest, io);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(`${HJ212_USAGE}\n`);
        return 0;
      default:
        throw usage(`unknown hj212 command "${sub}"`);
    }
  } catch (error) {
    if (error instanceof Hj212Error)
      throw new QyError('QY_E_CLI_INPUT', { code: error.code, reason: error.message }, { cause: error });
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw usage(error.message);
    }
    throw error;
  }
}
