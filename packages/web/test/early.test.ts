/// <reference lib="dom" />
// The boot script's requests (src/early.ts) and the application's own: the script starts the page's first
// GETs before the application's code has come, and the API client takes each answer by its exact URL — so
// the URLs the script computes must be those the application asks for, or the answers go unused (and are
// asked twice). Runs in Node: fetch, the document and location are stubbed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiUrl, boot, earlyGets, historyGets, overviewGets, takeEarly } from '../src/early.js';

// The application's modules are imported by path at run time (extension-less imports inside them are
// Vite's, not Node's).
const load = async <T>(path: string): Promise<T> => (await import(path)) as T;
type HistoryApi = { prefetchHistory(search: string): void };
type OverviewApi = { prefetchOverview(region?: string): void; prefetchTrends(region?: string): void };
type ClientApi = { api: { get<T>(path: string, query?: Record<string, string | number>): Promise<T> } };

const SEARCH = '?point=52&factor=a21002%2Ca21026%2Ca34013&from=1793332800000&to=1795924800000&period=hour';

let requested: string[];
beforeEach(() => {
  requested = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      requested.push(url);
      return new Response(JSON.stringify({ url }), { status: 200 });
    }),
  );
});
afterEach(() => {
  vi.unstubAllGlobals();
  (globalThis as { __qyEarly?: unknown }).__qyEarly = undefined;
});

describe('the boot script’s requests', () => {
  it('builds the client’s URLs', () => {
    expect(apiUrl('/auth/me')).toBe('/api/v1/auth/me');
    expect(apiUrl('/overview/trends', { days: 7, region: '420100', skip: undefined })).toBe(
      '/api/v1/overview/trends?days=7&region=420100',
    );
  });

  it('asks for a linked history chart’s point and series, and only for a complete query', () => {
    expect(historyGets(SEARCH).map((g) => apiUrl(g.path, g.query))).toEqual([
      '/api/v1/points/52',
      '/api/v1/points/52/series?period=hour&from=1793332800000&to=1795924800000&factors=a21002%2Ca21026%2Ca34013',
    ]);
    expect(historyGets('?point=52').map((g) => g.path)).toEqual(['/points/52']);
    expect(historyGets('?point=x')).toEqual([]);
    // Longer than the period allows (minute data: 31 days): the page refuses it, so no series is asked.
    expect(historyGets(`?point=52&period=minute&from=0&to=${40 * 86_400_000}&factor=a21002`)).toHaveLength(1);
  });

  it('asks for the session first, then the page’s answers', () => {
    expect(earlyGets('/history', SEARCH).map((g) => g.path)).toEqual([
      '/auth/me',
      '/points/52',
      '/points/52/series',
    ]);
    expect(earlyGets('/', '?region=420100').map((g) => apiUrl(g.path, g.query))).toEqual([
      '/api/v1/auth/me',
      '/api/v1/overview?region=420100',
      '/api/v1/overview/trends?days=7&region=420100',
    ]);
    expect(earlyGets('/alarms', '').map((g) => g.path)).toEqual(['/auth/me']);
  });

  it('asks for exactly what the history page’s own prefetch asks for', async () => {
    const { prefetchHistory } = await load<HistoryApi>('../src/api/history.ts');
    prefetchHistory(SEARCH);
    expect(requested).toEqual(historyGets(SEARCH).map((g) => apiUrl(g.path, g.query)));
  });

  it('asks for exactly what the overview’s own prefetch asks for', async () => {
    const { prefetchOverview, prefetchTrends } = await load<OverviewApi>('../src/api/overview.ts');
    prefetchOverview('420100');
    prefetchTrends('420100');
    expect(requested).toEqual(overviewGets('?region=420100').map((g) => apiUrl(g.path, g.query)));
    requested = [];
    prefetchOverview();
    prefetchTrends();
    expect(requested).toEqual(overviewGets('').map((g) => apiUrl(g.path, g.query)));
  });
});

describe('boot() and the API client', () => {
  function stubPage(pathname: string, search: string) {
    const links: { rel: string; href: string; crossOrigin: string | null }[] = [];
    vi.stubGlobal('location', { pathname, search });
    vi.stubGlobal('localStorage', { getItem: () => null });
    vi.stubGlobal('document', {
      createElement: () => ({ rel: '', href: '', crossOrigin: null }),
      head: { appendChild: (link: (typeof links)[number]) => links.push(link) },
    });
    return links;
  }

  it('preloads the page’s chunks and starts its requests, which the client takes once', async () => {
    const links = stubPage('/history', SEARCH);
    boot({ '/history': ['/assets/History-x.js', '/assets/echarts-y.js'], '/': ['/assets/Overview-z.js'] });
    expect(links.map((l) => [l.rel, l.href])).toEqual([
      ['modulepreload', '/assets/History-x.js'],
      ['modulepreload', '/assets/echarts-y.js'],
    ]);
    const early = earlyGets('/history', SEARCH).map((g) => apiUrl(g.path, g.query));
    expect(requested).toEqual(early);

    const { api } = await load<ClientApi>('../src/api/client.ts');
    // Taken: no request of its own.
    expect(await api.get('/auth/me')).toEqual({ url: '/api/v1/auth/me' });
    expect(requested).toHaveLength(early.length);
    // Once only: the next caller asks anew.
    await api.get('/auth/me');
    expect(requested).toHaveLength(early.length + 1);
    expect(takeEarly('/api/v1/points/52')).toBeDefined();
    expect(takeEarly('/api/v1/points/52')).toBeUndefined();
  });

  it('does not hand out an answer older than 10 s', () => {
    stubPage('/', '');
    const now = vi.spyOn(performance, 'now');
    now.mockReturnValue(1_000);
    boot({});
    now.mockReturnValue(11_500);
    expect(takeEarly('/api/v1/overview')).toBeUndefined();
    now.mockReturnValue(5_000);
    expect(takeEarly('/api/v1/auth/me')).toBeDefined();
    now.mockRestore();
  });
});
