import type { ObservationRepository } from '@qingyuan/store';
import type { CommandOutcome, CommandRequest } from './commands.js';
import { type BackfillOptions, HOUR, MINUTE } from './config.js';
import type { ConnectionRegistry } from './presence.js';

export interface Gap {
  readonly from: number;
  /** Exclusive. */
  readonly to: number;
}

const STEP = { hour: HOUR, minute: MINUTE } as const;
const COMMAND = { hour: 'get-hour-data', minute: 'get-minute-data' } as const;

/**
 * The missing periods in [from, to) given the period starts that are present, merged into ranges, oldest
 * first. Pure. `from` is rounded up and `to` down to whole periods (HJ 212 hours and minutes are aligned in
 * Beijing time, which is a whole number of hours from UTC).
 */
export function findGaps(present: readonly number[], from: number, to: number, step: number): Gap[] {
  const have = new Set(present);
  const gaps: Gap[] = [];
  let open: number | undefined;
  const first = Math.ceil(from / step) * step;
  const last = Math.floor(to / step) * step;
  for (let t = first; t < last; t += step) {
    if (!have.has(t)) {
      open ??= t;
      continue;
    }
    if (open !== undefined) gaps.push({ from: open, to: t });
    open = undefined;
  }
  if (open !== undefined) gaps.push({ from: open, to: last });
  return gaps;
}

/**
 * Backfill (补数): for each online device, looks for hours (or minutes) without data in the look-back
 * window and asks the device for them (2061/2051 with BeginTime/EndTime). Rate-limited — a few requests per
 * device per sweep, a cap in flight across the gateway, and a range is not asked for again before
 * `retryAfterMs`. The answers arrive as ordinary uploads with the request's QN and are stored with source
 * `backfill`.
 */
export class BackfillScheduler {
  readonly #asked = new Map<string, number>();
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<void> | undefined;
  requested = 0;

  constructor(
    private readonly options: Required<BackfillOptions>,
    private readonly registry: ConnectionRegistry,
    private readonly observations: Pick<ObservationRepository, 'periodStarts'>,
    private readonly send: (request: CommandRequest) => Promise<CommandOutcome>,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.sweep(), this.options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
  }

  /** One pass over the online devices (also called by tests). Resolves when the requests are sent. */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  async #sweep(): Promise<void> {
    const now = this.now();
    for (const [key, at] of this.#asked) if (now - at >= this.options.retryAfterMs) this.#asked.delete(key);
    const from = now - this.options.lookBackMs;
    const to = now - this.options.graceMs;
    for (const link of [...this.registry.links()]) {
      // Only from the time the device has been known to send: before its first connection there is
      // nothing it owes (its data logger's buffer would not have it either).
      let perDevice = 0;
      for (const period of this.options.periods) {
        const present = await this.observations.periodStarts(period, link.pointId, from, to);
        if (present.length === 0) continue;
        const start = Math.max(from, present[0] as number);
        for (const gap of findGaps(present, start, to, STEP[period])) {
          if (perDevice >= this.options.maxRequestsPerDevice || this.#inFlight >= this.options.maxInFlight)
            return;
          const key = `${link.mn}|${period}|${gap.from}|${gap.to}`;
          if (this.#asked.has(key)) continue;
          this.#asked.set(key, now);
          perDevice += 1;
          this.#inFlight += 1;
          this.requested += 1;
          void this.send({
            mn: link.mn,
            command: COMMAND[period],
            // EndTime is inclusive in the standard's examples: the last missing period's start.
            params: { BeginTime: gap.from, EndTime: gap.to - STEP[period] },
            purpose: 'backfill',
            requestedBy: 'gateway',
          })
            .catch(() => undefined)
            .finally(() => {
              this.#inFlight -= 1;
            });
        }
      }
    }
  }
}
