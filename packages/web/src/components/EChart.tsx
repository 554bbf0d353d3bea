// A small ECharts wrapper for line/scatter charts (time series): init on mount, setOption on change,
// resize with the window and the element, dispose on unmount. Only the modules registered here are bundled.
import { LineChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { type CSSProperties, useEffect, useRef } from 'react';

echarts.use([
  LineChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  TitleComponent,
  DataZoomComponent,
  MarkLineComponent,
  MarkAreaComponent,
  MarkPointComponent,
  CanvasRenderer,
]);

export type EChartOption = Parameters<echarts.ECharts['setOption']>[0];

/** Beijing time on a time axis: shift instants by this and set `useUTC: true` (see beijingTime.ts). */
export const BEIJING_SHIFT_MS = 8 * 3_600_000;

export function EChart({
  option,
  height = 320,
  style,
  testId,
}: {
  option: EChartOption;
  height?: number;
  style?: CSSProperties;
  testId?: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  useEffect(() => {
    if (element.current === null) return;
    const instance = echarts.init(element.current);
    chart.current = instance;
    // Only on a real change of size: a ResizeObserver reports the element once as soon as it observes it,
    // and a resize re-lays out and redraws the whole chart (on the history page's 8 grids ~0.15 s).
    const resize = () => {
      const target = element.current;
      if (
        target === null ||
        (target.clientWidth === instance.getWidth() && target.clientHeight === instance.getHeight())
      )
        return;
      instance.resize();
    };
    const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(resize);
    observer?.observe(element.current);
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      observer?.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return <div ref={element} data-testid={testId} style={{ width: '100%', height, ...style }} />;
}
