// A searchable enterprise → outlet → point cascader over GET /api/v1/points (the caller's scope).
import { Badge, Cascader } from 'antd';
import i18n from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { PointRow } from '../api/history';
import { useApi } from '../useApi';

i18n.addResourceBundle(
  'zh-CN',
  'translation',
  { pointPicker: { placeholder: '选择企业 / 排口 / 监测点' } },
  true,
  true,
);
i18n.addResourceBundle(
  'en',
  'translation',
  { pointPicker: { placeholder: 'Enterprise / outlet / point' } },
  true,
  true,
);

interface Option {
  readonly value: string;
  readonly label: React.ReactNode;
  readonly text: string;
  readonly children?: Option[];
}

/** The points in scope (up to 5000), loaded once per mount. */
export function usePoints() {
  return useApi(() => api.get<PointRow[]>('/points', { limit: 5000 }));
}

export function PointCascader({
  points,
  value,
  onChange,
  style,
}: {
  points: readonly PointRow[] | undefined;
  value: number | undefined;
  onChange: (pointId: number | undefined) => void;
  style?: React.CSSProperties;
}) {
  const { t } = useTranslation();
  const options = useMemo<Option[]>(() => {
    const enterprises = new Map<number, { name: string; outlets: Map<number, PointRow[]> }>();
    for (const p of points ?? []) {
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
        label: `${list[0]?.outletCode ?? ''} ${list[0]?.outletName ?? ''}`,
        text: `${list[0]?.outletCode ?? ''} ${list[0]?.outletName ?? ''}`,
        children: list.map((p) => ({
          value: `p${p.id}`,
          label: (
            <span>
              <Badge status={p.status === 'running' ? 'success' : 'default'} /> {p.name} ({p.mn})
            </span>
          ),
          text: `${p.name} ${p.mn}`,
        })),
      })),
    }));
  }, [points]);
  const selected = points?.find((p) => p.id === value);
  return (
    <Cascader<Option>
      data-testid="point-cascader"
      style={{ minWidth: 360, ...style }}
      options={options}
      loading={points === undefined}
      placeholder={t('pointPicker.placeholder')}
      value={
        selected === undefined
          ? undefined
          : [`e${selected.enterpriseId}`, `o${selected.outletId}`, `p${selected.id}`]
      }
      displayRender={() =>
        selected === undefined
          ? ''
          : `${selected.enterpriseName} / ${selected.outletCode} / ${selected.name} (${selected.mn})`
      }
      showSearch={{
        filter: (input, path) => path.some((o) => o.text.toLowerCase().includes(input.trim().toLowerCase())),
        render: (_input, path) => path.map((o) => o.text).join(' / '),
      }}
      onChange={(path) => {
        const last = path?.[path.length - 1];
        onChange(typeof last === 'string' && last.startsWith('p') ? Number(last.slice(1)) : undefined);
      }}
    />
  );
}
