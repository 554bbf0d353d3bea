import { Type } from 'typebox';
import type { PointRow } from '../../services/registry/point-list.js';
import { route } from '../route.js';
import {
  exampleSerial,
  NewOutlet,
  NewPoint,
  OutletPatch,
  PointFactors,
  PointPatch,
  PointStatus,
  StatusChange,
} from './registry-schemas.js';
import { Format, IdParams, Limit, Offset } from './schemas.js';

const tags = ['registry 登记'];

/** The demo registry's factors (gas and water), so that the matrix test's PUT keeps every usual factor. */
const EXAMPLE_FACTORS = [
  ['a21026', 'mg/m3', true],
  ['a21002', 'mg/m3', true],
  ['a21005', 'mg/m3', false],
  ['a21024', 'mg/m3', false],
  ['a34013', 'mg/m3', true],
  ['a19001', '%', false],
  ['a01011', 'm/s', false],
  ['a01012', '℃', false],
  ['a01013', 'kPa', false],
  ['a01014', '%', false],
  ['a00000', 'm3/h', true],
  ['w01018', 'mg/L', true],
  ['w21003', 'mg/L', true],
  ['w21011', 'mg/L', true],
  ['w21001', 'mg/L', true],
  ['w01001', '无量纲', true],
  ['w00000', 'm3/h', true],
] as const;

/** Outlets (排口) and monitoring points (监测点位) with their factors and status. */
export const REGISTRY_POINT_ROUTES = [
  route({
    method: 'GET',
    url: '/outlets/:id',
    permission: 'registry.read',
    resource: 'outlet',
    summary: 'One outlet with its points',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) => services.registry.outlets.get(principal, params.id),
  }),
  route({
    method: 'POST',
    url: '/enterprises/:id/outlets',
    permission: 'registry.write',
    resource: 'enterprise',
    summary: 'Add an outlet to an enterprise in scope',
    tags,
    status: 201,
    params: IdParams,
    body: NewOutlet,
    example: () => ({ kind: 'gas' as const, code: `DA${exampleSerial(6)}`, name: '示例排口' }),
    handler: async ({ principal, services, params, body }) =>
      services.registry.outlets.create(principal, params.id, body),
  }),
  route({
    method: 'PATCH',
    url: '/outlets/:id',
    permission: 'registry.write',
    resource: 'outlet',
    summary: 'Change an outlet (its standard, reference O₂, status, …)',
    tags,
    params: IdParams,
    body: OutletPatch,
    example: () => ({ stackHeightM: 45 }),
    handler: async ({ principal, services, params, body }) =>
      services.registry.outlets.update(principal, params.id, body),
  }),
  route({
    method: 'GET',
    url: '/points',
    permission: 'registry.read',
    summary: 'Monitoring points in the caller’s scope (filter by enterprise, outlet, status, part of the MN)',
    tags,
    query: Type.Object({
      enterpriseId: Type.Optional(Type.Integer({ minimum: 1 })),
      outletId: Type.Optional(Type.Integer({ minimum: 1 })),
      status: Type.Optional(PointStatus),
      mn: Type.Optional(Type.String({ maxLength: 24 })),
      limit: Limit,
      offset: Offset,
      format: Format,
    }),
    handler: async ({ principal, services, query }) => {
      const { format: _format, ...filter } = query;
      return services.registry.points.list(principal, filter);
    },
    export: (rows: PointRow[]) => ({
      filename: 'points',
      columns: [
        { key: 'id', header: 'id' },
        { key: 'mn', header: 'MN' },
        { key: 'name', header: '点位名称' },
        { key: 'status', header: '状态' },
        { key: 'protocolVersion', header: '协议版本' },
        { key: 'enterpriseName', header: '企业' },
        { key: 'regionCode', header: '行政区划' },
        { key: 'outletCode', header: '排口编号' },
        { key: 'outletName', header: '排口名称' },
        { key: 'outletKind', header: '排口类型' },
        { key: 'inServiceOn', header: '投运日期' },
      ],
      rows: rows as unknown as Record<string, unknown>[],
    }),
  }),
  route({
    method: 'GET',
    url: '/points/:id',
    permission: 'registry.read',
    resource: 'point',
    summary: 'One point with its factors and its outlet standard’s limits (never the HJ 212 password)',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) => services.registry.points.get(principal, params.id),
  }),
  route({
    method: 'POST',
    url: '/outlets/:id/points',
    permission: 'registry.write',
    resource: 'outlet',
    summary: 'Add a monitoring point (data logger MN and password) to an outlet in scope',
    tags,
    status: 201,
    params: IdParams,
    body: NewPoint,
    example: () => ({
      name: '示例点位',
      mn: `88${exampleSerial(22)}`,
      password: '123456',
      protocolVersion: '2017' as const,
    }),
    handler: async ({ principal, services, params, body }) =>
      services.registry.points.create(principal, params.id, body),
  }),
  route({
    method: 'PATCH',
    url: '/points/:id',
    permission: 'registry.write',
    resource: 'point',
    summary: 'Change a point; a new password is stored and audited but never echoed',
    tags,
    params: IdParams,
    body: PointPatch,
    example: () => ({ realtimeIntervalS: 30 }),
    handler: async ({ principal, services, params, body }) =>
      services.registry.points.update(principal, params.id, body),
  }),
  route({
    method: 'PUT',
    url: '/points/:id/factors',
    permission: 'registry.write',
    resource: 'point',
    summary: 'Replace the point’s factors (units, ranges, limits, alarm thresholds, 考核因子)',
    tags,
    params: IdParams,
    body: PointFactors,
    example: () => ({
      factors: EXAMPLE_FACTORS.map(([factorCode, unit, assessed]) => ({
        factorCode,
        unit,
        assessed,
      })),
    }),
    handler: async ({ principal, services, params, body }) =>
      services.registry.points.setFactors(principal, params.id, body.factors),
  }),
  route({
    method: 'POST',
    url: '/points/:id/status',
    permission: 'registry.write',
    resource: 'point',
    summary: 'Change the point’s status with a reason (kept in its status history)',
    tags,
    params: IdParams,
    body: StatusChange,
    example: () => ({ status: 'running' as const, reason: '验收合格，投入运行' }),
    handler: async ({ principal, services, params, body }) =>
      services.registry.points.setStatus(principal, params.id, body.status, body.reason),
  }),
  route({
    method: 'GET',
    url: '/points/:id/status-history',
    permission: 'registry.read',
    resource: 'point',
    summary: 'The point’s status changes, oldest first',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) =>
      services.registry.points.statusHistory(principal, params.id),
  }),
];
