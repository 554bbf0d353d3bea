import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import type { Permission } from './api/types';
import { AuthProvider, useAuth } from './auth';
import { LOGIN, PAGE_CODE, PORTAL } from './pageModules';
import { allowed, PAGES, type PageSpec } from './routes';
import { Shell } from './Shell';

const Login = LOGIN.Component;
const Portal = PORTAL.Component;

const loading = <Spin style={{ display: 'block', margin: '20vh auto' }} />;

function RequireLogin({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  const location = useLocation();
  // While the session is being asked for: the pages that may render before it is known (routes.ts) do.
  if (me === undefined)
    return PAGES.some((p) => p.beforeSession === true && p.path === location.pathname) ? children : loading;
  if (me === null) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return children;
}

function pageElement(page: PageSpec, can: (p: Permission) => boolean, known: boolean): ReactNode {
  // Before the session is known only `beforeSession` pages get here (RequireLogin); their rights are
  // checked once it is.
  if (known && !allowed(page, can)) return <Navigate to="/" replace />;
  const Page = PAGE_CODE[page.key]?.Component;
  return Page === undefined ? <Navigate to="/" replace /> : <Page />;
}

function Pages() {
  const { me, can } = useAuth();
  const known = me !== undefined;
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
            <Route key={page.key} index element={pageElement(page, can, known)} />
          ) : (
            <Route key={page.key} path={page.path} element={pageElement(page, can, known)} />
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
