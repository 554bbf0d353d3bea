import { Type } from 'typebox';
import { route } from '../route.js';

const HEARTBEAT_MS = 15_000;

/** Live updates over Server-Sent Events. */
export const LIVE_ROUTES = [
  route({
    method: 'GET',
    url: '/live/events',
    permission: 'data.read',
    summary:
      'Server-Sent Events: `latest` (newest real-time values of a point) and `alarm` (opened/updated/closed), only for points in scope',
    tags: ['live 实时'],
    query: Type.Object({
      /** Comma-separated point ids to narrow the stream. */
      points: Type.Optional(Type.String({ pattern: '^[0-9]+(,[0-9]+)*$', maxLength: 2000 })),
      /** End the stream after this long (ms); by default it stays open. */
      timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400_000 })),
    }),
    exampleQuery: () => ({ timeoutMs: '20' }),
    handler: async ({ principal, services, query, reply }) => {
      const pointIds = query.points?.split(',').map(Number);
      const raw = reply.raw;
      let open = true;
      const write = (text: string) => {
        if (open) raw.write(text);
      };
      const subscription = await services.live.subscribe(
        principal,
        pointIds === undefined ? {} : { pointIds },
        (event) => write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
      );
      reply.hijack();
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      write(': connected\n\n');
      const heartbeat = setInterval(() => write(': heartbeat\n\n'), HEARTBEAT_MS);
      const end = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        clearTimeout(timeout);
        subscription.close();
        raw.end();
      };
      const timeout = query.timeoutMs === undefined ? undefined : setTimeout(end, query.timeoutMs);
      raw.on('close', end);
      return undefined;
    },
  }),
];
