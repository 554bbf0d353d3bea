import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Empty, Select, Space, Spin, Typography } from 'antd';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAfterFirstFrame } from '../afterFirstFrame';
import { api } from '../api/client';
import {
  type PointDetail,
  type PointRow,
  peek,
  prefetchHistory,
  SERIES_RANGE,
  type SeriesPeriod,
  type SeriesResult,
  seriesParams,
  seriesUrl,
  take,
} from '../api/history';
import { beijingDayStart, fromPicker, toPicker } from '../components/beijingTime';
import { EChart } from '../components/EChart';
import { PointPicker } from '../components/PointPicker';
import { factorName } from '../factors';
import { alarmTypeName } from '../i18n/alarmTypes';
import '../i18n/history';
import { SeriesTable } from './history/SeriesTable';
import { chartHeight, seriesOption } from './history/seriesChart';

const PERIODS: readonly SeriesPeriod[] = ['realtime', 'minute', 'hour', 'day'];
const DAY = 86_400_000;

/** The default range of a period, ending with today (Beijing) or, for real-time, now. */
function defaultRange(period: SeriesPeriod, now = Date.now()): [number, number] {
  if (period === 'realtime') return [now - SERIES_RANGE.realtime.fallback, now + 60_000];
  const end = beijingDayStart(now) + DAY;
  return [end - (period === 'minute' ? DAY : SERIES_RANGE[period].fallback), end];
}

/** The factors shown: those chosen, else the point's assessed factors (at most 4), else its first 4. */
function shownFactors(factors: string[] | undefined, detail: PointDetail | undefined): string[] | undefined {
  if (factors !== undefined) return factors;
  if (detail === undefined) return undefined;
  const assessed = detail.factors.filter((f) => f.assessed).map((f) => f.factorCode);
  return (assessed.length > 0 ? assessed : detail.factors.map((f) => f.factorCode)).slice(0, 4);
}

function numberParam(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** 历史数据: one point's series (real-time/minute/hour/day) with limits, validity, marks and alarms. */
export default function History() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  // The answers the URL asks for go out now, not after this first render has committed (see take()).
  useState(() => prefetchHistory(params.toString()));
  const [pointId, setPointId] = useState<number | undefined>(() => numberParam(params.get('point')));
  const [period, setPeriod] = useState<SeriesPeriod>(() => {
    const p = params.get('period');
    return PERIODS.includes(p as SeriesPeriod) ? (p as SeriesPeriod) : 'hour';
  });
  const [range, setRange] = useState<[number, number]>(() => {
    const fallback = defaultRange(period);
    return [numberParam(params.get('from')) ?? fallback[0], numberParam(params.get('to')) ?? fallback[1]];
  });
  /** undefined: the point's default factors. */
  const [factors, setFactors] = useState<string[] | undefined>(() => {
    const f = params.get('factor') ?? params.get('factors');
    return f === null || f === '' ? undefined : f.split(',');
  });
  // The answers asked for at boot (preload.ts) or just above, if they have come already: the first render
  // then draws the chart instead of an empty card (one render and commit fewer before the chart).
  const [detail, setDetail] = useState<PointDetail | undefined>(() =>
    pointId === undefined ? undefined : peek<PointDetail>(`/points/${pointId}`),
  );
  const [result, setResult] = useState<SeriesResult | undefined>(() => {
    const first = shownFactors(factors, detail);
    if (pointId === undefined || first === undefined) return undefined;
    return peek<SeriesResult>(
      `/points/${pointId}/series`,
      seriesParams({ period, from: range[0], to: range[1], factors: first }),
    );
  });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [reloads, setReloads] = useState(0);
  // The table (below the chart) follows the answer at a lower priority: the chart is drawn first.
  const tableResult = useDeferredValue(result);
  // So do the controls and the table when the page opens (antd's pickers, selects and table are the
  // heaviest part of its first render): the first commit holds the chart, drawn by its effect; the rest is
  // rendered once that frame is on screen, in a transition. (Not useDeferredValue(true, false): the page's
  // first render may be a Suspense retry, which is not urgent, and there that gives `true` at once.)
  const full = useAfterFirstFrame();

  // Without a point: the first running point in scope. The list (~1.3 MiB for a province) is loaded only
  // then — not when the URL names the point.
  const [points, setPoints] = useState<PointRow[]>();
  useEffect(() => {
    if (pointId !== undefined || points !== undefined) return;
    let live = true;
    api
      .get<PointRow[]>('/points', { limit: 5000 })
      .then((list) => live && setPoints(list))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [pointId, points]);
  useEffect(() => {
    if (pointId !== undefined || points === undefined) return;
    const first = points.find((p) => p.status === 'running') ?? points[0];
    if (first !== undefined) setPointId(first.id);
  }, [pointId, points]);

  useEffect(() => {
    if (pointId === undefined) return;
    let live = true;
    // Kept when it is this point's already (read at the first render).
    setDetail((d) => (d?.id === pointId ? d : undefined));
    take<PointDetail>(`/points/${pointId}`)
      .then((d) => live && setDetail(d))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [pointId]);

  const chosen = useMemo(() => shownFactors(factors, detail), [factors, detail]);
  const chosenKey = chosen?.join(',');
  const tooLong = range[1] - range[0] > SERIES_RANGE[period].max;

  // Keep the URL in step, so the view can be linked and reloaded.
  useEffect(() => {
    if (pointId === undefined) return;
    const next = new URLSearchParams({
      point: String(pointId),
      period,
      from: String(range[0]),
      to: String(range[1]),
      ...(factors === undefined ? {} : { factor: factors.join(',') }),
    });
    if (next.toString() !== params.toString()) setParams(next, { replace: true });
  }, [pointId, period, range, factors, params, setParams]);

  // The query the answer on screen answers (the first render's, when it found one).
  const shownQuery = useRef<string | undefined>(
    result === undefined ? undefined : `${pointId}|${period}|${range[0]}|${range[1]}|${chosenKey}|0`,
  );
  useEffect(() => {
    if (pointId === undefined || chosenKey === undefined || tooLong) return;
    const query = `${pointId}|${period}|${range[0]}|${range[1]}|${chosenKey}|${reloads}`;
    if (query === shownQuery.current) return;
    shownQuery.current = query;
    let live = true;
    setLoading(true);
    const path = `/points/${pointId}/series`;
    const params = seriesParams({
      period,
      from: range[0],
      to: range[1],
      factors: chosenKey === '' ? [] : chosenKey.split(','),
    });
    // 查询 asks the server again; otherwise an answer asked for ahead (at boot, first render) is taken.
    (reloads > 0 ? api.get<SeriesResult>(path, params) : take<SeriesResult>(path, params))
      .then((r) => {
        if (!live) return;
        setResult(r);
        setError(undefined);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
      // Not answered: the next run of this effect asks again (React's development double run, a change).
      if (shownQuery.current === query) shownQuery.current = undefined;
    };
  }, [pointId, period, range, chosenKey, tooLong, reloads]);

  const option = useMemo(
    () =>
      result === undefined || result.factors.length === 0
        ? undefined
        : seriesOption(result, {
            factorName: (code) => factorName(code, i18n.language),
            alarmName: (type) => alarmTypeName(type, t),
            markName: (kind) => t(`historyPage.marks.${kind}`, { defaultValue: kind }),
            classes: {
              invalid: t('historyPage.series.invalid'),
              suspect: t('historyPage.series.suspect'),
              exceeding: t('historyPage.series.exceeding'),
            },
            limit: t('historyPage.limit'),
            lowerLimit: t('historyPage.lowerLimit'),
          }),
    [result, t, i18n.language],
  );

  const periodName = t(`historyPage.periods.${period}`);
  const exportHref =
    pointId === undefined || chosen === undefined
      ? undefined
      : seriesUrl(pointId, { period, from: range[0], to: range[1], factors: chosen }, 'xlsx');
  const factorOptions = (detail?.factors ?? []).map((f) => ({
    value: f.factorCode,
    label: factorName(f.factorCode, i18n.language),
  }));

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        {full ? (
          <Space wrap size={[12, 8]}>
            <PointPicker
              autoPick={false}
              presence={false}
              value={pointId}
              onChange={(id) => {
                setPointId(id);
                setFactors(undefined);
              }}
            />
            <Select<SeriesPeriod>
              data-testid="history-period"
              style={{ width: 120 }}
              value={period}
              onChange={(p) => {
                setPeriod(p);
                setRange(defaultRange(p));
              }}
              options={PERIODS.map((p) => ({ value: p, label: t(`historyPage.periods.${p}`) }))}
            />
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              allowClear={false}
              value={[toPicker(range[0]), toPicker(range[1])]}
              onChange={(values) => {
                const [a, b] = values ?? [];
                if (a && b) setRange([fromPicker(a), fromPicker(b)]);
              }}
            />
            <Select<string[]>
              data-testid="history-factors"
              mode="multiple"
              allowClear
              maxTagCount="responsive"
              style={{ minWidth: 260, maxWidth: 520 }}
              placeholder={t('historyPage.allFactors')}
              value={chosen ?? []}
              onChange={(v) => setFactors(v)}
              options={factorOptions}
              optionFilterProp="label"
            />
            <Button icon={<ReloadOutlined />} onClick={() => setReloads((n) => n + 1)}>
              {t('historyPage.query')}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              href={exportHref}
              disabled={exportHref === undefined || tooLong}
              data-testid="history-export"
            >
              {t('historyPage.export')}
            </Button>
          </Space>
        ) : (
          // The controls' two rows, held while they render.
          <div style={{ minHeight: 72 }} />
        )}
      </Card>
      {tooLong && (
        <Alert
          type="warning"
          showIcon
          title={t('historyPage.rangeTooLong', { period: periodName, days: SERIES_RANGE[period].max / DAY })}
        />
      )}
      {error && <Alert type="error" showIcon title={error} />}
      {pointId === undefined && points !== undefined ? (
        <Card>
          <Empty description={t('historyPage.pickPoint')} />
        </Card>
      ) : (
        <>
          <Card
            size="small"
            title={
              detail === undefined
                ? periodName
                : `${detail.enterprise.name} / ${detail.outlet.code} / ${detail.name} · ${periodName}`
            }
            extra={
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('historyPage.legendHint')}
              </Typography.Text>
            }
          >
            <Spin spinning={loading}>
              {result?.factors
                .filter((f) => f.downsampled)
                .map((f) => (
                  <Alert
                    key={f.factorCode}
                    type="info"
                    showIcon
                    style={{ marginBottom: 8 }}
                    title={t('historyPage.downsampled', {
                      factor: factorName(f.factorCode, i18n.language),
                      total: f.total,
                    })}
                  />
                ))}
              {option === undefined ? (
                <Empty
                  style={{ padding: 48 }}
                  description={result === undefined ? ' ' : t('historyPage.noData')}
                />
              ) : (
                <EChart
                  testId="history-chart"
                  option={option}
                  height={chartHeight(result?.factors.length ?? 1)}
                />
              )}
            </Spin>
          </Card>
          {full && (
            <Card size="small">
              <SeriesTable result={tableResult} loading={loading || tableResult !== result} />
            </Card>
          )}
        </>
      )}
    </Space>
  );
}
