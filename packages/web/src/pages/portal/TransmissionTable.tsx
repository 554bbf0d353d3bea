import { Alert, Card, DatePicker, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type PublicTransmissionRow, publicApi } from '../../api/portal';
import { toPicker } from '../../components/beijingTime';
import { useApi } from '../../useApi';

const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

/** 传输有效率: this month's effective transmission rate per enterprise (other months on request). */
export function TransmissionTable() {
  const { t } = useTranslation();
  const [month, setMonth] = useState<Dayjs>(() => toPicker(Date.now()).startOf('month'));
  return (
    <Card size="small">
      <Space style={{ marginBottom: 12 }}>
        <Typography.Text>{t('portalPage.month')}</Typography.Text>
        <DatePicker
          picker="month"
          allowClear={false}
          value={month}
          disabledDate={(d) => d.isAfter(toPicker(Date.now()), 'month')}
          onChange={(d) => d && setMonth(d)}
        />
      </Space>
      <MonthTable key={month.format('YYYY-MM')} at={month.format('YYYY-MM')} />
    </Card>
  );
}

function MonthTable({ at }: { at: string }) {
  const { t } = useTranslation();
  const { data, error } = useApi(() => publicApi.transmission(at));
  return (
    <>
      {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 12 }} />}
      <Table<PublicTransmissionRow>
        size="small"
        rowKey="enterpriseId"
        loading={!data && !error}
        dataSource={data ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        data-testid="portal-transmission"
        columns={[
          { title: t('portalPage.name'), dataIndex: 'name' },
          { title: t('portalPage.expected'), dataIndex: 'expected', align: 'right', width: 100 },
          { title: t('portalPage.valid'), dataIndex: 'valid', align: 'right', width: 100 },
          {
            title: t('portalPage.rate'),
            dataIndex: 'effectiveTransmissionRate',
            align: 'right',
            width: 140,
            sorter: (a, b) => (a.effectiveTransmissionRate ?? -1) - (b.effectiveTransmissionRate ?? -1),
            render: (v: number | null, row) => (
              <Typography.Text type={row.meetsTarget === false ? 'danger' : undefined}>
                {percent(v)}
              </Typography.Text>
            ),
          },
          {
            title: t('portalPage.meets'),
            dataIndex: 'meetsTarget',
            width: 130,
            render: (v: boolean | null) =>
              v === null ? (
                '—'
              ) : (
                <Tag color={v ? 'green' : 'red'}>{v ? t('portalPage.yes') : t('portalPage.no')}</Tag>
              ),
          },
        ]}
      />
    </>
  );
}
