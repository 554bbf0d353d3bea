import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Content codings this server produces, in its order of preference. */
export type Coding = 'br' | 'gzip';
const CODINGS: readonly Coding[] = ['br', 'gzip'];

/** Bodies smaller than this go out as they are: the headers would eat the gain. */
export const COMPRESS_THRESHOLD = 1024;
/** Text-like media types (JSON, CSV, HTML, JavaScript, SVG…); XLSX and images are compressed already. */
const COMPRESSIBLE = /^(?:text\/|application\/(?:[a-z0-9.+-]*\+)?(?:json|javascript|xml)\b|image\/svg\+xml)/i;

/**
 * The coding to answer with for an Accept-Encoding header (RFC 9110 §12.5.3): the acceptable coding of the
 * highest weight among ours, ours breaking ties (br before gzip); `*` stands for any coding not named;
 * `q=0` refuses one. No header, or nothing acceptable: undefined (identity).
 */
export function negotiateCoding(header: string | undefined): Coding | undefined {
  if (header === undefined) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (name === '') continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key === 'q' && value !== undefined) q = Number.parseFloat(value);
    }
    weights.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(q) ? q : 0);
  }
  let best: Coding | undefined;
  let bestQ = 0;
  for (const coding of CODINGS) {
    const q = weights.get(coding) ?? weights.get('*') ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

function addVary(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  const text = Array.isArray(vary) ? vary.join(', ') : vary === undefined ? '' : String(vary);
  if (/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(text)) return;
  reply.header('vary', text === '' ? 'Accept-Encoding' : `${text}, Accept-Encoding`);
}

/**
 * HTTP compression of buffered answers (API JSON, CSV exports, the status page): brotli at quality 4 (about
 * gzip's speed, a smaller result) or gzip, whichever the client prefers, in libuv's thread pool so a large
 * answer does not stop the event loop. Streams pass untouched: the web application's files are compressed
 * at build time (packages/web/scripts/compress.mjs, served by http/web.ts), and the Server-Sent Events of
 * /live/events write to the socket themselves (hijacked), so nothing buffers them.
 */
export function registerCompression(app: FastifyInstance, threshold = COMPRESS_THRESHOLD): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (
      request.method === 'HEAD' ||
      reply.statusCode < 200 ||
      reply.statusCode === 204 ||
      reply.statusCode === 304
    )
      return payload;
    if (reply.hasHeader('content-encoding')) return payload;
    if (!COMPRESSIBLE.test(String(reply.getHeader('content-type') ?? ''))) return payload;
    // Measured without copying: a client that accepts no coding gets the string as it is.
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (size < threshold) return payload;
    addVary(reply);
    const coding = negotiateCoding(request.headers['accept-encoding']);
    if (coding === undefined) return payload;
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const compressed =
      coding === 'br'
        ? await brotli(body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 4,
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          })
        : await gzipped(body);
    reply.header('content-encoding', coding);
    reply.removeHeader('content-length');
    return compressed;
  });
}
