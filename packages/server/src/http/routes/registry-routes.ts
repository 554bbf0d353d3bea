import { Type } from 'typebox';
import { route } from '../route.js';
import { Format, IdParams, Limit, Offset } from './schemas.js';

const tags = ['registry 登记'];

/** The registry: regions, enterprises, outlets, points, factors, standards, permits, contractors. */
export const REGISTRY_ROUTES = [
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
    summary: 'One enterprise',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) => services.registry.enterprise(principal, params.id),
  }),
];
