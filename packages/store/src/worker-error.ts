/**
 * What a store worker thread threw, as an Error with a message. It crosses the thread boundary as a copy: a
 * better-sqlite3 `SqliteError` arrives as a plain object with its `code` (e.g. SQLITE_CANTOPEN) and no message.
 */
export function workerError(thrown: unknown, worker: string): Error {
  if (thrown instanceof Error && thrown.message !== '') return thrown;
  const { code, message } = (thrown ?? {}) as { code?: unknown; message?: unknown };
  const detail = [code, message].filter((part) => typeof part === 'string' && part !== '').join(': ');
  return new Error(`${worker} failed${detail === '' ? '' : `: ${detail}`}`, { cause: thrown });
}
