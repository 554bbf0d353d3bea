import type { RouteSpec } from '../route.js';
import { ALARM_ROUTES } from './alarm-routes.js';
import { AUDIT_ROUTES } from './audit-routes.js';
import { AUTH_ROUTES } from './auth-routes.js';
import { COMMAND_ROUTES } from './command-routes.js';
import { LIVE_ROUTES } from './live-routes.js';
import { MANUAL_RECORD_ROUTES } from './manual-record-routes.js';
import { MARK_ROUTES } from './mark-routes.js';
import { MONITORING_ROUTES } from './monitoring-routes.js';
import { OVERVIEW_ROUTES } from './overview-routes.js';
import { PUBLIC_ROUTES } from './public-routes.js';
import { REGISTRY_ROUTES } from './registry-routes.js';
import { REPORT_ROUTES } from './report-routes.js';
import { RULE_ROUTES } from './rule-routes.js';
import { SYSTEM_ROUTES } from './system-routes.js';
import { USER_ROUTES } from './user-routes.js';

/** The route table of /api/v1: registration, OpenAPI and the authorization matrix all read it. */
export const API_ROUTES: readonly RouteSpec[] = [
  ...AUTH_ROUTES,
  ...USER_ROUTES,
  ...AUDIT_ROUTES,
  ...REGISTRY_ROUTES,
  ...MONITORING_ROUTES,
  ...OVERVIEW_ROUTES,
  ...ALARM_ROUTES,
  ...REPORT_ROUTES,
  ...RULE_ROUTES,
  ...MARK_ROUTES,
  ...MANUAL_RECORD_ROUTES,
  ...COMMAND_ROUTES,
  ...LIVE_ROUTES,
  ...SYSTEM_ROUTES,
  ...PUBLIC_ROUTES,
];
