import type { ForwarderStats, ForwardService, Gateway } from '@qingyuan/gateway';
import type { Store } from '@qingyuan/store';
import Fastify, { type FastifyInstance } from 'fastify';
import { renderStatusPage, type StatusLanguage } from './status-page.js';

export interface PlatformStatus {
  readonly generatedAt: number;
  readonly gateway: ReturnType<Gateway['stats']> & { readonly port: number };
  readonly registry: { readonly enterprises: number; readonly points: number };
  readonly online: {
    mn: string;
    since: number;
    lastSeenAt: number;
    peer: string;
    protocolVersion: string;
    framesReceived: number;
  }[];
  readonly forwarding: readonly ForwarderStats[];
  readonly recentFrames: {
    id: number;
    receivedAt: number;
    mn: string | null;
    cn: string | null;
    verdict: string;
    errorCode: string | null;
  }[];
}

/** Everything the status page shows, read now. */
export async function platformStatus(
  store: Store,
  gateway: Gateway,
  forwarding?: ForwardService,
): Promise<PlatformStatus> {
  const count = async (table: 'enterprise' | 'monitoring_point') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const frames = await store.db
    .selectFrom('raw_frame')
    .select(['id', 'received_at', 'mn', 'cn', 'verdict', 'error_code'])
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  return {
    generatedAt: Date.now(),
    gateway: { ...gateway.stats(), port: gateway.port },
    registry: { enterprises: await count('enterprise'), points: await count('monitoring_point') },
    online: gateway
      .online()
      .sort((a, b) => a.mn.localeCompare(b.mn))
      .map((l) => ({
        mn: l.mn,
        since: l.since,
        lastSeenAt: l.lastSeenAt,
        peer: l.peer,
        protocolVersion: l.protocolVersion,
        framesReceived: l.framesReceived,
      })),
    forwarding: forwarding?.stats() ?? [],
    recentFrames: frames.map((f) => ({
      id: Number(f.id),
      receivedAt: Number(f.received_at),
      mn: f.mn,
      cn: f.cn,
      verdict: f.verdict,
      errorCode: f.error_code,
    })),
  };
}

/**
 * The HTTP server until the API lands: a status page (zh-CN, `?lang=en` for English), its JSON, and the
 * health probes. Fastify 5.
 */
export async function buildStatusServer(deps: {
  store: Store;
  gateway: Gateway;
  forwarding?: ForwardService;
}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.store.db.selectFrom('region').select('code').limit(1).execute();
      return { status: 'ready' };
    } catch (error) {
      return reply.code(503).send({ status: 'not ready', code: 'QY_E_NOT_READY', reason: String(error) });
    }
  });
  app.get('/api/v1/status', async () => platformStatus(deps.store, deps.gateway, deps.forwarding));
  app.get<{ Querystring: { lang?: string } }>('/', async (request, reply) => {
    const language: StatusLanguage = request.query.lang === 'en' ? 'en' : 'zh-CN';
    const status = await platformStatus(deps.store, deps.gateway, deps.forwarding);
    return reply.type('text/html; charset=utf-8').send(renderStatusPage(status, language));
  });
  await app.ready();
  return app;
}
