import { ForwardingRepository, type ForwardTargetView, type Store } from '@qingyuan/store';
import { Forwarder, type ForwarderOptions, type ForwarderStats, type ForwardLog } from './forwarder.js';

export type { ForwarderOptions, ForwarderStats, ForwardLog } from './forwarder.js';

export interface ForwardServiceOptions {
  readonly store: Store;
  readonly log?: ForwardLog;
  /** Tuning shared by every target's forwarder. */
  readonly options?: ForwarderOptions;
}

/**
 * Upstream forwarding for the whole gateway: one `Forwarder` per enabled target. The gateway calls
 * `notify()` after each ingest commit; `reload()` applies target changes made meanwhile (CLI, API).
 */
export class ForwardService {
  readonly #repo: ForwardingRepository;
  readonly #log: ForwardLog | undefined;
  readonly #options: ForwarderOptions;
  readonly #forwarders = new Map<number, Forwarder>();
  #started = false;
  /** Start, reload and stop run one at a time. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor({ store, log, options }: ForwardServiceOptions) {
    this.#repo = new ForwardingRepository(store);
    this.#log = log;
    this.#options = options ?? {};
  }

  /** Starts a forwarder for every enabled target. */
  start(): Promise<void> {
    return this.#serial(async () => {
      this.#started = true;
      await this.#reconcile();
    });
  }

  /**
   * Re-reads the targets: starts new or enabled ones, stops removed or disabled ones, and restarts those
   * whose address, wait-ack setting or scope changed (from their durable cursor).
   */
  reload(): Promise<void> {
    return this.#serial(async () => {
      if (this.#started) await this.#reconcile();
    });
  }

  /** New frames were committed: every forwarder looks now instead of at its next poll. */
  notify(): void {
    for (const forwarder of this.#forwarders.values()) forwarder.notify();
  }

  /** One entry per running forwarder, by target name. */
  stats(): ForwarderStats[] {
    return [...this.#forwarders.values()].map((f) => f.stats()).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Stops every forwarder gracefully: connections ended, cursors written. */
  stop(): Promise<void> {
    return this.#serial(async () => {
      this.#started = false;
      const all = [...this.#forwarders.values()];
      this.#forwarders.clear();
      await Promise.all(all.map((f) => f.stop()));
    });
  }

  async #reconcile(): Promise<void> {
    const targets = await this.#repo.listTargets({ enabledOnly: true });
    const wanted = new Map(targets.map((t) => [t.id, t]));
    for (const [id, forwarder] of [...this.#forwarders]) {
      const target = wanted.get(id);
      if (target !== undefined && same(target, forwarder.target)) continue;
      this.#forwarders.delete(id);
      await forwarder.stop();
    }
    for (const target of targets) {
      if (this.#forwarders.has(target.id)) continue;
      const forwarder = new Forwarder(target, this.#repo, this.#options, this.#log);
      await forwarder.start();
      this.#forwarders.set(target.id, forwarder);
    }
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function same(a: ForwardTargetView, b: ForwardTargetView): boolean {
  return (
    a.host === b.host &&
    a.port === b.port &&
    a.waitAck === b.waitAck &&
    a.updatedAt === b.updatedAt &&
    a.mns.join(',') === b.mns.join(',') &&
    a.regions.join(',') === b.regions.join(',')
  );
}
