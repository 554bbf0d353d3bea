import { Type } from 'typebox';
import { route } from '../route.js';
import { Format, Instant, Limit } from './schemas.js';

const tags = ['audit 审计'];

/** The audit log and its chain verification. */
export const AUDIT_ROUTES = [
  route({
    method: 'GET',
    url: '/audit',
    permission: 'audit.read',
    summary: 'Audit records, newest first',
    tags,
    query: Type.Object({
      entity: Type.Optional(Type.String({ maxLength: 64 })),
      entityId: Type.Optional(Type.String({ maxLength: 64 })),
      actor: Type.Optional(Type.String({ maxLength: 64 })),
      from: Type.Optional(Instant),
      to: Type.Optional(Instant),
      limit: Limit,
      format: Format,
    }),
    handler: async ({ principal, services, query }) => {
      const { format: _format, ...filter } = query;
      return services.audit.list(principal, filter);
    },
    export: (rows) => ({
      filename: 'audit',
      columns: [
        { key: 'id', header: 'id' },
        { key: 'at', header: 'at' },
        { key: 'actor', header: 'actor' },
        { key: 'actorName', header: 'actor_name' },
        { key: 'action', header: 'action' },
        { key: 'entity', header: 'entity' },
        { key: 'entityId', header: 'entity_id' },
        { key: 'before', header: 'before' },
        { key: 'after', header: 'after' },
        { key: 'hash', header: 'hash' },
      ],
      rows: rows as unknown as Record<string, unknown>[],
    }),
  }),
  route({
    method: 'GET',
    url: '/audit/verify',
    permission: 'audit.read',
    summary: 'Verify the audit log’s hash chain; names the first broken record',
    tags,
    handler: async ({ principal, services }) => services.audit.verify(principal),
  }),
];
