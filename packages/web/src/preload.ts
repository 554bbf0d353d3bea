// What the overview (the landing page) needs, asked for while the application boots — in parallel with
// GET /auth/me instead of after it (the shell renders a page only once it knows the session): the page's
// chunk (Vite preloads the chunks it imports with it, ECharts among them), its answers (the map's and the
// trends') and the map's geometry. The page's lazy component (App.tsx) then finds the same module loaded or
// on its way.
import { prefetchHistory } from './api/history';
import { prefetchOverview, prefetchTrends } from './api/overview';

/**
 * Starts loading the overview when the application opens on it, and a history chart opened from a link
 * (its point and series named in the query string); other routes load when rendered.
 */
export function preloadRoute(pathname: string, search = ''): void {
  if (pathname === '/history') {
    prefetchHistory(search);
    import('./pages/History').catch(() => undefined);
    return;
  }
  if (pathname !== '/') return;
  // The region drilled into, when the page is opened on one (a link or a reload at county level).
  const region = new URLSearchParams(search).get('region') ?? undefined;
  prefetchOverview(region);
  prefetchTrends(region);
  // A failed preload is no error: the page asks again when it renders.
  import('./pages/Overview').catch(() => undefined);
  // The map's geometry chunk too (HubeiMap.tsx registers it once its own chunk has come).
  import('./generated/hubei.json').catch(() => undefined);
}
