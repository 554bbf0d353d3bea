import type { RouteSpec } from '../route.js';

/** Transmission-rate and emission reports. */
export const REPORT_ROUTES: RouteSpec[] = [];
