// The overview's trends (GET /overview/trends): per Beijing day, the 有效传输率 (line, left axis, with the
// target) and the exceedance and anomaly episodes opened (bars, right axis). Its own chunk: the map comes first.
import { BarChart } from 'echarts/charts';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { OverviewTrends } from '../../api/overview';
import { EChart, type EChartOption } from '../../components/EChart';

echarts.use([BarChart]);

export default function TrendsChart({ trends }: { trends: OverviewTrends }) {
  const { t } = useTranslation();
  const option = useMemo<EChartOption>(() => {
    const days = trends.series;
    const rate = t('overviewPage.effectiveRate');
    const exceedances = t('overviewPage.exceedances');
    const anomalies = t('overviewPage.anomalies');
    return {
      // Drawn once, at once: the page's map is still settling.
      animation: false,
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : String(v)),
      },
      legend: { top: 0, data: [rate, exceedances, anomalies] },
      grid: { left: 44, right: 40, top: 40, bottom: 24 },
      xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
      yAxis: [
        { type: 'value', name: t('overviewPage.rateAxis'), min: 0, max: 100 },
        { type: 'value', name: t('overviewPage.countAxis'), minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        {
          type: 'line',
          name: rate,
          yAxisIndex: 0,
          color: '#0f7b6c',
          symbolSize: days.length > 10 ? 4 : 6,
          data: days.map((d) =>
            d.effectiveTransmissionRate === null ? null : Math.round(d.effectiveTransmissionRate * 1000) / 10,
          ),
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { color: '#faad14', type: 'dashed' },
            label: { formatter: `${trends.target * 100}%` },
            data: [{ yAxis: trends.target * 100 }],
          },
        },
        {
          type: 'bar',
          name: exceedances,
          yAxisIndex: 1,
          color: '#f5222d',
          barMaxWidth: 12,
          data: days.map((d) => d.exceedances),
        },
        {
          type: 'bar',
          name: anomalies,
          yAxisIndex: 1,
          color: '#fa8c16',
          barMaxWidth: 12,
          data: days.map((d) => d.anomalies),
        },
      ],
    };
  }, [trends, t]);
  return <EChart option={option} height={280} testId="overview-trends" />;
}
