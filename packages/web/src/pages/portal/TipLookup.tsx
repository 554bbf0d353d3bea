import { SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, Steps, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { publicApi, type TipStatus } from '../../api/portal';
import { beijing } from '../../components/beijingTime';

const STEP: Record<TipStatus['state'], number> = { received: 0, assigned: 1, handled: 2 };

/**
 * 查询举报: the filer follows a tip-off with its receipt code (POST /public/tip-offs/lookup) — its state and
 * the authority's handling note, nothing else. The code is sent in the request body, never put in the URL.
 */
export function TipLookup({ initial }: { initial?: string }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ receipt: string }>();
  const [status, setStatus] = useState<TipStatus>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const lookup = async (receipt: string) => {
    setBusy(true);
    setError(undefined);
    try {
      setStatus(await publicApi.lookupTip(receipt.trim()));
    } catch (e) {
      setStatus(undefined);
      if (e instanceof ApiError && e.status === 404) setError(t('portalPage.lookupNotFound'));
      else if (e instanceof ApiError && e.status === 400) setError(t('portalPage.lookupMalformed'));
      else if (e instanceof ApiError && e.status === 429) setError(t('portalPage.rateLimited'));
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  // Opened from the receipt just issued: look it up at once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the given code changes
  useEffect(() => {
    if (initial === undefined) return;
    form.setFieldsValue({ receipt: initial });
    void lookup(initial);
  }, [initial]);

  return (
    <Card size="small" style={{ maxWidth: 760 }}>
      <Typography.Paragraph type="secondary">{t('portalPage.lookupIntro')}</Typography.Paragraph>
      <Form
        form={form}
        layout="inline"
        onFinish={(v: { receipt: string }) => void lookup(v.receipt)}
        data-testid="tip-lookup-form"
      >
        <Form.Item
          name="receipt"
          label={t('portalPage.receiptCode')}
          rules={[{ required: true, message: t('portalPage.required') }]}
        >
          <Input
            style={{ width: 220, fontFamily: 'monospace', textTransform: 'uppercase' }}
            maxLength={40}
            autoComplete="off"
            placeholder="ABCDE23456"
            data-testid="tip-lookup-receipt"
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          icon={<SearchOutlined />}
          loading={busy}
          data-testid="tip-lookup-submit"
        >
          {t('portalPage.lookupSubmit')}
        </Button>
      </Form>
      {error && (
        <Alert
          type="warning"
          showIcon
          title={error}
          style={{ marginTop: 16 }}
          data-testid="tip-lookup-error"
        />
      )}
      {status === undefined && error === undefined && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('portalPage.lookupEmpty')} />
      )}
      {status !== undefined && (
        <div data-testid="tip-lookup-result" style={{ marginTop: 16 }}>
          <Steps
            size="small"
            current={STEP[status.state]}
            status={status.state === 'handled' ? 'finish' : 'process'}
            items={[
              { title: t('portalPage.lookupStates.received'), content: beijing(status.receivedAt) },
              { title: t('portalPage.lookupStates.assigned') },
              {
                title: t('portalPage.lookupStates.handled'),
                ...(status.state === 'handled' && status.handledAt !== null
                  ? { content: beijing(status.handledAt) }
                  : {}),
              },
            ]}
            style={{ marginBottom: 16 }}
          />
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('portalPage.receiptCode')}>
              <Typography.Text code>{status.receipt}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('portalPage.category')}>
              {t(`portalPage.categories.${status.category}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('portalPage.enterprise')}>
              {status.enterpriseName ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('portalPage.lookupCity')}>
              {status.regionName ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('portalPage.lookupReceived')}>
              {beijing(status.receivedAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('portalPage.lookupState')}>
              <span data-testid="tip-lookup-state">{t(`portalPage.lookupStates.${status.state}`)}</span>
              {status.handledAt !== null && (
                <Typography.Text type="secondary"> · {beijing(status.handledAt)}</Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('portalPage.lookupNote')}>
              <span data-testid="tip-lookup-note" style={{ whiteSpace: 'pre-wrap' }}>
                {status.note ?? t('portalPage.lookupNoNote')}
              </span>
            </Descriptions.Item>
          </Descriptions>
        </div>
      )}
    </Card>
  );
}
