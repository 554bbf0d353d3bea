import { FRAME_VERDICTS } from '@qingyuan/store';
import { type TSchema, Type } from 'typebox';
import { route } from '../route.js';
import {
  deviceInfoTable,
  framesTable,
  liveTable,
  parameterChangesTable,
  seriesTable,
} from './monitoring-exports.js';
import { Format, IdParams, Instant, Limit } from './schemas.js';

const tags = ['monitoring 监控数据'];
const From = Type.Optional(Instant);
const To = Type.Optional(Instant);
const Mn = Type.String({ pattern: '^[0-9A-Za-z]{1,32}$' });
const isExport = (format: string | undefined) => format === 'csv' || format === 'xlsx';
const list = (text: string | undefined) =>
  text === undefined ? undefined : text.split(',').filter((s) => s.length > 0);

const OrNull = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Column = <T extends TSchema>(schema: T, description: string) =>
  Type.Array(OrNull(schema), { description });

/**
 * GET /points/:id/series: per factor its samples as columns — entry `i` of every array belongs to the
 * period starting at `t[i]`. `validity` and `reason` only for hour and day (the judged periods).
 */
const SeriesAnswer = Type.Object({
  pointId: Type.Integer(),
  period: Type.Enum(['realtime', 'minute', 'hour', 'day']),
  from: Type.Number(),
  to: Type.Number(),
  maxPoints: Type.Integer(),
  factors: Type.Array(
    Type.Object({
      factorCode: Type.String(),
      unit: Type.String(),
      limit: OrNull(
        Type.Object({
          upper: OrNull(Type.Number()),
          lower: OrNull(Type.Number()),
          onCorrected: Type.Boolean(),
        }),
      ),
      total: Type.Integer({ description: 'samples in the range before downsampling' }),
      downsampled: Type.Boolean(),
      t: Type.Array(Type.Number(), {
        description: 'period start (minute/hour/day) or sampling instant (real-time), epoch ms, ascending',
      }),
      value: Column(Type.Number(), 'Rtd (real-time) or Avg'),
      min: Column(Type.Number(), 'Min'),
      max: Column(Type.Number(), 'Max'),
      cou: Column(Type.Number(), 'Cou'),
      corrected: Column(Type.Number(), 'ZsRtd / ZsAvg (折算)'),
      flag: Column(Type.String(), 'data flag'),
      exceeding: Column(Type.Boolean(), 'against the limit (null: no limit or no value)'),
      validity: Type.Optional(
        Column(Type.String(), 'hour/day only: the platform’s judgement (amended view)'),
      ),
      reason: Type.Optional(Column(Type.String(), 'hour/day only: the judgement’s reason')),
    }),
  ),
  marks: Type.Array(
    Type.Object({
      id: Type.Integer(),
      factorCode: Type.String(),
      from: Type.Number(),
      to: Type.Number(),
      kind: Type.String(),
      origin: Type.String(),
      reason: Type.String(),
    }),
  ),
  alarms: Type.Array(
    Type.Object({
      id: Type.Integer(),
      factorCode: OrNull(Type.String()),
      type: Type.String(),
      openedAt: Type.Number(),
      closedAt: OrNull(Type.Number()),
      peakValue: OrNull(Type.Number()),
      limitValue: OrNull(Type.Number()),
    }),
  ),
});

/** Live status, time series, raw frames and device information. */
export const MONITORING_ROUTES = [
  route({
    method: 'GET',
    url: '/live',
    permission: 'data.read',
    summary: 'Presence and latest values (with limit, flag, exceedance) of every point in scope',
    tags,
    query: Type.Object({
      regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
      enterpriseId: Type.Optional(Type.Integer({ minimum: 1 })),
      pointId: Type.Optional(Type.Integer({ minimum: 1 })),
      format: Format,
    }),
    handler: async ({ principal, services, query }) => {
      const { format: _format, ...filter } = query;
      return services.monitoring.live(principal, filter);
    },
    export: liveTable,
  }),
  route({
    method: 'GET',
    url: '/points/:id/series',
    permission: 'data.read',
    resource: 'point',
    summary:
      'A point’s real-time/minute/hour/day values as columns per factor (t[], value[], flag[]…) with validity (hour/day), marks and alarms; downsampled beyond maxPoints (not on export)',
    tags,
    params: IdParams,
    query: Type.Object({
      period: Type.Optional(Type.Enum(['realtime', 'minute', 'hour', 'day'])),
      from: From,
      to: To,
      factors: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9#]+(,[A-Za-z0-9#]+)*$', maxLength: 400 })),
      maxPoints: Type.Optional(Type.Integer({ minimum: 10, maximum: 20_000 })),
      format: Format,
    }),
    response: SeriesAnswer,
    // JSON.stringify is 3–6× faster than fast-json-stringify on these arrays (docs/benchmarks.md, bench/api).
    plainJson: true,
    handler: async ({ principal, services, params, query }) => {
      const factors = list(query.factors);
      return services.monitoring.series(principal, params.id, {
        ...(query.period === undefined ? {} : { period: query.period }),
        ...(query.from === undefined ? {} : { from: query.from }),
        ...(query.to === undefined ? {} : { to: query.to }),
        ...(factors === undefined ? {} : { factors }),
        ...(query.maxPoints === undefined ? {} : { maxPoints: query.maxPoints }),
        downsample: !isExport(query.format),
      });
    },
    export: seriesTable,
  }),
  route({
    method: 'GET',
    url: '/frames',
    permission: 'frames.read',
    summary: 'Archived raw frames of the points in scope, newest first (unknown devices: province only)',
    tags,
    query: Type.Object({
      mn: Type.Optional(Mn),
      cn: Type.Optional(Type.String({ pattern: '^[0-9]{4}$' })),
      verdict: Type.Optional(Type.Enum([...FRAME_VERDICTS])),
      from: From,
      to: To,
      limit: Limit,
      format: Format,
    }),
    handler: async ({ principal, services, query }) => {
      const { format: _format, ...filter } = query;
      return services.monitoring.frames(principal, filter);
    },
    export: framesTable,
  }),
  route({
    method: 'GET',
    url: '/frames/:id',
    permission: 'frames.read',
    resource: 'frame',
    summary: 'One raw frame: its text, its decoded view and its hash-chain check',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) => services.monitoring.frame(principal, params.id),
  }),
  route({
    method: 'GET',
    url: '/points/:id/device-info',
    permission: 'data.read',
    resource: 'point',
    summary: 'A point’s current device information (CN 3020): working states, parameters, logs',
    tags,
    params: IdParams,
    query: Type.Object({ format: Format }),
    handler: async ({ principal, services, params }) => services.monitoring.deviceInfo(principal, params.id),
    export: (result) =>
      deviceInfoTable(`point-${result.pointId}-device-info`, [
        ...result.states,
        ...result.parameters,
        ...result.logs,
        ...result.other,
      ]),
  }),
  route({
    method: 'GET',
    url: '/points/:id/device-info/history',
    permission: 'data.read',
    resource: 'point',
    summary: 'A point’s device information history, oldest first (one i-code, PolId, time window)',
    tags,
    params: IdParams,
    query: Type.Object({
      code: Type.Optional(Type.String({ pattern: '^i[0-9]{5}$' })),
      polId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{0,16}$' })),
      from: From,
      to: To,
      limit: Limit,
      format: Format,
    }),
    handler: async ({ principal, services, params, query }) => {
      const { format: _format, ...filter } = query;
      return services.monitoring.deviceInfoHistory(principal, params.id, filter);
    },
    export: (rows) => deviceInfoTable('device-info-history', rows),
  }),
  route({
    method: 'GET',
    url: '/points/:id/parameter-changes',
    permission: 'data.read',
    resource: 'point',
    summary: 'A point’s instrument parameter changes against the filed baseline (备案) and previous values',
    tags,
    params: IdParams,
    query: Type.Object({ from: From, to: To, format: Format }),
    handler: async ({ principal, services, params, query }) => {
      const { format: _format, ...range } = query;
      return services.monitoring.parameterChanges(principal, params.id, range);
    },
    export: parameterChangesTable,
  }),
];
