// 运维单位 (registry.read; edits with reference.write): the contractors — construction, O&M, inspection and
// intelligent-monitoring units — registered and changed (USCC under GB 32100-2015, qualifications, regions
// served, 备案 state), and for the one picked its contracts (ContractorContracts), which give its users
// their scope.
import { Button, Form, Input, Select, Space, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contractor } from '../../api/archive';
import { CONTRACTOR_KINDS, type ContractorFields, FILING_STATUSES, registryRefApi } from '../../api/registry';
import { useAuth } from '../../auth';
import { useLoad } from '../archive/useLoad';
import { ContractorContracts } from './ContractorContracts';
import {
  FormModal,
  ListAndDetail,
  NewButton,
  PickHint,
  PickList,
  SaveError,
  useEditor,
  validated,
} from './shared';

const FILING_COLOURS: Record<string, string> = { filed: 'green', 'not-filed': 'orange', revoked: 'red' };

export function Contractors() {
  const { t } = useTranslation();
  const canWrite = useAuth().can('reference.write');
  const [kind, setKind] = useState<string>();
  const [version, setVersion] = useState(0);
  const list = useLoad(() => registryRefApi.contractors(kind), [kind, version]);
  const regions = useLoad(() => registryRefApi.regions(), []);
  const regionName = useMemo(
    () => new Map((regions.data ?? []).map((r) => [r.code, r.name])),
    [regions.data],
  );
  const [pickedId, setPickedId] = useState<number>();
  const editor = useEditor<Contractor, ContractorFields>((c) => ({
    uscc: c.uscc,
    name: c.name,
    kind: c.kind as ContractorFields['kind'],
    qualifications: [...c.qualifications],
    serviceRegions: [...c.serviceRegions],
    filingStatus: c.filingStatus as ContractorFields['filingStatus'],
  }));
  const { form, editing, open } = editor;
  const kindLabel = (k: string) => t(`archivePage.contractorKinds.${k}`, { defaultValue: k });
  const filingLabel = (s: string) => t(`archivePage.filingStatuses.${s}`, { defaultValue: s });

  const save = async () => {
    const v = await validated(form);
    if (v === undefined) return;
    const body: ContractorFields = {
      uscc: v.uscc?.trim(),
      name: v.name?.trim(),
      kind: v.kind,
      qualifications: (v.qualifications ?? []).map((q) => q.trim()).filter((q) => q !== ''),
      serviceRegions: v.serviceRegions ?? [],
      filingStatus: v.filingStatus,
    };
    await editor.run(
      () =>
        editing === 'new'
          ? registryRefApi.createContractor(body)
          : editing === undefined
            ? Promise.resolve(undefined)
            : registryRefApi.updateContractor(editing.id, body),
      (saved) => {
        editor.close();
        if (saved !== undefined) setPickedId(saved.id);
        setVersion((n) => n + 1);
      },
    );
  };

  const picked = list.data?.find((c) => c.id === pickedId);
  return (
    <ListAndDetail
      testId="contractors-admin"
      list={
        <PickList<Contractor>
          title={t('registryAdmin.contractors.title')}
          extra={
            <Space>
              <Select
                allowClear
                style={{ width: 170 }}
                placeholder={t('registryAdmin.contractors.allKinds')}
                value={kind}
                onChange={setKind}
                options={CONTRACTOR_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
                data-testid="contractor-kind-filter"
              />
              {canWrite && (
                <NewButton onClick={() => open('new')} testId="contractor-new">
                  {t('registryAdmin.contractors.new')}
                </NewButton>
              )}
            </Space>
          }
          canWrite={canWrite}
          data={list.data}
          error={list.error}
          pickedId={pickedId}
          onPick={(c) => setPickedId(c.id)}
          testId="contractors-table"
          columns={[
            { title: t('archivePage.contractor'), dataIndex: 'name' },
            { title: t('archivePage.contractorKind'), dataIndex: 'kind', width: 130, render: kindLabel },
            {
              title: t('archivePage.filing'),
              dataIndex: 'filingStatus',
              width: 80,
              render: (s: string) => <Tag color={FILING_COLOURS[s] ?? 'default'}>{filingLabel(s)}</Tag>,
            },
            {
              title: t('registryAdmin.contractors.serviceRegions'),
              dataIndex: 'serviceRegions',
              render: (codes: readonly string[]) =>
                codes.length === 0
                  ? t('adminPage.none')
                  : codes
                      .slice(0, 3)
                      .map((c) => regionName.get(c) ?? c)
                      .join('、') +
                    (codes.length > 3 ? t('registryAdmin.contractors.more', { n: codes.length }) : ''),
            },
            ...(canWrite
              ? [
                  {
                    title: t('adminPage.actions'),
                    key: 'actions',
                    width: 70,
                    render: (_: unknown, c: Contractor) => (
                      <Button
                        type="link"
                        size="small"
                        onClick={(ev) => {
                          ev.stopPropagation();
                          open(c);
                        }}
                        data-testid={`contractor-edit-${c.id}`}
                      >
                        {t('adminPage.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      }
      detail={
        picked === undefined ? (
          <PickHint title={t('registryAdmin.contractors.pick')} />
        ) : (
          <ContractorContracts
            key={picked.id}
            contractor={picked}
            canWrite={canWrite}
            regionName={regionName}
          />
        )
      }
    >
      <FormModal
        open={editing !== undefined}
        title={
          editing === 'new'
            ? t('registryAdmin.contractors.new')
            : `${t('adminPage.edit')} ${editing?.name ?? ''}`
        }
        onCancel={editor.close}
        onSave={save}
        saving={editor.saving}
        saveTestId="contractor-save"
        width={640}
      >
        <Form form={form} layout="vertical" initialValues={{ kind: 'om', filingStatus: 'not-filed' }}>
          <Form.Item
            name="uscc"
            label={t('adminPage.enterprise.uscc')}
            rules={[{ required: true }, { pattern: /^[0-9A-HJ-NPQRTUWXY]{18}$/i }]}
          >
            <Input maxLength={32} data-testid="contractor-uscc" />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('archivePage.contractor')}
            rules={[{ required: true, whitespace: true, max: 200 }]}
          >
            <Input data-testid="contractor-name" />
          </Form.Item>
          <Space wrap>
            <Form.Item name="kind" label={t('archivePage.contractorKind')} rules={[{ required: true }]}>
              <Select
                style={{ width: 180 }}
                options={CONTRACTOR_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
                data-testid="contractor-kind"
              />
            </Form.Item>
            <Form.Item name="filingStatus" label={t('archivePage.filing')}>
              <Select
                style={{ width: 120 }}
                options={FILING_STATUSES.map((s) => ({ value: s, label: filingLabel(s) }))}
              />
            </Form.Item>
          </Space>
          <Form.Item
            name="qualifications"
            label={t('archivePage.qualifications')}
            extra={t('registryAdmin.contractors.qualificationsHint')}
          >
            <Select
              mode="tags"
              open={false}
              tokenSeparators={[',', '，', '、']}
              data-testid="contractor-qualifications"
            />
          </Form.Item>
          <Form.Item name="serviceRegions" label={t('registryAdmin.contractors.serviceRegions')}>
            <Select
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              options={(regions.data ?? []).map((r) => ({ value: r.code, label: `${r.name} ${r.code}` }))}
              data-testid="contractor-regions"
            />
          </Form.Item>
          <SaveError error={editor.saveError} testId="contractor-error" />
        </Form>
      </FormModal>
    </ListAndDetail>
  );
}
