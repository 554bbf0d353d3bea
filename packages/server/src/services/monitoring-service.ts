import type { ServiceContext } from './context.js';

/** Live status, time series, raw frames and device information in the caller's scope. */
export class MonitoringService {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  get context(): ServiceContext {
    return this.#ctx;
  }
}
