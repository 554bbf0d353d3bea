// 登记管理 (registry.read; edits with registry.write): the enterprises in scope, created, changed and
// deactivated (status 停产), and — for the one picked — its outlets, points, permits, 名录 years and
// contracts (RegistryEnterprise).
import { Button, Form, Input, InputNumber, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ENTERPRISE_STATUSES, type EnterpriseFields, registryAdminApi } from '../../api/admin';
import { archiveApi, type EnterpriseFull } from '../../api/archive';
import { useAuth } from '../../auth';
import { useLoad } from '../archive/useLoad';
import { RegistryEnterprise } from './RegistryEnterprise';
import {
  DeactivateButton,
  FormModal,
  ListAndDetail,
  NewButton,
  numberOrNull,
  PickHint,
  PickList,
  SaveError,
  textOrNull,
  useAction,
  useEditor,
  validated,
} from './shared';

const STATUS_COLOURS: Record<string, string> = { active: 'green', suspended: 'orange', closed: 'default' };

export function Registry() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canWrite = can('registry.write');
  const [search, setSearch] = useState('');
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const { data, error } = useLoad(() => archiveApi.enterprises(search.trim()), [search, version]);
  // The enterprise picked, as last listed (kept while the list reloads).
  const [chosen, setChosen] = useState<EnterpriseFull>();
  const picked = data?.find((e) => e.id === chosen?.id) ?? chosen;
  const editor = useEditor<EnterpriseFull, EnterpriseFields>((e) => ({
    uscc: e.uscc,
    name: e.name,
    regionCode: e.regionCode,
    industryCode: e.industryCode,
    address: e.address,
    longitude: e.longitude,
    latitude: e.latitude,
    contactName: e.contactName,
    contactPhone: e.contactPhone,
    status: e.status as EnterpriseFields['status'],
  }));
  const { form, editing, open } = editor;
  const action = useAction();

  const save = async () => {
    const v = await validated(form);
    if (v === undefined) return;
    const body: EnterpriseFields = {
      uscc: v.uscc?.trim(),
      name: v.name?.trim(),
      regionCode: v.regionCode?.trim(),
      industryCode: textOrNull(v.industryCode),
      address: textOrNull(v.address),
      longitude: numberOrNull(v.longitude),
      latitude: numberOrNull(v.latitude),
      contactName: textOrNull(v.contactName),
      contactPhone: textOrNull(v.contactPhone),
      ...(v.status === undefined ? {} : { status: v.status }),
    };
    await editor.run(
      async () => {
        if (editing === 'new') await registryAdminApi.createEnterprise(body);
        else if (editing !== undefined) await registryAdminApi.updateEnterprise(editing.id, body);
      },
      () => {
        editor.close();
        reload();
      },
    );
  };

  const setStatus = (e: EnterpriseFull, status: EnterpriseFields['status']) =>
    action(() => registryAdminApi.updateEnterprise(e.id, { status }), reload);

  return (
    <ListAndDetail
      testId="registry-admin"
      list={
        <PickList<EnterpriseFull>
          title={t('adminPage.enterprises')}
          extra={
            <Space>
              <Input.Search
                allowClear
                style={{ width: 240 }}
                placeholder={t('adminPage.search')}
                onSearch={setSearch}
                data-testid="registry-search"
              />
              {canWrite && (
                <NewButton onClick={() => open('new')} testId="enterprise-new">
                  {t('adminPage.newEnterprise')}
                </NewButton>
              )}
            </Space>
          }
          canWrite={canWrite}
          data={data}
          error={error}
          pickedId={picked?.id}
          onPick={setChosen}
          testId="registry-enterprises"
          columns={[
            { title: t('adminPage.enterprise.name'), dataIndex: 'name' },
            { title: t('adminPage.enterprise.regionCode'), dataIndex: 'regionCode', width: 90 },
            {
              title: t('adminPage.enterprise.contactPhone'),
              dataIndex: 'contactPhone',
              render: (v: string | null) => v ?? t('adminPage.none'),
            },
            {
              title: t('adminPage.enterprise.status'),
              dataIndex: 'status',
              width: 80,
              render: (s: string) => (
                <Tag color={STATUS_COLOURS[s] ?? 'blue'}>
                  {t(`archivePage.statuses.${s}`, { defaultValue: s })}
                </Tag>
              ),
            },
            ...(canWrite
              ? [
                  {
                    title: t('adminPage.actions'),
                    key: 'actions',
                    width: 130,
                    render: (_: unknown, e: EnterpriseFull) => (
                      // biome-ignore lint/a11y/noStaticElementInteractions: only stops the row's click
                      // biome-ignore lint/a11y/useKeyWithClickEvents: the buttons inside take the keys
                      <span onClick={(ev) => ev.stopPropagation()}>
                        <Button
                          type="link"
                          size="small"
                          onClick={() => open(e)}
                          data-testid={`enterprise-edit-${e.id}`}
                        >
                          {t('adminPage.edit')}
                        </Button>
                        {e.status === 'active' ? (
                          <DeactivateButton name={e.name} onConfirm={() => setStatus(e, 'suspended')} />
                        ) : (
                          <Button type="link" size="small" onClick={() => setStatus(e, 'active')}>
                            {t('adminPage.activate')}
                          </Button>
                        )}
                      </span>
                    ),
                  },
                ]
              : []),
          ]}
        />
      }
      detail={
        picked === undefined ? (
          <PickHint title={t('adminPage.pickEnterprise')} />
        ) : (
          <RegistryEnterprise key={picked.id} enterprise={picked} canWrite={canWrite} />
        )
      }
    >
      <FormModal
        open={editing !== undefined}
        title={
          editing === 'new' ? t('adminPage.newEnterprise') : `${t('adminPage.edit')} ${editing?.name ?? ''}`
        }
        onCancel={editor.close}
        onSave={save}
        saving={editor.saving}
        saveTestId="enterprise-save"
        width={640}
      >
        <Form form={form} layout="vertical" initialValues={{ status: 'active' }}>
          <Form.Item
            name="uscc"
            label={t('adminPage.enterprise.uscc')}
            rules={[{ required: true }, { pattern: /^[0-9A-HJ-NPQRTUWXY]{18}$/i }]}
          >
            <Input maxLength={32} data-testid="enterprise-uscc" />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('adminPage.enterprise.name')}
            rules={[{ required: true, max: 200 }]}
          >
            <Input data-testid="enterprise-name" />
          </Form.Item>
          <Space wrap>
            <Form.Item
              name="regionCode"
              label={t('adminPage.enterprise.regionCode')}
              rules={[{ required: true }, { pattern: /^[0-9]{6}$/ }]}
            >
              <Input style={{ width: 120 }} placeholder="420100" data-testid="enterprise-region" />
            </Form.Item>
            <Form.Item
              name="industryCode"
              label={t('adminPage.enterprise.industryCode')}
              rules={[{ max: 20 }]}
            >
              <Input style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name="status" label={t('adminPage.enterprise.status')}>
              <Select
                style={{ width: 120 }}
                options={ENTERPRISE_STATUSES.map((s) => ({
                  value: s,
                  label: t(`archivePage.statuses.${s}`),
                }))}
              />
            </Form.Item>
          </Space>
          <Form.Item name="address" label={t('adminPage.enterprise.address')} rules={[{ max: 200 }]}>
            <Input />
          </Form.Item>
          <Space wrap>
            <Form.Item name="longitude" label={t('adminPage.enterprise.longitude')}>
              <InputNumber min={-180} max={180} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="latitude" label={t('adminPage.enterprise.latitude')}>
              <InputNumber min={-90} max={90} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item
              name="contactName"
              label={t('adminPage.enterprise.contactName')}
              rules={[{ max: 100 }]}
            >
              <Input style={{ width: 140 }} />
            </Form.Item>
            <Form.Item
              name="contactPhone"
              label={t('adminPage.enterprise.contactPhone')}
              rules={[{ max: 50 }]}
            >
              <Input style={{ width: 160 }} data-testid="enterprise-phone" />
            </Form.Item>
          </Space>
          <SaveError error={editor.saveError} testId="enterprise-error" />
        </Form>
      </FormModal>
    </ListAndDetail>
  );
}
