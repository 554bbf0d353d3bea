import type { Role as RoleName } from '@qingyuan/store';
import { Type } from 'typebox';
import { tableOf } from '../export.js';
import { route } from '../route.js';
import { Format, IdParams, Role } from './schemas.js';

const tags = ['users 用户'];
const Binding = {
  regionCode: Type.Optional(Type.Union([Type.Null(), Type.String({ pattern: '^[0-9]{6}$' })])),
  enterpriseId: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1 })])),
  contractorId: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1 })])),
};

let exampleSeq = 0;

/** User management (province administrator). */
export const USER_ROUTES = [
  route({
    method: 'GET',
    url: '/users',
    permission: 'users.manage',
    summary: 'Every user account',
    tags,
    query: Type.Object({ format: Format }),
    handler: async ({ principal, services }) => services.accounts.users(principal),
    export: (rows) => tableOf('users', rows),
  }),
  route({
    method: 'POST',
    url: '/users',
    permission: 'users.manage',
    summary: 'Create a user; the one-time password is shown only in this answer',
    tags,
    status: 201,
    body: Type.Object({
      username: Type.String({ pattern: '^[A-Za-z0-9_.@-]{3,64}$' }),
      displayName: Type.String({ minLength: 1, maxLength: 100 }),
      role: Role,
      ...Binding,
    }),
    example: (ids) => ({
      username: `example.${Date.now().toString(36)}.${exampleSeq++}`,
      displayName: '示例用户',
      role: 'city' as const,
      regionCode: String(ids.cityRegion ?? '420100'),
    }),
    handler: async ({ principal, services, body }) =>
      services.accounts.createUser(principal, { ...body, role: body.role as RoleName }),
  }),
  route({
    method: 'PATCH',
    url: '/users/:id',
    permission: 'users.manage',
    resource: 'user',
    summary: 'Change a user’s name, role, binding or status (ends their sessions)',
    tags,
    params: IdParams,
    body: Type.Object({
      displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      role: Type.Optional(Role),
      status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
      ...Binding,
    }),
    example: () => ({ displayName: '改名' }),
    handler: async ({ principal, services, params, body }) =>
      services.accounts.updateUser(principal, params.id, {
        ...body,
        ...(body.role === undefined ? {} : { role: body.role as RoleName }),
      } as never),
  }),
  route({
    method: 'POST',
    url: '/users/:id/password-reset',
    permission: 'users.manage',
    resource: 'user',
    summary: 'Reset a user’s password to a one-time one (shown only in this answer)',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) => services.accounts.resetPassword(principal, params.id),
  }),
];
