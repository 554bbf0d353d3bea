import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Result, Select, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import {
  ATTACHMENT_TYPES,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  type PublicEnterprise,
  publicApi,
  TIP_CATEGORIES,
  type TipAttachment,
  type TipCategory,
} from '../../api/portal';

interface Values {
  readonly enterpriseId?: number;
  readonly category: TipCategory;
  readonly description: string;
  readonly contact?: string;
}

/** The file's content as base64 (without the data: prefix), read in the browser. */
function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

function receiptText(receipt: unknown): string {
  if (typeof receipt === 'string' || typeof receipt === 'number') return String(receipt);
  const o = receipt as { receipt?: unknown; code?: unknown; id?: unknown } | null;
  return String(o?.receipt ?? o?.code ?? o?.id ?? JSON.stringify(receipt));
}

/** 我要举报: a tip-off with up to 3 small attachments (POST /public/tip-offs, anonymous). */
export function TipOffForm({
  enterprises,
  onFollowUp,
}: {
  enterprises: readonly PublicEnterprise[];
  /** Opens 查询举报 with the receipt just issued. */
  onFollowUp?: (receipt: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [fileError, setFileError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<string>();

  if (receipt !== undefined)
    return (
      <Card size="small">
        <Result
          status="success"
          title={t('portalPage.submitted')}
          subTitle={
            <>
              <Typography.Text strong copyable={{ text: receipt }} data-testid="tip-receipt">
                {t('portalPage.receipt', { receipt })}
              </Typography.Text>
              <br />
              {t('portalPage.keepReceipt')}
            </>
          }
          extra={[
            ...(onFollowUp === undefined
              ? []
              : [
                  <Button
                    key="follow"
                    type="primary"
                    onClick={() => onFollowUp(receipt)}
                    data-testid="tip-follow-up"
                  >
                    {t('portalPage.followUp')}
                  </Button>,
                ]),
            <Button
              key="another"
              onClick={() => {
                form.resetFields();
                setFiles([]);
                setReceipt(undefined);
              }}
            >
              {t('portalPage.another')}
            </Button>,
          ]}
        />
      </Card>
    );

  const submit = async (values: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const attachments: TipAttachment[] = [];
      for (const f of files) {
        const blob = f.originFileObj;
        if (blob === undefined) continue;
        attachments.push({
          name: f.name,
          type: f.type as TipAttachment['type'],
          dataBase64: await readBase64(blob),
        });
      }
      const enterprise = enterprises.find((e) => e.id === values.enterpriseId);
      const answer = await publicApi.tipOff({
        category: values.category,
        description: values.description.trim(),
        ...(enterprise ? { enterpriseId: enterprise.id, regionCode: enterprise.regionCode } : {}),
        ...(values.contact?.trim() ? { contact: values.contact.trim() } : {}),
        ...(attachments.length > 0 ? { attachments } : {}),
      });
      setReceipt(receiptText(answer.receipt));
    } catch (e) {
      if (e instanceof ApiError && e.status === 429 && e.code === 'HTTP')
        setError(t('portalPage.rateLimited'));
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" style={{ maxWidth: 760 }}>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ category: '超标排放' }}
        onFinish={(v) => void submit(v)}
        data-testid="tip-form"
      >
        <Form.Item name="enterpriseId" label={t('portalPage.enterprise')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('portalPage.enterpriseHint')}
            options={enterprises.map((e) => ({ value: e.id, label: e.name }))}
            data-testid="tip-enterprise"
          />
        </Form.Item>
        <Form.Item name="category" label={t('portalPage.category')} rules={[{ required: true }]}>
          <Select
            options={TIP_CATEGORIES.map((c) => ({ value: c, label: t(`portalPage.categories.${c}`) }))}
            data-testid="tip-category"
          />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('portalPage.description')}
          rules={[
            { required: true, message: t('portalPage.descriptionLength') },
            {
              validator: (_, v: string | undefined) => {
                const n = (v ?? '').trim().length;
                return n >= 10 && n <= 2000
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('portalPage.descriptionLength')));
              },
            },
          ]}
        >
          <Input.TextArea
            rows={5}
            maxLength={2000}
            showCount
            placeholder={t('portalPage.descriptionHint')}
            data-testid="tip-description"
          />
        </Form.Item>
        <Form.Item name="contact" label={t('portalPage.contact')}>
          <Input maxLength={100} placeholder={t('portalPage.contactHint')} data-testid="tip-contact" />
        </Form.Item>
        <Form.Item label={t('portalPage.attachments')} extra={t('portalPage.attachmentsHint')}>
          <div data-testid="tip-attachments">
            <Upload
              multiple
              accept={ATTACHMENT_TYPES.join(',')}
              fileList={files}
              beforeUpload={(file, batch) => {
                // Checked here, in the browser; the file stays local until the form is sent.
                if (!(ATTACHMENT_TYPES as readonly string[]).includes(file.type)) {
                  setFileError(t('portalPage.badType', { name: file.name }));
                  return Upload.LIST_IGNORE;
                }
                if (file.size > MAX_ATTACHMENT_BYTES) {
                  setFileError(t('portalPage.tooLarge', { name: file.name }));
                  return Upload.LIST_IGNORE;
                }
                if (files.length + batch.indexOf(file) >= MAX_ATTACHMENTS) {
                  setFileError(t('portalPage.tooMany'));
                  return Upload.LIST_IGNORE;
                }
                setFileError(undefined);
                setFiles((list) =>
                  list.length >= MAX_ATTACHMENTS
                    ? list
                    : [
                        ...list,
                        {
                          uid: file.uid,
                          name: file.name,
                          type: file.type,
                          size: file.size,
                          originFileObj: file,
                          status: 'done',
                        },
                      ],
                );
                return false;
              }}
              onRemove={(f) => setFiles((list) => list.filter((x) => x.uid !== f.uid))}
            >
              <Button icon={<UploadOutlined />} disabled={files.length >= MAX_ATTACHMENTS}>
                {t('portalPage.choose')}
              </Button>
            </Upload>
          </div>
          {fileError && <Alert type="warning" title={fileError} showIcon style={{ marginTop: 8 }} />}
        </Form.Item>
        {error && (
          <Alert type="error" title={error} showIcon style={{ marginBottom: 12 }} data-testid="tip-error" />
        )}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="tip-submit">
          {t('portalPage.submit')}
        </Button>
      </Form>
    </Card>
  );
}
