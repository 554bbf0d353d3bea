import { DEFAULT_DATABASE_URL, openStore, type Store, StoreError } from '@qingyuan/store';
import { QyError } from '../errors.js';

/** The `--db` option every data command takes (default `sqlite:./data/qingyuan.db`, or QY_DATABASE_URL). */
export const DB_OPTION = { db: { type: 'string' } } as const;

export function databaseUrl(option: string | undefined): string {
  return option ?? process.env.QY_DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

/** Opens (and migrates) the store, runs `fn`, closes it; store errors become CLI errors with their code. */
export async function withStore<T>(url: string, fn: (store: Store) => Promise<T>): Promise<T> {
  let store: Store;
  try {
    store = await openStore(url);
  } catch (error) {
    if (error instanceof StoreError)
      throw new QyError('QY_E_CLI_INPUT', { code: error.code, reason: error.message }, { cause: error });
    throw error;
  }
  try {
    return await fn(store);
  } catch (error) {
    if (error instanceof StoreError)
      throw new QyError('QY_E_CLI_INPUT', { code: error.code, reason: error.message }, { cause: error });
    throw error;
  } finally {
    await store.close();
  }
}

/** An ISO 8601 time option → epoch ms. */
export function timeOption(name: string, value: string | undefined): number {
  const epochMs = value === undefined ? Number.NaN : Date.parse(value);
  if (Number.isNaN(epochMs))
    throw new QyError('QY_E_CLI_USAGE', {
      reason: `--${name} must be an ISO 8601 time, e.g. 2026-01-01T00:00:00+08:00`,
    });
  return epochMs;
}
