// 平台状态 (system.read): gateway counters, registry size, online devices, forwarding and recent frames.
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { PlatformStatus } from '../../api/operations';
import { beijing } from '../../components/beijingTime';
import { useApi } from '../../useApi';
import { cnName } from '../frames/cn';

const TIME = 'YYYY-MM-DD HH:mm:ss';
const COUNTERS = [
  'online',
  'sessions',
  'connections',
  'refused',
  'frames',
  'accepted',
  'duplicates',
  'discarded',
  'replies',
  'queuedFrames',
  'commits',
  'largestBatch',
  'commitFailures',
  'commandsInFlight',
  'backfillRequests',
  'walCheckpoints',
  'walLargestLogPages',
] as const;
const BAD = new Set(['refused', 'discarded', 'commitFailures']);

export function Status() {
  const { t, i18n } = useTranslation();
  const { data, error, reload } = useApi(() => api.get<PlatformStatus>('/system/status'));
  useEffect(() => {
    const timer = setInterval(reload, 10_000);
    return () => clearInterval(timer);
  }, [reload]);
  if (error) return <Alert type="error" title={error} showIcon />;
  const gateway = data?.gateway;
  const rejected = Object.entries(gateway?.rejected ?? {});
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="system-status">
      <Space>
        <Button size="small" icon={<ReloadOutlined />} onClick={reload}>
          {t('systemPage.refresh')}
        </Button>
        {data && (
          <Typography.Text type="secondary">
            {t('systemPage.generatedAt', { time: beijing(data.generatedAt, TIME) })}
          </Typography.Text>
        )}
      </Space>
      {data && gateway === null && <Alert type="warning" title={t('systemPage.noGateway')} showIcon />}
      {gateway && (
        <Card
          size="small"
          title={`${t('systemPage.gateway')} · ${t('systemPage.port')} ${gateway.port}`}
          extra={
            data?.registry && (
              <Typography.Text type="secondary">
                {t('systemPage.registry')}: {t('systemPage.enterprises')} {data.registry.enterprises} ·{' '}
                {t('systemPage.points')} {data.registry.points}
              </Typography.Text>
            )
          }
        >
          <Row gutter={[16, 8]}>
            {COUNTERS.map((k) => (
              <Col key={k} xs={12} sm={8} md={6} xl={4}>
                <Statistic
                  title={t(`systemPage.${k}`)}
                  value={Number(gateway[k] ?? 0)}
                  valueStyle={{
                    fontSize: 20,
                    color: BAD.has(k) && Number(gateway[k]) > 0 ? '#f5222d' : undefined,
                  }}
                />
              </Col>
            ))}
          </Row>
          <div style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">{t('systemPage.rejectedBy')}: </Typography.Text>
            {rejected.length === 0
              ? t('systemPage.none')
              : rejected.map(([code, n]) => (
                  <Tag key={code} color="red">
                    {code} {n}
                  </Tag>
                ))}
          </div>
        </Card>
      )}
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={`${t('systemPage.onlineDevices')} (${data?.online?.length ?? 0})`}>
            <Table
              size="small"
              rowKey="mn"
              loading={data === undefined}
              dataSource={[...(data?.online ?? [])]}
              pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
              columns={[
                { title: 'MN', dataIndex: 'mn' },
                { title: t('systemPage.protocol'), dataIndex: 'protocolVersion', width: 70 },
                { title: t('systemPage.peer'), dataIndex: 'peer' },
                { title: t('systemPage.since'), key: 'since', render: (_, r) => beijing(r.since, TIME) },
                {
                  title: t('systemPage.lastSeen'),
                  key: 'last',
                  render: (_, r) => beijing(r.lastSeenAt, TIME),
                },
                { title: t('systemPage.framesReceived'), dataIndex: 'framesReceived', align: 'right' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('systemPage.recentFrames')}>
            <Table
              size="small"
              rowKey="id"
              loading={data === undefined}
              dataSource={[...(data?.recentFrames ?? [])]}
              pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
              columns={[
                { title: 'ID', dataIndex: 'id', width: 70 },
                {
                  title: t('systemPage.time'),
                  key: 'at',
                  render: (_, r) => beijing(r.receivedAt, 'HH:mm:ss'),
                },
                { title: 'MN', key: 'mn', render: (_, r) => r.mn ?? '—' },
                {
                  title: 'CN',
                  key: 'cn',
                  render: (_, r) => `${r.cn ?? '—'} ${cnName(r.cn, i18n.language)}`,
                },
                {
                  title: t('systemPage.accepted'),
                  key: 'verdict',
                  render: (_, r) => (
                    <Tag color={r.verdict === 'accepted' ? 'green' : 'red'}>
                      {t(`frameVerdict.${r.verdict}`, { defaultValue: r.verdict })}
                    </Tag>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('systemPage.forwarding')}>
        <Table
          size="small"
          rowKey="targetId"
          loading={data === undefined}
          dataSource={[...(data?.forwarding ?? [])]}
          pagination={false}
          locale={{ emptyText: t('systemPage.none') }}
          columns={[
            {
              title: t('systemPage.target'),
              key: 'name',
              render: (_, r) => `${r.name} (${r.host}:${r.port})`,
            },
            {
              title: '',
              key: 'connected',
              render: (_, r) => (
                <Badge
                  status={r.connected ? 'success' : 'error'}
                  text={r.connected ? t('systemPage.connected') : t('systemPage.notConnected')}
                />
              ),
            },
            { title: t('systemPage.sent'), dataIndex: 'sent', align: 'right' },
            { title: t('systemPage.acked'), dataIndex: 'acked', align: 'right' },
            { title: t('systemPage.retries'), dataIndex: 'retries', align: 'right' },
            { title: t('systemPage.reconnects'), dataIndex: 'reconnects', align: 'right' },
            { title: t('systemPage.givenUp'), dataIndex: 'givenUp', align: 'right' },
          ]}
        />
      </Card>
    </Space>
  );
}
