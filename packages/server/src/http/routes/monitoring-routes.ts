import type { RouteSpec } from '../route.js';

/** Live status, time series, raw frames and device information. */
export const MONITORING_ROUTES: RouteSpec[] = [];
