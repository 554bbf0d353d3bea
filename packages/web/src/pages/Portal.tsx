import { Alert, Button, Card, Col, Layout, Row, Space, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { PublicSummary } from '../api/types';
import { LanguageSwitch } from '../Shell';
import { useApi } from '../useApi';

/** 公众门户: what anyone may see without logging in (GET /api/v1/system/summary, public.read). */
export default function Portal() {
  const { t } = useTranslation();
  const { data, error } = useApi(() => api.get<PublicSummary>('/system/summary'));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
        <Typography.Text style={{ color: '#fff', fontSize: 18 }}>
          {t('app.name')} · {t('portal.title')}
        </Typography.Text>
        <Space>
          <LanguageSwitch />
          <Link to="/login">
            <Button type="primary">{t('portal.login')}</Button>
          </Link>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <Typography.Paragraph>{t('portal.intro')}</Typography.Paragraph>
        {error && <Alert type="error" title={error} showIcon />}
        <Row gutter={16}>
          {(
            [
              ['overview.enterprises', data?.registry.enterprises],
              ['overview.points', data?.registry.points],
              ['overview.online', data?.online],
            ] as const
          ).map(([key, value]) => (
            <Col key={key} xs={24} md={8}>
              <Card loading={!data}>
                <Statistic title={t(key)} value={value} />
              </Card>
            </Col>
          ))}
        </Row>
      </Layout.Content>
    </Layout>
  );
}
