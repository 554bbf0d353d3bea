import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Empty, Row, Spin, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type PublicFactor, publicApi } from '../../api/portal';
import { beijing } from '../../components/beijingTime';
import { BEIJING_SHIFT_MS, EChart, type EChartOption } from '../../components/EChart';
import { factorName } from '../../factors';
import { STATE_COLOURS } from '../../state';
import { useApi } from '../../useApi';

function FactorChart({ factor }: { factor: PublicFactor }) {
  const { t, i18n } = useTranslation();
  const exceeding = factor.hours.exceeding.some((e) => e === true);
  const option = useMemo<EChartOption>(
    () => ({
      useUTC: true,
      animation: false,
      grid: { left: 48, right: 16, top: 16, bottom: 24 },
      tooltip: {
        trigger: 'axis',
        formatter: (params: unknown) => {
          const p = (params as { value: [number, number | null] }[])[0];
          if (p === undefined) return '';
          return `${beijing(p.value[0] - BEIJING_SHIFT_MS, 'MM-DD HH:00')}<br/>${p.value[1] ?? '—'} ${factor.unit ?? ''}`;
        },
      },
      xAxis: { type: 'time', axisLabel: { formatter: '{HH}:00', hideOverlap: true } },
      yAxis: {
        type: 'value',
        scale: true,
        // Keep the limit line in view: at least 10 % above the limit.
        max: (v: { max: number }) =>
          factor.hourLimit === null || v.max >= factor.hourLimit
            ? v.max
            : Number((factor.hourLimit * 1.1).toPrecision(2)),
      },
      series: [
        {
          type: 'line',
          showSymbol: true,
          symbolSize: 4,
          connectNulls: false,
          data: factor.hours.t.map((t, i) => ({
            value: [t + BEIJING_SHIFT_MS, factor.hours.value[i] ?? null],
            itemStyle: factor.hours.exceeding[i] === true ? { color: '#f5222d' } : undefined,
          })),
          markLine:
            factor.hourLimit === null
              ? undefined
              : {
                  silent: true,
                  symbol: 'none',
                  lineStyle: { color: '#f5222d', type: 'dashed' },
                  label: {
                    formatter: `${t('portalPage.limit')} ${factor.hourLimit}`,
                    position: 'insideEndTop',
                  },
                  data: [{ yAxis: factor.hourLimit }],
                },
        },
      ],
    }),
    [factor, t],
  );
  return (
    <Card
      size="small"
      data-testid="portal-factor"
      title={
        <span>
          {factorName(factor.factorCode, i18n.language)}{' '}
          <Typography.Text type="secondary">{factor.unit}</Typography.Text>
        </span>
      }
      extra={
        <Tag color={exceeding ? 'red' : 'green'}>
          {exceeding ? t('portalPage.exceeding') : t('portalPage.compliant')}
        </Tag>
      }
    >
      {factor.hours.t.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('portalPage.noData')} />
      ) : (
        <EChart option={option} height={160} />
      )}
    </Card>
  );
}

/** An enterprise's public detail: the last 24 h of hourly values per factor with its limit. */
export function EnterpriseDetail({ id, onBack }: { id: number; onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const { data, error } = useApi(() => publicApi.enterprise(id));
  const open = data?.exceedances ?? data?.openExceedances;
  const openExceedances = open?.length;
  return (
    <div data-testid="portal-detail">
      <Button icon={<ArrowLeftOutlined />} onClick={onBack} style={{ marginBottom: 12 }}>
        {t('portalPage.back')}
      </Button>
      {error && <Alert type="error" title={error} showIcon />}
      {!data && !error && <Spin style={{ display: 'block', margin: 48 }} />}
      {data && (
        <>
          <Card size="small" style={{ marginBottom: 12 }}>
            <Descriptions size="small" column={{ xs: 1, md: 3, xl: 5 }} title={data.enterprise.name}>
              <Descriptions.Item label={t('portalPage.region')}>
                {data.enterprise.regionCode}
              </Descriptions.Item>
              <Descriptions.Item label={t('portalPage.industry')}>
                {data.enterprise.industryCode ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('portalPage.points')}>{data.points.length}</Descriptions.Item>
              <Descriptions.Item label={t('portalPage.state')}>
                <Tag color={STATE_COLOURS[data.enterprise.state]} data-testid="portal-detail-state">
                  {t(`state.${data.enterprise.state}`)}
                </Tag>
              </Descriptions.Item>
              {openExceedances !== undefined && (
                <Descriptions.Item label={t('portalPage.openExceedances')}>
                  <Typography.Text type={openExceedances > 0 ? 'danger' : undefined}>
                    {openExceedances}
                  </Typography.Text>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          {open !== undefined && open.length > 0 && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="portal-exceedances"
              title={t('portalPage.openExceedances')}
              description={open.map((x) => (
                <div key={`${x.pointId}-${x.factorCode}-${x.openedAt}`}>
                  {beijing(x.openedAt)} · #{x.pointId} ·{' '}
                  {x.factorCode === null ? x.type : factorName(x.factorCode, i18n.language)}
                  {x.peakValue !== null && ` · ${t('portalPage.peak')} ${x.peakValue}`}
                  {x.limitValue !== null && ` / ${t('portalPage.limit')} ${x.limitValue}`}
                </div>
              ))}
            />
          )}
          <Typography.Title level={5}>{t('portalPage.last24h')}</Typography.Title>
          {data.points.length === 0 && <Empty description={t('portalPage.noData')} />}
          {data.points.map((point) => (
            <Card
              key={point.pointId}
              size="small"
              title={`${t('portalPage.outlet')} #${point.pointId} · ${t(`portalPage.medium.${point.outletKind}`, { defaultValue: point.outletKind })}`}
              style={{ marginBottom: 12 }}
            >
              <Row gutter={[12, 12]}>
                {point.factors.map((f) => (
                  <Col key={f.factorCode} xs={24} md={12} xl={8}>
                    <FactorChart factor={f} />
                  </Col>
                ))}
              </Row>
            </Card>
          ))}
        </>
      )}
    </div>
  );
}
