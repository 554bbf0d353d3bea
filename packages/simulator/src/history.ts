import type { AggregatePeriod, AggregateRecord } from './model.js';

/** How many records of each period a logger keeps for history requests (2051/2061/2031). */
export interface HistoryLimits {
  readonly minute: number;
  readonly hour: number;
  readonly day: number;
}

/** 10 days of 10-minute data, 40 days of hours, 400 days. */
export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { minute: 1440, hour: 960, day: 400 };

/** The logger's bounded record store, oldest dropped first, each period in DataTime order. */
export class HistoryBuffer {
  readonly #limits: HistoryLimits;
  readonly #records: Record<AggregatePeriod, AggregateRecord[]> = { minute: [], hour: [], day: [] };

  constructor(limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {
    this.#limits = limits;
  }

  add(record: AggregateRecord): void {
    const list = this.#records[record.period];
    const last = list.at(-1);
    if (last === undefined || last.dataTime < record.dataTime) {
      list.push(record);
      this.#trim(record.period);
      return;
    }
    // A clock set back regenerates periods: the newer record replaces the older one.
    const at = list.findIndex((r) => r.dataTime >= record.dataTime);
    if (at < 0) list.push(record);
    else if (list[at]?.dataTime === record.dataTime) list[at] = record;
    else list.splice(at, 0, record);
    this.#trim(record.period);
  }

  #trim(period: AggregatePeriod): void {
    const list = this.#records[period];
    const limit = this.#limits[period];
    if (list.length > limit) list.splice(0, list.length - limit);
  }

  /** Records with begin ≤ DataTime ≤ end (HJ 212-2017 表 C.20–C.22 BeginTime/EndTime). */
  range(period: AggregatePeriod, begin: number, end: number): AggregateRecord[] {
    return this.#records[period].filter((r) => r.dataTime >= begin && r.dataTime <= end);
  }

  size(period: AggregatePeriod): number {
    return this.#records[period].length;
  }
}
