// What opening the application at an address asks for first, before the application's own code has come.
// This module imports nothing: besides being part of the application, it is compiled on its own into the
// small boot script that index.html loads (vite.config.ts `earlyBoot`), which runs while the entry (React,
// antd: ~0.6 MB) is still on its way. There it adds `<link rel="modulepreload">` for the page's chunks and
// starts the page's first GET requests (the session, the page's answers); the API client (api/client.ts)
// then takes each answer instead of asking again — by its exact URL, once, while recent.

/** The language of the API's error messages, kept by i18n.ts. */
export const LANGUAGE_KEY = 'qy.lang';
/** The overview's first trends (days). */
export const FIRST_TREND_DAYS = 7;
/** An early answer older than this is not taken (the client asks again). */
const EARLY_MAX_AGE_MS = 10_000;

type Query = Readonly<Record<string, string | number | boolean | undefined>>;
export interface EarlyGet {
  readonly path: string;
  readonly query?: Query;
}

/** The URL of an API request (the client's, `/api/v1` + path + query string). */
export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

const DAY = 86_400_000;
/** The longest range of each series period (services/monitoring/series.ts SERIES_RANGE). */
export const SERIES_MAX_MS: Readonly<Record<string, number>> = {
  realtime: 2 * DAY,
  minute: 31 * DAY,
  hour: 731 * DAY,
  day: 3660 * DAY,
};

/** The series query string of the history page (the export's too, with `format`). */
export function seriesQuery(q: {
  readonly period: string;
  readonly from: number;
  readonly to: number;
  readonly factors: readonly string[];
}): Record<string, string | number> {
  return {
    period: q.period,
    from: q.from,
    to: q.to,
    ...(q.factors.length > 0 ? { factors: q.factors.join(',') } : {}),
  };
}

/**
 * The history page's first requests from its query string: the point's detail and, when the range and
 * factors are named (links and bookmarks of a chart), its series.
 */
export function historyGets(search: string): EarlyGet[] {
  const q = new URLSearchParams(search);
  const point = Number(q.get('point') ?? '');
  if (!Number.isInteger(point) || point <= 0) return [];
  const gets: EarlyGet[] = [{ path: `/points/${point}` }];
  const period = q.get('period') ?? 'hour';
  const from = Number(q.get('from') ?? '');
  const to = Number(q.get('to') ?? '');
  const factors = (q.get('factor') ?? q.get('factors') ?? '').split(',').filter((f) => f !== '');
  const max = SERIES_MAX_MS[period];
  if (max === undefined || !(to > from) || to - from > max || factors.length === 0) return gets;
  gets.push({ path: `/points/${point}/series`, query: seriesQuery({ period, from, to, factors }) });
  return gets;
}

/** The overview's first requests: its answer and first trends, for the URL's `?region=` if any. */
export function overviewGets(search: string): EarlyGet[] {
  const region = new URLSearchParams(search).get('region') ?? undefined;
  return [
    { path: '/overview', ...(region === undefined ? {} : { query: { region } }) },
    {
      path: '/overview/trends',
      query: region === undefined ? { days: FIRST_TREND_DAYS } : { days: FIRST_TREND_DAYS, region },
    },
  ];
}

/** What opening the application at this address asks for first: the session, then the page's answers. */
export function earlyGets(pathname: string, search: string): EarlyGet[] {
  const page = pathname === '/history' ? historyGets(search) : pathname === '/' ? overviewGets(search) : [];
  return [{ path: '/auth/me' }, ...page];
}

interface Held {
  readonly at: number;
  readonly response: Promise<Response>;
}
type EarlyWindow = { __qyEarly?: Map<string, Held> };

/** The answer the boot script asked for at this URL, if recent — once (the next caller asks anew). */
export function takeEarly(url: string): Promise<Response> | undefined {
  const held = (globalThis as EarlyWindow).__qyEarly;
  const entry = held?.get(url);
  if (entry === undefined) return undefined;
  held?.delete(url);
  return performance.now() - entry.at < EARLY_MAX_AGE_MS ? entry.response : undefined;
}

/**
 * The boot script's work (index.html, beside the entry): starts the first GET requests of the page at this
 * address and preloads its chunks (`routes`: pathname → chunk URLs, from the build).
 */
export function boot(routes: Readonly<Record<string, readonly string[]>>): void {
  const { pathname, search } = location;
  let language = 'zh-CN';
  try {
    if (localStorage.getItem(LANGUAGE_KEY) === 'en') language = 'en';
  } catch {
    // No storage (privacy settings): the default language.
  }
  const held = new Map<string, Held>();
  for (const get of earlyGets(pathname, search)) {
    const url = apiUrl(get.path, get.query);
    const response = fetch(url, { headers: { 'accept-language': language }, credentials: 'same-origin' });
    // A failure is the taker's (the client's request rejects as its own fetch would).
    response.catch(() => undefined);
    held.set(url, { at: performance.now(), response });
  }
  (globalThis as EarlyWindow).__qyEarly = held;
  // Then the chunks (the API answers take the server longest, so they are asked first: a browser opens
  // only six connections to the platform).
  for (const href of routes[pathname] ?? []) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.crossOrigin = '';
    link.href = href;
    document.head.appendChild(link);
  }
}
