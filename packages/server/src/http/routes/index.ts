import type { RouteSpec } from '../route.js';
import { AUDIT_ROUTES } from './audit-routes.js';
import { AUTH_ROUTES } from './auth-routes.js';
import { REGISTRY_ROUTES } from './registry-routes.js';
import { USER_ROUTES } from './user-routes.js';

/** The route table of /api/v1: registration, OpenAPI and the authorization matrix all read it. */
export const API_ROUTES: readonly RouteSpec[] = [
  ...AUTH_ROUTES,
  ...USER_ROUTES,
  ...AUDIT_ROUTES,
  ...REGISTRY_ROUTES,
];
