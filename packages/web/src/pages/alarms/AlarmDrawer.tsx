import { LineChartOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Empty, Spin, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AlarmDetail } from '../../api/alarms';
import { api } from '../../api/client';
import { beijing } from '../../components/beijingTime';
import { BEIJING_SHIFT_MS, EChart, type EChartOption } from '../../components/EChart';
import { factorName } from '../../factors';
import { ALARM_COLOURS, alarmCategory, alarmTypeName } from '../../i18n/alarmTypes';
import { withinAxis } from '../history/seriesChart';

type T = (key: string, options?: Record<string, unknown>) => string;

export function durationText(from: number, to: number, t: T): string {
  const minutes = Math.max(0, Math.round((to - from) / 60_000));
  if (minutes < 60) return t('alarmsPage.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('alarmsPage.hours', { h: hours, m: minutes % 60 });
  return t('alarmsPage.days', { d: Math.floor(hours / 24), h: hours % 24 });
}

function detailText(value: unknown): string {
  if (typeof value === 'number' && value > 1e12 && value < 4e12) return beijing(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function chartOption(detail: AlarmDetail, t: T, language: string): EChartOption {
  const shift = (ms: number) => ms + BEIJING_SHIFT_MS;
  const { alarm, window } = detail;
  const colour = ALARM_COLOURS[alarmCategory(alarm.type)].chart;
  const byFactor = new Map<string, AlarmDetail['series'][number][]>();
  for (const s of detail.series) byFactor.set(s.factorCode, [...(byFactor.get(s.factorCode) ?? []), s]);
  const series: unknown[] = [];
  let first = true;
  for (const [code, points] of byFactor) {
    const name = factorName(code, language);
    const mark = first
      ? {
          markArea: {
            silent: true,
            itemStyle: { color: colour, opacity: 0.12 },
            label: { color: colour },
            data: [
              [
                { xAxis: shift(alarm.openedAt), name: t('alarmsPage.episode') },
                { xAxis: shift(alarm.closedAt ?? window.to) },
              ],
            ],
          },
          ...(alarm.limitValue === null
            ? {}
            : {
                markLine: {
                  silent: true,
                  symbol: 'none',
                  lineStyle: { color: '#f5222d', type: 'dashed' },
                  label: {
                    formatter: `${t('alarmsPage.limit')} {c}`,
                    position: 'insideEndTop',
                    color: '#f5222d',
                  },
                  data: [{ yAxis: alarm.limitValue }],
                },
              }),
        }
      : {};
    first = false;
    series.push({
      type: 'line',
      name: `${name} ${t('alarmsPage.avg')}`,
      showSymbol: true,
      symbolSize: 4,
      data: points.map((p) => [shift(p.periodStart), p.avg]),
      ...mark,
    });
    if (points.some((p) => p.zsAvg !== null))
      series.push({
        type: 'line',
        name: `${name} ${t('alarmsPage.corrected')}`,
        showSymbol: true,
        symbolSize: 4,
        lineStyle: { type: 'dotted' },
        data: points.map((p) => [shift(p.periodStart), p.zsAvg]),
      });
  }
  return {
    useUTC: true,
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 56, right: 24, top: 40, bottom: 56 },
    xAxis: { type: 'time', min: shift(window.from), max: shift(window.to) },
    yAxis: { type: 'value', scale: true, ...withinAxis(alarm.limitValue, null) },
    dataZoom: [{ type: 'inside' }, { type: 'slider', bottom: 8, height: 20 }],
    series,
  } as EChartOption;
}

/** The detail of one alarm episode: its facts and the hourly data of its factor around it with the limit. */
export function AlarmDrawer({ id, onClose }: { id: number | undefined; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [detail, setDetail] = useState<AlarmDetail>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (id === undefined) return;
    let live = true;
    setDetail(undefined);
    setError(undefined);
    api
      .get<AlarmDetail>(`/alarms/${id}`)
      .then((d) => live && setDetail(d))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [id]);
  const option = useMemo(
    () =>
      detail === undefined || detail.series.length === 0 ? undefined : chartOption(detail, t, i18n.language),
    [detail, t, i18n.language],
  );
  const alarm = detail?.alarm;
  const historyLink =
    detail === undefined || alarm === undefined
      ? undefined
      : `/history?${new URLSearchParams({
          point: String(alarm.pointId),
          period: 'hour',
          from: String(detail.window.from),
          to: String(detail.window.to),
          ...(alarm.factorCode === null || alarm.factorCode === '*' ? {} : { factor: alarm.factorCode }),
        }).toString()}`;
  return (
    <Drawer
      open={id !== undefined}
      onClose={onClose}
      size={760}
      title={
        alarm === undefined ? (
          t('alarmsPage.detail')
        ) : (
          <span data-testid="alarm-detail-title">
            <Tag color={ALARM_COLOURS[alarmCategory(alarm.type)].tag}>{alarmTypeName(alarm.type, t)}</Tag>
            {alarm.enterpriseName} · {alarm.pointName}
          </span>
        )
      }
      extra={
        historyLink && (
          <Link to={historyLink}>
            <Button icon={<LineChartOutlined />} size="small">
              {t('alarmsPage.history')}
            </Button>
          </Link>
        )
      }
    >
      {error && <Alert type="error" showIcon title={error} />}
      {detail === undefined || alarm === undefined ? (
        !error && <Spin style={{ display: 'block', margin: '20vh auto' }} />
      ) : (
        <div data-testid="alarm-detail">
          <Descriptions size="small" bordered column={2}>
            <Descriptions.Item label={t('alarmsPage.id')}>{alarm.id}</Descriptions.Item>
            <Descriptions.Item label={t('alarmsPage.state')}>
              {alarm.open ? (
                <Tag color="red">{t('alarmsPage.open')}</Tag>
              ) : (
                <Tag>{t('alarmsPage.closed')}</Tag>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('alarmsPage.enterprise')} span={2}>
              {alarm.enterpriseName}
            </Descriptions.Item>
            <Descriptions.Item label={t('alarmsPage.point')} span={2}>
              {alarm.pointName} <Typography.Text type="secondary">{alarm.mn}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('alarmsPage.factor')}>
              {alarm.factorCode === null || alarm.factorCode === '*'
                ? t('alarmsPage.wholePoint')
                : factorName(alarm.factorCode, i18n.language)}
            </Descriptions.Item>
            <Descriptions.Item label={t('alarmsPage.duration')}>
              {durationText(alarm.openedAt, alarm.closedAt ?? Date.now(), t)}
              {alarm.open && ` (${t('alarmsPage.ongoing')})`}
            </Descriptions.Item>
            <Descriptions.Item label={t('alarmsPage.openedAt')}>{beijing(alarm.openedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('alarmsPage.closedAt')}>
              {alarm.closedAt === null ? '—' : beijing(alarm.closedAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('alarmsPage.peak')}>{alarm.peakValue ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('alarmsPage.limit')}>{alarm.limitValue ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('alarmsPage.ruleVersion')} span={2}>
              {alarm.ruleVersion}
            </Descriptions.Item>
            {Object.keys(alarm.detail).length > 0 && (
              <Descriptions.Item label={t('alarmsPage.details')} span={2}>
                {Object.entries(alarm.detail).map(([k, v]) => (
                  <div key={k}>
                    <Typography.Text type="secondary">{k}</Typography.Text>: {detailText(v)}
                  </div>
                ))}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('alarmsPage.chart')}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
              {t('alarmsPage.window', { from: beijing(detail.window.from), to: beijing(detail.window.to) })}
            </Typography.Text>
          </Typography.Title>
          {option === undefined ? (
            <Empty description={t('alarmsPage.noSeries')} />
          ) : (
            <EChart testId="alarm-chart" option={option} height={320} />
          )}
        </div>
      )}
    </Drawer>
  );
}
