import { DownloadOutlined, FilePdfOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Divider,
  Drawer,
  Form,
  Image,
  Input,
  List,
  Radio,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { attachmentUrl, type TipOffRow, type TipState, tipOffsApi } from '../../api/tipOffs';
import { beijing } from '../../components/beijingTime';

export const STATE_COLOURS: Record<TipState, string> = {
  received: 'red',
  assigned: 'gold',
  handled: 'green',
};

const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** One tip-off: what was reported, the attachments (download, images shown), and the handling form. */
export function TipOffDrawer({
  tip,
  onClose,
  onSaved,
}: {
  tip: TipOffRow | undefined;
  onClose: () => void;
  onSaved: (tip: TipOffRow) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ state: TipState; note?: string; internalNote?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (tip === undefined) return;
    setError(undefined);
    form.setFieldsValue({
      state: tip.state === 'received' ? 'assigned' : tip.state,
      note: tip.note ?? '',
      internalNote: tip.internal_note ?? '',
    });
  }, [tip, form]);

  const save = async (values: { state: TipState; note?: string; internalNote?: string }) => {
    if (tip === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      const saved = await tipOffsApi.handle(
        tip.id,
        values.state,
        values.note?.trim(),
        values.internalNote?.trim(),
      );
      onSaved(saved);
      void message.success(t('tipOffsPage.saved'));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={tip !== undefined}
      onClose={onClose}
      size={640}
      title={tip === undefined ? '' : `${t('tipOffsPage.detail')} #${tip.id}`}
      data-testid="tip-drawer"
    >
      {tip !== undefined && (
        <>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('tipOffsPage.receipt')}>
              <Typography.Text code>{tip.receipt}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('tipOffsPage.receivedAt')}>
              {beijing(Number(tip.received_at))}
            </Descriptions.Item>
            <Descriptions.Item label={t('tipOffsPage.category')}>
              {t(`portalPage.categories.${tip.category}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('tipOffsPage.enterprise')}>
              {tip.enterprise_id === null ? (
                '—'
              ) : (
                <Space>
                  <span data-testid="tip-enterprise-name">
                    {tip.enterprise_name ?? `#${tip.enterprise_id}`}
                  </span>
                  <Link to={`/archive?enterprise=${tip.enterprise_id}`}>{t('tipOffsPage.openArchive')}</Link>
                </Space>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('tipOffsPage.region')}>
              {tip.region_name ?? ''} ({tip.region_code})
            </Descriptions.Item>
            <Descriptions.Item label={t('tipOffsPage.contact')}>
              {tip.contact ?? (
                <Typography.Text type="secondary">{t('tipOffsPage.noContact')}</Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('tipOffsPage.state')}>
              <Tag color={STATE_COLOURS[tip.state]} data-testid="tip-drawer-state">
                {t(`tipOffsPage.states.${tip.state}`)}
              </Tag>
              {tip.handled_at !== null && (
                <Typography.Text type="secondary">
                  {beijing(Number(tip.handled_at))} · {tip.handled_by}
                </Typography.Text>
              )}
            </Descriptions.Item>
            {tip.note && <Descriptions.Item label={t('tipOffsPage.note')}>{tip.note}</Descriptions.Item>}
            {tip.internal_note && (
              <Descriptions.Item label={t('tipOffsPage.internalNote')}>
                <span data-testid="tip-internal-note-text" style={{ whiteSpace: 'pre-wrap' }}>
                  {tip.internal_note}
                </span>
              </Descriptions.Item>
            )}
          </Descriptions>
          <Divider titlePlacement="start">{t('tipOffsPage.description')}</Divider>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="tip-description-text">
            {tip.description}
          </Typography.Paragraph>
          <Divider titlePlacement="start">{t('tipOffsPage.attachments')}</Divider>
          {tip.attachments.length === 0 ? (
            <Typography.Text type="secondary">{t('tipOffsPage.noAttachments')}</Typography.Text>
          ) : (
            <List
              size="small"
              data-testid="tip-attachment-list"
              dataSource={tip.attachments.map((a, n) => ({ ...a, n }))}
              renderItem={(a) => (
                <List.Item
                  actions={[
                    <a
                      key="download"
                      href={attachmentUrl(tip.id, a.n)}
                      download={a.name}
                      data-testid="tip-attachment"
                    >
                      <DownloadOutlined /> {t('tipOffsPage.download')}
                    </a>,
                  ]}
                >
                  <Space>
                    {a.type.startsWith('image/') ? (
                      <Image width={64} src={attachmentUrl(tip.id, a.n)} alt={a.name} />
                    ) : (
                      <FilePdfOutlined style={{ fontSize: 28, color: '#cf1322' }} />
                    )}
                    <span>
                      {a.name}{' '}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {kb(a.size)} · sha256 {a.sha256.slice(0, 12)}…
                      </Typography.Text>
                    </span>
                  </Space>
                </List.Item>
              )}
            />
          )}
          <Divider titlePlacement="start">{t('tipOffsPage.handling')}</Divider>
          <Form form={form} layout="vertical" onFinish={(v) => void save(v)} data-testid="tip-handling">
            <Form.Item name="state" label={t('tipOffsPage.newState')} rules={[{ required: true }]}>
              <Radio.Group
                data-testid="tip-handling-state"
                options={[
                  { value: 'assigned', label: t('tipOffsPage.assign') },
                  { value: 'handled', label: t('tipOffsPage.finish') },
                  ...(tip.state === 'received'
                    ? []
                    : [{ value: 'received', label: t('tipOffsPage.reopen') }]),
                ]}
              />
            </Form.Item>
            <Form.Item name="note" label={t('tipOffsPage.note')} extra={t('tipOffsPage.public')}>
              <Input.TextArea
                rows={4}
                maxLength={2000}
                showCount
                placeholder={t('tipOffsPage.noteHint')}
                data-testid="tip-handling-note"
              />
            </Form.Item>
            <Form.Item
              name="internalNote"
              label={t('tipOffsPage.internalNote')}
              extra={t('tipOffsPage.internalHint')}
            >
              <Input.TextArea
                rows={3}
                maxLength={2000}
                showCount
                placeholder={t('tipOffsPage.internalNoteHint')}
                data-testid="tip-handling-internal-note"
              />
            </Form.Item>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
            <Button type="primary" htmlType="submit" loading={busy} data-testid="tip-handling-save">
              {t('tipOffsPage.save')}
            </Button>
          </Form>
        </>
      )}
    </Drawer>
  );
}
