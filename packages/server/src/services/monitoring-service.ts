import type { Principal } from '../access/principal.js';
import type { ServiceContext } from './context.js';
import { AnswerCache } from './monitoring/answer-cache.js';
import {
  currentDeviceInfo,
  type DeviceInfoItem,
  type DeviceInfoNow,
  deviceInfoItem,
  type ParameterChanges,
  parameterChanges,
} from './monitoring/device-info.js';
import {
  type FrameDetail,
  type FrameFilter,
  type FrameSummary,
  frameDetail,
  listFrames,
} from './monitoring/frames.js';
import { type LiveFilter, type LiveStatus, liveStatus } from './monitoring/live.js';
import { pointSeries, type SeriesQuery, type SeriesResult } from './monitoring/series.js';

/** Live status, time series, raw frames and device information in the caller's scope. */
export class MonitoringService {
  readonly #ctx: ServiceContext;
  readonly #live: AnswerCache<LiveStatus>;
  readonly #series: AnswerCache<SeriesResult>;

  /**
   * `liveCacheMs`: how long one scope's live answer is shared; `seriesCacheMs`: how long one series query's
   * answer is shared (both default 0: computed for every call).
   */
  constructor(ctx: ServiceContext, options: { liveCacheMs?: number; seriesCacheMs?: number } = {}) {
    this.#ctx = ctx;
    this.#live = new AnswerCache(options.liveCacheMs ?? 0);
    // Keyed by the query, so more keys than the live answer's scopes: fewer kept.
    this.#series = new AnswerCache(options.seriesCacheMs ?? 0, 64);
  }

  get context(): ServiceContext {
    return this.#ctx;
  }

  /** Presence and the latest value of every factor of every point in scope (filtered). */
  async live(principal: Principal, filter: LiveFilter = {}): Promise<LiveStatus> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    // The answer depends on the scope (role and binding) and the filter only, never on who asks.
    const { role, regionCode, enterpriseId, contractorId } = principal;
    const key = JSON.stringify([role, regionCode, enterpriseId, contractorId, filter]);
    return this.#live.get(key, () => liveStatus(this.#ctx, scope, filter));
  }

  /** One point's time series of a period kind, with validity and annotations (downsampled if long). */
  async series(principal: Principal, pointId: number, query: SeriesQuery = {}): Promise<SeriesResult> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    await scope.requirePoint(pointId);
    // Exports (not downsampled) are not polled: computed each time, never held.
    if (query.downsample === false) return pointSeries(this.#ctx, pointId, query);
    // The answer depends on the point and the query only, never on who asks (the scope is checked above).
    const { period, from, to, factors, maxPoints } = query;
    const key = JSON.stringify([pointId, period, from, to, factors, maxPoints]);
    return this.#series.get(key, () => pointSeries(this.#ctx, pointId, query));
  }

  /** Archived raw frames of the points in scope, newest first. */
  async frames(principal: Principal, filter: FrameFilter = {}): Promise<FrameSummary[]> {
    const scope = this.#ctx.access.require(principal, 'frames.read');
    return listFrames(this.#ctx, scope, filter);
  }

  /** One raw frame with its decoded view and hash-chain check. */
  async frame(principal: Principal, id: number): Promise<FrameDetail> {
    const scope = this.#ctx.access.require(principal, 'frames.read');
    return frameDetail(this.#ctx, scope, id);
  }

  /** A point's current 现场端信息 (CN 3020): working states, parameters, logs. */
  async deviceInfo(principal: Principal, pointId: number): Promise<DeviceInfoNow> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    await scope.requirePoint(pointId);
    return currentDeviceInfo(this.#ctx, pointId);
  }

  /** A point's device information history, oldest first (optionally one i-code, PolId, time window). */
  async deviceInfoHistory(
    principal: Principal,
    pointId: number,
    query: { code?: string; polId?: string; from?: number; to?: number; limit?: number } = {},
  ): Promise<DeviceInfoItem[]> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    await scope.requirePoint(pointId);
    const rows = await this.#ctx.repos.deviceInfo.history(pointId, {
      ...(query.code === undefined ? {} : { infoCode: query.code }),
      ...(query.polId === undefined ? {} : { polId: query.polId }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
    });
    return rows.slice(-(query.limit ?? 5000)).map(deviceInfoItem);
  }

  /** A point's parameter changes against its filed baseline and previous values. */
  async parameterChanges(
    principal: Principal,
    pointId: number,
    range: { from?: number; to?: number } = {},
  ): Promise<ParameterChanges> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    await scope.requirePoint(pointId);
    return parameterChanges(this.#ctx, pointId, range);
  }
}
