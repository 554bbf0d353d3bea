import type { ServiceContext } from './context.js';

/** Transmission-rate and emission reports in the caller's scope. */
export class ReportService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  get context(): ServiceContext {
    return this.#ctx;
  }
}
