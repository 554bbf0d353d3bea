// An enterprise's discharge permits (排污许可证) with their annual allowances, newest first; with
// registry.write a permit is filed (POST /enterprises/:id/permits). The API keeps every permit as filed: a
// renewal or change (延续、变更) is filed as a new permit, here prefilled from one already on record.
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, InputNumber, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/admin';
import { archiveApi, type EnterpriseFull } from '../../api/archive';
import { type PermitFields, registryRefApi } from '../../api/registry';
import { PermitsTab } from '../archive/RecordTabs';
import { useLoad } from '../archive/useLoad';
import { FactorInput } from './FactorRows';
import { DayField, FormModal, NewButton, RemoveRowButton, SaveError, useSave, validated } from './shared';

export function RegistryPermits({ enterprise, canWrite }: { enterprise: EnterpriseFull; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [version, setVersion] = useState(0);
  const permits = useLoad(() => registryRefApi.permits(enterprise.id), [enterprise.id, version]);
  const [open, setOpen] = useState(false);
  const { saving, saveError, setSaveError, run } = useSave();
  /** The permit on record the form was prefilled from. */
  const [copied, setCopied] = useState<number>();
  const [form] = Form.useForm<PermitFields>();

  const start = () => {
    setSaveError(undefined);
    setCopied(undefined);
    form.resetFields();
    setOpen(true);
  };

  /** Prefills the form from a permit on record (its allowances and dates), for a renewal or change. */
  const copyFrom = async (permitId: number) => {
    try {
      const p = await archiveApi.permit(permitId);
      form.setFieldsValue({
        validFrom: p.validFrom,
        validTo: p.validTo,
        allowances: p.allowances.map((a) => ({ ...a })),
      });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const save = async () => {
    const v = await validated(form);
    if (v === undefined) return;
    const body: PermitFields = {
      number: v.number.trim(),
      validFrom: v.validFrom.trim(),
      validTo: v.validTo.trim(),
      allowances: (v.allowances ?? []).map((a) => ({
        factorCode: a.factorCode.trim(),
        annualKg: a.annualKg,
      })),
    };
    await run(
      () => registryRefApi.createPermit(enterprise.id, body),
      () => {
        setOpen(false);
        setVersion((n) => n + 1);
      },
    );
  };

  return (
    <div data-testid="registry-permits">
      {canWrite && (
        <Space style={{ marginBottom: 8 }}>
          <NewButton small onClick={start} testId="permit-new">
            {t('registryAdmin.permits.new')}
          </NewButton>
        </Space>
      )}
      <PermitsTab key={version} enterpriseId={enterprise.id} />
      <FormModal
        open={open}
        title={`${t('registryAdmin.permits.new')} · ${enterprise.name}`}
        onCancel={() => setOpen(false)}
        onSave={save}
        saving={saving}
        saveTestId="permit-save"
        width={640}
      >
        <Form form={form} layout="vertical" initialValues={{ allowances: [] }}>
          {(permits.data ?? []).length > 0 && (
            <Form.Item
              label={t('registryAdmin.permits.copyFrom')}
              extra={t('registryAdmin.permits.copyHint')}
            >
              <Select
                allowClear
                options={(permits.data ?? []).map((p) => ({
                  value: p.id,
                  label: `${p.number} (${p.validFrom} ~ ${p.validTo})`,
                }))}
                value={copied}
                onChange={(id?: number) => {
                  setCopied(id);
                  if (id !== undefined) void copyFrom(id);
                }}
                data-testid="permit-copy"
              />
            </Form.Item>
          )}
          <Form.Item
            name="number"
            label={t('archivePage.permitNumber')}
            rules={[{ required: true, whitespace: true, max: 64 }]}
          >
            <Input placeholder={`${enterprise.uscc}001P`} data-testid="permit-number" />
          </Form.Item>
          <Space wrap>
            <DayField
              name="validFrom"
              label={t('archivePage.validFrom')}
              placeholder="2026-01-01"
              testId="permit-from"
            />
            <DayField
              name="validTo"
              label={t('archivePage.validTo')}
              placeholder="2030-12-31"
              testId="permit-to"
            />
          </Space>
          <div style={{ marginBottom: 6 }}>{t('archivePage.allowances')}</div>
          <Form.List name="allowances">
            {(fields, { add, remove }) => (
              <div data-testid="permit-allowances">
                {fields.map(({ key, name }) => (
                  <Space key={key} align="baseline" style={{ display: 'flex' }}>
                    <Form.Item
                      name={[name, 'factorCode']}
                      rules={[{ required: true }, { pattern: /^[a-zA-Z0-9]{3,10}$/ }]}
                    >
                      <FactorInput width={220} testId={`allowance-factor-${name}`} />
                    </Form.Item>
                    <Form.Item name={[name, 'annualKg']} rules={[{ required: true }]}>
                      <InputNumber
                        min={0}
                        style={{ width: 180 }}
                        placeholder={t('archivePage.annualKg')}
                        data-testid={`allowance-kg-${name}`}
                      />
                    </Form.Item>
                    <RemoveRowButton onClick={() => remove(name)} />
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add()} data-testid="allowance-add">
                  {t('registryAdmin.permits.addAllowance')}
                </Button>
              </div>
            )}
          </Form.List>
          <SaveError error={saveError} style={{ marginTop: 12 }} testId="permit-error" />
        </Form>
      </FormModal>
    </div>
  );
}
