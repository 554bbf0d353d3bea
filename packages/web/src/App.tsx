import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import type { Permission } from './api/types';
import { AuthProvider, useAuth } from './auth';
import { allowed, PAGES, type PageSpec } from './routes';
import { Shell } from './Shell';

// Route-level code splitting: each page is its own chunk, loaded when first opened.
const Login = lazy(() => import('./pages/Login'));
const Portal = lazy(() => import('./pages/Portal'));
/** One lazily loaded component per page key of routes.ts (each page in its own file under pages/). */
const PAGE_COMPONENTS: Record<string, LazyExoticComponent<ComponentType>> = {
  overview: lazy(() => import('./pages/Overview')),
  realtime: lazy(() => import('./pages/Realtime')),
  history: lazy(() => import('./pages/History')),
  alarms: lazy(() => import('./pages/Alarms')),
  tipOffs: lazy(() => import('./pages/TipOffs')),
  transmission: lazy(() => import('./pages/Transmission')),
  archive: lazy(() => import('./pages/Archive')),
  smart: lazy(() => import('./pages/Smart')),
  frames: lazy(() => import('./pages/Frames')),
  commands: lazy(() => import('./pages/Commands')),
  system: lazy(() => import('./pages/System')),
};

const loading = <Spin style={{ display: 'block', margin: '20vh auto' }} />;

function RequireLogin({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  const location = useLocation();
  if (me === undefined) return loading;
  if (me === null) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return children;
}

function pageElement(page: PageSpec, can: (p: Permission) => boolean): ReactNode {
  if (!allowed(page, can)) return <Navigate to="/" replace />;
  const Page = PAGE_COMPONENTS[page.key];
  return Page === undefined ? <Navigate to="/" replace /> : <Page />;
}

function Pages() {
  const { can } = useAuth();
  return (
    <Routes>
      <Route path="/login" element={<Login />} />
      <Route path="/portal" element={<Portal />} />
      <Route
        element={
          <RequireLogin>
            <Shell />
          </RequireLogin>
        }
      >
        {PAGES.map((page) =>
          page.path === '/' ? (
            <Route key={page.key} index element={pageElement(page, can)} />
          ) : (
            <Route key={page.key} path={page.path} element={pageElement(page, can)} />
          ),
        )}
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#0f7b6c', borderRadius: 4 } }}
    >
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <Suspense fallback={loading}>
              <Pages />
            </Suspense>
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
