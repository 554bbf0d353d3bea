import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Badge,
  Button,
  Card,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AlarmFilter,
  type AlarmView,
  alarmQuery,
  alarmsExportUrl,
  type RegionNode,
} from '../api/alarms';
import { api } from '../api/client';
import type { AlarmSummary, Enterprise } from '../api/types';
import { useAuth } from '../auth';
import { beijing } from '../components/beijingTime';
import { DayRangePicker, useListFilter } from '../components/ListFilter';
import { factorName } from '../factors';
import { ALARM_COLOURS, ALARM_TYPES, alarmCategory, alarmTypeName } from '../i18n/alarmTypes';
import '../i18n/alarms';
import { useLiveEvents } from '../live';
import { useApi } from '../useApi';
import { AlarmDrawer, durationText } from './alarms/AlarmDrawer';

interface TreeNode {
  readonly value: string;
  readonly title: string;
  readonly children: TreeNode[];
}

function treeOf(node: RegionNode): TreeNode {
  return { value: node.code, title: node.name, children: node.children.map(treeOf) };
}

function findRegion(nodes: readonly RegionNode[], code: string): RegionNode | undefined {
  for (const n of nodes) {
    if (n.code === code) return n;
    const below = findRegion(n.children, code);
    if (below !== undefined) return below;
  }
  return undefined;
}

/** Filters lists: the enterprises in scope and, for authorities, the regions under theirs. */
async function loadChoices(regionCode: string | null) {
  const [enterprises, regions] = await Promise.all([
    api.get<Enterprise[]>('/enterprises', { limit: 5000 }),
    regionCode === null ? Promise.resolve([]) : api.get<RegionNode[]>('/regions', { tree: true }),
  ]);
  const own = regionCode === null ? undefined : findRegion(regions, regionCode);
  return { enterprises, regions: own === undefined ? [] : [treeOf(own)] };
}

/** 报警中心: alarm episodes in scope with filters, counts by type, a detail drawer and the Excel export. */
export default function Alarms() {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const { filter, page, setPage, update, reset } = useListFilter<AlarmFilter>();
  const [selected, setSelected] = useState<number>();
  const [stale, setStale] = useState(false);
  const [reloads, setReloads] = useState(0);
  const [list, setList] = useState<AlarmView[]>();
  const [summary, setSummary] = useState<AlarmSummary>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const choices = useApi(() => loadChoices(me?.regionCode ?? null));
  useLiveEvents({ onAlarm: () => setStale(true) });

  // The summary counts by type under the other filters (its chips pick the type); the list's total is
  // read from it.
  const { state, type, ...rest } = filter;
  const restKey = JSON.stringify(rest);
  useEffect(() => {
    void reloads;
    let live = true;
    setLoading(true);
    Promise.all([
      api.get<AlarmView[]>('/alarms', {
        ...alarmQuery(filter),
        limit: page.pageSize,
        offset: (page.current - 1) * page.pageSize,
      }),
      api.get<AlarmSummary>('/alarms/summary', alarmQuery(JSON.parse(restKey) as AlarmFilter)),
    ])
      .then(([rows, counts]) => {
        if (!live) return;
        setList(rows);
        setSummary(counts);
        setError(undefined);
        setStale(false);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [filter, restKey, page, reloads]);

  const counts =
    type === undefined
      ? summary?.total
      : (summary?.byType.find((b) => b.type === type) ?? { open: 0, closed: 0 });
  const total = counts === undefined ? 0 : state === undefined ? counts.open + counts.closed : counts[state];
  const typeOptions = useMemo(() => {
    const known = new Set<string>(ALARM_TYPES);
    for (const b of summary?.byType ?? []) known.add(b.type);
    return [...known].map((type) => ({ value: type, label: alarmTypeName(type, t) }));
  }, [summary, t]);

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small" data-testid="alarm-summary">
        <Space wrap size={[24, 8]} align="center">
          <Statistic
            title={t('alarmsPage.openTotal')}
            value={counts?.open ?? 0}
            styles={{ content: { color: counts?.open ? '#f5222d' : undefined } }}
          />
          <Statistic title={t('alarmsPage.closedTotal')} value={counts?.closed ?? 0} />
          <Space wrap size={[4, 4]} style={{ maxWidth: 900 }}>
            {(summary?.byType ?? []).map((b) => (
              <Tag.CheckableTag
                key={b.type}
                checked={filter.type === b.type}
                onChange={(on) => update({ type: on ? b.type : undefined })}
                style={{ border: '1px solid #d9d9d9' }}
              >
                <Badge color={ALARM_COLOURS[alarmCategory(b.type)].chart} /> {alarmTypeName(b.type, t)}{' '}
                <Typography.Text type="danger">{b.open}</Typography.Text>
                {' / '}
                <Typography.Text type="secondary">{b.closed}</Typography.Text>
              </Tag.CheckableTag>
            ))}
          </Space>
        </Space>
      </Card>
      <Card size="small">
        <Space wrap size={[12, 8]} style={{ marginBottom: 12 }}>
          <Select
            data-testid="alarm-type"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 200 }}
            placeholder={t('alarmsPage.allTypes')}
            value={filter.type}
            onChange={(type: string | undefined) => update({ type })}
            options={typeOptions}
          />
          <Select
            data-testid="alarm-state"
            style={{ width: 110 }}
            value={state ?? 'all'}
            onChange={(v: string) => update({ state: v === 'all' ? undefined : (v as 'open' | 'closed') })}
            options={[
              { value: 'all', label: t('alarmsPage.allStates') },
              { value: 'open', label: t('alarmsPage.open') },
              { value: 'closed', label: t('alarmsPage.closed') },
            ]}
          />
          {(choices.data?.regions.length ?? 0) > 0 && (
            <TreeSelect
              allowClear
              showSearch
              treeNodeFilterProp="title"
              style={{ width: 200 }}
              placeholder={t('alarmsPage.allRegions')}
              value={filter.regionCode}
              treeData={choices.data?.regions}
              treeDefaultExpandedKeys={choices.data?.regions.map((r) => r.value)}
              onChange={(regionCode: string | undefined) => update({ regionCode })}
            />
          )}
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 260 }}
            placeholder={t('alarmsPage.allEnterprises')}
            value={filter.enterpriseId}
            onChange={(enterpriseId: number | undefined) => update({ enterpriseId })}
            options={(choices.data?.enterprises ?? []).map((e) => ({ value: e.id, label: e.name }))}
          />
          <DayRangePicker from={filter.from} to={filter.to} onChange={update} />
          <Button onClick={reset}>{t('alarmsPage.reset')}</Button>
          <Badge dot={stale}>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => setReloads((n) => n + 1)}
              title={stale ? t('alarmsPage.newAlarms') : undefined}
            >
              {t('alarmsPage.refresh')}
            </Button>
          </Badge>
          <Button
            icon={<DownloadOutlined />}
            href={alarmsExportUrl(filter)}
            title={t('alarmsPage.exportHint')}
            data-testid="alarm-export"
          >
            {t('alarmsPage.export')}
          </Button>
        </Space>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Table<AlarmView>
          data-testid="alarm-table"
          size="small"
          rowKey="id"
          loading={loading && list === undefined}
          dataSource={list}
          onRow={(r) => ({ onClick: () => setSelected(r.id), style: { cursor: 'pointer' } })}
          pagination={{
            ...page,
            total,
            showSizeChanger: true,
            showTotal: (n) => t('alarmsPage.total', { n }),
            onChange: (current, pageSize) => setPage({ current, pageSize }),
          }}
          columns={[
            { title: t('alarmsPage.id'), dataIndex: 'id', width: 72 },
            {
              title: t('alarmsPage.type'),
              key: 'type',
              render: (_, r) => (
                <Tag color={ALARM_COLOURS[alarmCategory(r.type)].tag} data-testid="alarm-type-tag">
                  {alarmTypeName(r.type, t)}
                </Tag>
              ),
            },
            { title: t('alarmsPage.enterprise'), dataIndex: 'enterpriseName', ellipsis: true },
            {
              title: t('alarmsPage.point'),
              key: 'point',
              render: (_, r) => (
                <span>
                  {r.pointName}{' '}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.mn}
                  </Typography.Text>
                </span>
              ),
            },
            {
              title: t('alarmsPage.factor'),
              key: 'factor',
              render: (_, r) =>
                r.factorCode === null || r.factorCode === '*'
                  ? t('alarmsPage.wholePoint')
                  : factorName(r.factorCode, i18n.language),
            },
            {
              title: t('alarmsPage.openedAt'),
              key: 'opened',
              render: (_, r) => beijing(r.openedAt),
              width: 140,
            },
            {
              title: t('alarmsPage.closedAt'),
              key: 'closed',
              width: 140,
              render: (_, r) =>
                r.closedAt === null ? <Tag color="red">{t('alarmsPage.open')}</Tag> : beijing(r.closedAt),
            },
            {
              title: t('alarmsPage.duration'),
              key: 'duration',
              render: (_, r) => durationText(r.openedAt, r.closedAt ?? Date.now(), t),
            },
            {
              title: t('alarmsPage.peak'),
              key: 'peak',
              align: 'right',
              render: (_, r) => r.peakValue ?? '—',
            },
            {
              title: t('alarmsPage.limit'),
              key: 'limit',
              align: 'right',
              render: (_, r) => r.limitValue ?? '—',
            },
          ]}
        />
      </Card>
      <AlarmDrawer id={selected} onClose={() => setSelected(undefined)} />
    </Space>
  );
}
