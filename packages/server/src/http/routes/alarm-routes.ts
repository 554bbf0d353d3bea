import { Type } from 'typebox';
import type { AlarmView } from '../../services/alarm-service.js';
import { route } from '../route.js';
import { Format, IdParams, Instant, Limit, Offset } from './schemas.js';

const tags = ['alarms 报警'];

const Filter = {
  type: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,40}$' })),
  regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
  enterpriseId: Type.Optional(Type.Integer({ minimum: 1 })),
  pointId: Type.Optional(Type.Integer({ minimum: 1 })),
  factor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{1,12}$' })),
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
};

/** An instant as Beijing time, 'YYYY-MM-DD HH:mm' (for spreadsheets). */
const beijingText = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** Alarm episodes. */
export const ALARM_ROUTES = [
  route({
    method: 'GET',
    url: '/alarms',
    permission: 'data.read',
    summary:
      'Alarm episodes of the points in scope, newest first (filter by type, state, place, factor, time)',
    tags,
    query: Type.Object({
      ...Filter,
      state: Type.Optional(Type.Enum(['open', 'closed'])),
      limit: Limit,
      offset: Offset,
      format: Format,
    }),
    handler: async ({ principal, services, query }) => {
      const { format: _format, ...filter } = query;
      return services.alarms.list(principal, filter);
    },
    export: (rows: AlarmView[]) => ({
      filename: 'alarms',
      columns: [
        { key: 'id', header: 'id' },
        { key: 'type', header: '报警类型' },
        { key: 'enterpriseName', header: '企业' },
        { key: 'mn', header: 'MN' },
        { key: 'pointName', header: '监测点' },
        { key: 'factorCode', header: '因子' },
        { key: 'opened', header: '开始' },
        { key: 'closed', header: '结束' },
        { key: 'peakValue', header: '峰值' },
        { key: 'limitValue', header: '限值' },
        { key: 'detail', header: '详情' },
      ],
      rows: rows.map((r) => ({
        ...r,
        opened: beijingText(r.openedAt),
        closed: r.closedAt === null ? '' : beijingText(r.closedAt),
      })),
    }),
  }),
  route({
    method: 'GET',
    url: '/alarms/summary',
    permission: 'data.read',
    summary: 'Counts of alarm episodes in scope by type, open and closed (overview)',
    tags,
    query: Type.Object(Filter),
    handler: async ({ principal, services, query }) => services.alarms.summary(principal, query),
  }),
  route({
    method: 'GET',
    url: '/alarms/:id',
    permission: 'data.read',
    resource: 'alarm',
    summary: 'One alarm episode with the hourly records of its factor around it (detail chart)',
    tags,
    params: IdParams,
    query: Type.Object({ hours: Type.Optional(Type.Integer({ minimum: 0, maximum: 168 })) }),
    handler: async ({ principal, services, params, query }) =>
      services.alarms.get(principal, params.id, query.hours ?? 24),
  }),
];
