// The history page's table: every sample of the answer, newest first, one row per factor × period. Its own
// memoised component, rendered from a deferred answer by the page, so that the chart above it is drawn first
// and the page's other updates do not re-render 5,000+ rows.
import { Table, Tag, Typography } from 'antd';
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type SeriesResult, type SeriesSample, sampleAt } from '../../api/history';
import { beijing } from '../../components/beijingTime';
import { factorName } from '../../factors';
import { type SampleClass, sampleClass, shownValue } from './seriesChart';

interface Row extends SeriesSample {
  readonly key: string;
  readonly factorCode: string;
  readonly unit: string;
  readonly shown: number | null;
  readonly cls: SampleClass;
}

const EMPTY: SeriesResult = {
  pointId: 0,
  period: 'hour',
  from: 0,
  to: 0,
  maxPoints: 0,
  factors: [],
  marks: [],
  alarms: [],
};

export const SeriesTable = memo(function SeriesTable({
  result = EMPTY,
  loading,
}: {
  result: SeriesResult | undefined;
  loading: boolean;
}) {
  const { t, i18n } = useTranslation();
  const rows = useMemo<Row[]>(
    () =>
      result.factors
        .flatMap((f) =>
          f.t.map((t, i) => ({
            ...sampleAt(f, i),
            key: `${f.factorCode}-${t}`,
            factorCode: f.factorCode,
            unit: f.unit,
            shown: shownValue(f, i),
            cls: sampleClass(f, i),
          })),
        )
        .sort((a, b) => b.t - a.t || a.factorCode.localeCompare(b.factorCode)),
    [result],
  );
  const judged = result.period === 'hour' || result.period === 'day';
  return (
    <Table<Row>
      data-testid="history-table"
      size="small"
      loading={loading}
      dataSource={rows}
      pagination={{
        defaultPageSize: 20,
        showSizeChanger: true,
        showTotal: (n) => t('historyPage.samples', { n }),
      }}
      rowClassName={(r) => (r.cls === undefined ? '' : `history-row-${r.cls}`)}
      columns={[
        {
          title: t('historyPage.time'),
          key: 't',
          render: (_, r) =>
            beijing(
              r.t,
              result.period === 'realtime'
                ? 'YYYY-MM-DD HH:mm:ss'
                : result.period === 'day'
                  ? 'YYYY-MM-DD'
                  : 'YYYY-MM-DD HH:mm',
            ),
          width: 170,
        },
        {
          title: t('historyPage.factor'),
          key: 'factor',
          render: (_, r) => factorName(r.factorCode, i18n.language),
          filters: result.factors.map((f) => ({
            text: factorName(f.factorCode, i18n.language),
            value: f.factorCode,
          })),
          onFilter: (value, r) => r.factorCode === value,
        },
        {
          title: result.period === 'realtime' ? t('historyPage.value') : t('historyPage.avg'),
          key: 'value',
          align: 'right',
          render: (_, r) =>
            r.value === null ? (
              '—'
            ) : (
              <Typography.Text type={r.exceeding ? 'danger' : undefined} strong={r.exceeding === true}>
                {r.value}
              </Typography.Text>
            ),
        },
        ...(result.period === 'realtime'
          ? []
          : [
              {
                title: t('historyPage.min'),
                key: 'min',
                align: 'right' as const,
                render: (_: unknown, r: Row) => r.min ?? '—',
              },
              {
                title: t('historyPage.max'),
                key: 'max',
                align: 'right' as const,
                render: (_: unknown, r: Row) => r.max ?? '—',
              },
            ]),
        {
          title: t('historyPage.corrected'),
          key: 'corrected',
          align: 'right',
          render: (_, r) => r.corrected ?? '—',
        },
        { title: t('historyPage.unit'), key: 'unit', render: (_, r) => r.unit },
        {
          title: t('historyPage.flag'),
          key: 'flag',
          render: (_, r) =>
            r.flag === null ? '—' : <Tag color={r.flag === 'N' ? 'green' : 'orange'}>{r.flag}</Tag>,
        },
        ...(judged
          ? [
              {
                title: t('historyPage.validity'),
                key: 'validity',
                render: (_: unknown, r: Row) =>
                  r.validity === null ? (
                    '—'
                  ) : (
                    <Tag
                      data-testid="history-validity"
                      color={
                        r.validity === 'valid'
                          ? 'green'
                          : r.validity === 'suspect'
                            ? 'gold'
                            : r.validity === 'invalid'
                              ? 'red'
                              : 'default'
                      }
                      title={r.reason ?? undefined}
                    >
                      {t(`historyPage.validities.${r.validity}`, { defaultValue: r.validity })}
                    </Tag>
                  ),
              },
            ]
          : []),
        {
          title: t('historyPage.exceeding'),
          key: 'exceeding',
          render: (_, r) =>
            r.exceeding === null ? (
              '—'
            ) : r.exceeding ? (
              <Tag color="red">{t('historyPage.yes')}</Tag>
            ) : (
              t('historyPage.no')
            ),
        },
      ]}
    />
  );
});
