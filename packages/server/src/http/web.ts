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

/** Our cache-control header stands (send's own, `public, max-age=0`, would replace it). */
const OWN_CACHE_CONTROL = { cacheControl: false } as const;

/**
 * Serves the web application at '/': its files (hashed assets cached for a year, index.html never; brotli or
 * gzip where the browser accepts it, compressed at build time), and index.html for every other GET that is
 * not an API, docs or probe path (client-side routes: /realtime…).
 */
export async function serveWeb(app: FastifyInstance, webRoot: string): Promise<void> {
  const root = resolve(webRoot);
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: false,
    serve: false,
    decorateReply: true,
    // dist/ holds a .br and a .gz beside each text file (packages/web/scripts/compress.mjs): sent to
    // browsers that accept them, the file itself to the others.
    preCompressed: true,
  });
  const reserved = /^\/(api|healthz|readyz|metrics|status)(\/|$|\?)/;
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = (request.url.split('?')[0] ?? '/').replace(/^\/+/, '');
    if (reserved.test(request.url)) return reply.callNotFound();
    reply.header('vary', 'Accept-Encoding');
    if (
      path.startsWith('assets/') &&
      !path.includes('..') &&
      existsSync(join(root, decodeURIComponent(path)))
    )
      return reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .sendFile(path, root, OWN_CACHE_CONTROL);
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root, OWN_CACHE_CONTROL);
  });
}
