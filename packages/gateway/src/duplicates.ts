import type { Message } from '@qingyuan/hj212';
import { dataTimeOf } from './interpret.js';

/** Uploads a logger re-sends when our 9014 got lost. */
const UPLOADS = new Set(['observations', 'run-state', 'run-time', 'device-info', 'restart', 'alarm']);

/**
 * Recently seen uploads per MN, keyed by CN + QN + DataTime (+ PNO): a re-sent frame is acknowledged again
 * (the logger lost our ack) but stored once. Bounded: the last `perDevice` QNs of each device. Looked up by
 * QN, then its CN, DataTime and PNO compared (no key string built per frame). Two uploads with one QN (a
 * logger that reuses QNs): the later one is remembered in place of the earlier. After a restart the filter
 * is empty; in either case the observation writer's own duplicate check still stores a re-sent upload once.
 */
export class DuplicateFilter {
  readonly #seen = new Map<string, RecentUploads>();

  constructor(private readonly perDevice = 256) {}

  /** True when the message was seen before; otherwise remembers it. */
  seen(message: Message): boolean {
    const { mn, qn } = message;
    if (mn === undefined || qn === undefined || !UPLOADS.has(message.body.type)) return false;
    const dataTime = dataTimeOf(message);
    let recent = this.#seen.get(mn);
    if (recent === undefined) {
      recent = { byQn: new Map(), order: [], next: 0 };
      this.#seen.set(mn, recent);
    }
    const held = recent.byQn.get(qn);
    if (
      held !== undefined &&
      held.cn === message.cn &&
      held.dataTime === dataTime &&
      held.pno === message.pno
    )
      return true;
    recent.byQn.set(qn, { cn: message.cn, dataTime, pno: message.pno });
    if (held !== undefined) return false;
    // The oldest QN makes room (a ring, so the order costs nothing once it is full).
    if (recent.order.length < this.perDevice) recent.order.push(qn);
    else {
      recent.byQn.delete(recent.order[recent.next] as string);
      recent.order[recent.next] = qn;
      recent.next = (recent.next + 1) % this.perDevice;
    }
    return false;
  }

  forget(mn: string): void {
    this.#seen.delete(mn);
  }
}

/** One upload as remembered under its QN. */
interface Upload {
  readonly cn: string | undefined;
  readonly dataTime: number | undefined;
  readonly pno: number | undefined;
}

/** One device's last uploads: by QN to look them up, and the QNs' arrival order to forget the oldest. */
interface RecentUploads {
  readonly byQn: Map<string, Upload>;
  readonly order: string[];
  next: number;
}
