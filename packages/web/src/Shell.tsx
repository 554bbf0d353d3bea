import {
  AlertOutlined,
  ApiOutlined,
  AppstoreOutlined,
  AreaChartOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  FolderOpenOutlined,
  LineChartOutlined,
  NotificationOutlined,
  RadarChartOutlined,
  SettingOutlined,
  SwapOutlined,
} from '@ant-design/icons';
import { Button, Layout, Menu, Space, Spin, Typography } from 'antd';
import { type ReactNode, Suspense, useDeferredValue } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useAfterFirstFrame } from './afterFirstFrame';
import { useAuth } from './auth';
import { changeLanguage } from './i18n';
import { allowed, PAGES } from './routes';

const ICONS: Record<string, ReactNode> = {
  overview: <DashboardOutlined />,
  realtime: <RadarChartOutlined />,
  history: <LineChartOutlined />,
  alarms: <AlertOutlined />,
  tipOffs: <NotificationOutlined />,
  transmission: <AreaChartOutlined />,
  archive: <FolderOpenOutlined />,
  smart: <AppstoreOutlined />,
  frames: <FileSearchOutlined />,
  commands: <ApiOutlined />,
  system: <SettingOutlined />,
};

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Button
      size="small"
      data-testid="language"
      onClick={() => changeLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
    >
      {t('app.language')}
    </Button>
  );
}

/** The application frame: the menu (only what the user may open), the user, the language switch. */
export function Shell() {
  const { t } = useTranslation();
  const { me: known, logout } = useAuth();
  // The menu and the header's user and buttons follow the page's content: they render once the shell's
  // first frame is on screen, and then with each new session at a lower priority (a transition) — the
  // page draws first. The shell opens with the application, and the session (GET /auth/me) may not be
  // known yet (App.tsx).
  const afterFirstFrame = useAfterFirstFrame();
  const me = useDeferredValue(afterFirstFrame ? known : undefined, undefined);
  const navigate = useNavigate();
  const location = useLocation();
  const pages = PAGES.filter((p) =>
    allowed(p, (permission) => me?.permissions.includes(permission) ?? false),
  );
  const selected = pages.find((p) => p.path === location.pathname)?.key ?? 'overview';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="dark" width={200}>
        <div style={{ color: '#fff', padding: '16px 20px', fontSize: 18, fontWeight: 600 }}>
          {t('app.name')}
        </div>
        {me !== undefined && (
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[selected]}
            items={pages.map((p) => ({ key: p.key, icon: ICONS[p.key], label: t(`menu.${p.key}`) }))}
            onClick={({ key }) => navigate(pages.find((p) => p.key === key)?.path ?? '/')}
            data-testid="menu"
          />
        )}
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
          }}
        >
          <Typography.Text strong>{t('app.title')}</Typography.Text>
          {me !== undefined && (
            <Space>
              <Typography.Text data-testid="user">{me?.displayName}</Typography.Text>
              <Typography.Text type="secondary">{me?.username}</Typography.Text>
              <LanguageSwitch />
              <Button size="small" icon={<SwapOutlined />} onClick={() => void logout()}>
                {t('app.logout')}
              </Button>
            </Space>
          )}
        </Layout.Header>
        <Layout.Content style={{ margin: 16 }}>
          <Suspense fallback={<Spin style={{ display: 'block', margin: '20vh auto' }} />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
