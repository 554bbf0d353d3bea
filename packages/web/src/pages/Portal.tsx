import { Alert, Button, Layout, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { publicApi } from '../api/portal';
import { LanguageSwitch } from '../Shell';
import { useApi } from '../useApi';
import '../i18n/portal';
import { Directory } from './portal/Directory';
import { EnterpriseDetail } from './portal/EnterpriseDetail';
import { TipLookup } from './portal/TipLookup';
import { TipOffForm } from './portal/TipOffForm';
import { TransmissionTable } from './portal/TransmissionTable';

const TABS = ['directory', 'transmission', 'tip-off', 'lookup'] as const;
type Tab = (typeof TABS)[number];

/**
 * 公众门户 (办法 第四条/第十条): what anyone may see without logging in — the enterprise directory and map,
 * an enterprise's last 24 h, this month's transmission rates, the tip-off form and the follow-up of a tip by
 * its receipt code. Only the anonymous
 * /api/v1/public routes are called. The tab and the open enterprise are kept in the URL (?tab=&enterprise=).
 */
export default function Portal() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'directory';
  const enterpriseId = Number(params.get('enterprise')) || undefined;
  const { data: enterprises, error } = useApi(publicApi.enterprises);
  // A receipt just issued, handed to 查询举报 in memory (receipts never go into the URL).
  const [receipt, setReceipt] = useState<string>();
  const go = (next: Tab, enterprise?: number) =>
    setParams(
      {
        ...(next === 'directory' ? {} : { tab: next }),
        ...(enterprise === undefined ? {} : { enterprise: String(enterprise) }),
      },
      { replace: false },
    );
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
        <Typography.Text style={{ color: '#fff', fontSize: 18 }} data-testid="portal-title">
          {t('app.name')} · {t('portal.title')}
        </Typography.Text>
        <Space>
          <LanguageSwitch />
          <Link to="/login">
            <Button type="primary">{t('portal.login')}</Button>
          </Link>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: '8px 24px 24px' }}>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {t('portal.intro')}
        </Typography.Paragraph>
        {error && <Alert type="error" title={error} showIcon />}
        <Tabs
          activeKey={tab}
          onChange={(key) => go(key as Tab)}
          data-testid="portal-tabs"
          items={[
            {
              key: 'directory',
              label: t('portalPage.directory'),
              children:
                enterpriseId === undefined ? (
                  <Directory
                    enterprises={enterprises ?? []}
                    loading={!enterprises && !error}
                    onOpen={(id) => go('directory', id)}
                  />
                ) : (
                  <EnterpriseDetail key={enterpriseId} id={enterpriseId} onBack={() => go('directory')} />
                ),
            },
            { key: 'transmission', label: t('portalPage.transmission'), children: <TransmissionTable /> },
            {
              key: 'tip-off',
              label: t('portalPage.tipOff'),
              children: (
                <TipOffForm
                  enterprises={enterprises ?? []}
                  onFollowUp={(code) => {
                    setReceipt(code);
                    go('lookup');
                  }}
                />
              ),
            },
            { key: 'lookup', label: t('portalPage.lookup'), children: <TipLookup initial={receipt} /> },
          ]}
        />
      </Layout.Content>
    </Layout>
  );
}
