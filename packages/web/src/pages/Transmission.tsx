import { DownloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Col,
  DatePicker,
  Radio,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import {
  type PointRow,
  type ReportPeriod,
  type ReportSubject,
  type TransmissionQuery,
  type TransmissionReport,
  type TransmissionRow,
  type TransmissionView,
  transmissionApi,
} from '../api/transmission';
import { useAuth } from '../auth';
import '../i18n/transmission';
import { atToDayjs, beijingDate, currentAt, dayjsToAt, validAt } from './transmission/period';
import { type RateBar, RateChart } from './transmission/RateChart';

const PERIODS: readonly ReportPeriod[] = ['month', 'quarter', 'year'];
const SUBJECTS: readonly ReportSubject[] = ['region', 'enterprise', 'point'];

/** A row of the table: the report's row with what the point list tells about its subject. */
interface Line extends TransmissionRow {
  readonly key: string;
  readonly label: string;
  readonly detail?: string;
}

const pct = (r: number | null) => (r === null ? null : r * 100);

function Rate({ value, target }: { value: number | null; target: number }) {
  if (value === null) return <>—</>;
  const below = value * 100 <= target;
  return (
    <Typography.Text type={below ? 'danger' : undefined} strong={below}>
      {(value * 100).toFixed(2)}%
    </Typography.Text>
  );
}

function useReport(query: TransmissionQuery) {
  const [report, setReport] = useState<TransmissionReport>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const { period, at, subject, view } = query;
  useEffect(() => {
    let live = true;
    setLoading(true);
    transmissionApi
      .report({ period, at, subject, view })
      .then((r) => {
        if (!live) return;
        setReport(r);
        setError(undefined);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [period, at, subject, view]);
  return { report, error, loading };
}

/** 传输有效率: 应传/实传/有效 and the three rates per region, enterprise or point, with drill-down. */
export default function Transmission() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const period = (PERIODS as readonly string[]).includes(params.get('period') ?? '')
    ? (params.get('period') as ReportPeriod)
    : 'month';
  const atParam = params.get('at') ?? '';
  const at = validAt(period, atParam) ? atParam : currentAt(period);
  const view: TransmissionView = params.get('view') === 'first' ? 'first' : 'amended';
  const defaultSubject: ReportSubject = me?.enterpriseId != null ? 'enterprise' : 'region';
  const subject = (SUBJECTS as readonly string[]).includes(params.get('subject') ?? '')
    ? (params.get('subject') as ReportSubject)
    : defaultSubject;
  const regionFilter = params.get('region') ?? undefined;
  const enterpriseFilter = params.get('enterprise') ?? undefined;
  const query: TransmissionQuery = { period, at, subject, view };
  const { report, error, loading } = useReport(query);

  // The point list says which enterprise and region each point, and each enterprise, belongs to.
  const [points, setPoints] = useState<readonly PointRow[]>([]);
  useEffect(() => {
    transmissionApi
      .points()
      .then(setPoints)
      .catch(() => setPoints([]));
  }, []);
  const index = useMemo(() => {
    const byPoint = new Map(points.map((p) => [String(p.id), p]));
    const enterprises = new Map<string, { name: string; regionCode: string }>();
    for (const p of points)
      enterprises.set(String(p.enterpriseId), { name: p.enterpriseName, regionCode: p.regionCode });
    return { byPoint, enterprises };
  }, [points]);

  const [regionNames, setRegionNames] = useState<Record<string, string>>({});
  useEffect(() => {
    if (report?.subject !== 'region') return;
    setRegionNames((held) => ({
      ...held,
      ...Object.fromEntries(report.rows.map((r) => [r.subject.key, r.subject.label])),
    }));
  }, [report]);

  const changed = (change: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    return next;
  };
  const update = (change: Record<string, string | undefined>) => setParams(changed(change));
  /** A link to the same page with some parameters changed (drill-down and breadcrumb). */
  const to = (change: Record<string, string | undefined>) => `?${changed(change).toString()}`;

  const lines = useMemo<Line[]>(() => {
    if (report === undefined || report.subject !== subject) return [];
    return report.rows
      .filter((r) => {
        if (subject === 'enterprise' && regionFilter !== undefined)
          return index.enterprises.get(r.subject.key)?.regionCode === regionFilter;
        if (subject === 'point') {
          const p = index.byPoint.get(r.subject.key);
          if (enterpriseFilter !== undefined) return String(p?.enterpriseId) === enterpriseFilter;
          if (regionFilter !== undefined) return p?.regionCode === regionFilter;
        }
        return true;
      })
      .map((r) => {
        const p = subject === 'point' ? index.byPoint.get(r.subject.key) : undefined;
        return {
          ...r,
          key: r.subject.key,
          label: r.subject.label,
          detail:
            subject === 'region'
              ? r.subject.key
              : p === undefined
                ? undefined
                : `${p.enterpriseName} · ${p.outletCode} ${p.name}`,
        };
      });
  }, [report, subject, regionFilter, enterpriseFilter, index]);

  const target = (report?.target ?? 0.95) * 100;
  const totals = useMemo(() => {
    const expected = lines.reduce((s, l) => s + l.expected, 0);
    const valid = lines.reduce((s, l) => s + l.valid, 0);
    return {
      rate: expected === 0 ? null : valid / expected,
      below: lines.filter((l) => l.belowTarget).length,
    };
  }, [lines]);
  const bars = useMemo<RateBar[]>(
    () =>
      lines.map((l) => ({
        key: l.key,
        label: l.label,
        value: pct(l.effectiveTransmissionRate),
        below: l.belowTarget,
      })),
    [lines],
  );

  const drillTo = (key: string) =>
    subject === 'region'
      ? { subject: 'enterprise', region: key, enterprise: undefined }
      : { subject: 'point', enterprise: key };
  const drill = (key: string) => update(drillTo(key));

  const enterpriseName =
    enterpriseFilter === undefined ? undefined : index.enterprises.get(enterpriseFilter)?.name;
  const crumbs = [
    {
      key: 'all',
      title: (
        <Link to={to({ subject: defaultSubject, region: undefined, enterprise: undefined })}>
          {t('transmissionPage.all')}
        </Link>
      ),
    },
    ...(regionFilter === undefined
      ? []
      : [
          {
            key: 'region',
            title: (
              <Link to={to({ subject: 'enterprise', enterprise: undefined })}>
                {regionNames[regionFilter] ?? regionFilter}
              </Link>
            ),
          },
        ]),
    ...(enterpriseFilter === undefined
      ? []
      : [{ key: 'enterprise', title: <span>{enterpriseName ?? enterpriseFilter}</span> }]),
  ];

  const columns: ColumnsType<Line> = [
    {
      title: t(`transmissionPage.${subject}`),
      key: 'subject',
      render: (_, l) => (
        <span>
          {subject === 'point' ? (
            <Typography.Text data-testid="transmission-subject">{l.label}</Typography.Text>
          ) : (
            <Tooltip title={t('transmissionPage.drill')}>
              <Link to={to(drillTo(l.key))} data-testid="transmission-subject">
                {l.label}
              </Link>
            </Tooltip>
          )}
          {l.detail !== undefined && (
            <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>
              {l.detail}
            </Typography.Text>
          )}
        </span>
      ),
      sorter: (a, b) => a.label.localeCompare(b.label, 'zh-CN'),
    },
    {
      title: t('transmissionPage.expected'),
      dataIndex: 'expected',
      width: 80,
      align: 'right',
      sorter: (a, b) => a.expected - b.expected,
    },
    {
      title: t('transmissionPage.received'),
      dataIndex: 'received',
      width: 80,
      align: 'right',
      sorter: (a, b) => a.received - b.received,
    },
    {
      title: t('transmissionPage.valid'),
      dataIndex: 'valid',
      width: 80,
      align: 'right',
      sorter: (a, b) => a.valid - b.valid,
    },
    {
      title: t('transmissionPage.transmissionRate'),
      key: 'tr',
      width: 110,
      align: 'right',
      render: (_, l) => <Rate value={l.transmissionRate} target={target} />,
      sorter: (a, b) => (a.transmissionRate ?? -1) - (b.transmissionRate ?? -1),
    },
    {
      title: t('transmissionPage.validityRate'),
      key: 'vr',
      width: 110,
      align: 'right',
      render: (_, l) => <Rate value={l.validityRate} target={target} />,
      sorter: (a, b) => (a.validityRate ?? -1) - (b.validityRate ?? -1),
    },
    {
      title: t('transmissionPage.effectiveRate'),
      key: 'etr',
      width: 110,
      align: 'right',
      render: (_, l) =>
        l.effectiveTransmissionRate === null ? (
          '—'
        ) : (
          <Typography.Text type={l.belowTarget ? 'danger' : 'success'} strong data-testid="transmission-rate">
            {(l.effectiveTransmissionRate * 100).toFixed(2)}%
          </Typography.Text>
        ),
      sorter: (a, b) => (a.effectiveTransmissionRate ?? -1) - (b.effectiveTransmissionRate ?? -1),
    },
    {
      title: t('transmissionPage.captureRate'),
      key: 'cr',
      width: 110,
      align: 'right',
      render: (_, l) => (l.captureRate === null ? '—' : `${(l.captureRate * 100).toFixed(2)}%`),
    },
    {
      title: '',
      key: 'flag',
      width: 80,
      render: (_, l) => (l.belowTarget ? <Tag color="red">{t('transmissionPage.belowTarget')}</Tag> : null),
    },
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap size={16}>
          <Space>
            <Typography.Text type="secondary">{t('transmissionPage.period')}</Typography.Text>
            <Segmented<ReportPeriod>
              data-testid="transmission-period"
              value={period}
              options={PERIODS.map((p) => ({ value: p, label: t(`transmissionPage.${p}`) }))}
              onChange={(p) => update({ period: p, at: currentAt(p) })}
            />
            <DatePicker
              data-testid="transmission-at"
              picker={period === 'month' ? 'month' : period}
              allowClear={false}
              value={atToDayjs(period, at)}
              disabledDate={(d) => dayjsToAt(period, d) > currentAt(period)}
              onChange={(d) => d && update({ at: dayjsToAt(period, d) })}
            />
          </Space>
          <Space>
            <Typography.Text type="secondary">{t('transmissionPage.view')}</Typography.Text>
            <Radio.Group
              data-testid="transmission-view"
              optionType="button"
              buttonStyle="solid"
              value={view}
              onChange={(e) => update({ view: e.target.value as string })}
              options={[
                { value: 'first', label: t('transmissionPage.first') },
                { value: 'amended', label: t('transmissionPage.amended') },
              ]}
            />
          </Space>
          <Space>
            <Typography.Text type="secondary">{t('transmissionPage.subject')}</Typography.Text>
            <Segmented<ReportSubject>
              data-testid="transmission-subject-switch"
              value={subject}
              options={SUBJECTS.map((s) => ({ value: s, label: t(`transmissionPage.${s}`) }))}
              onChange={(s) => update({ subject: s, region: undefined, enterprise: undefined })}
            />
          </Space>
          <Tooltip title={t('transmissionPage.exportHint')}>
            <Button
              icon={<DownloadOutlined />}
              href={transmissionApi.exportUrl(query)}
              data-testid="transmission-export"
            >
              {t('transmissionPage.export')}
            </Button>
          </Tooltip>
        </Space>
      </Card>
      {error && <Alert type="error" title={error} showIcon />}
      {report !== undefined && report.to > Date.now() && (
        <Alert
          type="info"
          showIcon
          title={t('transmissionPage.ongoing')}
          data-testid="transmission-ongoing"
        />
      )}
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Card size="small" loading={report === undefined && !error}>
            <Statistic
              title={`${t('transmissionPage.overall')} (${t('transmissionPage.target', { target })})`}
              value={totals.rate === null ? '—' : totals.rate * 100}
              precision={2}
              suffix={totals.rate === null ? undefined : '%'}
              styles={{
                content: {
                  color: totals.rate !== null && totals.rate * 100 <= target ? '#f5222d' : '#0f7b6c',
                },
              }}
              data-testid="transmission-overall"
            />
          </Card>
        </Col>
        <Col xs={12} md={8}>
          <Card size="small" loading={report === undefined && !error}>
            <Statistic
              title={t('transmissionPage.belowTarget')}
              value={totals.below}
              suffix={`/ ${lines.length}`}
              styles={{ content: { color: totals.below > 0 ? '#f5222d' : undefined } }}
            />
          </Card>
        </Col>
        <Col xs={12} md={8}>
          <Card size="small" loading={report === undefined && !error}>
            <Statistic
              title={t('transmissionPage.period')}
              value={report === undefined ? '' : `${report.at} · ${t(`transmissionPage.${report.view}`)}`}
              data-testid="transmission-shown"
            />
            {report && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('transmissionPage.period_range', {
                  from: beijingDate(report.from),
                  to: beijingDate(report.to - 1),
                })}
              </Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title={<Breadcrumb items={crumbs} data-testid="transmission-crumbs" />}
        extra={
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('transmissionPage.expected')}/{t('transmissionPage.received')}/{t('transmissionPage.valid')}:{' '}
            {t('transmissionPage.hours')}
            {subject === 'point' ? ` · ${t('transmissionPage.factorNote')}` : ''}
          </Typography.Text>
        }
      >
        <Typography.Text strong>
          {t('transmissionPage.chart', { subject: t(`transmissionPage.${subject}`) })}
        </Typography.Text>
        <RateChart
          bars={bars}
          target={target}
          title={t('transmissionPage.effectiveRate')}
          onPick={subject === 'point' ? undefined : drill}
        />
        <Table<Line>
          data-testid="transmission-table"
          size="small"
          rowKey="key"
          loading={loading}
          dataSource={lines}
          columns={columns}
          locale={{ emptyText: t('transmissionPage.none') }}
          pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          onHeaderRow={() => ({ style: { whiteSpace: 'nowrap' } })}
        />
      </Card>
    </Space>
  );
}
