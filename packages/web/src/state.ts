/**
 * An enterprise's state on the map, derived on the server (GET /overview: stopped, exceeding, anomaly,
 * offline, else normal — packages/server/src/services/monitoring/overview.ts `enterpriseState`).
 */
export type EnterpriseState = 'normal' | 'exceeding' | 'anomaly' | 'offline' | 'stopped';

export const STATE_COLOURS: Record<EnterpriseState, string> = {
  normal: '#52c41a',
  exceeding: '#f5222d',
  anomaly: '#fa8c16',
  offline: '#8c8c8c',
  stopped: '#2f54eb',
};

export const STATES = Object.keys(STATE_COLOURS) as EnterpriseState[];
