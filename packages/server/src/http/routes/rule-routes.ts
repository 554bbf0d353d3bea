import { ANOMALY_THRESHOLD_SPECS, ANOMALY_TYPES } from '@qingyuan/domain';
import { Type } from 'typebox';
import { MAX_REJUDGE_DAYS } from '../../analysis/threshold-rejudge.js';
import { route } from '../route.js';

const tags = ['rules 规则'];

/**
 * Thresholds by name, each a number (ranges and whole numbers are checked by the service, which answers
 * QY_E_RULE_RANGE with the allowed range); unknown names are refused here.
 */
const Thresholds = Type.Object(
  Object.fromEntries(ANOMALY_THRESHOLD_SPECS.map((s) => [s.name, Type.Optional(Type.Number())])),
  { additionalProperties: false },
);
/** Keys: factor codes as registered, or '*' for the point as a whole (offline, clock skew). */
const FactorKey = '^(\\*|[A-Za-z0-9]{1,20})$';

const AnomalyConfigChange = Type.Object(
  {
    revision: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Re-judge the last N whole Beijing days (and today so far) of every point, in the background. */
    rejudgeDays: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_REJUDGE_DAYS })),
    defaults: Thresholds,
    factors: Type.Record(Type.String({ pattern: FactorKey }), Thresholds, {
      maxProperties: 200,
      additionalProperties: false,
    }),
    disabled: Type.Record(
      Type.String({ pattern: FactorKey }),
      Type.Array(Type.Enum([...ANOMALY_TYPES]), { maxItems: ANOMALY_TYPES.length }),
      { maxProperties: 200, additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** The province's rule thresholds (anomaly detectors). */
export const RULE_ROUTES = [
  route({
    method: 'GET',
    url: '/rules/anomaly-config',
    permission: 'rules.read',
    summary:
      'The anomaly thresholds in force: the province’s changes to the built-in defaults, per-factor overrides, detectors switched off, with each threshold’s range and whether its default is a [Proposal]; `rejudge`: the re-judgement of past days running or last run (days, points done/total, started/finished at, error)',
    tags,
    handler: async ({ principal, services }) => services.rules.anomalyConfig(principal),
  }),
  route({
    method: 'PUT',
    url: '/rules/anomaly-config',
    permission: 'rules.write',
    summary:
      'Replace the anomaly thresholds (province administrator); send `revision` as read to refuse a change made meanwhile (QY_E_CONFLICT); `rejudgeDays` (0–31, default 0) also re-judges the last N whole Beijing days and today of every point in the background (one run at a time: QY_E_CONFLICT while one runs); audited',
    tags,
    body: AnomalyConfigChange,
    example: () => ({
      defaults: { constantHours: 6 },
      factors: { a21026: { suddenK: 5 } },
      disabled: { a19001: ['sudden-change' as const] },
    }),
    handler: async ({ principal, services, body }) => services.rules.setAnomalyConfig(principal, body),
  }),
];
