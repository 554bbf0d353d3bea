import type { RouteSpec } from '../route.js';

/** Live updates over Server-Sent Events. */
export const LIVE_ROUTES: RouteSpec[] = [];
