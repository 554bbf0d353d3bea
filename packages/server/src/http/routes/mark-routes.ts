import type { RouteSpec } from '../route.js';

/** Marks (标记). */
export const MARK_ROUTES: RouteSpec[] = [];
