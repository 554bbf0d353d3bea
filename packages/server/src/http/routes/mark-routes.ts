import { MARK_KINDS, MARK_STATES } from '@qingyuan/store';
import { Type } from 'typebox';
import { tableOf } from '../export.js';
import { route } from '../route.js';
import { Format, IdParams, Instant, Limit, Offset } from './schemas.js';

const tags = ['marks 标记'];

/** 2026-11-18 00:00–06:00 Beijing: a valid period for the documentation and the matrix test. */
const EXAMPLE_FROM = Date.UTC(2026, 10, 17, 16);

/** Marks (标记). */
export const MARK_ROUTES = [
  route({
    method: 'GET',
    url: '/marks',
    permission: 'data.read',
    summary: 'Marks of the points in scope, newest first (filter by point and state)',
    tags,
    query: Type.Object({
      pointId: Type.Optional(Type.Integer({ minimum: 1 })),
      state: Type.Optional(Type.Enum([...MARK_STATES])),
      limit: Limit,
      offset: Offset,
      format: Format,
    }),
    handler: async ({ principal, services, query }) => {
      const { format: _format, ...filter } = query;
      return services.marks.list(principal, filter);
    },
    export: (rows) => tableOf('marks', rows),
  }),
  route({
    method: 'POST',
    url: '/marks',
    permission: 'marks.write',
    summary: 'File a mark on one of one’s own points (pending until an authority decides)',
    tags,
    status: 201,
    body: Type.Object(
      {
        pointId: Type.Integer({ minimum: 1 }),
        factorCode: Type.String({
          pattern: '^(\\*|[A-Za-z0-9]{1,12})$',
          description: "a factor code or '*'",
        }),
        kind: Type.Enum([...MARK_KINDS]),
        from: Instant,
        to: Instant,
        reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
      },
      { additionalProperties: false },
    ),
    example: (ids) => ({
      pointId: Number(ids.point),
      factorCode: '*',
      kind: 'stopped' as const,
      from: EXAMPLE_FROM,
      to: EXAMPLE_FROM + 6 * 3_600_000,
      reason: '停产检修',
    }),
    handler: async ({ principal, services, body }) => services.marks.create(principal, body),
  }),
  route({
    method: 'POST',
    url: '/marks/:id/decision',
    permission: 'marks.decide',
    resource: 'mark',
    summary: 'Approve or reject a pending mark in scope (an approval re-judges the days it touches)',
    tags,
    params: IdParams,
    body: Type.Object({ decision: Type.Enum(['approve', 'reject']) }, { additionalProperties: false }),
    example: () => ({ decision: 'approve' as const }),
    handler: async ({ principal, services, params, body }) =>
      services.marks.decide(principal, params.id, body.decision),
  }),
  route({
    method: 'POST',
    url: '/marks/:id/withdraw',
    permission: 'marks.write',
    resource: 'mark',
    summary: 'Withdraw one’s own manual mark (a withdrawn approval re-judges the days it touched)',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) => services.marks.withdraw(principal, params.id),
  }),
];
