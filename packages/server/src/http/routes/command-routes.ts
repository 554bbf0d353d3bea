import type { RouteSpec } from '../route.js';

/** Downlink commands (反控). */
export const COMMAND_ROUTES: RouteSpec[] = [];
