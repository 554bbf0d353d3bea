import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

export interface RateBar {
  readonly key: string;
  readonly label: string;
  /** Percent, or null when nothing was expected. */
  readonly value: number | null;
  readonly below: boolean;
}

/** Bars of 有效传输率 (percent) per subject, red below the target, with the target as a line. */
export function RateChart({
  bars,
  target,
  title,
  onPick,
  height = 260,
}: {
  bars: readonly RateBar[];
  /** Percent. */
  target: number;
  title: string;
  onPick?: (key: string) => void;
  height?: number;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    if (element.current === null) return;
    const instance = echarts.init(element.current);
    chart.current = instance;
    instance.on('click', (p) => {
      const key = (p.data as { key?: string } | undefined)?.key;
      if (key !== undefined) pick.current?.(key);
    });
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = undefined;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(
      {
        title: undefined,
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toFixed(2)}%` : '—'),
        },
        grid: { left: 48, right: 24, top: 28, bottom: bars.length > 8 ? 80 : 40 },
        xAxis: {
          type: 'category',
          data: bars.map((b) => b.label),
          axisLabel: {
            interval: 0,
            rotate: bars.length > 8 ? 35 : 0,
            width: 120,
            overflow: 'truncate',
          },
        },
        yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        series: [
          {
            type: 'bar',
            name: title,
            barMaxWidth: 36,
            data: bars.map((b) => ({
              key: b.key,
              value: b.value === null ? null : Math.round(b.value * 100) / 100,
              itemStyle: { color: b.below ? '#f5222d' : '#0f7b6c' },
            })),
            markLine: {
              silent: true,
              symbol: 'none',
              lineStyle: { color: '#fa8c16', type: 'dashed' },
              label: { formatter: `${target}%`, position: 'end' },
              data: [{ yAxis: target }],
            },
          },
        ],
      },
      { notMerge: true },
    );
  }, [bars, target, title]);
  return <div ref={element} style={{ width: '100%', height }} data-testid="transmission-chart" />;
}
