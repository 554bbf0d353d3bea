import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ForwardService, Gateway } from '@qingyuan/gateway';
import type { Store } from '@qingyuan/store';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Registry } from 'prom-client';
import type { Principal } from '../access/principal.js';
import type { SessionPolicy } from '../accounts/account-service.js';
import type { AnomalyConfigSource } from '../analysis/anomaly-config-source.js';
import { QyError } from '../errors.js';
import { LiveHub } from '../live/live-hub.js';
import { serviceContext } from '../services/context.js';
import { createServices, type Services } from '../services/index.js';
import { authenticate } from './authenticate.js';
import { registerCompression } from './compression.js';
import { errorReply } from './error-reply.js';
import { sendExport } from './export.js';
import { requireFiniteNumbers } from './finite-numbers.js';
import { registerMetrics } from './metrics.js';
import type { RouteSpec } from './route.js';
import { API_ROUTES } from './routes/index.js';

export const API_PREFIX = '/api/v1';

export interface AppConfig {
  readonly store: Store;
  readonly gateway?: Gateway;
  readonly forwarding?: ForwardService;
  /** Live updates for SSE (default: a hub over the store, fed by `gateway` when given). */
  readonly live?: LiveHub;
  readonly now?: () => number;
  /** Mark cookies Secure (behind HTTPS). Default false: `npm start` serves plain HTTP on a trusted host. */
  readonly secureCookies?: boolean;
  readonly sessionPolicy?: Partial<SessionPolicy>;
  /** How long one scope's live answer (GET /live) is shared between callers, ms (default 0; the platform: 1000). */
  readonly liveCacheMs?: number;
  /** How long one series query's answer (GET /points/:id/series) is shared, ms (default 0; the platform: 1000). */
  readonly seriesCacheMs?: number;
  /** How long one scope's overview trends (GET /overview/trends) are shared, ms (default: liveCacheMs; the platform: 60 000). */
  readonly trendsCacheMs?: number;
  /** Largest accepted request body, bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Trust X-Forwarded-For from a reverse proxy (default false). */
  readonly trustProxy?: boolean;
  /** Extra routes (tests); the matrix test sees them too. */
  readonly extraRoutes?: readonly RouteSpec[];
  /** Called with the app before it is ready (the platform adds its status page and SSE here). */
  readonly extend?: (app: FastifyInstance, services: Services) => void | Promise<void>;
  readonly logger?: boolean;
  /** The Prometheus registry /metrics serves (default: a new one); the analysis worker may add to it. */
  readonly metrics?: Registry;
  /** The anomaly configuration the analysis of this process runs with (the rule service changes it). */
  readonly anomalies?: AnomalyConfigSource;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    sessionId: string | undefined;
  }
  interface FastifyContextConfig {
    spec?: RouteSpec;
  }
  interface FastifyInstance {
    services: Services;
    apiRoutes: readonly RouteSpec[];
    /** Every route registered, 'METHOD url' (the matrix test checks none escapes the route table). */
    registeredRoutes: string[];
  }
}

/**
 * The Fastify application: security headers, cookies, authentication on every request, the route table
 * under /api/v1 (each route's JSON schema validates requests and feeds the OpenAPI document at /api/docs),
 * one error shape from the catalogue, and the health probes.
 */
export async function buildApp(config: AppConfig): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logger ?? false,
    bodyLimit: config.bodyLimit ?? 1_048_576,
    trustProxy: config.trustProxy ?? false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    // A bad or over-long URL gets the catalogued error shape too (the router answers these itself).
    frameworkErrors: (error, request, reply) => errorReply(error, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>();
  // JSON bodies only: text/plain (what a cross-site form can send without a preflight) is 415, not parsed.
  app.removeContentTypeParser('text/plain');
  const live = config.live ?? new LiveHub(config.store);
  if (config.live === undefined) {
    if (config.gateway !== undefined) live.attach(config.gateway);
    await live.start((config.now ?? Date.now)());
  }
  const ctx = serviceContext({
    store: config.store,
    ...(config.now ? { now: config.now } : {}),
    ...(config.gateway ? { gateway: config.gateway } : {}),
    ...(config.forwarding ? { forwarding: config.forwarding } : {}),
    ...(config.anomalies ? { anomalies: config.anomalies } : {}),
    live,
  });
  const services = createServices(ctx, {
    ...(config.sessionPolicy ? { sessionPolicy: config.sessionPolicy } : {}),
    ...(config.liveCacheMs === undefined ? {} : { liveCacheMs: config.liveCacheMs }),
    ...(config.seriesCacheMs === undefined ? {} : { seriesCacheMs: config.seriesCacheMs }),
    ...(config.trendsCacheMs === undefined ? {} : { trendsCacheMs: config.trendsCacheMs }),
  });
  const routes = [...API_ROUTES, ...(config.extraRoutes ?? [])];
  app.decorate('services', services);
  app.decorate('apiRoutes', routes);
  const registered: string[] = [];
  app.decorate('registeredRoutes', registered);
  app.addHook('onRoute', (options) => {
    for (const method of [options.method].flat()) registered.push(`${method} ${options.url}`);
  });
  app.decorateRequest('principal', undefined as unknown as Principal);
  app.decorateRequest('sessionId', undefined);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Qingyuan (清源) API',
        version: '1',
        description:
          'Pollution-source automatic monitoring platform API. Log in with POST /api/v1/auth/login (session cookie + X-CSRF-Token for writes) or send an API token as "Authorization: Bearer qyt_…".',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'qy_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.setErrorHandler((error, request, reply) => errorReply(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    errorReply(new QyError('QY_E_NOT_FOUND', { path: request.url.split('?')[0] }), request, reply),
  );

  // Who is calling, then whether the route's permission allows it — before the body is even validated,
  // so an unauthorised caller learns nothing from validation errors.
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const { principal, sessionId } = await authenticate(request, services);
    request.principal = principal;
    request.sessionId = sessionId;
    const spec = request.routeOptions.config.spec;
    if (spec !== undefined) ctx.access.require(principal, spec.permission);
  });

  // After validation and coercion: no Infinity or NaN reaches a service (see finite-numbers.ts).
  app.addHook('preHandler', async (request: FastifyRequest) => requireFiniteNumbers(request));

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await config.store.db.selectFrom('region').select('code').limit(1).execute();
      return { status: 'ready' };
    } catch (error) {
      return reply.code(503).send({ status: 'not ready', code: 'QY_E_NOT_READY', reason: String(error) });
    }
  });

  registerMetrics(app as unknown as FastifyInstance, config.metrics ?? new Registry(), {
    ...(config.gateway ? { gateway: config.gateway } : {}),
    live,
  });
  // After the metrics hook (it reads error bodies as text): br/gzip for buffered answers.
  registerCompression(app as unknown as FastifyInstance);
  for (const spec of routes) registerRoute(app as unknown as FastifyInstance, spec, services, config);
  await config.extend?.(app as unknown as FastifyInstance, services);
  // A re-judgement of past days in the background (rule thresholds) stops after the point in hand.
  app.addHook('onClose', async () => services.rules.stop());
  if (config.live === undefined) app.addHook('onClose', async () => live.stop());
  await app.ready();
  return app as unknown as FastifyInstance;
}

/**
 * `RouteSpec.plainJson`: JSON.stringify instead of a serializer compiled from the response schema, each
 * answer object serialised once — an answer shared by many callers (an answer cache) is not serialised
 * again for each of them. Answers are never changed after they are returned, so the text stays right.
 */
function plainJson(): (data: unknown) => string {
  const texts = new WeakMap<object, string>();
  return (data) => {
    if (typeof data !== 'object' || data === null) return JSON.stringify(data);
    let text = texts.get(data);
    if (text === undefined) {
      text = JSON.stringify(data);
      texts.set(data, text);
    }
    return text;
  };
}

function registerRoute(app: FastifyInstance, spec: RouteSpec, services: Services, config: AppConfig): void {
  const schema: Record<string, unknown> = {
    summary: spec.summary,
    tags: [...spec.tags],
    ...(spec.permission === 'public.read' ? {} : { security: [{ session: [] }, { token: [] }] }),
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.query ? { querystring: spec.query } : {}),
    ...(spec.body ? { body: spec.body } : {}),
    ...(spec.response ? { response: { [spec.status ?? 200]: spec.response } } : {}),
  };
  app.route({
    method: spec.method,
    url: `${API_PREFIX}${spec.url}`,
    schema,
    config: { spec },
    ...(spec.bodyLimit === undefined ? {} : { bodyLimit: spec.bodyLimit }),
    ...(spec.plainJson === true ? { serializerCompiler: plainJson } : {}),
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const result = await spec.handler({
        principal: request.principal,
        params: request.params as never,
        query: request.query as never,
        body: request.body as never,
        services,
        reply,
        sessionId: request.sessionId,
      });
      if (reply.sent) return reply;
      const format = (request.query as { format?: string } | undefined)?.format;
      if (spec.export !== undefined && (format === 'csv' || format === 'xlsx'))
        return sendExport(reply, spec.export(result as never), format);
      reply.code(spec.status ?? 200);
      return result;
    },
  });
  void config;
}
