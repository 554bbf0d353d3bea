import { runCli } from '../src/index.js';

/** Runs the CLI in-process with in-memory streams. */
export async function cli(
  argv: string[],
  stdin: string | Uint8Array = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const decoder = new TextDecoder();
  const code = await runCli(argv, {
    stdin: (async function* () {
      yield typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin;
    })(),
    stdout: {
      write: (chunk: string | Uint8Array) =>
        (stdout += typeof chunk === 'string' ? chunk : decoder.decode(chunk)),
    },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}

export const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .trim()
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
