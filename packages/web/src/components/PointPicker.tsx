// A searchable monitoring-point select over GET /live (data.read): enterprise · outlet · point, MN, presence.
// `onlineFirst` sorts the online points first; `autoPick` chooses the first (online) point when none is chosen.
import { Badge, Select, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { api } from '../api/client';
import type { LivePoint, LiveStatus } from '../api/types';
import { useApi } from '../useApi';

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

export function PointPicker({
  value,
  onChange,
  onlineFirst = true,
  autoPick = true,
  width = 460,
  testId = 'point-picker',
  placeholder,
}: {
  value: number | undefined;
  onChange: (pointId: number | undefined, point: LivePoint | undefined) => void;
  onlineFirst?: boolean;
  autoPick?: boolean;
  width?: number;
  testId?: string;
  placeholder?: string;
}) {
  const { data } = useApi(livePoints);
  const points = useMemo(() => {
    const list = [...(data?.points ?? [])];
    if (onlineFirst) list.sort((a, b) => Number(b.online) - Number(a.online) || a.pointId - b.pointId);
    return list;
  }, [data, onlineFirst]);
  useEffect(() => {
    if (!autoPick || value !== undefined || points.length === 0) return;
    const first = points.find((p) => p.online) ?? points[0];
    if (first) onChange(first.pointId, first);
  }, [autoPick, value, points, onChange]);
  return (
    <Select<number>
      data-testid={testId}
      showSearch={{
        filterOption: (input, option) =>
          String(option?.search ?? '')
            .toLowerCase()
            .includes(input.trim().toLowerCase()),
      }}
      allowClear={!autoPick}
      loading={data === undefined}
      style={{ width, maxWidth: '100%' }}
      placeholder={placeholder}
      value={value}
      onChange={(id) =>
        onChange(
          id,
          points.find((p) => p.pointId === id),
        )
      }
      options={points.map((p) => ({
        value: p.pointId,
        search: `${p.enterpriseName} ${p.outletCode} ${p.pointName} ${p.mn}`,
        label: (
          <span>
            <Badge status={p.online ? 'success' : 'default'} /> {p.enterpriseName} · {p.outletCode}{' '}
            {p.pointName}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {p.mn}
            </Typography.Text>
          </span>
        ),
      }))}
    />
  );
}
