import type { Message } from '@qingyuan/hj212';
import { dataTimeOf } from './interpret.js';

/** Uploads a logger re-sends when our 9014 got lost. */
const UPLOADS = new Set(['observations', 'run-state', 'run-time', 'device-info', 'restart', 'alarm']);

/**
 * Recently seen uploads per MN, keyed by CN + QN + DataTime (+ PNO): a re-sent frame is acknowledged again
 * (the logger lost our ack) but stored once. Bounded: the last `perDevice` keys of each device. After a
 * restart the filter is empty, and the observation writer's own duplicate check still stores it once.
 */
export class DuplicateFilter {
  readonly #seen = new Map<string, Set<string>>();

  constructor(private readonly perDevice = 256) {}

  /** True when the message was seen before; otherwise remembers it. */
  seen(message: Message): boolean {
    if (message.mn === undefined || message.qn === undefined || !UPLOADS.has(message.body.type)) return false;
    const key = `${message.cn}|${message.qn}|${dataTimeOf(message) ?? ''}|${message.pno ?? ''}`;
    let keys = this.#seen.get(message.mn);
    if (keys === undefined) {
      keys = new Set();
      this.#seen.set(message.mn, keys);
    }
    if (keys.has(key)) return true;
    keys.add(key);
    if (keys.size > this.perDevice) keys.delete(keys.values().next().value as string);
    return false;
  }

  forget(mn: string): void {
    this.#seen.delete(mn);
  }
}
