// What the overview (the landing page) and a linked history chart need, asked for while the application
// boots — in parallel with GET /auth/me instead of after it: the page's chunk (Vite preloads the chunks it
// imports with it, ECharts among them), its answers (the map's and the trends', or the point's and its
// series) and the map's geometry. The page's lazy component (pageModules.ts) then finds the same module
// loaded — and renders at once — or on its way. (The boot script, early.ts, has usually fetched all of
// these already: the requests here then take its answers and evaluate its chunks.)
import { prefetchHistory } from './api/history';
import { prefetchOverview, prefetchTrends } from './api/overview';
import { LOGIN, PAGE_CODE } from './pageModules';

/**
 * Starts loading the overview when the application opens on it, a history chart opened from a link (its
 * point and series named in the query string) and the login page; other routes load when rendered.
 */
export function preloadRoute(pathname: string, search = ''): void {
  if (pathname === '/login') {
    LOGIN.preload().catch(() => undefined);
    return;
  }
  if (pathname === '/history') {
    prefetchHistory(search);
    PAGE_CODE.history?.preload().catch(() => undefined);
    return;
  }
  if (pathname !== '/') return;
  // The region drilled into, when the page is opened on one (a link or a reload at county level).
  const region = new URLSearchParams(search).get('region') ?? undefined;
  prefetchOverview(region);
  prefetchTrends(region);
  // A failed preload is no error: the page asks again when it renders.
  PAGE_CODE.overview?.preload().catch(() => undefined);
  // The map's geometry chunk too (HubeiMap.tsx registers it once its own chunk has come).
  import('./generated/hubei.json').catch(() => undefined);
}
