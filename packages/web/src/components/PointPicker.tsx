// The one monitoring-point picker of the application: a searchable enterprise → outlet → point cascader over
// GET /live (data.read, the caller's scope), each point with its presence and MN. Search matches the
// enterprise, the outlet, the point's name or its MN. `onlineFirst` puts online points (and enterprises
// with one) first; `autoPick` chooses the first (online) point when none is chosen. onChange gives the id
// and the live point (presence, factors). With `presence={false}` it reads the registry's light list
// (GET /points) instead — no latest values to compute and download, no badges, no live point.
import { Badge, Cascader } from 'antd';
import i18n from 'i18next';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { PointRow } from '../api/history';
import type { LivePoint, LiveStatus } from '../api/types';
import { useApi } from '../useApi';

i18n.addResourceBundle(
  'zh-CN',
  'translation',
  { pointPicker: { placeholder: '选择企业 / 排口 / 监测点（可搜索名称或 MN）' } },
  true,
  true,
);
i18n.addResourceBundle(
  'en',
  'translation',
  { pointPicker: { placeholder: 'Enterprise / outlet / point (search a name or MN)' } },
  true,
  true,
);

let cache: Promise<LiveStatus> | undefined;
let cachedAt = 0;

/** /live, shared by the pickers of a page for 30 s. */
function livePoints(): Promise<LiveStatus> {
  if (cache === undefined || Date.now() - cachedAt > 30_000) {
    cachedAt = Date.now();
    cache = api.get<LiveStatus>('/live');
    cache.catch(() => {
      cache = undefined;
    });
  }
  return cache;
}

/** What the picker shows of a point; `online` only where presence was read. */
type PickerPoint = Pick<
  LivePoint,
  'pointId' | 'pointName' | 'mn' | 'outletId' | 'outletCode' | 'enterpriseId' | 'enterpriseName'
> & { readonly online?: boolean };

let registry: Promise<readonly PickerPoint[]> | undefined;
let registryAt = 0;

/** The registered points in scope (GET /points, up to 5000), shared by the pickers of a page for 30 s. */
function registryPoints(): Promise<readonly PickerPoint[]> {
  if (registry === undefined || Date.now() - registryAt > 30_000) {
    registryAt = Date.now();
    registry = api.get<PointRow[]>('/points', { limit: 5000 }).then((rows) =>
      rows.map((r) => ({
        pointId: r.id,
        pointName: r.name,
        mn: r.mn,
        outletId: r.outletId,
        outletCode: r.outletCode,
        enterpriseId: r.enterpriseId,
        enterpriseName: r.enterpriseName,
      })),
    );
    registry.catch(() => {
      registry = undefined;
    });
  }
  return registry;
}

interface Option {
  readonly value: string;
  readonly label: React.ReactNode;
  /** What search matches. */
  readonly text: string;
  readonly children?: Option[];
}

/** Enterprise → outlet → point options, in the order of the (sorted) points. */
function optionsOf(points: readonly PickerPoint[]): Option[] {
  const enterprises = new Map<number, { name: string; outlets: Map<number, PickerPoint[]> }>();
  for (const p of points) {
    const e = enterprises.get(p.enterpriseId) ?? { name: p.enterpriseName, outlets: new Map() };
    e.outlets.set(p.outletId, [...(e.outlets.get(p.outletId) ?? []), p]);
    enterprises.set(p.enterpriseId, e);
  }
  return [...enterprises].map(([id, e]) => ({
    value: `e${id}`,
    label: e.name,
    text: e.name,
    children: [...e.outlets].map(([outletId, list]) => ({
      value: `o${outletId}`,
      label: list[0]?.outletCode ?? '',
      text: list[0]?.outletCode ?? '',
      children: list.map((p) => ({
        value: `p${p.pointId}`,
        label: (
          <span>
            {p.online !== undefined && <Badge status={p.online ? 'success' : 'default'} />} {p.pointName} (
            {p.mn})
          </span>
        ),
        text: `${p.pointName} ${p.mn}`,
      })),
    })),
  }));
}

/** The live point behind an entry, where presence was read (GET /live rows are whole LivePoints). */
const livePoint = (p: PickerPoint | undefined): LivePoint | undefined =>
  p !== undefined && 'factors' in p ? (p as LivePoint) : undefined;

export function PointPicker({
  value,
  onChange,
  onlineFirst = true,
  autoPick = true,
  width = 460,
  testId = 'point-picker',
  placeholder,
  presence = true,
}: {
  value: number | undefined;
  onChange: (pointId: number | undefined, point: LivePoint | undefined) => void;
  onlineFirst?: boolean;
  autoPick?: boolean;
  width?: number;
  testId?: string;
  placeholder?: string;
  /** Read presence and latest values (GET /live); false: the registry's list only (no live point). */
  presence?: boolean;
}) {
  const { t } = useTranslation();
  const { data } = useApi<readonly PickerPoint[]>(() =>
    presence ? livePoints().then((live) => live.points) : registryPoints(),
  );
  const points = useMemo(() => {
    const list = [...(data ?? [])];
    if (onlineFirst) {
      const online = new Set(list.filter((p) => p.online).map((p) => p.enterpriseId));
      list.sort(
        (a, b) =>
          Number(online.has(b.enterpriseId)) - Number(online.has(a.enterpriseId)) ||
          a.enterpriseId - b.enterpriseId ||
          Number(b.online) - Number(a.online) ||
          a.pointId - b.pointId,
      );
    }
    return list;
  }, [data, onlineFirst]);
  const options = useMemo(() => optionsOf(points), [points]);
  useEffect(() => {
    if (!autoPick || value !== undefined || points.length === 0) return;
    const first = points.find((p) => p.online) ?? points[0];
    if (first) onChange(first.pointId, livePoint(first));
  }, [autoPick, value, points, onChange]);
  const selected = points.find((p) => p.pointId === value);
  return (
    <Cascader<Option>
      data-testid={testId}
      style={{ width, maxWidth: '100%' }}
      options={options}
      loading={data === undefined}
      allowClear={!autoPick}
      placeholder={placeholder ?? t('pointPicker.placeholder')}
      value={
        selected === undefined
          ? undefined
          : [`e${selected.enterpriseId}`, `o${selected.outletId}`, `p${selected.pointId}`]
      }
      displayRender={() =>
        selected === undefined ? (
          ''
        ) : (
          <span>
            {selected.online !== undefined && <Badge status={selected.online ? 'success' : 'default'} />}{' '}
            {selected.enterpriseName} · {selected.outletCode} {selected.pointName} ({selected.mn})
          </span>
        )
      }
      showSearch={{
        filter: (input, path) => {
          const q = input.trim().toLowerCase();
          return path.some((o) => o.text.toLowerCase().includes(q));
        },
        render: (_input, path) => path.map((o) => o.text).join(' / '),
        limit: 100,
      }}
      onChange={(path) => {
        const last = path?.[path.length - 1];
        const id = typeof last === 'string' && last.startsWith('p') ? Number(last.slice(1)) : undefined;
        onChange(id, livePoint(points.find((p) => p.pointId === id)));
      }}
    />
  );
}
