import type { LivePoint } from './api/types';

export type EnterpriseState = 'normal' | 'exceeding' | 'anomaly' | 'offline' | 'stopped';

export const STATE_COLOURS: Record<EnterpriseState, string> = {
  normal: '#52c41a',
  exceeding: '#f5222d',
  anomaly: '#fa8c16',
  offline: '#8c8c8c',
  stopped: '#2f54eb',
};

export const STATES = Object.keys(STATE_COLOURS) as EnterpriseState[];

/**
 * An enterprise's state on the map: stopped (not active, or no point running), exceeding (an open
 * exceedance alarm or a live value over its limit), anomaly (another open alarm), offline (no point
 * online), else normal.
 */
export function enterpriseState(
  status: string,
  points: readonly LivePoint[],
  openAlarmTypes: ReadonlySet<string>,
): EnterpriseState {
  if (status !== 'active' || points.length === 0 || points.every((p) => p.status === 'stopped'))
    return 'stopped';
  if (openAlarmTypes.has('exceedance') || points.some((p) => p.factors.some((f) => f.exceeding === true)))
    return 'exceeding';
  if ([...openAlarmTypes].some((t) => t !== 'exceedance' && t !== 'early-warning')) return 'anomaly';
  if (!points.some((p) => p.online)) return 'offline';
  return 'normal';
}
