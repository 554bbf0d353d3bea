import { MANUAL_RECORD_PERIODS, MANUAL_RECORD_STATES } from '@qingyuan/store';
import { Type } from 'typebox';
import type { ManualRecordView } from '../../services/manual-record-service.js';
import { beijingText } from '../../services/monitoring/points.js';
import { route } from '../route.js';
import { Format, IdParams, Instant, Limit, Offset } from './schemas.js';

const tags = ['manual records 人工监测'];

/** 2026-11-18 03:00–04:00 Beijing: an ended hour for the documentation and the matrix test. */
const EXAMPLE_FROM = Date.UTC(2026, 10, 17, 19);

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });

/** Manual-monitoring records (人工监测数据, 湖北省办法 第十五条). */
export const MANUAL_RECORD_ROUTES = [
  route({
    method: 'GET',
    url: '/manual-records',
    permission: 'data.read',
    summary:
      'Manual-monitoring records of the points in scope, newest period first (filter by point, state, time)',
    tags,
    query: Type.Object({
      pointId: Type.Optional(Type.Integer({ minimum: 1 })),
      state: Type.Optional(Type.Enum([...MANUAL_RECORD_STATES])),
      from: Type.Optional(Instant),
      to: Type.Optional(Instant),
      limit: Limit,
      offset: Offset,
      format: Format,
    }),
    handler: async ({ principal, services, query }) => {
      const { format: _format, ...filter } = query;
      return services.manualRecords.list(principal, filter);
    },
    export: (rows: ManualRecordView[]) => ({
      filename: 'manual-records',
      columns: [
        { key: 'id', header: 'id' },
        { key: 'enterpriseName', header: '企业' },
        { key: 'mn', header: 'MN' },
        { key: 'factorCode', header: '因子' },
        { key: 'period', header: '周期' },
        { key: 'fromText', header: '开始' },
        { key: 'toText', header: '结束' },
        { key: 'value', header: '监测值' },
        { key: 'unit', header: '单位' },
        { key: 'method', header: '方法/标准' },
        { key: 'agency', header: '监测机构' },
        { key: 'sampledText', header: '采样时间' },
        { key: 'reportNo', header: '报告编号' },
        { key: 'state', header: '状态' },
        { key: 'filedBy', header: '提交人' },
        { key: 'decidedBy', header: '审核人' },
      ],
      rows: rows.map((r) => ({
        ...r,
        fromText: beijingText(r.from),
        toText: beijingText(r.to),
        sampledText: beijingText(r.sampledAt),
      })),
    }),
  }),
  route({
    method: 'POST',
    url: '/manual-records',
    permission: 'marks.write',
    summary:
      'File a manual-monitoring result for one of one’s own points (pending until an authority decides)',
    tags,
    status: 201,
    body: Type.Object(
      {
        pointId: Type.Integer({ minimum: 1 }),
        factorCode: Type.String({ pattern: '^[A-Za-z0-9]{1,12}$' }),
        period: Type.Enum([...MANUAL_RECORD_PERIODS]),
        from: Instant,
        value: Type.Number(),
        unit: Text(20),
        method: Text(200),
        agency: Text(200),
        sampledAt: Instant,
        reportNo: Text(100),
        note: Type.Optional(Type.String({ maxLength: 500 })),
      },
      { additionalProperties: false },
    ),
    example: (ids) => ({
      pointId: Number(ids.point),
      factorCode: 'a21026',
      period: 'hour' as const,
      from: EXAMPLE_FROM,
      value: 35.2,
      unit: 'mg/m3',
      method: 'HJ 75-2017 手工比对 (HJ 57-2017 定电位电解法)',
      agency: '湖北省环境监测有限公司',
      sampledAt: EXAMPLE_FROM + 600_000,
      reportNo: 'HBJC-2026-1118-01',
    }),
    handler: async ({ principal, services, body }) => services.manualRecords.create(principal, body),
  }),
  route({
    method: 'POST',
    url: '/manual-records/:id/decision',
    permission: 'marks.decide',
    resource: 'manualRecord',
    summary: 'Approve or reject a pending manual-monitoring record in scope (an approval re-judges its days)',
    tags,
    params: IdParams,
    body: Type.Object({ decision: Type.Enum(['approve', 'reject']) }, { additionalProperties: false }),
    example: () => ({ decision: 'approve' as const }),
    handler: async ({ principal, services, params, body }) =>
      services.manualRecords.decide(principal, params.id, body.decision),
  }),
];
