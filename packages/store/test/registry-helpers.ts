import { expect } from 'vitest';
import { type StoreCode, usccCheckCharacter } from '../src/index.js';

/** A valid USCC (9 = 工商, 1 = 企业, region 420100) with a serial organisation code. */
export function validUscc(serial: number, prefix = '91420100'): string {
  const first17 = `${prefix}${String(serial).padStart(9, '0')}`;
  return first17 + usccCheckCharacter(first17);
}

/** Asserts that `promise` rejects with a StoreError of `code` whose detail contains `detail`. */
export async function expectStoreError(
  promise: Promise<unknown>,
  code: StoreCode,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await expect(promise).rejects.toMatchObject({
    name: 'StoreError',
    code,
    detail: expect.objectContaining(detail),
  });
}

export const NOW = Date.UTC(2026, 0, 15, 2, 0, 0);
