import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The built web application (packages/web/dist), from src/ or dist/ of this package alike. */
export function defaultWebRoot(): string | undefined {
  const root = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
  return existsSync(join(root, 'index.html')) ? root : undefined;
}

/**
 * Serves the web application at '/': its files (hashed assets cached for a year, index.html never), and
 * index.html for every other GET that is not an API, docs or probe path (client-side routes: /realtime…).
 */
export async function serveWeb(app: FastifyInstance, webRoot: string): Promise<void> {
  const root = resolve(webRoot);
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: false,
    serve: false,
    decorateReply: true,
  });
  const reserved = /^\/(api|healthz|readyz|metrics|status)(\/|$|\?)/;
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = (request.url.split('?')[0] ?? '/').replace(/^\/+/, '');
    if (reserved.test(request.url)) return reply.callNotFound();
    if (
      path.startsWith('assets/') &&
      !path.includes('..') &&
      existsSync(join(root, decodeURIComponent(path)))
    )
      return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path, root);
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root);
  });
}
