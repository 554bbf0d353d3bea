// The ECharts option of the history page: one grid per factor stacked vertically, sharing one dataZoom;
// the hourly limit as a markLine, approved marks and alarms as markArea bands, invalid/suspect/exceeding
// samples as coloured scatter points. Times are shifted to Beijing and the chart runs in UTC.

import type { FactorSeries, SeriesResult } from '../../api/history';
import { BEIJING_SHIFT_MS, type EChartOption } from '../../components/EChart';
import { ALARM_COLOURS, alarmCategory } from '../../i18n/alarmTypes';

export const GRID_HEIGHT = 210;
const TOP = 36;
const BOTTOM = 64;

export function chartHeight(factors: number): number {
  return TOP + Math.max(1, factors) * GRID_HEIGHT + BOTTOM;
}

/** The value of sample `i` compared with the limit: 折算 for gas with a reference O₂. */
export function shownValue(f: FactorSeries, i: number): number | null {
  return f.limit?.onCorrected === true ? (f.corrected[i] ?? f.value[i] ?? null) : (f.value[i] ?? null);
}

export type SampleClass = 'invalid' | 'suspect' | 'exceeding' | undefined;

/**
 * Sample `i`'s class. Hour/day: the platform's validity; real-time/minute and unjudged periods (no
 * validity): a flag other than N counts as invalid.
 */
export function sampleClass(f: FactorSeries, i: number): SampleClass {
  const validity = f.validity?.[i] ?? null;
  if (validity === 'invalid' || validity === 'excluded') return 'invalid';
  if (validity === 'suspect') return 'suspect';
  const flag = f.flag[i] ?? null;
  if (validity === null && flag !== null && flag !== 'N') return 'invalid';
  if (f.exceeding[i] === true) return 'exceeding';
  return undefined;
}

const CLASS_COLOURS = { invalid: '#8c8c8c', suspect: '#faad14', exceeding: '#f5222d' } as const;
const MARK_COLOURS: Record<string, string> = {
  valid: 'rgba(82,196,26,0.15)',
  invalid: 'rgba(140,140,140,0.2)',
  stopped: 'rgba(24,144,255,0.12)',
  exempt: 'rgba(19,194,194,0.15)',
};

export interface ChartLabels {
  factorName(code: string): string;
  alarmName(type: string): string;
  markName(kind: string): string;
  classes: Record<'invalid' | 'suspect' | 'exceeding', string>;
  limit: string;
  lowerLimit: string;
}

const shift = (t: number) => t + BEIJING_SHIFT_MS;

/** Axis bounds that keep the limit lines in view (a markLine does not widen the axis by itself). */
export function withinAxis(upper: number | null, lower: number | null) {
  return {
    ...(upper === null ? {} : { max: (v: { max: number }) => niceUp(Math.max(v.max, upper * 1.1)) }),
    ...(lower === null ? {} : { min: (v: { min: number }) => niceDown(Math.min(v.min, lower * 0.9)) }),
  };
}

function step(x: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(Math.abs(x) || 1));
  return magnitude / 2;
}
const niceUp = (x: number) => Math.ceil(x / step(x)) * step(x);
const niceDown = (x: number) => Math.floor(x / step(x)) * step(x);

export function seriesOption(result: SeriesResult, labels: ChartLabels): EChartOption {
  const factors = result.factors;
  const xAxisIndex = factors.map((_, i) => i);
  const grid = factors.map((_, i) => ({
    left: 64,
    right: 32,
    top: TOP + i * GRID_HEIGHT,
    height: GRID_HEIGHT - 56,
    // The grids' margins hold their labels; ECharts 6's default ('auto') lays every axis out once more
    // beforehand to fit the labels inside the chart — ~20 % of the first setOption of 8 grids, for the
    // same picture here.
    outerBoundsMode: 'none' as const,
  }));
  const xAxis = factors.map((_, i) => ({
    type: 'time' as const,
    gridIndex: i,
    min: shift(result.from),
    max: shift(result.to),
    axisLabel: { hideOverlap: true },
  }));
  const yAxis = factors.map((f, i) => ({
    type: 'value' as const,
    gridIndex: i,
    scale: true,
    ...withinAxis(f.limit?.upper ?? null, f.limit?.lower ?? null),
    name: `${labels.factorName(f.factorCode)}${f.unit ? ` (${f.unit})` : ''}`,
    nameTextStyle: { align: 'left' as const, fontWeight: 'bold' as const },
    splitLine: { lineStyle: { type: 'dashed' as const } },
  }));
  const series: unknown[] = [];
  factors.forEach((f, i) => {
    // One pass over the columns: the line's points and the coloured samples by class.
    const line: [number, number | null][] = new Array(f.t.length);
    const classed = {
      invalid: [] as [number, number][],
      suspect: [] as [number, number][],
      exceeding: [] as [number, number][],
    };
    for (let k = 0; k < f.t.length; k++) {
      const x = shift(f.t[k] as number);
      const y = shownValue(f, k);
      line[k] = [x, y];
      const cls = y === null ? undefined : sampleClass(f, k);
      if (cls !== undefined) classed[cls].push([x, y as number]);
    }
    const marks = result.marks.filter(
      (m) => m.factorCode === '*' || m.factorCode.split('#')[0] === f.factorCode,
    );
    const alarms = result.alarms.filter(
      (a) => a.factorCode === null || a.factorCode === '*' || a.factorCode === f.factorCode,
    );
    const limitLines = [
      ...(f.limit?.upper != null ? [{ yAxis: f.limit.upper, name: labels.limit }] : []),
      ...(f.limit?.lower != null ? [{ yAxis: f.limit.lower, name: labels.lowerLimit }] : []),
    ];
    series.push({
      type: 'line',
      name: labels.factorName(f.factorCode),
      xAxisIndex: i,
      yAxisIndex: i,
      // A short series shows its points (a single value draws no line).
      showSymbol: f.t.length <= 60,
      symbolSize: 4,
      connectNulls: false,
      lineStyle: { width: 1.5 },
      color: '#0f7b6c',
      data: line,
      markLine:
        limitLines.length === 0
          ? undefined
          : {
              silent: true,
              symbol: 'none',
              lineStyle: { color: '#f5222d', type: 'dashed', width: 1.5 },
              label: { formatter: '{b} {c}', position: 'insideEndTop', color: '#f5222d' },
              data: limitLines,
            },
      markArea:
        marks.length === 0 && alarms.length === 0
          ? undefined
          : {
              data: [
                ...marks.map((m) => [
                  {
                    xAxis: shift(m.from),
                    name: labels.markName(m.kind),
                    itemStyle: { color: MARK_COLOURS[m.kind] ?? 'rgba(0,0,0,0.06)' },
                    label: { show: true, position: 'insideTopLeft', fontSize: 10, color: '#595959' },
                  },
                  { xAxis: shift(m.to) },
                ]),
                ...alarms.map((a) => [
                  {
                    xAxis: shift(Math.max(a.openedAt, result.from)),
                    name: labels.alarmName(a.type),
                    itemStyle: { color: ALARM_COLOURS[alarmCategory(a.type)].chart, opacity: 0.12 },
                    label: {
                      show: true,
                      position: 'insideTop',
                      fontSize: 10,
                      color: ALARM_COLOURS[alarmCategory(a.type)].chart,
                    },
                  },
                  { xAxis: shift(Math.min(a.closedAt ?? result.to, result.to)) },
                ]),
              ],
            },
    });
    for (const cls of ['invalid', 'suspect', 'exceeding'] as const) {
      series.push({
        type: 'scatter',
        name: labels.classes[cls],
        xAxisIndex: i,
        yAxisIndex: i,
        symbol: cls === 'exceeding' ? 'triangle' : 'circle',
        symbolSize: 7,
        itemStyle: { color: CLASS_COLOURS[cls] },
        z: 5,
        data: classed[cls],
      });
    }
  });
  return {
    useUTC: true,
    animation: false,
    legend: {
      top: 4,
      right: 32,
      data: [labels.classes.invalid, labels.classes.suspect, labels.classes.exceeding],
    },
    tooltip: { trigger: 'axis', axisPointer: { type: 'cross' } },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    grid,
    xAxis,
    yAxis,
    dataZoom: [
      { type: 'inside', xAxisIndex },
      { type: 'slider', xAxisIndex, bottom: 12, height: 24 },
    ],
    series,
  } as EChartOption;
}
