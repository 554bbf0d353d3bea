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
  readonly #seen = new Map<string, RecentKeys>();

  constructor(private readonly perDevice = 256) {}

  /** True when the message was seen before; otherwise remembers it. */
  seen(message: Message): boolean {
    if (message.mn === undefined || message.qn === undefined || !UPLOADS.has(message.body.type)) return false;
    const key = `${message.cn}|${message.qn}|${dataTimeOf(message) ?? ''}|${message.pno ?? ''}`;
    let recent = this.#seen.get(message.mn);
    if (recent === undefined) {
      recent = { keys: new Set(), order: [], next: 0 };
      this.#seen.set(message.mn, recent);
    }
    if (recent.keys.has(key)) return true;
    recent.keys.add(key);
    // The oldest key makes room (a ring, so nothing is allocated per frame once it is full).
    if (recent.order.length < this.perDevice) recent.order.push(key);
    else {
      recent.keys.delete(recent.order[recent.next] as string);
      recent.order[recent.next] = key;
      recent.next = (recent.next + 1) % this.perDevice;
    }
    return false;
  }

  forget(mn: string): void {
    this.#seen.delete(mn);
  }
}

/** One device's last keys: a set to look them up, and their arrival order to forget the oldest. */
interface RecentKeys {
  readonly keys: Set<string>;
  readonly order: string[];
  next: number;
}
