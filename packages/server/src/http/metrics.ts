import type { Gateway } from '@qingyuan/gateway';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { LiveHub } from '../live/live-hub.js';

export interface MetricsSources {
  readonly gateway?: Gateway;
  readonly live?: LiveHub;
  /** Rule latency: the analysis worker reports each judged point-day here. */
  readonly ruleLatency?: Histogram<'kind'>;
}

/** A histogram the analysis worker can feed (seconds per judged unit), registered on `registry`. */
export function ruleLatencyHistogram(registry: Registry): Histogram<'kind'> {
  return new Histogram({
    name: 'qingyuan_rule_seconds',
    help: 'Time to judge one unit of analysis (a point-day, a roll-up, a device-information batch)',
    labelNames: ['kind'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
}

/**
 * Prometheus metrics at /metrics (prom-client, text format): HTTP latency and errors by code from this
 * app; frames, acks, rejections by code, connections and queue depths from the gateway when it runs in
 * this process; live subscribers; rule latency from the analysis worker. One registry per app.
 */
export function registerMetrics(app: FastifyInstance, registry: Registry, sources: MetricsSources): void {
  const httpSeconds = new Histogram({
    name: 'qingyuan_http_request_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const httpErrors = new Counter({
    name: 'qingyuan_http_errors_total',
    help: 'HTTP error answers by error code',
    labelNames: ['code'],
    registers: [registry],
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode >= 400 && typeof payload === 'string' && payload.startsWith('{"error"')) {
      const code = /"code":"([A-Z0-9_]+)"/.exec(payload)?.[1];
      if (code !== undefined) httpErrors.inc({ code });
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    httpSeconds.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  const { gateway, live } = sources;
  if (gateway !== undefined) {
    const counter = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    counter(
      'qingyuan_gateway_frames_total',
      'Frames received (every frame, any verdict)',
      () => gateway.stats().frames,
    );
    counter('qingyuan_gateway_accepted_total', 'Frames accepted and stored', () => gateway.stats().accepted);
    counter(
      'qingyuan_gateway_replies_total',
      'Replies sent to data loggers (acks 9014 and others)',
      () => gateway.stats().replies,
    );
    counter(
      'qingyuan_gateway_duplicates_total',
      'Duplicate frames acknowledged again, stored once',
      () => gateway.stats().duplicates,
    );
    counter(
      'qingyuan_gateway_commit_failures_total',
      'Failed commits (nothing acknowledged)',
      () => gateway.stats().commitFailures,
    );
    counter(
      'qingyuan_gateway_connections_total',
      'TCP connections accepted',
      () => gateway.stats().connections,
    );
    counter('qingyuan_gateway_online', 'Data loggers online now', () => gateway.stats().online);
    counter('qingyuan_gateway_sessions', 'Open TCP sessions', () => gateway.stats().sessions);
    counter(
      'qingyuan_ingest_queue_frames',
      'Frames waiting for the group commit',
      () => gateway.stats().queuedFrames,
    );
    counter(
      'qingyuan_gateway_commands_in_flight',
      'Downlink commands awaiting answers',
      () => gateway.stats().commandsInFlight,
    );
    new Gauge({
      name: 'qingyuan_gateway_rejected_total',
      help: 'Frames rejected, by error code',
      labelNames: ['code'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [code, n] of Object.entries(gateway.stats().rejected)) this.set({ code }, n);
      },
    });
  }
  if (live !== undefined)
    new Gauge({
      name: 'qingyuan_live_subscribers',
      help: 'Open live-update (SSE) subscriptions',
      registers: [registry],
      collect() {
        this.set(live.listeners);
      },
    });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}
