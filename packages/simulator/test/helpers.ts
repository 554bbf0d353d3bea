import type { Message } from '@qingyuan/hj212';
import type { DeviceSpec } from '../src/index.js';
import type { Received } from './platform.js';

export const HOUR = 3_600_000;

export function device(mn: string, overrides: Partial<DeviceSpec> = {}): DeviceSpec {
  return {
    mn,
    password: '123456',
    protocol: '2017',
    crc: ['hj212'],
    kind: 'water',
    enterprise: 'Test',
    outlet: 'DW001',
    factors: [],
    ...overrides,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Values of one factor of an observation upload. */
export function values(message: Message, code: string): Record<string, number> {
  if (message.body.type !== 'observations') return {};
  return (message.body.factors.find((f) => f.code === code)?.values ?? {}) as Record<string, number>;
}

export function dataTime(frame: Received): number | undefined {
  const body = frame.message.body;
  return 'dataTime' in body ? body.dataTime : undefined;
}

/** CP value of a key. */
export function cpValue(message: Message, key: string): string | undefined {
  for (const group of message.cp)
    for (const field of group) if (field.key === key) return field.value ?? undefined;
  return undefined;
}

/** Polls until the predicate holds, or throws after timeoutMs. */
export async function until(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
