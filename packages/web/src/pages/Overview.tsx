import { Alert, Card, Col, List, Row, Statistic, Tag, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { AlarmSummary, Enterprise, LivePoint, LiveStatus, PublicSummary } from '../api/types';
import { HubeiMap, type MapEnterprise } from '../components/HubeiMap';
import { alarmTypeName } from '../i18n/alarmTypes';
import { useLiveEvents } from '../live';
import { enterpriseState, STATE_COLOURS, STATES } from '../state';
import { useApi } from '../useApi';

interface OpenAlarm {
  readonly enterpriseId: number;
  readonly type: string;
}

async function loadOverview() {
  const [summary, alarms, live, enterprises, open] = await Promise.all([
    api.get<PublicSummary>('/system/summary'),
    api.get<AlarmSummary>('/alarms/summary'),
    api.get<LiveStatus>('/live'),
    api.get<Enterprise[]>('/enterprises', { limit: 5000 }),
    api.get<OpenAlarm[]>('/alarms', { state: 'open', limit: 5000 }),
  ]);
  return { summary, alarms, live, enterprises, open };
}

/** 总览: today's figures and the Hubei map of the enterprises in the caller's scope, by state. */
export default function Overview() {
  const { t } = useTranslation();
  const { data, error, reload } = useApi(loadOverview);
  // Figures refresh every 30 s and at once when an alarm opens or closes.
  useEffect(() => {
    const timer = setInterval(reload, 30_000);
    return () => clearInterval(timer);
  }, [reload]);
  useLiveEvents({ onAlarm: reload });
  const mapped = useMemo<MapEnterprise[]>(() => {
    if (data === undefined) return [];
    const points = new Map<number, LivePoint[]>();
    for (const p of data.live.points) points.set(p.enterpriseId, [...(points.get(p.enterpriseId) ?? []), p]);
    const alarms = new Map<number, Set<string>>();
    for (const a of data.open)
      alarms.set(a.enterpriseId, (alarms.get(a.enterpriseId) ?? new Set()).add(a.type));
    return data.enterprises
      .filter((e) => e.longitude !== null && e.latitude !== null)
      .map((e) => ({
        id: e.id,
        name: e.name,
        longitude: e.longitude as number,
        latitude: e.latitude as number,
        state: enterpriseState(e.status, points.get(e.id) ?? [], alarms.get(e.id) ?? new Set()),
      }));
  }, [data]);
  if (error) return <Alert type="error" title={error} showIcon />;
  const running = data?.live.points.filter((p) => p.status !== 'stopped') ?? [];
  const online = running.filter((p) => p.online).length;
  const counts = Object.fromEntries(STATES.map((s) => [s, mapped.filter((e) => e.state === s).length]));
  return (
    <Row gutter={[16, 16]}>
      <Col xs={12} md={6}>
        <Card loading={!data}>
          <Statistic
            title={t('overview.enterprises')}
            value={data?.enterprises.length}
            data-testid="fig-enterprises"
          />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card loading={!data}>
          <Statistic title={t('overview.points')} value={data?.live.points.length} />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card loading={!data}>
          <Statistic
            title={t('overview.onlineRate')}
            value={running.length === 0 ? 0 : (100 * online) / running.length}
            precision={1}
            suffix={`% (${online}/${running.length})`}
            data-testid="fig-online-rate"
          />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card loading={!data}>
          <Statistic
            title={t('overview.openAlarms')}
            value={data?.alarms.total.open}
            valueStyle={{ color: data?.alarms.total.open ? '#f5222d' : undefined }}
            data-testid="fig-open-alarms"
          />
        </Card>
      </Col>
      <Col xs={24} lg={16}>
        <Card
          title={t('overview.map')}
          extra={STATES.map((s) => (
            <Tag key={s} color={STATE_COLOURS[s]}>
              {t(`state.${s}`)} {counts[s]}
            </Tag>
          ))}
        >
          <HubeiMap enterprises={mapped} />
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card title={t('overview.alarmsByType')} loading={!data}>
          <List
            dataSource={(data?.alarms.byType ?? []).filter((b) => b.open > 0)}
            locale={{ emptyText: t('overview.none') }}
            renderItem={(b) => (
              <List.Item>
                <Typography.Text>{alarmTypeName(b.type, t)}</Typography.Text>
                <Tag color="red">{b.open}</Tag>
              </List.Item>
            )}
          />
          {data && (
            <Typography.Text type="secondary">
              {t('overview.online')}: {data.summary.online} ·{' '}
              {t('overview.updated', { time: new Date(data.summary.generatedAt).toLocaleTimeString() })}
            </Typography.Text>
          )}
        </Card>
      </Col>
    </Row>
  );
}
