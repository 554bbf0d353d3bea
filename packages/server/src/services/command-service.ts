import type { ServiceContext } from './context.js';

/** Downlink commands (反控) to online devices in scope, audited. */
export class CommandService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  get context(): ServiceContext {
    return this.#ctx;
  }
}
