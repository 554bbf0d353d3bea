import { DownloadOutlined, PaperClipOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  TIP_STATES,
  type TipFilter,
  type TipOffRow,
  type TipState,
  tipOffsApi,
  tipOffsExportUrl,
} from '../api/tipOffs';
import { beijing } from '../components/beijingTime';
import { DayRangePicker, useListFilter } from '../components/ListFilter';
import '../i18n/portal';
import '../i18n/tipOffs';
import { STATE_COLOURS, TipOffDrawer } from './tipoffs/TipOffDrawer';

/**
 * 举报处理 (湖北省办法 第十条): the tip-offs routed to the caller's region, filtered by state and by when they
 * were received, with a drawer to read one, download its attachments and record its handling.
 */
export default function TipOffs() {
  const { t } = useTranslation();
  const { filter, page, setPage, update, reset } = useListFilter<TipFilter>();
  const [rows, setRows] = useState<TipOffRow[]>();
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [reloads, setReloads] = useState(0);
  const [selected, setSelected] = useState<number>();

  useEffect(() => {
    void reloads;
    let live = true;
    setLoading(true);
    // One row more than the page: whether a next page exists (the list answers no total).
    tipOffsApi
      .list(filter, page.pageSize + 1, (page.current - 1) * page.pageSize)
      .then((list) => {
        if (!live) return;
        setRows(list.slice(0, page.pageSize));
        setMore(list.length > page.pageSize);
        setError(undefined);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [filter, page, reloads]);

  const shown = rows ?? [];
  const first = (page.current - 1) * page.pageSize;

  return (
    <Card size="small" title={t('menu.tipOffs')}>
      <Space wrap size={[12, 8]} style={{ marginBottom: 12 }}>
        <Select
          data-testid="tip-state-filter"
          style={{ width: 140 }}
          value={filter.state ?? 'all'}
          onChange={(v: string) => update({ state: v === 'all' ? undefined : (v as TipState) })}
          options={[
            { value: 'all', label: t('tipOffsPage.allStates') },
            ...TIP_STATES.map((s) => ({ value: s, label: t(`tipOffsPage.states.${s}`) })),
          ]}
        />
        <DayRangePicker
          testId="tip-period"
          placeholder={[t('tipOffsPage.period'), t('tipOffsPage.period')]}
          from={filter.from}
          to={filter.to}
          onChange={update}
        />
        <Button onClick={reset}>{t('tipOffsPage.reset')}</Button>
        <Button icon={<ReloadOutlined />} onClick={() => setReloads((n) => n + 1)}>
          {t('tipOffsPage.refresh')}
        </Button>
        <Button
          icon={<DownloadOutlined />}
          href={tipOffsExportUrl(filter)}
          title={t('tipOffsPage.exportHint')}
        >
          {t('tipOffsPage.export')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<TipOffRow>
        data-testid="tip-table"
        size="small"
        rowKey="id"
        loading={loading && rows === undefined}
        dataSource={shown}
        locale={{ emptyText: t('tipOffsPage.empty') }}
        onRow={(r) => ({ onClick: () => setSelected(r.id), style: { cursor: 'pointer' } })}
        pagination={{
          ...page,
          // No total from the API: one page more while there is more.
          total: first + shown.length + (more ? 1 : 0),
          showSizeChanger: true,
          showTotal: () =>
            shown.length === 0 ? '' : t('tipOffsPage.more', { from: first + 1, to: first + shown.length }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        columns={[
          { title: t('tipOffsPage.id'), dataIndex: 'id', width: 72 },
          {
            title: t('tipOffsPage.receivedAt'),
            key: 'received',
            width: 140,
            render: (_, r) => beijing(Number(r.received_at)),
          },
          {
            title: t('tipOffsPage.category'),
            key: 'category',
            width: 100,
            render: (_, r) => <Tag>{t(`portalPage.categories.${r.category}`)}</Tag>,
          },
          {
            title: t('tipOffsPage.subject'),
            key: 'subject',
            ellipsis: true,
            render: (_, r) =>
              r.enterprise_id === null
                ? t('tipOffsPage.place', { region: r.region_name ?? r.region_code })
                : (r.enterprise_name ?? `#${r.enterprise_id}`),
          },
          { title: t('tipOffsPage.description'), dataIndex: 'description', ellipsis: true },
          {
            title: <PaperClipOutlined title={t('tipOffsPage.attachments')} />,
            key: 'attachments',
            width: 48,
            align: 'center',
            render: (_, r) => (r.attachments.length === 0 ? '' : r.attachments.length),
          },
          {
            title: t('tipOffsPage.state'),
            key: 'state',
            width: 90,
            render: (_, r) => (
              <Tag color={STATE_COLOURS[r.state]} data-testid="tip-state">
                {t(`tipOffsPage.states.${r.state}`)}
              </Tag>
            ),
          },
          {
            title: t('tipOffsPage.handledAt'),
            key: 'handled',
            width: 140,
            render: (_, r) =>
              r.handled_at === null ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                beijing(Number(r.handled_at))
              ),
          },
        ]}
      />
      <TipOffDrawer
        tip={shown.find((r) => r.id === selected)}
        onClose={() => setSelected(undefined)}
        onSaved={(saved) => setRows((list) => list?.map((r) => (r.id === saved.id ? saved : r)))}
      />
    </Card>
  );
}
