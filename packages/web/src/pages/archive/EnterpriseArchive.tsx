import { Alert, Card, Descriptions, Space, Tabs, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { archiveApi } from '../../api/archive';
import { beijingTime, orDash } from './format';
import { OutletsTab } from './OutletsTab';
import { AlarmsTab, ContractorsTab, PermitsTab } from './RecordTabs';
import { useLoad } from './useLoad';

/** 一企一档 of one enterprise: its registration, outlets and points, permits, contractors and alarms. */
export function EnterpriseArchive({ enterpriseId }: { enterpriseId: number }) {
  const { t } = useTranslation();
  const { data, error } = useLoad(async () => {
    const [enterprise, points] = await Promise.all([
      archiveApi.enterprise(enterpriseId),
      archiveApi.points(enterpriseId).catch(() => []),
    ]);
    const region = await archiveApi.region(enterprise.regionCode).catch(() => undefined);
    return { enterprise, points, region };
  }, [enterpriseId]);
  const pointNames = useMemo(
    () => new Map((data?.points ?? []).map((p) => [p.id, `${p.outletCode} ${p.name} (${p.mn})`])),
    [data],
  );
  if (error) return <Alert type="error" title={error} showIcon />;
  const e = data?.enterprise;
  const regionText =
    data?.region === undefined
      ? e?.regionCode
      : [...data.region.path.map((r) => r.name), data.region.name].join(' / ');
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        loading={e === undefined}
        title={
          <Space>
            <Typography.Text strong style={{ fontSize: 16 }} data-testid="archive-name">
              {e?.name}
            </Typography.Text>
            {e && (
              <Tag color={e.status === 'active' ? 'green' : 'default'}>
                {t(`archivePage.statuses.${e.status}`, { defaultValue: e.status })}
              </Tag>
            )}
          </Space>
        }
      >
        {e && (
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, md: 2, xl: 3 }}
            data-testid="archive-basic"
            items={[
              { key: 'uscc', label: t('archivePage.uscc'), children: e.uscc },
              {
                key: 'region',
                label: t('archivePage.region'),
                children: (
                  <>
                    {regionText}{' '}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {e.regionCode}
                    </Typography.Text>
                  </>
                ),
              },
              { key: 'industry', label: t('archivePage.industry'), children: orDash(e.industryCode) },
              { key: 'address', label: t('archivePage.address'), children: orDash(e.address) },
              {
                key: 'location',
                label: t('archivePage.location'),
                children: e.longitude === null || e.latitude === null ? '—' : `${e.longitude}, ${e.latitude}`,
              },
              {
                key: 'counts',
                label: t('archivePage.counts'),
                children: `${e.outletCount} / ${e.pointCount}`,
              },
              { key: 'contact', label: t('archivePage.contact'), children: orDash(e.contactName) },
              { key: 'phone', label: t('archivePage.phone'), children: orDash(e.contactPhone) },
              {
                key: 'keyUnits',
                label: t('archivePage.keyUnits'),
                children:
                  e.keyUnits.length === 0
                    ? '—'
                    : e.keyUnits.map((k) => (
                        <Tag key={k.year}>
                          {k.year}:{' '}
                          {k.categories
                            .map((c) => t(`archivePage.keyUnitCategories.${c}`, { defaultValue: c }))
                            .join('、')}
                        </Tag>
                      )),
              },
              { key: 'created', label: t('archivePage.created'), children: beijingTime(e.createdAt) },
              { key: 'updated', label: t('archivePage.updated'), children: beijingTime(e.updatedAt) },
            ]}
          />
        )}
      </Card>
      {data && (
        <Card size="small">
          <Tabs
            data-testid="archive-tabs"
            items={[
              {
                key: 'outlets',
                label: `${t('archivePage.outlets')} (${data.enterprise.outletCount})`,
                children: <OutletsTab enterpriseId={enterpriseId} points={data.points} />,
              },
              {
                key: 'permits',
                label: t('archivePage.permits'),
                children: <PermitsTab enterpriseId={enterpriseId} />,
              },
              {
                key: 'contractors',
                label: t('archivePage.contractors'),
                children: <ContractorsTab enterpriseId={enterpriseId} pointNames={pointNames} />,
              },
              {
                key: 'alarms',
                label: t('archivePage.alarms'),
                children: <AlarmsTab enterpriseId={enterpriseId} />,
              },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
