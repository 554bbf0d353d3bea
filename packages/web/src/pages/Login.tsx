import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth';
import { LanguageSwitch } from '../Shell';

/** The demo accounts `npm start` creates (packages/server/src/accounts/demo-users.ts). */
const DEMO_ACCOUNTS = [
  ['demo.province', '省厅'],
  ['demo.wuhan', '武汉市局'],
  ['demo.county', '区县分局'],
  ['demo.enterprise', '企业'],
  ['demo.om', '运维单位'],
  ['demo.inspection', '巡查单位'],
  ['demo.operator', '智能监控运维'],
] as const;
const DEMO_PASSWORD = 'Qingyuan@2026';

export default function Login() {
  const { t } = useTranslation();
  const { me, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  if (me) return <Navigate to={from} replace />;
  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await login(values.username, values.password);
      navigate(from, { replace: true });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg, #0f7b6c 0%, #1d3b53 100%)',
        padding: 16,
      }}
    >
      <Card style={{ width: 420 }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('app.name')} · {t('login.title')}
          </Typography.Title>
          <LanguageSwitch />
        </Space>
        <Typography.Paragraph type="secondary">{t('app.title')}</Typography.Paragraph>
        {error && (
          <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} data-testid="login-error" />
        )}
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
        <Alert
          style={{ marginTop: 16 }}
          type="info"
          title={t('login.demo', { password: DEMO_PASSWORD })}
          description={
            <div data-testid="demo-accounts">
              <Typography.Text type="secondary">{t('login.demoHint')}</Typography.Text>
              <div>
                {DEMO_ACCOUNTS.map(([name, role]) => (
                  <Button
                    key={name}
                    type="link"
                    size="small"
                    onClick={() => form.setFieldsValue({ username: name, password: DEMO_PASSWORD })}
                  >
                    {name} <Typography.Text type="secondary">（{role}）</Typography.Text>
                  </Button>
                ))}
              </div>
            </div>
          }
        />
        <div style={{ marginTop: 12, textAlign: 'center' }}>
          <Link to="/portal">{t('login.portal')}</Link>
        </div>
      </Card>
    </div>
  );
}
