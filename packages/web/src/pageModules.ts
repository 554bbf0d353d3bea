// The pages' code, one lazily loaded chunk each (route-level code splitting), shared by App.tsx (which
// renders them) and preload.ts (which starts loading the page the application opens on while it boots).
import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

type PageModule = { readonly default: ComponentType };

export interface PageCode {
  /** The page's component for the router. */
  readonly Component: LazyExoticComponent<ComponentType>;
  /** Loads the page's chunk now (idempotent). */
  preload(): Promise<PageModule>;
}

/**
 * A page's lazy component that renders at once, within the render that first meets it, when its module has
 * already been loaded (preload.ts asks for it at boot): React.lazy suspends on a promise even when that has
 * settled — the page would show its fallback and render only in a later Suspense retry, which React runs
 * after lower-priority work such as the shell's menu (a transition). A settled module is handed over as a
 * thenable that resolves synchronously, which React.lazy takes without suspending.
 */
function pageCode(load: () => Promise<PageModule>): PageCode {
  let module: PageModule | undefined;
  let loading: Promise<PageModule> | undefined;
  const preload = () => {
    loading ??= load().then(
      (m) => {
        module = m;
        return m;
      },
      (error: unknown) => {
        // A failed load is asked again next time (the network may be back).
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  const Component = lazy(() => {
    const loaded = module;
    if (loaded === undefined) return preload();
    const settled = {
      // biome-ignore lint/suspicious/noThenProperty: a synchronous thenable, on purpose (see above)
      then(resolve: (m: PageModule) => void) {
        resolve(loaded);
      },
    };
    return settled as unknown as Promise<PageModule>;
  });
  return { Component, preload };
}

export const LOGIN = pageCode(() => import('./pages/Login'));
export const PORTAL = pageCode(() => import('./pages/Portal'));

/** One page per page key of routes.ts (each page in its own file under pages/). */
export const PAGE_CODE: Readonly<Record<string, PageCode>> = {
  overview: pageCode(() => import('./pages/Overview')),
  realtime: pageCode(() => import('./pages/Realtime')),
  history: pageCode(() => import('./pages/History')),
  alarms: pageCode(() => import('./pages/Alarms')),
  tipOffs: pageCode(() => import('./pages/TipOffs')),
  transmission: pageCode(() => import('./pages/Transmission')),
  archive: pageCode(() => import('./pages/Archive')),
  smart: pageCode(() => import('./pages/Smart')),
  frames: pageCode(() => import('./pages/Frames')),
  commands: pageCode(() => import('./pages/Commands')),
  system: pageCode(() => import('./pages/System')),
};
