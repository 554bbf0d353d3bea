import type { ServiceContext } from './context.js';

/** Alarm episodes in the caller's scope. */
export class AlarmService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  get context(): ServiceContext {
    return this.#ctx;
  }
}
