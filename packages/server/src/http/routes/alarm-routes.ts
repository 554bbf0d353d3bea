import type { RouteSpec } from '../route.js';

/** Alarm episodes. */
export const ALARM_ROUTES: RouteSpec[] = [];
