import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Col,
  List,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import {
  loadOverview,
  loadTrends,
  type OverviewAnswer,
  type OverviewEnterprise,
  type OverviewRegion,
  type OverviewTrends,
} from '../api/overview';
import { useAuth } from '../auth';
import { HubeiMap, type MapEnterprise, type MapFocus } from '../components/HubeiMap';
import { alarmTypeName } from '../i18n/alarmTypes';
import '../i18n/overview';
import { useLiveEvents } from '../live';
import { type EnterpriseState, STATE_COLOURS, STATES } from '../state';
import TrendsChart from './overview/TrendsChart';

/** Alarm events come in bursts (an analysis pass closes and opens many): one reload per burst. */
const ALARM_RELOAD_DELAY_MS = 1000;
/** The enterprise list's order: what needs attention first. */
const SEVERITY: Record<EnterpriseState, number> = {
  exceeding: 0,
  anomaly: 1,
  offline: 2,
  normal: 3,
  stopped: 4,
};
const PROVINCE_FOCUS: MapFocus = { key: 'hubei' };
/** Names in 拼音 order (one collator: thousands of comparisons). */
const BY_NAME = new Intl.Collator('zh-CN');
/** The figures' cards as tall as the row. */
const FIGURE_CARD = { height: '100%' } as const;

/** The region drilled into, its path from where the caller starts, and the regions right below it. */
function regionTree(answer: OverviewAnswer | undefined) {
  const byCode = new Map((answer?.regions ?? []).map((r) => [r.code, r]));
  const children = new Map<string, OverviewRegion[]>();
  for (const r of answer?.regions ?? [])
    if (r.parentCode !== null) children.set(r.parentCode, [...(children.get(r.parentCode) ?? []), r]);
  const current = answer?.region == null ? undefined : byCode.get(answer.region);
  const path: OverviewRegion[] = [];
  for (
    let at = current;
    at !== undefined;
    at = at.parentCode === null ? undefined : byCode.get(at.parentCode)
  ) {
    path.unshift(at);
    if (at.code === answer?.root) break;
  }
  /** The region right below `current` that holds `code` (undefined: none). */
  const below = (code: string): OverviewRegion | undefined => {
    for (
      let at = byCode.get(code);
      at !== undefined;
      at = at.parentCode === null ? undefined : byCode.get(at.parentCode)
    )
      if (at.parentCode === current?.code) return at;
    return undefined;
  };
  /** The city (or 省直辖 unit) holding `code`. */
  const cityOf = (code: string): OverviewRegion | undefined => {
    for (
      let at = byCode.get(code);
      at !== undefined;
      at = at.parentCode === null ? undefined : byCode.get(at.parentCode)
    )
      if (at.level === 'city') return at;
    return undefined;
  };
  return { byCode, children, current, path, below, cityOf };
}

/**
 * 总览: today's figures, the Hubei map of the enterprises in the caller's scope by state, the daily trends
 * and the lists — for the region drilled into (province → city → county, `?region=` in the address; a
 * caller bound to a city or county starts there). One compact answer per region (GET /overview) whose
 * states the server derives, the first asked for while the application boots; the trends (GET
 * /overview/trends) beside it.
 */
export default function Overview() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const asked = params.get('region') ?? undefined;
  const [data, setData] = useState<OverviewAnswer>();
  const [error, setError] = useState<string>();
  const current = useRef(asked);
  current.current = asked;
  const reload = useCallback(() => {
    const region = current.current;
    loadOverview(region)
      .then((answer) => {
        // An answer for a region left meanwhile is not shown.
        if (current.current !== region) return;
        setData(answer);
        setError(undefined);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new region is asked for at once
  useEffect(() => reload(), [reload, asked]);
  // Figures refresh every 30 s and soon after alarms open or close (live events over SSE).
  useEffect(() => {
    const timer = setInterval(reload, 30_000);
    return () => clearInterval(timer);
  }, [reload]);
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  useLiveEvents({
    onAlarm: () => {
      if (pending.current !== undefined) return;
      pending.current = setTimeout(() => {
        pending.current = undefined;
        reload();
      }, ALARM_RELOAD_DELAY_MS);
    },
  });

  const [days, setDays] = useState<7 | 30>(7);
  const [trends, setTrends] = useState<OverviewTrends>();
  useEffect(() => {
    let live = true;
    loadTrends(days, asked)
      .then((answer) => live && setTrends(answer))
      .catch(() => live && setTrends(undefined));
    return () => {
      live = false;
    };
  }, [days, asked]);

  const tree = useMemo(() => regionTree(data), [data]);
  const drill = useCallback(
    (code: string) => setParams(code === data?.root ? {} : { region: code }),
    [data?.root, setParams],
  );
  const mapped = useMemo<MapEnterprise[]>(
    () =>
      (data?.enterprises ?? [])
        .filter((e) => e.longitude !== null && e.latitude !== null)
        .map((e) => ({
          id: e.id,
          name: e.name,
          longitude: e.longitude as number,
          latitude: e.latitude as number,
          state: e.state,
        })),
    [data],
  );
  const counts = useMemo(() => {
    const out = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<string, number>;
    for (const e of mapped) out[e.state] = (out[e.state] ?? 0) + 1;
    return out;
  }, [mapped]);
  const focus = useMemo<MapFocus>(() => {
    const region = tree.current;
    if (region === undefined || region.level === 'province') return PROVINCE_FOCUS;
    const below = tree.children.get(region.code) ?? [];
    if (region.level === 'city')
      return { key: region.code, counties: below.length > 0 ? below.map((r) => r.code) : [region.code] };
    // A county among its city's counties (those the caller sees), framed to it.
    const siblings = tree.children.get(region.parentCode ?? '') ?? [region];
    return { key: region.code, counties: siblings.map((r) => r.code), highlight: region.code };
  }, [tree]);
  const onRegion = useCallback(
    (code: string) => {
      const region = tree.current;
      if (region === undefined) return;
      if (region.level === 'province') {
        const city = tree.cityOf(code);
        if (city !== undefined) drill(city.code);
      } else {
        // A county of the city, or (from a county) one of its neighbours.
        const county = tree.byCode.get(code);
        const city = region.level === 'city' ? region.code : region.parentCode;
        if (county !== undefined && county.code !== region.code && county.parentCode === city)
          drill(county.code);
      }
    },
    [tree, drill],
  );
  const openFile = useCallback(
    (id: number) => {
      if (can('registry.read')) navigate(`/archive?enterprise=${id}`);
    },
    [can, navigate],
  );
  const listed = useMemo(
    () =>
      [...(data?.enterprises ?? [])].sort(
        (a, b) => SEVERITY[a.state] - SEVERITY[b.state] || BY_NAME.compare(a.name, b.name),
      ),
    [data],
  );
  const regionRows = useMemo(() => {
    const rows = new Map(
      (tree.current === undefined ? [] : (tree.children.get(tree.current.code) ?? [])).map((r) => [
        r.code,
        { region: r, enterprises: 0, abnormal: 0, offline: 0 },
      ]),
    );
    for (const e of data?.enterprises ?? []) {
      const row = rows.get(tree.below(e.regionCode)?.code ?? '');
      if (row === undefined) continue;
      row.enterprises++;
      if (e.state === 'exceeding' || e.state === 'anomaly') row.abnormal++;
      if (e.state === 'offline') row.offline++;
    }
    return [...rows.values()];
  }, [data, tree]);

  if (error)
    return (
      <Alert
        type="error"
        title={error}
        showIcon
        action={
          asked !== undefined && (
            <Button size="small" onClick={() => setParams({})}>
              {t('overviewPage.backToStart')}
            </Button>
          )
        }
      />
    );
  const figures = data?.figures;
  const month = trends?.month;
  const rate = month?.effectiveTransmissionRate ?? null;
  const target = (trends?.target ?? 0.95) * 100;
  const crumbs = tree.path.map((r, i) => ({
    key: r.code,
    title:
      i === tree.path.length - 1 ? (
        <span data-testid="crumb-current">{r.name}</span>
      ) : (
        <Typography.Link onClick={() => drill(r.code)}>{r.name}</Typography.Link>
      ),
  }));
  return (
    <Row gutter={[16, 16]}>
      <Col xs={12} md={8} xl={4}>
        <Card loading={!data} style={FIGURE_CARD}>
          <Statistic
            title={t('overview.enterprises')}
            value={figures?.enterprises}
            data-testid="fig-enterprises"
          />
        </Card>
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Card loading={!data} style={FIGURE_CARD}>
          <Statistic title={t('overview.points')} value={figures?.points} data-testid="fig-points" />
        </Card>
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Card loading={!data} style={FIGURE_CARD}>
          <Statistic
            title={t('overview.onlineRate')}
            value={!figures?.running ? 0 : (100 * figures.online) / figures.running}
            precision={1}
            suffix="%"
            data-testid="fig-online-rate"
          />
          {figures && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {figures.online} / {figures.running}
            </Typography.Text>
          )}
        </Card>
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Card loading={!data} style={FIGURE_CARD}>
          <Statistic
            title={t('overview.openAlarms')}
            value={figures?.openAlarms}
            styles={{ content: { color: figures?.openAlarms ? '#f5222d' : undefined } }}
            data-testid="fig-open-alarms"
          />
        </Card>
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Card loading={!data} style={FIGURE_CARD}>
          <Statistic
            title={
              <span title={t('overviewPage.exceedancesTodayHint')}>{t('overviewPage.exceedancesToday')}</span>
            }
            value={figures?.exceedancesToday}
            styles={{ content: { color: figures?.exceedancesToday ? '#f5222d' : undefined } }}
            data-testid="fig-exceedances-today"
          />
        </Card>
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Card loading={!trends} style={FIGURE_CARD}>
          <Statistic
            title={t('overviewPage.transmission', { month: month?.month ?? '' })}
            value={rate === null ? '—' : 100 * rate}
            precision={rate === null ? undefined : 1}
            suffix={rate === null ? undefined : '%'}
            styles={{ content: { color: rate !== null && 100 * rate <= target ? '#f5222d' : undefined } }}
            data-testid="fig-transmission"
          />
          {month && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {rate === null
                ? t('overviewPage.transmissionNone')
                : month.complete
                  ? t('overviewPage.transmissionWhole', { month: month.month, target })
                  : t('overviewPage.transmissionThrough', {
                      day: new Date(month.countedTo - 1 + 8 * 3_600_000).toISOString().slice(5, 10),
                      target,
                    })}
            </Typography.Text>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={16}>
        <Card
          title={
            crumbs.length > 0 ? (
              <Breadcrumb items={crumbs} data-testid="overview-breadcrumb" />
            ) : (
              t('overview.map')
            )
          }
          extra={STATES.map((s) => (
            <Tag key={s} color={STATE_COLOURS[s]}>
              {t(`state.${s}`)} {counts[s]}
            </Tag>
          ))}
        >
          <HubeiMap enterprises={mapped} focus={focus} onRegion={onRegion} onEnterprise={openFile} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('overviewPage.mapHint')}
          </Typography.Text>
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {regionRows.length > 0 && (
            <Card title={t('overviewPage.regions')} size="small">
              <Table
                data-testid="overview-regions"
                size="small"
                rowKey={(r) => r.region.code}
                pagination={false}
                dataSource={regionRows}
                onRow={(r) => ({ onClick: () => drill(r.region.code), style: { cursor: 'pointer' } })}
                columns={[
                  {
                    key: 'region',
                    title: t('overviewPage.region'),
                    render: (_, r) => <Typography.Link>{r.region.name}</Typography.Link>,
                  },
                  {
                    key: 'enterprises',
                    title: t('overviewPage.enterprises'),
                    dataIndex: 'enterprises',
                    align: 'right',
                  },
                  {
                    key: 'abnormal',
                    title: t('overviewPage.abnormal'),
                    align: 'right',
                    render: (_, r) => (r.abnormal > 0 ? <Tag color="red">{r.abnormal}</Tag> : 0),
                  },
                  { key: 'offline', title: t('overviewPage.offline'), dataIndex: 'offline', align: 'right' },
                ]}
              />
            </Card>
          )}
          <Card title={t('overview.alarmsByType')} loading={!data} size="small">
            <List
              dataSource={[...(figures?.openByType ?? [])]}
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
                {t('overview.online')}: {data.figures.online} ·{' '}
                {t('overview.updated', { time: new Date(data.at).toLocaleTimeString() })}
              </Typography.Text>
            )}
          </Card>
        </Space>
      </Col>
      <Col xs={24} lg={12}>
        <Card
          title={t('overviewPage.trends')}
          extra={
            <Segmented<7 | 30>
              data-testid="trend-days"
              value={days}
              onChange={setDays}
              options={[
                { value: 7, label: t('overviewPage.days7') },
                { value: 30, label: t('overviewPage.days30') },
              ]}
            />
          }
        >
          {trends ? <TrendsChart trends={trends} /> : <div style={{ height: 280 }} />}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('overviewPage.trendsNote')}
          </Typography.Text>
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('overviewPage.enterprises')}>
          <Table<OverviewEnterprise>
            data-testid="overview-enterprises"
            size="small"
            rowKey="id"
            loading={!data}
            dataSource={listed}
            pagination={{ pageSize: 8, showSizeChanger: false, size: 'small' }}
            columns={[
              {
                key: 'name',
                title: t('overviewPage.enterprise'),
                render: (_, e) =>
                  can('registry.read') ? (
                    <Typography.Link title={t('overviewPage.openFile')} onClick={() => openFile(e.id)}>
                      {e.name}
                    </Typography.Link>
                  ) : (
                    e.name
                  ),
              },
              {
                key: 'region',
                title: t('overviewPage.region'),
                render: (_, e) => tree.byCode.get(e.regionCode)?.name ?? e.regionCode,
              },
              {
                key: 'state',
                title: t('overviewPage.state'),
                render: (_, e) => <Tag color={STATE_COLOURS[e.state]}>{t(`state.${e.state}`)}</Tag>,
              },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
