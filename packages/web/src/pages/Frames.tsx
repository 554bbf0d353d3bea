import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, exportUrl } from '../api/client';
import { FRAME_VERDICTS, type FrameDetail, type FrameSummary } from '../api/operations';
import { beijing, fromPicker } from '../components/beijingTime';
import '../i18n/frames';
import { cnName, KNOWN_CNS } from './frames/cn';
import { FrameView } from './frames/FrameView';

interface Filter {
  mn?: string;
  cn?: string;
  verdict?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
  limit?: number;
}

type Query = Record<string, string | number | undefined>;

function toQuery(f: Filter): Query {
  const from = f.range?.[0];
  const to = f.range?.[1];
  return {
    mn: f.mn?.trim() || undefined,
    cn: f.cn?.trim() || undefined,
    verdict: f.verdict || undefined,
    from: from ? fromPicker(from) : undefined,
    to: to ? fromPicker(to) : undefined,
    limit: f.limit ?? 200,
  };
}

export const verdictColour = (v: string) =>
  v === 'accepted' ? 'green' : v === 'duplicate' ? 'blue' : v === 'discarded' ? 'default' : 'red';

/** 原始报文: archived frames in scope by MN, CN, time and verdict; one frame's text, decoded view and chain. */
export default function Frames() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Filter>();
  const [query, setQuery] = useState<Query>({ limit: 200 });
  const [rows, setRows] = useState<FrameSummary[]>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<number>();
  const [detail, setDetail] = useState<FrameDetail>();
  const [detailError, setDetailError] = useState<string>();
  const search = useCallback((q: Query) => {
    setLoading(true);
    api
      .get<FrameSummary[]>('/frames', q)
      .then((r) => {
        setRows(r);
        setError(undefined);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setLoading(false));
  }, []);
  useEffect(() => search(query), [search, query]);
  useEffect(() => {
    if (selected === undefined) return;
    setDetail(undefined);
    setDetailError(undefined);
    api
      .get<FrameDetail>(`/frames/${selected}`)
      .then(setDetail)
      .catch((e: unknown) => setDetailError(e instanceof Error ? e.message : String(e)));
  }, [selected]);
  const exportHref = exportUrl('/frames', query);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small">
        <Form<Filter>
          form={form}
          layout="inline"
          initialValues={{ limit: 200 }}
          onFinish={(values) => setQuery(toQuery(values))}
          style={{ rowGap: 8 }}
        >
          <Form.Item name="mn" label={t('framesPage.mn')}>
            <Input allowClear style={{ width: 240 }} data-testid="frames-mn" />
          </Form.Item>
          <Form.Item name="cn" label={t('framesPage.cn')}>
            <AutoComplete
              allowClear
              style={{ width: 200 }}
              placeholder={t('framesPage.cnPlaceholder')}
              options={KNOWN_CNS.map((cn) => ({ value: cn, label: `${cn} ${cnName(cn, i18n.language)}` }))}
              showSearch={{
                filterOption: (input, option) =>
                  String(option?.label ?? '')
                    .toLowerCase()
                    .includes(input.toLowerCase()),
              }}
            />
          </Form.Item>
          <Form.Item name="range" label={t('framesPage.time')}>
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              allowEmpty={[true, true]}
            />
          </Form.Item>
          <Form.Item name="verdict" label={t('framesPage.verdict')}>
            <Select
              allowClear
              style={{ width: 140 }}
              placeholder={t('framesPage.all')}
              options={FRAME_VERDICTS.map((v) => ({ value: v, label: t(`frameVerdict.${v}`) }))}
            />
          </Form.Item>
          <Form.Item name="limit" label={t('framesPage.limit')}>
            <InputNumber min={1} max={5000} style={{ width: 90 }} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="frames-search">
                {t('framesPage.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setQuery({ limit: 200 });
                }}
              >
                {t('framesPage.reset')}
              </Button>
              <Button icon={<DownloadOutlined />} href={exportHref}>
                {t('framesPage.export')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      {error && <Alert type="error" title={error} showIcon />}
      <Card size="small" title={rows && t('framesPage.rows', { n: rows.length, limit: query.limit ?? 200 })}>
        <Table<FrameSummary>
          data-testid="frames-table"
          size="small"
          rowKey="id"
          loading={loading}
          dataSource={rows ?? []}
          pagination={{ pageSize: 50, showSizeChanger: false, size: 'small' }}
          scroll={{ x: 1100, y: 260 }}
          rowClassName={(r) => (r.id === selected ? 'ant-table-row-selected' : '')}
          onRow={(r) => ({ onClick: () => setSelected(r.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('framesPage.id'), dataIndex: 'id', width: 80 },
            {
              title: t('framesPage.time'),
              key: 'time',
              width: 170,
              render: (_, r) => beijing(r.receivedAt, 'YYYY-MM-DD HH:mm:ss'),
            },
            { title: 'MN', key: 'mn', render: (_, r) => r.mn ?? '—' },
            {
              title: 'CN',
              key: 'cn',
              render: (_, r) => (
                <span>
                  {r.cn ?? '—'}{' '}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {cnName(r.cn, i18n.language)}
                  </Typography.Text>
                </span>
              ),
            },
            { title: 'QN', key: 'qn', render: (_, r) => r.qn ?? '—' },
            {
              title: t('framesPage.verdict'),
              key: 'verdict',
              render: (_, r) => (
                <span>
                  <Tag color={verdictColour(r.verdict)}>
                    {t(`frameVerdict.${r.verdict}`, { defaultValue: r.verdict })}
                  </Tag>
                  {r.errorCode && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.errorCode}
                    </Typography.Text>
                  )}
                </span>
              ),
            },
            { title: t('framesPage.length'), dataIndex: 'length', width: 70, align: 'right' },
            { title: t('framesPage.peer'), dataIndex: 'peer' },
          ]}
        />
      </Card>
      {selected === undefined ? (
        <Empty description={t('framesPage.pick')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : detailError ? (
        <Alert type="error" title={detailError} showIcon />
      ) : detail === undefined ? (
        <Spin style={{ display: 'block', margin: 24 }} />
      ) : (
        <FrameView frame={detail} />
      )}
    </Space>
  );
}
