import { Type } from 'typebox';
import { route } from '../route.js';
import { REGISTRY_POINT_ROUTES } from './registry-point-routes.js';
import { REGISTRY_REFERENCE_ROUTES } from './registry-reference-routes.js';
import { EnterprisePatch, exampleUscc, NewEnterprise } from './registry-schemas.js';
import { Format, IdParams, Limit, Offset } from './schemas.js';

const tags = ['registry 登记'];

/** Enterprises (重点排污单位) and what hangs off them. */
const ENTERPRISE_ROUTES = [
  route({
    method: 'GET',
    url: '/enterprises',
    permission: 'registry.read',
    summary: 'Enterprises in the caller’s scope (filter by region subtree, name or USCC)',
    tags,
    query: Type.Object({
      regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
      search: Type.Optional(Type.String({ maxLength: 100 })),
      limit: Limit,
      offset: Offset,
      format: Format,
    }),
    handler: async ({ principal, services, query }) => {
      const { format: _format, ...filter } = query;
      return services.registry.enterprises(principal, filter);
    },
    export: (rows) => ({
      filename: 'enterprises',
      columns: [
        { key: 'id', header: 'id' },
        { key: 'uscc', header: '统一社会信用代码' },
        { key: 'name', header: '名称' },
        { key: 'regionCode', header: '行政区划' },
        { key: 'industryCode', header: '行业' },
        { key: 'status', header: '状态' },
      ],
      rows: rows as unknown as Record<string, unknown>[],
    }),
  }),
  route({
    method: 'GET',
    url: '/enterprises/:id',
    permission: 'registry.read',
    resource: 'enterprise',
    summary: 'One enterprise, with its outlet and point counts, contacts and 名录 years',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) => services.registry.enterprise(principal, params.id),
  }),
  route({
    method: 'POST',
    url: '/enterprises',
    permission: 'registry.write',
    summary: 'Register an enterprise in a region within the caller’s; the USCC is checked (GB 32100-2015)',
    tags,
    status: 201,
    body: NewEnterprise,
    example: (ids) => ({
      uscc: exampleUscc(String(ids.region)),
      name: '示例排污单位',
      regionCode: String(ids.region),
      contactName: '张三',
    }),
    handler: async ({ principal, services, body }) => services.registry.createEnterprise(principal, body),
  }),
  route({
    method: 'PATCH',
    url: '/enterprises/:id',
    permission: 'registry.write',
    resource: 'enterprise',
    summary: 'Change an enterprise (a new region must be within the caller’s); 名录 years given are replaced',
    tags,
    params: IdParams,
    body: EnterprisePatch,
    example: () => ({ contactPhone: '027-00000000' }),
    handler: async ({ principal, services, params, body }) =>
      services.registry.updateEnterprise(principal, params.id, body),
  }),
  route({
    method: 'GET',
    url: '/enterprises/:id/outlets',
    permission: 'registry.read',
    resource: 'enterprise',
    summary: 'The enterprise’s outlets (排口)',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) =>
      services.registry.outlets.byEnterprise(principal, params.id),
  }),
  route({
    method: 'GET',
    url: '/enterprises/:id/permits',
    permission: 'registry.read',
    resource: 'enterprise',
    summary: 'The enterprise’s discharge permits (排污许可证), newest first',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) =>
      services.registry.permits.byEnterprise(principal, params.id),
  }),
  route({
    method: 'POST',
    url: '/enterprises/:id/permits',
    permission: 'registry.write',
    resource: 'enterprise',
    summary: 'File a discharge permit (排污许可证) of the enterprise with its annual allowances (kg)',
    tags,
    status: 201,
    params: IdParams,
    body: Type.Object({
      number: Type.String({ minLength: 1, maxLength: 64 }),
      validFrom: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
      validTo: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
      allowances: Type.Array(
        Type.Object({
          factorCode: Type.String({ pattern: '^[a-zA-Z0-9]{3,10}$' }),
          annualKg: Type.Number({ minimum: 0 }),
        }),
        { maxItems: 50 },
      ),
    }),
    example: () => ({
      number: `91420100TEST${Date.now().toString(36).toUpperCase()}001P`,
      validFrom: '2026-01-01',
      validTo: '2030-12-31',
      allowances: [{ factorCode: 'a21026', annualKg: 12_000 }],
    }),
    handler: async ({ principal, services, params, body }) =>
      services.registry.permits.create(principal, { ...body, enterpriseId: params.id }),
  }),
  route({
    method: 'GET',
    url: '/enterprises/:id/contractors',
    permission: 'registry.read',
    resource: 'enterprise',
    summary: 'The contracts in force today for the enterprise or its points, with their contractors',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) =>
      services.registry.enterpriseContractors(principal, params.id),
  }),
];

/** The registry: regions, enterprises, outlets, points, factors, standards, permits, contractors. */
export const REGISTRY_ROUTES = [...ENTERPRISE_ROUTES, ...REGISTRY_POINT_ROUTES, ...REGISTRY_REFERENCE_ROUTES];
