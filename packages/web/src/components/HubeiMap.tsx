import { LinesChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type EnterpriseState, STATE_COLOURS, STATES } from '../state';

echarts.use([GeoComponent, TooltipComponent, LegendComponent, ScatterChart, LinesChart, CanvasRenderer]);

interface HubeiMapData {
  readonly counties: object;
  readonly cityBorders: readonly (readonly [number, number])[][];
}

let registered: Promise<HubeiMapData> | undefined;

/** The map is generated at build time (scripts/build-hubei-map.mjs) and loaded as its own chunk. */
function hubei(): Promise<HubeiMapData> {
  registered ??= import('../generated/hubei.json').then((m) => {
    const data = (m.default ?? m) as unknown as HubeiMapData;
    echarts.registerMap('hubei', data.counties as Parameters<typeof echarts.registerMap>[1]);
    return data;
  });
  return registered;
}

export interface MapEnterprise {
  readonly id: number;
  readonly name: string;
  readonly longitude: number;
  readonly latitude: number;
  readonly state: EnterpriseState;
}

export function HubeiMap({
  enterprises,
  height = 520,
}: {
  enterprises: readonly MapEnterprise[];
  height?: number;
}) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const [data, setData] = useState<HubeiMapData>();
  useEffect(() => {
    void hubei().then(setData);
  }, []);
  useEffect(() => {
    if (element.current === null || data === undefined) return;
    const instance = echarts.init(element.current);
    chart.current = instance;
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = undefined;
    };
  }, [data]);
  useEffect(() => {
    if (chart.current === undefined || data === undefined) return;
    chart.current.setOption(
      {
        tooltip: { trigger: 'item' },
        legend: { bottom: 8, left: 8, orient: 'vertical', data: STATES.map((s) => t(`state.${s}`)) },
        geo: {
          map: 'hubei',
          roam: true,
          zoom: 1.1,
          itemStyle: { areaColor: '#eef5f3', borderColor: '#b7cfc9', borderWidth: 0.5 },
          emphasis: { itemStyle: { areaColor: '#d5ebe5' }, label: { show: true } },
          tooltip: { show: true, formatter: (p: { name: string }) => p.name },
        },
        series: [
          {
            type: 'lines',
            coordinateSystem: 'geo',
            polyline: true,
            silent: true,
            lineStyle: { color: '#5b8f84', width: 1.2, opacity: 0.9 },
            data: data.cityBorders.map((coords) => ({ coords })),
            tooltip: { show: false },
          },
          ...STATES.map((state) => ({
            type: 'scatter' as const,
            name: t(`state.${state}`),
            coordinateSystem: 'geo',
            symbolSize: state === 'normal' || state === 'offline' ? 7 : 10,
            itemStyle: { color: STATE_COLOURS[state], borderColor: '#fff', borderWidth: 0.5 },
            tooltip: { formatter: (p: { name: string }) => `${p.name}<br/>${t(`state.${state}`)}` },
            data: enterprises
              .filter((e) => e.state === state)
              .map((e) => ({ name: e.name, value: [e.longitude, e.latitude], id: e.id })),
          })),
        ],
      },
      { replaceMerge: ['series'] },
    );
  }, [data, enterprises, t]);
  return <div ref={element} style={{ width: '100%', height }} data-testid="hubei-map" />;
}
