import type { ServiceContext } from './context.js';

/** Marks (标记): filed by enterprises, decided by authorities; an approved mark re-judges its days. */
export class MarkService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  get context(): ServiceContext {
    return this.#ctx;
  }
}
