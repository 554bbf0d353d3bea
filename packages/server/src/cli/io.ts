import { readFile } from 'node:fs/promises';
import { QyError } from '../errors.js';

/** What a CLI command reads and writes; tests pass in-memory streams. */
export interface CliIo {
  readonly stdin: AsyncIterable<Uint8Array | string>;
  readonly stdout: { write(chunk: string | Uint8Array): unknown };
  readonly stderr: { write(chunk: string): unknown };
}

/** Chunks of a file, or of stdin for "-" or no path. */
export async function* inputChunks(path: string | undefined, io: CliIo): AsyncGenerator<Uint8Array> {
  if (path === undefined || path === '-') {
    for await (const chunk of io.stdin)
      yield typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    return;
  }
  try {
    yield await readFile(path);
  } catch (cause) {
    throw new QyError('QY_E_CLI_INPUT', { path, reason: (cause as Error).message }, { cause });
  }
}

/** Lines of the input (CR LF or LF), decoded as UTF-8, without their terminators. */
export async function* inputLines(path: string | undefined, io: CliIo): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of inputChunks(path, io)) {
    pending += decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      yield pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  }
  pending += decoder.decode();
  if (pending.length > 0) yield pending.replace(/\r$/, '');
}
