import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Badge,
  Button,
  Card,
  Col,
  Empty,
  Row,
  Segmented,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { DeviceInfoItem, DeviceInfoNow, ParameterChanges } from '../api/operations';
import type { LivePoint } from '../api/types';
import { beijing } from '../components/beijingTime';
import { PointPicker } from '../components/PointPicker';
import { factorName } from '../factors';
import '../i18n/smart';
import { StateTimeline, stateColour, stateLabel } from './smart/StateTimeline';

const HOUR = 3_600_000;
const WINDOWS = { h24: 24 * HOUR, d7: 7 * 24 * HOUR, d30: 30 * 24 * HOUR } as const;
type WindowKey = keyof typeof WINDOWS;
const TIME = 'YYYY-MM-DD HH:mm:ss';

interface Loaded {
  readonly pointId: number;
  readonly info: DeviceInfoNow;
  readonly changes: ParameterChanges;
  readonly history: DeviceInfoItem[];
  readonly at: number;
}

async function load(pointId: number): Promise<Loaded> {
  const [info, changes, history] = await Promise.all([
    api.get<DeviceInfoNow>(`/points/${pointId}/device-info`),
    api.get<ParameterChanges>(`/points/${pointId}/parameter-changes`),
    // The whole recent history (not only the window): the state in force when the window opens.
    api.get<DeviceInfoItem[]>(`/points/${pointId}/device-info/history`, { code: 'i12001', limit: 5000 }),
  ]);
  return { pointId, info, changes, history, at: Date.now() };
}

const key = (polId: string, code: string) => `${polId}|${code}`;

/** 智能监控: a point's device information (CN 3020), its parameter changes and its working-state timeline. */
export default function Smart() {
  const { t, i18n } = useTranslation();
  const [pointId, setPointId] = useState<number>();
  const [point, setPoint] = useState<LivePoint>();
  const [data, setData] = useState<Loaded>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [span, setSpan] = useState<WindowKey>('h24');
  const pick = useCallback((id: number | undefined, p: LivePoint | undefined) => {
    setPointId(id);
    setPoint(p);
  }, []);
  const reload = useCallback(() => {
    if (pointId === undefined) return;
    setLoading(true);
    load(pointId)
      .then((d) => {
        setData(d);
        setError(undefined);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setLoading(false));
  }, [pointId]);
  useEffect(() => reload(), [reload]);
  const current = data !== undefined && data.pointId === pointId ? data : undefined;
  const polName = useCallback(
    (polId: string) => (polId === '' ? t('smartPage.logger') : factorName(polId, i18n.language)),
    [t, i18n.language],
  );
  const off = useMemo(() => {
    const keys = new Set<string>();
    for (const d of current?.changes.differences ?? []) keys.add(key(d.polId, d.infoCode));
    for (const c of current?.changes.changes ?? []) if (c.offBaseline) keys.add(key(c.polId, c.infoCode));
    return keys;
  }, [current]);
  const changed = useMemo(
    () => new Set((current?.changes.changes ?? []).map((c) => key(c.polId, c.infoCode))),
    [current],
  );

  const itemColumns = (kind: 'state' | 'parameter' | 'log' | 'other') => [
    {
      title: t('smartPage.instrument'),
      key: 'pol',
      render: (_: unknown, r: DeviceInfoItem) => polName(r.polId),
    },
    {
      title: t('smartPage.name'),
      key: 'name',
      render: (_: unknown, r: DeviceInfoItem) => (
        <span>
          {r.name ?? '—'}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.infoCode}
          </Typography.Text>
        </span>
      ),
    },
    {
      title: t('smartPage.value'),
      key: 'value',
      render: (_: unknown, r: DeviceInfoItem) => {
        if (kind === 'state' && r.infoCode === 'i12001')
          return (
            <Tag color={stateColour(r.value)} data-testid="state-value">
              {stateLabel(t, r.value)}
            </Tag>
          );
        const text = `${r.valueName ?? r.value}${r.unit ? ` ${r.unit}` : ''}`;
        if (kind === 'parameter' && off.has(key(r.polId, r.infoCode)))
          return (
            <Typography.Text type="danger" strong>
              {text}
            </Typography.Text>
          );
        if (kind === 'parameter' && changed.has(key(r.polId, r.infoCode)))
          return <Typography.Text strong>{text}</Typography.Text>;
        return kind === 'log' ? (
          <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{text}</Typography.Text>
        ) : (
          text
        );
      },
    },
    {
      title: t('smartPage.time'),
      key: 'time',
      render: (_: unknown, r: DeviceInfoItem) => beijing(r.observedAt ?? r.receivedAt, TIME),
    },
  ];
  const itemTable = (kind: 'state' | 'parameter' | 'log' | 'other', rows: readonly DeviceInfoItem[]) => (
    <Table<DeviceInfoItem>
      data-testid={`device-${kind}`}
      size="small"
      rowKey={(r) => `${r.polId}|${r.infoCode}|${r.receivedAt}`}
      dataSource={[...rows]}
      loading={loading && current === undefined}
      pagination={rows.length > 10 ? { pageSize: 10, showSizeChanger: false, size: 'small' } : false}
      locale={{ emptyText: t('smartPage.none') }}
      columns={itemColumns(kind)}
      rowClassName={(r) =>
        kind === 'parameter' && off.has(key(r.polId, r.infoCode)) ? 'qy-off-baseline' : ''
      }
    />
  );
  const now = current?.at ?? Date.now();
  const info = current?.info;
  const changes = current?.changes;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small">
        <style>{'.qy-off-baseline > td { background: #fff1f0 !important; }'}</style>
        <Space wrap>
          <Typography.Text strong>{t('smartPage.point')}</Typography.Text>
          <PointPicker value={pointId} onChange={pick} />
          {point && (
            <Badge
              status={point.online ? 'success' : 'default'}
              text={point.online ? t('realtime.online') : t('realtime.offline')}
            />
          )}
          <Button icon={<ReloadOutlined />} onClick={reload} loading={loading} data-testid="smart-refresh">
            {t('smartPage.refresh')}
          </Button>
          {current && (
            <Typography.Text type="secondary">
              {t('overview.updated', { time: beijing(current.at, TIME) })}
            </Typography.Text>
          )}
        </Space>
      </Card>
      {error && <Alert type="error" title={error} showIcon />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card
            size="small"
            title={t('smartPage.states')}
            extra={info && t('smartPage.total', { n: info.states.length })}
          >
            {itemTable('state', info?.states ?? [])}
          </Card>
          <Card
            style={{ marginTop: 16 }}
            size="small"
            title={t('smartPage.timeline')}
            extra={
              <Segmented<WindowKey>
                size="small"
                value={span}
                onChange={setSpan}
                options={(Object.keys(WINDOWS) as WindowKey[]).map((k) => ({
                  value: k,
                  label: t(`smartPage.${k}`),
                }))}
              />
            }
          >
            {current ? (
              <StateTimeline history={current.history} from={now - WINDOWS[span]} to={now} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card
            size="small"
            title={t('smartPage.parameters')}
            extra={info && t('smartPage.total', { n: info.parameters.length })}
          >
            {itemTable('parameter', info?.parameters ?? [])}
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title={
          <span>
            {t('smartPage.changes')}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
              {t('smartPage.changesHint')}
            </Typography.Text>
          </span>
        }
      >
        {changes && changes.differences.length > 0 && (
          <>
            <Typography.Title level={5} type="danger">
              {t('smartPage.differences')}
            </Typography.Title>
            <Table
              data-testid="parameter-differences"
              size="small"
              pagination={false}
              rowKey={(r) => key(r.polId, r.infoCode)}
              dataSource={[...changes.differences]}
              style={{ marginBottom: 16 }}
              columns={[
                { title: t('smartPage.instrument'), key: 'pol', render: (_, r) => polName(r.polId) },
                {
                  title: t('smartPage.name'),
                  key: 'name',
                  render: (_, r) => `${r.name ?? ''} ${r.infoCode}`,
                },
                { title: t('smartPage.filed'), key: 'filed', render: (_, r) => r.filed ?? '—' },
                {
                  title: t('smartPage.current'),
                  key: 'current',
                  render: (_, r) => (
                    <Typography.Text type="danger" strong>
                      {r.current ?? '—'}
                    </Typography.Text>
                  ),
                },
                {
                  title: t('smartPage.since'),
                  key: 'since',
                  render: (_, r) => (r.currentSince === null ? '—' : beijing(r.currentSince, TIME)),
                },
              ]}
            />
          </>
        )}
        <Table
          data-testid="parameter-changes"
          size="small"
          rowKey={(r) => `${r.polId}|${r.infoCode}|${r.at}`}
          dataSource={[...(changes?.changes ?? [])].sort((a, b) => b.at - a.at)}
          loading={loading && current === undefined}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          locale={{ emptyText: t('smartPage.noChanges') }}
          rowClassName={(r) => (r.offBaseline ? 'qy-off-baseline' : '')}
          columns={[
            { title: t('smartPage.time'), key: 'at', render: (_, r) => beijing(r.at, TIME) },
            { title: t('smartPage.instrument'), key: 'pol', render: (_, r) => polName(r.polId) },
            {
              title: t('smartPage.name'),
              key: 'name',
              render: (_, r) => (
                <span>
                  {r.name ?? '—'}{' '}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.infoCode}
                  </Typography.Text>
                </span>
              ),
            },
            {
              title: `${t('smartPage.previous')} → ${t('smartPage.newValue')}`,
              key: 'values',
              render: (_, r) => (
                <span data-testid="parameter-change">
                  {r.previous ?? '—'} →{' '}
                  <Typography.Text type={r.offBaseline ? 'danger' : undefined} strong>
                    {r.value}
                  </Typography.Text>
                </span>
              ),
            },
            { title: t('smartPage.baseline'), key: 'baseline', render: (_, r) => r.baseline ?? '—' },
            {
              title: '',
              key: 'tags',
              render: (_, r) => (
                <>
                  {r.offBaseline && <Tag color="red">{t('smartPage.offBaseline')}</Tag>}
                  {r.changed && <Tag color="orange">{t('smartPage.changed')}</Tag>}
                </>
              ),
            },
          ]}
        />
      </Card>
      {info && (info.logs.length > 0 || info.other.length > 0) && (
        <Card size="small">
          <Tabs
            size="small"
            items={[
              ...(info.logs.length > 0
                ? [{ key: 'logs', label: t('smartPage.logs'), children: itemTable('log', info.logs) }]
                : []),
              ...(info.other.length > 0
                ? [{ key: 'other', label: t('smartPage.other'), children: itemTable('other', info.other) }]
                : []),
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
