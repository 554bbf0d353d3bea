import { Card, Col, Input, Row, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicEnterprise } from '../../api/portal';
import { HubeiMap, type MapEnterprise } from '../../components/HubeiMap';
import { STATE_COLOURS } from '../../state';

/** 企业名录: a searchable table of the public enterprises beside the Hubei map coloured by state. */
export function Directory({
  enterprises,
  loading,
  onOpen,
}: {
  enterprises: readonly PublicEnterprise[];
  loading: boolean;
  onOpen: (id: number) => void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (q === '') return enterprises;
    return enterprises.filter((e) => e.name.toLowerCase().includes(q) || e.regionCode.includes(q));
  }, [enterprises, search]);
  const mapped = useMemo<MapEnterprise[]>(
    () =>
      shown
        .filter((e) => e.longitude !== null && e.latitude !== null)
        .map((e) => ({
          id: e.id,
          name: e.name,
          longitude: e.longitude as number,
          latitude: e.latitude as number,
          state: e.state,
        })),
    [shown],
  );
  const counts = (['normal', 'exceeding', 'offline'] as const).map(
    (s) => [s, enterprises.filter((e) => e.state === s).length] as const,
  );
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Card size="small">
          <Input.Search
            allowClear
            placeholder={t('portalPage.search')}
            onChange={(e) => setSearch(e.target.value)}
            style={{ marginBottom: 12 }}
            data-testid="portal-search"
          />
          <Table<PublicEnterprise>
            size="small"
            rowKey="id"
            loading={loading}
            dataSource={[...shown]}
            pagination={{ pageSize: 12, showSizeChanger: false }}
            data-testid="portal-enterprises"
            onRow={(e) => ({ onClick: () => onOpen(e.id), style: { cursor: 'pointer' } })}
            columns={[
              {
                title: t('portalPage.name'),
                dataIndex: 'name',
                sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
                render: (name: string) => <Typography.Link>{name}</Typography.Link>,
              },
              { title: t('portalPage.region'), dataIndex: 'regionCode', width: 100 },
              { title: t('portalPage.industry'), dataIndex: 'industryCode', width: 80 },
              { title: t('portalPage.points'), dataIndex: 'points', width: 70, align: 'right' },
              {
                title: t('portalPage.state'),
                dataIndex: 'state',
                width: 80,
                filters: counts.map(([s]) => ({ text: t(`state.${s}`), value: s })),
                onFilter: (value, e) => e.state === value,
                render: (s: PublicEnterprise['state']) => (
                  <Tag color={STATE_COLOURS[s]}>{t(`state.${s}`)}</Tag>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card
          size="small"
          title={t('portalPage.map')}
          extra={counts.map(([s, n]) => (
            <Tag key={s} color={STATE_COLOURS[s]}>
              {t(`state.${s}`)} {n}
            </Tag>
          ))}
        >
          <HubeiMap enterprises={mapped} height={560} />
        </Card>
      </Col>
    </Row>
  );
}
