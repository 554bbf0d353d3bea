import { Type } from 'typebox';
import type { Overview } from '../../services/monitoring/overview.js';
import { tableOf } from '../export.js';
import { route } from '../route.js';
import { RegionCode } from './registry-schemas.js';
import { Format } from './schemas.js';

const tags = ['overview 总览'];

/** The region drilled into (GB/T 2260): its subtree within the caller's scope; outside it, QY_E_NOT_FOUND. */
const Region = Type.Optional(RegionCode);

const Rate = Type.Union([Type.Number(), Type.Null()]);

/** GET /overview/trends (services/monitoring/overview-trends.ts). */
const OverviewTrendsAnswer = Type.Object({
  at: Type.Number(),
  region: Type.Union([Type.String(), Type.Null()]),
  days: Type.Integer(),
  from: Type.Number(),
  to: Type.Number(),
  view: Type.Literal('amended'),
  target: Type.Number(),
  series: Type.Array(
    Type.Object({
      day: Type.String(),
      expected: Type.Integer(),
      valid: Type.Integer(),
      effectiveTransmissionRate: Rate,
      exceedances: Type.Integer(),
      anomalies: Type.Integer(),
    }),
  ),
  month: Type.Object({
    month: Type.String(),
    from: Type.Number(),
    countedTo: Type.Number(),
    complete: Type.Boolean(),
    expected: Type.Integer(),
    valid: Type.Integer(),
    effectiveTransmissionRate: Rate,
  }),
});

/** The overview page (总览). */
export const OVERVIEW_ROUTES = [
  route({
    method: 'GET',
    url: '/overview',
    permission: 'data.read',
    summary:
      'Every enterprise in scope (or in one region of it) with its coordinates and state (normal, exceeding, anomaly, offline, stopped), the regions to drill into, and the figures: enterprises, points, online, open alarms by type, exceedances opened today',
    tags,
    query: Type.Object({ region: Region, format: Format }),
    handler: async ({ principal, services, query }) =>
      services.overview.overview(principal, query.region === undefined ? {} : { region: query.region }),
    // The export: the enterprises with their states.
    export: (result: Overview) => tableOf('overview', result.enterprises),
  }),
  route({
    method: 'GET',
    url: '/overview/trends',
    permission: 'data.read',
    summary:
      'Per Beijing day of the last 1–31 days (default 7) in scope (or in one region of it): 有效传输率 from the stored daily counts, exceedance and anomaly episodes opened; and this month’s 有效传输率 so far',
    tags,
    query: Type.Object({
      days: Type.Optional(Type.Integer({ minimum: 1, maximum: 31 })),
      region: Region,
      format: Format,
    }),
    response: OverviewTrendsAnswer,
    handler: async ({ principal, services, query }) =>
      services.overview.trends(principal, {
        ...(query.days === undefined ? {} : { days: query.days }),
        ...(query.region === undefined ? {} : { region: query.region }),
      }),
    // The export: one row per day.
    export: (result: { series: readonly object[] }) => tableOf('overview-trends', result.series),
  }),
];
