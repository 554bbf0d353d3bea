// 审计日志 (audit.read): records filtered by entity, actor and time, and verification of the hash chain.
import { DownloadOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Space,
  Table,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, exportUrl } from '../../api/client';
import type { AuditVerification, AuditView } from '../../api/operations';
import { beijing, fromPicker } from '../../components/beijingTime';

const TIME = 'YYYY-MM-DD HH:mm:ss';

interface Filter {
  entity?: string;
  entityId?: string;
  actor?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
  limit?: number;
}
type Query = Record<string, string | number | undefined>;

function toQuery(f: Filter): Query {
  const from = f.range?.[0];
  const to = f.range?.[1];
  return {
    entity: f.entity?.trim() || undefined,
    entityId: f.entityId?.trim() || undefined,
    actor: f.actor?.trim() || undefined,
    from: from ? fromPicker(from) : undefined,
    to: to ? fromPicker(to) : undefined,
    limit: f.limit ?? 200,
  };
}

const json = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v, null, 2));

export function Audit() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Filter>();
  const [query, setQuery] = useState<Query>({ limit: 200 });
  const [rows, setRows] = useState<AuditView[]>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [verification, setVerification] = useState<AuditVerification>();
  const [verifyError, setVerifyError] = useState<string>();
  const [verifying, setVerifying] = useState(false);
  const search = useCallback((q: Query) => {
    setLoading(true);
    api
      .get<AuditView[]>('/audit', q)
      .then((r) => {
        setRows(r);
        setError(undefined);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setLoading(false));
  }, []);
  useEffect(() => search(query), [search, query]);
  const verify = () => {
    setVerifying(true);
    setVerifyError(undefined);
    api
      .get<AuditVerification>('/audit/verify')
      .then(setVerification)
      .catch((e: unknown) => setVerifyError(e instanceof Error ? e.message : String(e)))
      .finally(() => setVerifying(false));
  };
  const exportHref = exportUrl('/audit', query);
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Form<Filter>
          form={form}
          layout="inline"
          initialValues={{ limit: 200 }}
          onFinish={(v) => setQuery(toQuery(v))}
          style={{ rowGap: 8 }}
        >
          <Form.Item name="entity" label={t('systemPage.entity')}>
            <Input allowClear style={{ width: 130 }} placeholder="user, command…" />
          </Form.Item>
          <Form.Item name="entityId" label={t('systemPage.entityId')}>
            <Input allowClear style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="actor" label={t('systemPage.actor')}>
            <Input allowClear style={{ width: 130 }} placeholder="user:2" />
          </Form.Item>
          <Form.Item name="range" label={t('systemPage.time')}>
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              allowEmpty={[true, true]}
            />
          </Form.Item>
          <Form.Item name="limit" label={t('systemPage.limit')}>
            <InputNumber min={1} max={5000} style={{ width: 90 }} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('systemPage.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setQuery({ limit: 200 });
                }}
              >
                {t('systemPage.reset')}
              </Button>
              <Button icon={<DownloadOutlined />} href={exportHref}>
                {t('systemPage.export')}
              </Button>
              <Button
                icon={<SafetyCertificateOutlined />}
                onClick={verify}
                loading={verifying}
                data-testid="audit-verify"
              >
                {t('systemPage.verify')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      {verification && (
        <Alert
          data-testid="audit-verify-result"
          type={verification.ok ? 'success' : 'error'}
          showIcon
          closable
          onClose={() => setVerification(undefined)}
          title={
            verification.ok
              ? t('systemPage.verifyOk', { n: verification.records })
              : t('systemPage.verifyBroken', {
                  id: verification.brokenAt ?? '?',
                  reason:
                    verification.reason === 'link' ? t('systemPage.reasonLink') : t('systemPage.reasonHash'),
                })
          }
        />
      )}
      {verifyError && <Alert type="error" title={verifyError} showIcon />}
      {error && <Alert type="error" title={error} showIcon />}
      <Table<AuditView>
        data-testid="audit-table"
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={rows ?? []}
        title={() => rows && t('systemPage.rows', { n: rows.length })}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        scroll={{ x: 1000 }}
        expandable={{
          expandedRowRender: (r) => (
            <Descriptions size="small" bordered column={1}>
              <Descriptions.Item label={t('systemPage.before')}>
                <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap' }}>{json(r.before)}</pre>
              </Descriptions.Item>
              <Descriptions.Item label={t('systemPage.after')}>
                <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap' }}>{json(r.after)}</pre>
              </Descriptions.Item>
              <Descriptions.Item label={t('systemPage.hash')}>
                <Typography.Text code style={{ fontSize: 12 }}>
                  {r.hash}
                </Typography.Text>
              </Descriptions.Item>
            </Descriptions>
          ),
        }}
        columns={[
          { title: 'ID', dataIndex: 'id', width: 70 },
          { title: t('systemPage.time'), key: 'at', width: 170, render: (_, r) => beijing(r.at, TIME) },
          {
            title: t('systemPage.actor'),
            key: 'actor',
            render: (_, r) => (
              <span>
                {r.actorName}{' '}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.actor}
                </Typography.Text>
              </span>
            ),
          },
          { title: t('systemPage.action'), dataIndex: 'action' },
          {
            title: t('systemPage.entity'),
            key: 'entity',
            render: (_, r) => `${r.entity}${r.entityId === null ? '' : ` #${r.entityId}`}`,
          },
          {
            title: t('systemPage.after'),
            key: 'summary',
            ellipsis: true,
            render: (_, r) => (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.after === null ? '' : JSON.stringify(r.after)}
              </Typography.Text>
            ),
          },
          { title: t('systemPage.peer'), key: 'peer', render: (_, r) => r.peer ?? '—' },
        ]}
      />
    </Space>
  );
}
