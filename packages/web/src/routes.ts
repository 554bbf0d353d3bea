import type { Permission } from './api/types';

export interface PageSpec {
  readonly key: string;
  readonly path: string;
  readonly permission: Permission | readonly Permission[];
  /** What a page still to be built reads (shown on its placeholder). */
  readonly sources?: readonly string[];
  /**
   * The page renders before GET /auth/me has answered (App.tsx), its first render overlapping that
   * request: it reads nothing of the session when it mounts (the API refuses its requests without one, and
   * the application goes to the login page once /auth/me says so).
   */
  readonly beforeSession?: boolean;
}

/** The pages of the menu, each with the permission it needs (GET /auth/me → permissions). */
export const PAGES: readonly PageSpec[] = [
  { key: 'overview', path: '/', permission: 'data.read', beforeSession: true },
  { key: 'realtime', path: '/realtime', permission: 'data.read' },
  {
    key: 'history',
    path: '/history',
    permission: 'data.read',
    sources: ['GET /api/v1/points/:id/series'],
    beforeSession: true,
  },
  { key: 'alarms', path: '/alarms', permission: 'data.read', sources: ['GET /api/v1/alarms'] },
  // 举报处理: the authorities who handle public tip-offs (湖北省办法 第十条).
  { key: 'tipOffs', path: '/tip-offs', permission: 'marks.decide', sources: ['GET /api/v1/tip-offs'] },
  {
    key: 'transmission',
    path: '/transmission',
    permission: 'data.read',
    sources: ['GET /api/v1/reports/transmission'],
  },
  {
    key: 'archive',
    path: '/archive',
    permission: 'registry.read',
    sources: ['GET /api/v1/enterprises/:id', 'GET /api/v1/enterprises/:id/outlets'],
  },
  {
    key: 'smart',
    path: '/smart',
    permission: 'data.read',
    sources: ['GET /api/v1/points/:id/device-info', 'GET /api/v1/points/:id/parameter-changes'],
  },
  { key: 'frames', path: '/frames', permission: 'frames.read', sources: ['GET /api/v1/frames'] },
  { key: 'commands', path: '/commands', permission: 'commands.send', sources: ['GET /api/v1/commands'] },
  {
    key: 'system',
    path: '/system',
    // The authorities (rules.read) reach it for the registry, the standards and the rule thresholds.
    permission: ['users.manage', 'system.read', 'audit.read', 'rules.read'],
    sources: [
      'GET /api/v1/users',
      'GET /api/v1/system/status',
      'GET /api/v1/audit',
      'GET /api/v1/rules/anomaly-config',
    ],
  },
];

export function allowed(page: PageSpec, can: (p: Permission) => boolean): boolean {
  return [page.permission].flat().some((p) => can(p));
}
