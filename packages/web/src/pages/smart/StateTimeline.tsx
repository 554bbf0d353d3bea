// The instrument working-state timeline (i12001) of a point: one row per instrument (PolId), one coloured
// bar per state episode, on a Beijing-time axis. Drawn with ECharts' custom series over the shared wrapper.
import { DEVICE_INFO_CODES } from '@qingyuan/hj212';
import { Empty, Tag } from 'antd';
import { CustomChart } from 'echarts/charts';
import * as echarts from 'echarts/core';
import i18next from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceInfoItem } from '../../api/operations';
import { beijing } from '../../components/beijingTime';
import { BEIJING_SHIFT_MS, EChart, type EChartOption } from '../../components/EChart';
import { factorName } from '../../factors';

echarts.use([CustomChart]);

/** Colours of the i12001 values (HJ 212-2017 表 B.10); others grey. */
export const STATE_COLOURS: Readonly<Record<string, string>> = {
  '0': '#52c41a',
  '1': '#fa8c16',
  '2': '#f5222d',
  '3': '#1677ff',
  '5': '#13c2c2',
  '6': '#a8071a',
  '7': '#73d13d',
  '8': '#2f54eb',
  '9': '#bfbfbf',
  '10': '#d48806',
};
export const stateColour = (value: string) => STATE_COLOURS[value.trim()] ?? '#8c8c8c';

type Translate = ReturnType<typeof useTranslation>['t'];

/** The i12001 values the standard defines (HJ 212-2017 表 B.10, from the codec's table). */
const STATE_NAMES = new Map(
  (DEVICE_INFO_CODES.find((c) => c.code === 'i12001')?.values ?? []).map((v) => [String(v.value), v]),
);

/** The name of an i12001 value (运行, 维护…), or "状态 n" for values the standard does not define. */
export function stateLabel(t: Translate, value: string): string {
  const v = value.trim();
  const named = STATE_NAMES.get(v);
  if (named === undefined) return t('smartPage.stateValue', { value: v });
  return i18next.language === 'en' ? named.nameEn : named.nameZh;
}

interface Segment {
  readonly row: number;
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/** When the state began: the device's time, but never after the platform received it. */
const startOf = (item: DeviceInfoItem) => Math.min(item.observedAt ?? item.receivedAt, item.receivedAt);

export function segments(
  history: readonly DeviceInfoItem[],
  from: number,
  to: number,
): { rows: string[]; segments: Segment[] } {
  const byPol = new Map<string, DeviceInfoItem[]>();
  for (const item of history) byPol.set(item.polId, [...(byPol.get(item.polId) ?? []), item]);
  const rows = [...byPol.keys()].sort();
  const out: Segment[] = [];
  rows.forEach((polId, row) => {
    const items = [...(byPol.get(polId) ?? [])].sort((a, b) => startOf(a) - startOf(b));
    items.forEach((item, i) => {
      const next = items[i + 1];
      const start = Math.max(startOf(item), from);
      const end = Math.min(next === undefined ? to : startOf(next), to);
      if (end > start) out.push({ row, start, end, value: item.value.trim() });
    });
  });
  return { rows, segments: out };
}

export function StateTimeline({
  history,
  from,
  to,
}: {
  history: readonly DeviceInfoItem[];
  from: number;
  to: number;
}) {
  const { t, i18n } = useTranslation();
  const data = useMemo(() => segments(history, from, to), [history, from, to]);
  const stateName = (v: string) => stateLabel(t, v);
  const option = useMemo<EChartOption>(() => {
    const labels = data.rows.map((p) => (p === '' ? t('smartPage.logger') : factorName(p, i18n.language)));
    return {
      useUTC: true,
      animation: false,
      grid: { left: 8, right: 24, top: 8, bottom: 28, containLabel: true },
      tooltip: {
        formatter: (p: unknown) => {
          const v = (p as { value: [number, number, number, string] }).value;
          return `${labels[v[0]]}<br/>${stateLabel(t, v[3])} (${v[3]})<br/>${beijing(v[1] - BEIJING_SHIFT_MS)} → ${beijing(v[2] - BEIJING_SHIFT_MS)}`;
        },
      },
      xAxis: {
        type: 'time',
        min: from + BEIJING_SHIFT_MS,
        max: to + BEIJING_SHIFT_MS,
        axisLabel: { hideOverlap: true },
      },
      yAxis: { type: 'category', data: labels, inverse: true, axisTick: { show: false } },
      series: [
        {
          type: 'custom',
          encode: { x: [1, 2], y: 0 },
          renderItem: ((_params: unknown, api: CustomApi) => {
            const row = api.value(0);
            const start = api.coord([api.value(1), row]);
            const end = api.coord([api.value(2), row]);
            const height = api.size([0, 1])[1] * 0.6;
            return {
              type: 'rect',
              shape: { x: start[0], y: start[1] - height / 2, width: Math.max(1, end[0] - start[0]), height },
              style: { fill: api.visual('color') },
            };
          }) as never,
          data: data.segments.map((s) => ({
            value: [s.row, s.start + BEIJING_SHIFT_MS, s.end + BEIJING_SHIFT_MS, s.value],
            itemStyle: { color: stateColour(s.value) },
          })),
        },
      ],
    } as EChartOption;
  }, [data, from, to, t, i18n.language]);
  if (data.segments.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('smartPage.noHistory')} />;
  const shown = [...new Set(data.segments.map((s) => s.value))].sort((a, b) => Number(a) - Number(b));
  return (
    <div data-testid="state-timeline">
      <EChart option={option} height={Math.max(120, 40 + data.rows.length * 32)} />
      <div>
        {shown.map((v) => (
          <Tag key={v} color={stateColour(v)}>
            {stateName(v)}
          </Tag>
        ))}
      </div>
    </div>
  );
}

interface CustomApi {
  value(dim: number): number;
  coord(point: [number, number]): [number, number];
  size(size: [number, number]): [number, number];
  visual(name: string): string;
}
