// One contractor's details and its contracts with enterprises in the caller's scope (in force or not);
// with reference.write a contract is recorded for an enterprise or one of its points (POST
// /contractors/:id/contracts). A contract in force is what lets the contractor's users see the enterprise
// or point (docs/api.md, scope). A contract not yet over can be ended early (PATCH /contracts/:id, its
// last day brought forward): from the day chosen it is no longer in force. A contract that has not
// started can be cancelled, with a reason (POST /contracts/:id/cancellation): it is then never in force.
import { Alert, App, Button, Card, Descriptions, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { archiveApi, type Contractor } from '../../api/archive';
import { type Contract, type ContractFields, registryRefApi } from '../../api/registry';
import { beijingToday } from '../archive/format';
import { useLoad } from '../archive/useLoad';
import { DayField, FormModal, NewButton, SaveError, useSave, validated } from './shared';

/** The calendar day before `day` (both 'YYYY-MM-DD'). */
function dayBefore(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) - 86_400_000).toISOString().slice(0, 10);
}

/** The contractor with its contracts, and the names of the enterprises and points they name. */
async function loadContracts(id: number) {
  const detail = await registryRefApi.contractor(id);
  const enterpriseIds = [...new Set(detail.contracts.map((c) => c.enterpriseId))];
  const withPoints = new Set(detail.contracts.filter((c) => c.pointId !== null).map((c) => c.enterpriseId));
  const enterprises = new Map<number, string>();
  const points = new Map<number, string>();
  await Promise.all(
    enterpriseIds.map(async (eid) => {
      enterprises.set(eid, (await archiveApi.enterprise(eid)).name);
      if (withPoints.has(eid)) for (const p of await archiveApi.points(eid)) points.set(p.id, p.name);
    }),
  );
  return { detail, enterprises, points };
}

export function ContractorContracts({
  contractor,
  canWrite,
  regionName,
}: {
  contractor: Contractor;
  canWrite: boolean;
  regionName: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const { data, error } = useLoad(() => loadContracts(contractor.id), [contractor.id, version]);
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const { saving, saveError, setSaveError, run } = useSave();
  const [form] = Form.useForm<ContractFields>();
  const { modal } = App.useApp();
  const [ending, setEnding] = useState<Contract>();
  const endSave = useSave();
  const [endForm] = Form.useForm<{ endOn: string }>();
  const [cancelling, setCancelling] = useState<Contract>();
  const cancelSave = useSave();
  const [cancelForm] = Form.useForm<{ reason: string }>();
  const enterpriseId = Form.useWatch('enterpriseId', form);
  const enterprises = useLoad(
    () => (open ? archiveApi.enterprises(search.trim()) : Promise.resolve([])),
    [open, search],
  );
  const points = useLoad(
    () => (enterpriseId === undefined ? Promise.resolve([]) : archiveApi.points(enterpriseId)),
    [enterpriseId],
  );

  const start = () => {
    setSaveError(undefined);
    setSearch('');
    form.resetFields();
    setOpen(true);
  };

  const save = async () => {
    const v = await validated(form);
    if (v === undefined) return;
    await run(
      () =>
        registryRefApi.createContract(contractor.id, {
          enterpriseId: v.enterpriseId,
          pointId: v.pointId ?? null,
          scope: v.scope.trim(),
          startsOn: v.startsOn.trim(),
          endsOn: v.endsOn.trim(),
        }),
      () => {
        setOpen(false);
        setVersion((n) => n + 1);
      },
    );
  };

  const today = beijingToday();
  const targetName = (c: Contract) =>
    `${data?.enterprises.get(c.enterpriseId) ?? `#${c.enterpriseId}`}${
      c.pointId === null ? '' : ` · ${data?.points.get(c.pointId) ?? `#${c.pointId}`}`
    }`;

  const startEnd = (c: Contract) => {
    endSave.setSaveError(undefined);
    endForm.resetFields();
    endForm.setFieldsValue({ endOn: today });
    setEnding(c);
  };

  /** Confirms, then sets the contract's last day to the day before the one chosen. */
  const end = async () => {
    if (ending === undefined) return;
    const chosen = await validated(endForm);
    if (chosen === undefined) return;
    const day = chosen.endOn.trim();
    const last = dayBefore(day);
    const contract = ending;
    modal.confirm({
      title: t('registryAdmin.contracts.endConfirm', { day }),
      content: t('registryAdmin.contracts.endConfirmDetail', { name: targetName(contract), last }),
      okText: t('registryAdmin.contracts.end'),
      okButtonProps: { danger: true, 'data-testid': 'contract-end-confirm' },
      cancelText: t('adminPage.cancel'),
      onOk: () =>
        endSave.run(
          () => registryRefApi.updateContract(contract.id, { endsOn: last }),
          () => {
            setEnding(undefined);
            setVersion((n) => n + 1);
          },
        ),
    });
  };

  const startCancel = (c: Contract) => {
    cancelSave.setSaveError(undefined);
    cancelForm.resetFields();
    setCancelling(c);
  };

  /** Confirms, then cancels the contract (not yet started) with the reason given. */
  const cancel = async () => {
    if (cancelling === undefined) return;
    const values = await validated(cancelForm);
    if (values === undefined) return;
    const reason = values.reason.trim();
    const contract = cancelling;
    modal.confirm({
      title: t('registryAdmin.contracts.cancelConfirm'),
      content: t('registryAdmin.contracts.cancelConfirmDetail', {
        name: targetName(contract),
        term: `${contract.startsOn} ~ ${contract.endsOn}`,
      }),
      okText: t('registryAdmin.contracts.cancel'),
      okButtonProps: { danger: true, 'data-testid': 'contract-cancel-confirm' },
      cancelText: t('adminPage.cancel'),
      onOk: () =>
        cancelSave.run(
          () => registryRefApi.cancelContract(contract.id, reason),
          () => {
            setCancelling(undefined);
            setVersion((n) => n + 1);
          },
        ),
    });
  };

  const none = t('adminPage.none');
  return (
    <Card size="small" title={contractor.name} data-testid="contractor-contracts">
      <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('archivePage.uscc')}>{contractor.uscc}</Descriptions.Item>
        <Descriptions.Item label={t('archivePage.contractorKind')}>
          {t(`archivePage.contractorKinds.${contractor.kind}`, { defaultValue: contractor.kind })}
        </Descriptions.Item>
        <Descriptions.Item label={t('archivePage.qualifications')}>
          {contractor.qualifications.join('、') || none}
        </Descriptions.Item>
        <Descriptions.Item label={t('registryAdmin.contractors.serviceRegions')}>
          {contractor.serviceRegions.map((c) => regionName.get(c) ?? c).join('、') || none}
        </Descriptions.Item>
      </Descriptions>
      <Space style={{ marginBottom: 8 }}>
        <strong>{t('registryAdmin.contracts.title')}</strong>
        {canWrite && (
          <NewButton small onClick={start} testId="contract-new">
            {t('registryAdmin.contracts.new')}
          </NewButton>
        )}
      </Space>
      {error && <Alert type="error" title={error} showIcon />}
      <Table<Contract & { inForce: boolean }>
        size="small"
        rowKey="id"
        pagination={false}
        loading={data === undefined && !error}
        dataSource={data?.detail.contracts ?? []}
        locale={{ emptyText: t('archivePage.empty') }}
        data-testid="contracts-table"
        columns={[
          {
            title: t('registryAdmin.contracts.enterprise'),
            dataIndex: 'enterpriseId',
            render: (id: number) => data?.enterprises.get(id) ?? `#${id}`,
          },
          {
            title: t('archivePage.contractPoint'),
            dataIndex: 'pointId',
            render: (id: number | null) =>
              id === null ? t('archivePage.wholeEnterprise') : (data?.points.get(id) ?? `#${id}`),
          },
          { title: t('archivePage.contractScope'), dataIndex: 'scope' },
          { title: t('archivePage.term'), key: 'term', render: (_, c) => `${c.startsOn} ~ ${c.endsOn}` },
          {
            title: t('archivePage.status'),
            dataIndex: 'inForce',
            width: 80,
            render: (inForce: boolean, c: Contract) =>
              c.cancelledAt !== null ? (
                <Tag
                  color="default"
                  title={c.cancelReason ?? undefined}
                  data-testid={`contract-cancelled-${c.id}`}
                >
                  {t('registryAdmin.contracts.cancelled')}
                </Tag>
              ) : inForce ? (
                <Tag color="green">{t('registryAdmin.contracts.inForce')}</Tag>
              ) : (
                <Tag>{t('registryAdmin.contracts.notInForce')}</Tag>
              ),
          },
          ...(canWrite
            ? [
                {
                  title: t('registryAdmin.contracts.actions'),
                  key: 'actions',
                  width: 150,
                  render: (_: unknown, c: Contract) =>
                    c.cancelledAt !== null ? null : (
                      <Space size={0}>
                        {c.startsOn > today && (
                          <Button
                            type="link"
                            size="small"
                            danger
                            onClick={() => startCancel(c)}
                            data-testid={`cancel-contract-${c.id}`}
                          >
                            {t('registryAdmin.contracts.cancel')}
                          </Button>
                        )}
                        {c.endsOn >= today && (
                          <Button
                            type="link"
                            size="small"
                            danger
                            onClick={() => startEnd(c)}
                            data-testid={`end-contract-${c.id}`}
                          >
                            {t('registryAdmin.contracts.end')}
                          </Button>
                        )}
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      <FormModal
        open={ending !== undefined}
        title={t('registryAdmin.contracts.endTitle', { name: ending ? targetName(ending) : '' })}
        onCancel={() => setEnding(undefined)}
        onSave={end}
        saving={endSave.saving}
        saveTestId="contract-end-save"
      >
        <Form form={endForm} layout="vertical">
          <Alert type="warning" title={t('registryAdmin.contracts.endHint')} style={{ marginBottom: 12 }} />
          {ending && (
            <p>
              {t('archivePage.term')}: {ending.startsOn} ~ {ending.endsOn}
            </p>
          )}
          <Form.Item
            name="endOn"
            label={t('registryAdmin.contracts.endOn')}
            rules={[
              { required: true },
              { pattern: /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/ },
              {
                validator: async (_, v: string | undefined) => {
                  const day = v?.trim() ?? '';
                  if (ending === undefined || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(day)) return;
                  if (day <= ending.startsOn)
                    throw new Error(t('registryAdmin.contracts.endAfterStart', { day: ending.startsOn }));
                  if (day > ending.endsOn)
                    throw new Error(t('registryAdmin.contracts.endNotAfterEnd', { day: ending.endsOn }));
                },
              },
            ]}
          >
            <Input style={{ width: 140 }} placeholder={today} data-testid="contract-end-day" />
          </Form.Item>
          <SaveError error={endSave.saveError} testId="contract-end-error" />
        </Form>
      </FormModal>
      <FormModal
        open={cancelling !== undefined}
        title={t('registryAdmin.contracts.cancelTitle', { name: cancelling ? targetName(cancelling) : '' })}
        onCancel={() => setCancelling(undefined)}
        onSave={cancel}
        saving={cancelSave.saving}
        saveTestId="contract-cancel-save"
      >
        <Form form={cancelForm} layout="vertical">
          <Alert
            type="warning"
            title={t('registryAdmin.contracts.cancelHint')}
            style={{ marginBottom: 12 }}
          />
          {cancelling && (
            <p>
              {t('archivePage.term')}: {cancelling.startsOn} ~ {cancelling.endsOn}
            </p>
          )}
          <Form.Item
            name="reason"
            label={t('registryAdmin.contracts.cancelReason')}
            rules={[{ required: true, whitespace: true, max: 500 }]}
          >
            <Input.TextArea rows={2} maxLength={500} data-testid="contract-cancel-reason" />
          </Form.Item>
          <SaveError error={cancelSave.saveError} testId="contract-cancel-error" />
        </Form>
      </FormModal>
      <FormModal
        open={open}
        title={`${t('registryAdmin.contracts.new')} · ${contractor.name}`}
        onCancel={() => setOpen(false)}
        onSave={save}
        saving={saving}
        saveTestId="contract-save"
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ scope: t('registryAdmin.contracts.scopeDefault') }}
        >
          <Form.Item
            name="enterpriseId"
            label={t('registryAdmin.contracts.enterprise')}
            rules={[{ required: true }]}
          >
            <Select
              showSearch={{ filterOption: false, onSearch: setSearch }}
              loading={enterprises.data === undefined && open}
              options={(enterprises.data ?? []).map((e) => ({ value: e.id, label: e.name }))}
              onChange={() => form.setFieldValue('pointId', undefined)}
              data-testid="contract-enterprise"
            />
          </Form.Item>
          <Form.Item
            name="pointId"
            label={t('archivePage.contractPoint')}
            extra={t('registryAdmin.contracts.pointHint')}
          >
            <Select
              allowClear
              disabled={enterpriseId === undefined}
              placeholder={t('archivePage.wholeEnterprise')}
              options={(points.data ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.mn})` }))}
              data-testid="contract-point"
            />
          </Form.Item>
          <Form.Item
            name="scope"
            label={t('archivePage.contractScope')}
            rules={[{ required: true, whitespace: true, max: 500 }]}
          >
            <Input data-testid="contract-scope" />
          </Form.Item>
          <Space wrap>
            <DayField
              name="startsOn"
              label={t('registryAdmin.contracts.startsOn')}
              placeholder="2026-01-01"
              testId="contract-starts"
            />
            <DayField
              name="endsOn"
              label={t('registryAdmin.contracts.endsOn')}
              placeholder="2026-12-31"
              testId="contract-ends"
            />
          </Space>
          <SaveError error={saveError} testId="contract-error" />
        </Form>
      </FormModal>
    </Card>
  );
}
