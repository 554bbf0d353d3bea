import type { ServiceContext } from './context.js';

/** Live updates (SSE): latest values and alarm changes within the caller's scope. */
export class LiveService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  get context(): ServiceContext {
    return this.#ctx;
  }
}
