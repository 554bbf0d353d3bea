import type { FastifyReply } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { Principal } from '../access/principal.js';
import type { Permission } from '../access/roles.js';
import type { Services } from '../services/index.js';

/**
 * What a path's `:id` names, so the authorization matrix test can pick an in-scope and an out-of-scope id
 * for every route.
 */
export type RouteResource =
  | 'enterprise'
  | 'outlet'
  | 'point'
  | 'region'
  | 'standard'
  | 'contractor'
  | 'contract'
  | 'permit'
  | 'alarm'
  | 'frame'
  | 'command'
  | 'mark'
  | 'manualRecord'
  | 'tipOff'
  | 'user'
  | 'token';

/** Rows and columns of a query's result, for `?format=csv|xlsx`. */
export interface ExportTable {
  readonly filename: string;
  readonly columns: readonly { readonly key: string; readonly header: string }[];
  readonly rows: readonly Record<string, unknown>[];
}

export interface Call<P, Q, B> {
  readonly principal: Principal;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly services: Services;
  readonly reply: FastifyReply;
  /** The session id of a cookie-authenticated call (logout needs it). */
  readonly sessionId: string | undefined;
}

export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under /api/v1, e.g. '/enterprises/:id'. */
  readonly url: string;
  /** Checked before the body is validated; the service checks it again with the scope. */
  readonly permission: Permission;
  /** What `:id` in the url names (the matrix test needs it). */
  readonly resource?: RouteResource;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly params?: TSchema;
  readonly query?: TSchema;
  readonly body?: TSchema;
  readonly response?: TSchema;
  /**
   * Serialise the answer with JSON.stringify (once per answer object) rather than with fast-json-stringify
   * compiled from `response`, which then only documents it: faster for answers of long number arrays.
   */
  readonly plainJson?: boolean;
  /** A valid body (documentation, and the matrix test's request). Required with `body`. */
  readonly example?: (ids: Readonly<Record<string, number | string>>) => unknown;
  /** A valid query string (documentation, and the matrix test's request), where the query has required fields. */
  readonly exampleQuery?: (ids: Readonly<Record<string, number | string>>) => Record<string, string>;
  /** HTTP status of success (default 200). */
  readonly status?: number;
  /** Largest request body for this route, bytes (default: the app's, 1 MiB). */
  readonly bodyLimit?: number;
  /** A route that exports its result as CSV or XLSX on `?format=`. */
  readonly export?: (result: never) => ExportTable;
  readonly handler: (call: Call<never, never, never>) => Promise<unknown>;
}

/** Defines a route with its handler typed by its schemas. */
export function route<
  P extends TSchema = TSchema,
  Q extends TSchema = TSchema,
  B extends TSchema = TSchema,
  R = unknown,
>(spec: {
  method: RouteSpec['method'];
  url: string;
  permission: Permission;
  resource?: RouteResource;
  summary: string;
  tags: readonly string[];
  params?: P;
  query?: Q;
  body?: B;
  response?: TSchema;
  plainJson?: boolean;
  example?: (ids: Readonly<Record<string, number | string>>) => Static<B>;
  exampleQuery?: (ids: Readonly<Record<string, number | string>>) => Record<string, string>;
  status?: number;
  bodyLimit?: number;
  export?: (result: R) => ExportTable;
  handler: (call: Call<Static<P>, Static<Q>, Static<B>>) => Promise<R>;
}): RouteSpec {
  return spec as unknown as RouteSpec;
}
