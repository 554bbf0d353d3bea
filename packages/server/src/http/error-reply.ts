import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { QY_ERRORS, type QyCode, QyError } from '../errors.js';

/** Chinese messages of the store's codes that reach the API (the store's catalogue is English only). */
const STORE_ZH: Readonly<Record<string, string>> = {
  STORE_E_NOT_FOUND: '记录不存在。',
  STORE_E_DUPLICATE: '已存在具有相同唯一键的记录。',
  STORE_E_INVALID: '字段缺失或无效。',
  STORE_E_REFERENCE: '记录引用了不存在的其他记录。',
  STORE_E_USCC_INVALID: '统一社会信用代码不符合 GB 32100-2015。',
};

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly detail?: Readonly<Record<string, unknown>>;
  };
}

/** English when the caller's Accept-Language prefers it, Chinese otherwise (the platform's default). */
export function prefersEnglish(request: FastifyRequest): boolean {
  const header = request.headers['accept-language'];
  return typeof header === 'string' && /^\s*en\b/i.test(header);
}

function catalogued(code: QyCode, english: boolean, detail?: Readonly<Record<string, unknown>>): ErrorBody {
  const entry = QY_ERRORS[code];
  return { error: { code, message: english ? entry.message : entry.zh, ...(detail ? { detail } : {}) } };
}

/**
 * Every error as `{ error: { code, message, detail } }` with a catalogued code and status — never a stack
 * trace. Errors of the other packages keep their own codes; anything unknown is QY_E_INTERNAL (logged).
 */
export function errorReply(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const english = prefersEnglish(request);
  if (error instanceof QyError)
    return reply.code(error.status).send(catalogued(error.code, english, error.detail));
  const e = error as Partial<FastifyError> & {
    detail?: Record<string, unknown>;
    status?: number;
  };
  if (e.validation !== undefined) {
    const first = e.validation[0];
    return reply.code(400).send(
      catalogued('QY_E_VALIDATION', english, {
        field: `${e.validationContext ?? ''}${first?.instancePath ?? ''}`,
        reason: first?.message ?? e.message,
      }),
    );
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply.code(400).send(catalogued('QY_E_MALFORMED_JSON', english));
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply.code(413).send(catalogued('QY_E_PAYLOAD_TOO_LARGE', english));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return reply.code(415).send(catalogued('QY_E_UNSUPPORTED_MEDIA_TYPE', english));
  }
  if (typeof e.code === 'string' && /^[A-Z0-9]+_E_[A-Z0-9_]+$/.test(e.code) && typeof e.status === 'number') {
    const zh = STORE_ZH[e.code];
    const message =
      english || zh === undefined ? (e.message ?? '').replace(/^[A-Z0-9_]+: /, '').replace(/ \{.*$/, '') : zh;
    return reply
      .code(e.status >= 400 && e.status < 600 ? e.status : 500)
      .send({ error: { code: e.code, message, ...(e.detail ? { detail: e.detail } : {}) } });
  }
  // PostgreSQL's "data exception" class (SQLSTATE 22xxx: a NUL character in text, a number out of range)
  // comes from a value the caller sent that passed the schema: their request is wrong, not the server.
  if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && 'severity' in e)
    return reply.code(400).send(
      catalogued('QY_E_VALIDATION', english, {
        reason: 'a value the database cannot store (a NUL character, or a number out of range)',
      }),
    );
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const code: QyCode =
      e.statusCode === 404
        ? 'QY_E_NOT_FOUND'
        : e.statusCode === 429
          ? 'QY_E_RATE_LIMITED'
          : 'QY_E_VALIDATION';
    return reply.code(e.statusCode).send(catalogued(code, english));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send(catalogued('QY_E_INTERNAL', english));
}
