import { LinesChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type EnterpriseState, STATE_COLOURS, STATES } from '../state';

echarts.use([GeoComponent, TooltipComponent, LegendComponent, ScatterChart, LinesChart, CanvasRenderer]);

/** A line in ECharts' compressed coordinates: zig-zag deltas on a 1/1024° grid from `offset`, as chars. */
interface EncodedLine {
  readonly text: string;
  readonly offset: readonly [number, number];
}

type Ring = [number, number][];

/** A county as scripts/build-hubei-map.mjs writes it (`adcode`: today's GB/T 2260 code). */
interface CountyFeature {
  readonly type: 'Feature';
  readonly properties: { readonly name: string; readonly adcode: string };
  readonly geometry: { readonly type: 'MultiPolygon'; readonly coordinates: Ring[][] };
}

interface HubeiMapData {
  readonly counties: readonly CountyFeature[];
  readonly cityBorders: readonly Ring[];
}

/** Longitude/latitude pairs of an encoded line (the decoding echarts.registerMap would apply). */
function decodeLine({ text, offset }: EncodedLine): Ring {
  let [x, y] = offset;
  const out: Ring = [];
  for (let i = 0; i < text.length; i += 2) {
    const dx = text.charCodeAt(i) - 64;
    const dy = text.charCodeAt(i + 1) - 64;
    x += (dx >> 1) ^ -(dx & 1);
    y += (dy >> 1) ^ -(dy & 1);
    out.push([x / 1024, y / 1024]);
  }
  return out;
}

let registered: Promise<HubeiMapData> | undefined;

/**
 * The map is generated at build time (scripts/build-hubei-map.mjs) and loaded as its own chunk, once;
 * preload.ts asks for it while the application boots. The counties are decoded here, once (ECharts would
 * decode a compressed map in place, which a city's map sharing its features could not survive), and the
 * whole province registered as 'hubei'.
 */
export function loadHubeiMap(): Promise<HubeiMapData> {
  registered ??= import('../generated/hubei.json').then((m) => {
    const raw = (m.default ?? m) as unknown as {
      counties: {
        features: {
          properties: CountyFeature['properties'];
          geometry: { coordinates: string[][]; encodeOffsets: [number, number][][] };
        }[];
      };
      cityBorders: EncodedLine[];
    };
    const counties = raw.counties.features.map(
      (f): CountyFeature => ({
        type: 'Feature',
        properties: f.properties,
        geometry: {
          type: 'MultiPolygon',
          coordinates: f.geometry.coordinates.map((polygon, j) =>
            polygon.map((text, i) =>
              decodeLine({ text, offset: f.geometry.encodeOffsets[j]?.[i] ?? [0, 0] }),
            ),
          ),
        },
      }),
    );
    registerCounties('hubei', counties);
    return { counties, cityBorders: raw.cityBorders.map(decodeLine) };
  });
  return registered;
}

const maps = new Set<string>();

function registerCounties(name: string, features: readonly CountyFeature[]): void {
  if (maps.has(name)) return;
  echarts.registerMap(name, { type: 'FeatureCollection', features } as unknown as Parameters<
    typeof echarts.registerMap
  >[1]);
  maps.add(name);
}

/**
 * Above this many enterprises the map is drawn without animation, each state's symbols as one path
 * (ECharts `large` mode) in one pass (not progressively over several frames): 3,000 symbols then cost one
 * fill per state instead of 3,000 elements, each animated.
 */
const MANY = 500;

export interface MapEnterprise {
  readonly id: number;
  readonly name: string;
  readonly longitude: number;
  readonly latitude: number;
  readonly state: EnterpriseState;
}

/**
 * What the map shows: the whole province (with the city outlines), or some counties (a city's, or one) —
 * then framed to them and to the enterprises given, whose registered coordinates may lie beyond them.
 */
export interface MapFocus {
  /** A stable name of what is shown (the region's code). */
  readonly key: string;
  /** GB/T 2260 codes of the counties drawn; undefined: the whole province. */
  readonly counties?: readonly string[];
  /** One of them drilled into: drawn stronger, its neighbours for context, the view framed to it. */
  readonly highlight?: string;
}

const PROVINCE: MapFocus = { key: 'hubei' };

/** [[west, north], [east, south]] around the rings and the points, with a margin. */
function frame(
  rings: readonly Ring[],
  points: readonly MapEnterprise[],
): [[number, number], [number, number]] {
  let [west, east, south, north] = [180, -180, 90, -90];
  const add = (x: number, y: number) => {
    west = Math.min(west, x);
    east = Math.max(east, x);
    south = Math.min(south, y);
    north = Math.max(north, y);
  };
  for (const ring of rings) for (const [x, y] of ring) add(x, y);
  for (const p of points) add(p.longitude, p.latitude);
  const margin = Math.max(east - west, north - south, 0.02) * 0.04;
  return [
    [west - margin, south - margin],
    [east + margin, north + margin],
  ];
}

export function HubeiMap({
  enterprises,
  focus = PROVINCE,
  onRegion,
  onEnterprise,
  height = 520,
}: {
  enterprises: readonly MapEnterprise[];
  focus?: MapFocus;
  /** A county clicked (its GB/T 2260 code). */
  onRegion?: (code: string) => void;
  /** An enterprise's symbol clicked. */
  onEnterprise?: (id: number) => void;
  height?: number;
}) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const [data, setData] = useState<HubeiMapData>();
  // What a click finds: the enterprises of each state's series, and the handlers of the last render.
  const clicks = useRef<{
    bySeries: Map<string, MapEnterprise[]>;
    onRegion?: (code: string) => void;
    onEnterprise?: (id: number) => void;
  }>({ bySeries: new Map() });
  clicks.current.onRegion = onRegion;
  clicks.current.onEnterprise = onEnterprise;
  const shown = useRef<string | undefined>(undefined);
  useEffect(() => {
    void loadHubeiMap().then(setData);
  }, []);
  useEffect(() => {
    if (element.current === null || data === undefined) return;
    const instance = echarts.init(element.current);
    chart.current = instance;
    instance.on('click', (params) => {
      const p = params as { componentType: string; name?: string; seriesId?: string; dataIndex: number };
      if (p.componentType === 'geo' && p.name !== undefined) clicks.current.onRegion?.(p.name);
      if (p.componentType === 'series' && p.seriesId !== undefined) {
        const e = clicks.current.bySeries.get(p.seriesId)?.[p.dataIndex];
        if (e !== undefined) clicks.current.onEnterprise?.(e.id);
      }
    });
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = undefined;
      shown.current = undefined;
    };
  }, [data]);
  useEffect(() => {
    if (chart.current === undefined || data === undefined) return;
    const many = enterprises.length > MANY;
    const byState = new Map<EnterpriseState, MapEnterprise[]>(STATES.map((s) => [s, []]));
    for (const e of enterprises) byState.get(e.state)?.push(e);
    clicks.current.bySeries = new Map(STATES.map((s) => [s, byState.get(s) ?? []]));
    const names = new Map(data.counties.map((c) => [c.properties.adcode, c.properties.name]));
    const province = focus.counties === undefined;
    let map = 'hubei';
    let bounds: ReturnType<typeof frame> | null = null;
    if (!province) {
      const wanted = new Set(focus.counties);
      const features = data.counties.filter((c) => wanted.has(c.properties.adcode));
      // Named by what is drawn: a city's map serves each of its counties too.
      map = `hubei-${[...wanted].sort().join(',')}`;
      registerCounties(map, features);
      const framed = features.filter(
        (f) => focus.highlight === undefined || f.properties.adcode === focus.highlight,
      );
      bounds = frame(
        framed.flatMap((f) => f.geometry.coordinates.flat()),
        enterprises,
      );
    }
    // A new region is drawn afresh (its own map, framing, labels); the same one keeps the user's zoom and pan.
    const fresh = shown.current !== focus.key;
    shown.current = focus.key;
    chart.current.setOption(
      {
        animation: !many,
        tooltip: { trigger: 'item' },
        legend: { bottom: 8, left: 8, orient: 'vertical', data: STATES.map((s) => t(`state.${s}`)) },
        geo: {
          map,
          nameProperty: 'adcode',
          roam: true,
          zoom: province ? 1.1 : 1,
          boundingCoords: bounds,
          // A region's frame as large as the chart allows (the province: ECharts' layout, zoomed).
          ...(province ? {} : { layoutCenter: ['50%', '50%'], layoutSize: '96%' }),
          label: {
            show: !province,
            color: '#4d6b64',
            fontSize: 11,
            formatter: (p: { name: string }) => names.get(p.name) ?? p.name,
          },
          itemStyle: { areaColor: '#eef5f3', borderColor: '#b7cfc9', borderWidth: province ? 0.5 : 1 },
          emphasis: {
            itemStyle: { areaColor: '#d5ebe5' },
            label: { show: true, formatter: (p: { name: string }) => names.get(p.name) ?? p.name },
          },
          tooltip: {
            show: true,
            formatter: (p: { name: string }) => echarts.format.encodeHTML(names.get(p.name) ?? p.name),
          },
          regions: (focus.highlight === undefined ? [] : (focus.counties ?? [])).map((code) =>
            code === focus.highlight
              ? { name: code, itemStyle: { areaColor: '#d5ebe5', borderColor: '#0f7b6c', borderWidth: 2 } }
              : {
                  name: code,
                  itemStyle: { areaColor: '#f7faf9', opacity: 0.8 },
                  label: { color: '#9db3ad' },
                },
          ),
        },
        series: [
          ...(province
            ? [
                {
                  type: 'lines' as const,
                  coordinateSystem: 'geo',
                  polyline: true,
                  silent: true,
                  lineStyle: { color: '#5b8f84', width: 1.2, opacity: 0.9 },
                  data: data.cityBorders.map((coords) => ({ coords })),
                  tooltip: { show: false },
                },
              ]
            : []),
          ...STATES.map((state) => {
            const list = byState.get(state) ?? [];
            return {
              type: 'scatter' as const,
              id: state,
              name: t(`state.${state}`),
              coordinateSystem: 'geo',
              cursor: clicks.current.onEnterprise === undefined ? 'default' : 'pointer',
              symbolSize: state === 'normal' || state === 'offline' ? 7 : 10,
              itemStyle: { color: STATE_COLOURS[state], borderColor: '#fff', borderWidth: 0.5 },
              // Large mode draws plain [longitude, latitude] items: names for the tooltip by index.
              large: many,
              largeThreshold: MANY,
              progressive: many ? 0 : 400,
              tooltip: {
                formatter: (p: { dataIndex: number }) =>
                  `${echarts.format.encodeHTML(list[p.dataIndex]?.name ?? '')}<br/>${t(`state.${state}`)}`,
              },
              data: list.map((e) => [e.longitude, e.latitude, e.id]),
            };
          }),
        ],
      },
      fresh ? { notMerge: true } : { replaceMerge: ['series'] },
    );
  }, [data, enterprises, focus, t]);
  return (
    <div
      ref={element}
      style={{ width: '100%', height }}
      data-testid="hubei-map"
      data-region={focus.key}
      data-enterprises={enterprises.length}
    />
  );
}
