import { OPERATOR_COMMANDS } from '@qingyuan/hj212';
import { COMMAND_PURPOSES, COMMAND_STATES } from '@qingyuan/store';
import { Type } from 'typebox';
import { tableOf } from '../export.js';
import { route } from '../route.js';
import { Format, IdParams, Limit, Offset } from './schemas.js';

const tags = ['commands 反控'];

/** Downlink commands (反控). */
export const COMMAND_ROUTES = [
  route({
    method: 'POST',
    url: '/points/:id/commands',
    permission: 'commands.send',
    resource: 'point',
    summary:
      'Send a downlink command (HJ 212 附录 C) to the point’s online data logger; answers 202 with the record at once',
    tags,
    status: 202,
    params: IdParams,
    body: Type.Object(
      {
        command: Type.Enum([...OPERATOR_COMMANDS], {
          description:
            'e.g. get-system-time, set-system-time, get-realtime-interval, set-realtime-interval, get-hour-data, calibrate, sample-now, get-device-info, set-device-parameter',
        }),
        params: Type.Optional(
          Type.Record(
            Type.String({ pattern: '^[A-Za-z][A-Za-z0-9-]{0,31}$' }),
            Type.Union([Type.Integer(), Type.String({ maxLength: 200 })]),
            {
              description:
                'The command’s CP fields: times (SystemTime, BeginTime, EndTime) as UTC epoch ms, e.g. { "BeginTime": …, "EndTime": … }, { "PolId": "a21026" }, { "RtdInterval": 60 }',
            },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    example: () => ({ command: 'get-system-time' }),
    handler: async ({ principal, services, params, body }) =>
      services.commands.send(principal, params.id, body),
  }),
  route({
    method: 'GET',
    url: '/commands',
    permission: 'commands.send',
    summary: 'Downlink commands to the points in scope, newest first, with their state and answers',
    tags,
    query: Type.Object({
      pointId: Type.Optional(Type.Integer({ minimum: 1 })),
      state: Type.Optional(Type.Enum([...COMMAND_STATES])),
      purpose: Type.Optional(Type.Enum([...COMMAND_PURPOSES])),
      limit: Limit,
      offset: Offset,
      format: Format,
    }),
    handler: async ({ principal, services, query }) => {
      const { format: _format, ...filter } = query;
      return services.commands.list(principal, filter);
    },
    export: (rows) => tableOf('commands', rows),
  }),
  route({
    method: 'GET',
    url: '/commands/:id',
    permission: 'commands.send',
    resource: 'command',
    summary: 'One downlink command: state, attempts, 9011 QnRtn, 9012 ExeRtn and the values returned',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) => services.commands.get(principal, params.id),
  }),
];
