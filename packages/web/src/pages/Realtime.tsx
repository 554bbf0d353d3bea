import { Alert, Badge, Card, Col, Input, Row, Table, Tag, Tree, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { LatestEvent, LiveFactor, LivePoint, LiveStatus } from '../api/types';
import { factorName } from '../factors';
import { useLiveEvents } from '../live';
import { useApi } from '../useApi';

interface TableRow {
  readonly key: string;
  readonly point: LivePoint;
  readonly factor: LiveFactor;
}

function over(value: number | null, limit: LiveFactor['limit']): boolean | null {
  if (value === null || (limit.upper === null && limit.lower === null)) return null;
  return (limit.upper !== null && value > limit.upper) || (limit.lower !== null && value < limit.lower);
}

/** Applies one SSE `latest` event to the live answer. */
function apply(live: LiveStatus, event: LatestEvent): LiveStatus {
  const at = Date.now();
  return {
    at,
    points: live.points.map((p) => {
      if (p.pointId !== event.pointId) return p;
      const values = new Map(event.values.map((v) => [v.factor, v]));
      return {
        ...p,
        online: true,
        lastSeenAt: at,
        factors: p.factors.map((f) => {
          const v = values.get(f.factorCode);
          if (v === undefined) return f;
          return {
            ...f,
            value: v.value,
            corrected: null,
            flag: v.flag,
            dataTime: v.dataTime,
            exceeding: f.limit.onCorrected ? f.exceeding : over(v.value, f.limit),
          };
        }),
      };
    }),
  };
}

function limitText(limit: LiveFactor['limit']): string {
  if (limit.lower !== null && limit.upper !== null) return `${limit.lower}–${limit.upper}`;
  if (limit.upper !== null) return `≤ ${limit.upper}`;
  if (limit.lower !== null) return `≥ ${limit.lower}`;
  return '—';
}

/** 实时监控: the enterprise/outlet tree and the latest values of the chosen points, updated over SSE. */
export default function Realtime() {
  const { t, i18n } = useTranslation();
  const { data, error, setData } = useApi(() => api.get<LiveStatus>('/live'));
  const [selected, setSelected] = useState<string>('all');
  const [search, setSearch] = useState('');
  const [now, setNow] = useState(Date.now());
  const [received, setReceived] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const state = useLiveEvents({
    onLatest: (event) => {
      setData((live) => (live === undefined ? live : apply(live, event)));
      setReceived((n) => n + 1);
    },
  });
  const points = data?.points ?? [];
  const tree = useMemo(() => {
    const byEnterprise = new Map<number, { name: string; points: LivePoint[] }>();
    for (const p of points) {
      const e = byEnterprise.get(p.enterpriseId) ?? { name: p.enterpriseName, points: [] };
      e.points.push(p);
      byEnterprise.set(p.enterpriseId, e);
    }
    return [...byEnterprise.entries()].map(([id, e]) => ({
      key: `e${id}`,
      title: <span data-testid="tree-enterprise">{e.name}</span>,
      children: e.points.map((p) => ({
        key: `p${p.pointId}`,
        title: (
          <span>
            <Badge status={p.online ? 'success' : 'default'} /> {p.outletCode} {p.pointName}
          </span>
        ),
        isLeaf: true,
      })),
    }));
    // Only the structure matters here: rebuild when the set of points or their presence changes.
  }, [points]);
  const rows = useMemo<TableRow[]>(() => {
    const q = search.trim().toLowerCase();
    return points
      .filter((p) =>
        selected === 'all'
          ? true
          : selected.startsWith('e')
            ? `e${p.enterpriseId}` === selected
            : `p${p.pointId}` === selected,
      )
      .filter((p) => q === '' || p.enterpriseName.toLowerCase().includes(q) || p.mn.toLowerCase().includes(q))
      .flatMap((p) => p.factors.map((f) => ({ key: `${p.pointId}-${f.factorCode}`, point: p, factor: f })));
  }, [points, selected, search]);
  if (error) return <Alert type="error" title={error} showIcon />;
  return (
    <Row gutter={16}>
      <Col xs={24} lg={6}>
        <Card
          title={t('realtime.tree')}
          size="small"
          loading={!data}
          styles={{ body: { maxHeight: '75vh', overflow: 'auto' } }}
        >
          <Tree
            data-testid="realtime-tree"
            defaultExpandAll={tree.length <= 3}
            selectedKeys={[selected]}
            onSelect={(keys) => setSelected(String(keys[0] ?? 'all'))}
            treeData={[{ key: 'all', title: t('realtime.all'), children: tree }]}
            defaultExpandedKeys={['all']}
          />
        </Card>
      </Col>
      <Col xs={24} lg={18}>
        <Card
          size="small"
          title={
            <span>
              {t('menu.realtime')}{' '}
              <Tag color={state === 'open' ? 'green' : 'orange'} data-testid="live-state">
                {state === 'open' ? t('realtime.live') : t('realtime.connecting')}
              </Tag>
              <Typography.Text type="secondary" data-testid="live-received">
                {received}
              </Typography.Text>
            </span>
          }
          extra={
            <Input.Search
              allowClear
              placeholder={t('realtime.search')}
              onChange={(e) => setSearch(e.target.value)}
            />
          }
        >
          <Table<TableRow>
            data-testid="realtime-table"
            size="small"
            loading={!data}
            dataSource={rows}
            pagination={{ pageSize: 50, showSizeChanger: false }}
            columns={[
              {
                title: t('realtime.enterprise'),
                key: 'enterprise',
                render: (_, r) => r.point.enterpriseName,
                onCell: () => ({ style: { maxWidth: 220 } }),
              },
              {
                title: t('realtime.point'),
                key: 'point',
                render: (_, r) => (
                  <span>
                    <Badge status={r.point.online ? 'success' : 'default'} /> {r.point.outletCode}{' '}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.point.mn}
                    </Typography.Text>
                  </span>
                ),
              },
              {
                title: t('realtime.factor'),
                key: 'factor',
                render: (_, r) => factorName(r.factor.factorCode, i18n.language),
              },
              {
                title: t('realtime.value'),
                key: 'value',
                align: 'right',
                render: (_, r) =>
                  r.factor.value === null ? (
                    '—'
                  ) : (
                    <Typography.Text
                      type={r.factor.exceeding ? 'danger' : undefined}
                      strong
                      data-testid="live-value"
                    >
                      {r.factor.value}
                    </Typography.Text>
                  ),
              },
              { title: t('realtime.unit'), key: 'unit', render: (_, r) => r.factor.unit },
              { title: t('realtime.limit'), key: 'limit', render: (_, r) => limitText(r.factor.limit) },
              {
                title: t('realtime.flag'),
                key: 'flag',
                render: (_, r) =>
                  r.factor.flag === null ? (
                    '—'
                  ) : (
                    <Tag color={r.factor.flag === 'N' ? 'green' : 'orange'}>{r.factor.flag}</Tag>
                  ),
              },
              {
                title: t('realtime.age'),
                key: 'age',
                render: (_, r) =>
                  r.factor.dataTime === null
                    ? '—'
                    : t('realtime.ago', { s: Math.max(0, Math.round((now - r.factor.dataTime) / 1000)) }),
              },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
