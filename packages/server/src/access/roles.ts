import type { Role } from '@qingyuan/store';

/**
 * What a caller may do, independent of which records (that is the scope, see scope.ts). Each API route and
 * each service method names exactly one permission.
 */
export const PERMISSIONS = [
  /** See the registry (regions, enterprises, outlets, points, factors, permits, contractors) in scope. */
  'registry.read',
  /** Create and change enterprises, outlets, points and their factors in scope. */
  'registry.write',
  /** Change province-wide reference data: regions, emission standards and limits, contractors. */
  'reference.write',
  /** Monitoring data in scope: live status, time series, device information, alarms, reports. */
  'data.read',
  /** Raw frames as received, with their decoded view (authorities only). */
  'frames.read',
  /** Send downlink commands (反控) to a device in scope. */
  'commands.send',
  /** File marks (标记) on one's own points (enterprise). */
  'marks.write',
  /** Approve or reject marks in scope (authorities). */
  'marks.decide',
  /** See the province's rule thresholds (anomaly detectors: defaults, per-factor overrides, switches). */
  'rules.read',
  /** Change the province's rule thresholds (the province administrator only). */
  'rules.write',
  /** Manage user accounts. */
  'users.manage',
  /** Read the audit log and verify its chain. */
  'audit.read',
  /** The platform's own state: gateway counters, online devices with their peers, recent frames. */
  'system.read',
  /** Own account: profile, password, API tokens. Every logged-in user. */
  'self.manage',
  /** Published data (public portal): everyone, no login. */
  'public.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const AUTHORITY: readonly Permission[] = [
  'registry.read',
  'registry.write',
  'data.read',
  'frames.read',
  'commands.send',
  'marks.decide',
  'rules.read',
  'self.manage',
  'public.read',
];

/** The permissions of each role (办法 第五～七条 for the authorities' duties; contractors per contract). */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  province_admin: PERMISSIONS,
  province: [...AUTHORITY, 'reference.write', 'audit.read', 'system.read'],
  city: AUTHORITY,
  county: AUTHORITY.filter((p) => p !== 'registry.write'),
  enterprise: ['registry.read', 'data.read', 'marks.write', 'self.manage', 'public.read'],
  om_contractor: ['registry.read', 'data.read', 'commands.send', 'self.manage', 'public.read'],
  inspection_unit: ['registry.read', 'data.read', 'self.manage', 'public.read'],
  monitoring_operator: ['registry.read', 'data.read', 'self.manage', 'public.read'],
};

/** The anonymous public's permissions. */
export const PUBLIC_PERMISSIONS: readonly Permission[] = ['public.read'];

/** Roles of the environmental authorities (省、市、县), who carry a region. */
export const AUTHORITY_ROLES: readonly Role[] = ['province_admin', 'province', 'city', 'county'];
/** Roles bound to a contractor (运维、巡查、智能监控运维单位), who see what their active contracts cover. */
export const CONTRACTOR_ROLES: readonly Role[] = ['om_contractor', 'inspection_unit', 'monitoring_operator'];
