import { Alert, Descriptions, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  archiveApi,
  type Outlet,
  type PointFactor,
  type StandardLimit,
  standardsApi,
} from '../../api/archive';
import type { PointRow } from '../../api/transmission';
import { factorName } from '../../factors';
import { orDash, rangeText } from './format';
import { useLoad } from './useLoad';

const STATUS_COLOURS: Record<string, string> = {
  active: 'green',
  running: 'green',
  stopped: 'orange',
  removed: 'default',
};

function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOURS[status] ?? 'blue'}>
      {t(`archivePage.statuses.${status}`, { defaultValue: status })}
    </Tag>
  );
}

/** One point's registration and factors, with the limits of its own and of the outlet's standard. */
function PointFactors({ pointId }: { pointId: number }) {
  const { t, i18n } = useTranslation();
  const { data, error } = useLoad(() => archiveApi.point(pointId), [pointId]);
  if (error) return <Alert type="error" title={error} showIcon />;
  const limits = new Map<string, StandardLimit[]>();
  for (const l of data?.standard?.limits ?? [])
    limits.set(l.factorCode, [...(limits.get(l.factorCode) ?? []), l]);
  return (
    <div data-testid="archive-point-detail">
      {data && (
        <Descriptions
          size="small"
          column={4}
          style={{ marginBottom: 8 }}
          items={[
            { key: 'protocol', label: t('archivePage.protocol'), children: `HJ 212-${data.protocolVersion}` },
            {
              key: 'intervals',
              label: t('archivePage.intervals'),
              children: `${data.realtimeIntervalS} s / ${data.minuteIntervalMin} min`,
            },
            { key: 'accepted', label: t('archivePage.accepted'), children: orDash(data.acceptedOn) },
            { key: 'filed', label: t('archivePage.filed'), children: orDash(data.filedOn) },
            {
              key: 'standard',
              label: t('archivePage.standard'),
              span: 4,
              children:
                data.standard === null ? (
                  <Typography.Text type="secondary">{t('archivePage.noStandard')}</Typography.Text>
                ) : (
                  `${data.standard.code} ${data.standard.name}`
                ),
            },
          ]}
        />
      )}
      <Table<PointFactor>
        size="small"
        rowKey="factorCode"
        loading={data === undefined}
        dataSource={data?.factors ?? []}
        pagination={false}
        columns={[
          {
            title: t('archivePage.factor'),
            dataIndex: 'factorCode',
            render: (c: string) => factorName(c, i18n.language),
          },
          { title: t('archivePage.unit'), dataIndex: 'unit' },
          {
            title: t('archivePage.range'),
            key: 'range',
            render: (_, f) => rangeText(f.rangeLow, f.rangeHigh),
          },
          { title: t('archivePage.hourLimit'), dataIndex: 'hourLimit', align: 'right', render: orDash },
          { title: t('archivePage.dayLimit'), dataIndex: 'dayLimit', align: 'right', render: orDash },
          {
            title: t('archivePage.standardLimit'),
            key: 'standard',
            render: (_, f) =>
              (limits.get(f.factorCode) ?? []).map((l) => (
                <div key={l.id}>
                  {t(`archivePage.periods.${l.period}`)} {l.limitValue} {l.unit}
                  {l.appliesTo ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {' '}
                      ({l.appliesTo})
                    </Typography.Text>
                  ) : null}
                </div>
              )),
          },
          {
            title: t('archivePage.alarm'),
            key: 'alarm',
            render: (_, f) => rangeText(f.alarmLow, f.alarmHigh),
          },
          {
            title: t('archivePage.assessed'),
            dataIndex: 'assessed',
            render: (a: boolean) => (a ? <Tag color="blue">{t('archivePage.yes')}</Tag> : ''),
          },
        ]}
      />
    </div>
  );
}

/** The enterprise's outlets, each with its points; a point opens to its factors and limits. */
export function OutletsTab({ enterpriseId, points }: { enterpriseId: number; points: readonly PointRow[] }) {
  const { t } = useTranslation();
  const { data, error } = useLoad(
    () => Promise.all([archiveApi.outlets(enterpriseId), standardsApi.list().catch(() => [])]),
    [enterpriseId],
  );
  const pointsOf = useMemo(() => {
    const map = new Map<number, PointRow[]>();
    for (const p of points) map.set(p.outletId, [...(map.get(p.outletId) ?? []), p]);
    return map;
  }, [points]);
  const standards = useMemo(() => new Map((data?.[1] ?? []).map((s) => [s.id, s])), [data]);
  if (error) return <Alert type="error" title={error} showIcon />;
  if (data === undefined) return <Table loading size="small" />;
  return (
    <Table<Outlet>
      data-testid="archive-outlets"
      size="small"
      rowKey="id"
      dataSource={data[0]}
      pagination={false}
      expandable={{
        defaultExpandAllRows: data[0].length <= 6,
        rowExpandable: (o) => (pointsOf.get(o.id) ?? []).length > 0,
        expandedRowRender: (o) => (
          <Table<PointRow>
            data-testid="archive-points"
            size="small"
            rowKey="id"
            dataSource={pointsOf.get(o.id) ?? []}
            pagination={false}
            expandable={{ expandedRowRender: (p) => <PointFactors pointId={p.id} /> }}
            columns={[
              { title: t('archivePage.pointName'), dataIndex: 'name' },
              {
                title: t('archivePage.mn'),
                dataIndex: 'mn',
                render: (mn: string) => <Typography.Text code>{mn}</Typography.Text>,
              },
              { title: t('archivePage.protocol'), dataIndex: 'protocolVersion' },
              { title: t('archivePage.inService'), dataIndex: 'inServiceOn', render: orDash },
              {
                title: t('archivePage.status'),
                dataIndex: 'status',
                render: (s: string) => <StatusTag status={s} />,
              },
            ]}
          />
        ),
      }}
      columns={[
        {
          title: t('archivePage.outletCode'),
          dataIndex: 'code',
          render: (c: string) => (
            <Typography.Text strong data-testid="archive-outlet">
              {c}
            </Typography.Text>
          ),
        },
        { title: t('archivePage.outletName'), dataIndex: 'name' },
        {
          title: t('archivePage.kind'),
          dataIndex: 'kind',
          render: (k: string) => (
            <Tag color={k === 'water' ? 'blue' : 'purple'}>
              {t(`archivePage.kinds.${k}`, { defaultValue: k })}
            </Tag>
          ),
        },
        {
          title: t('archivePage.standard'),
          dataIndex: 'standardId',
          render: (id: number | null) => {
            if (id === null) return '—';
            const s = standards.get(id);
            return s === undefined ? `#${id}` : `${s.code} ${s.name}`;
          },
        },
        { title: t('archivePage.referenceO2'), dataIndex: 'referenceO2', align: 'right', render: orDash },
        { title: t('archivePage.stackHeight'), dataIndex: 'stackHeightM', align: 'right', render: orDash },
        {
          title: t('archivePage.points'),
          key: 'points',
          align: 'right',
          render: (_, o) => (pointsOf.get(o.id) ?? []).length,
        },
        {
          title: t('archivePage.status'),
          dataIndex: 'status',
          render: (s: string) => <StatusTag status={s} />,
        },
      ]}
    />
  );
}
