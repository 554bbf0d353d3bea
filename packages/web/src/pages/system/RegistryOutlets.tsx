// One enterprise's outlets (排口) and, under each, its monitoring points (监测点位, one data logger each):
// created, changed and deactivated through the registry routes (outlet status 停用; a point's status
// changed with a reason, kept in its status history); a point's factors in PointFactors.
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  errorText,
  MEDIA,
  OUTLET_STATUSES,
  type OutletFields,
  POINT_STATUSES,
  type PointFields,
  PROTOCOL_VERSIONS,
  registryAdminApi,
} from '../../api/admin';
import { archiveApi, type EnterpriseFull, type Outlet, standardsApi } from '../../api/archive';
import type { PointRow } from '../../api/transmission';
import { useLoad } from '../archive/useLoad';
import { PointFactors } from './PointFactors';
import {
  DeactivateButton,
  FormModal,
  NewButton,
  numberOrNull,
  SaveError,
  textOrNull,
  useAction,
  useSave,
  validated,
} from './shared';

const COLOURS: Record<string, string> = {
  active: 'green',
  running: 'green',
  building: 'blue',
  planned: 'blue',
  stopped: 'orange',
  removed: 'default',
};

function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLOURS[status] ?? 'blue'}>
      {t(`archivePage.statuses.${status}`, { defaultValue: status })}
    </Tag>
  );
}

type Editing =
  | { kind: 'outlet'; outlet: Outlet | 'new' }
  | { kind: 'point'; outletId: number; pointId: number | 'new' }
  | { kind: 'status'; point: PointRow };

interface PointForm extends PointFields {
  status?: (typeof POINT_STATUSES)[number];
  reason?: string;
}

export function RegistryOutlets({ enterprise, canWrite }: { enterprise: EnterpriseFull; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const outlets = useLoad(() => archiveApi.outlets(enterprise.id), [enterprise.id, version]);
  const points = useLoad(() => archiveApi.points(enterprise.id), [enterprise.id, version]);
  const standards = useLoad(() => standardsApi.list(), []);
  const [editing, setEditing] = useState<Editing>();
  /** The point whose factors are shown. */
  const [factorsOf, setFactorsOf] = useState<number>();
  /** Outlets folded by the user (all are open at first). */
  const [folded, setFolded] = useState<ReadonlySet<number>>(new Set());
  const { saving, saveError, setSaveError, run: runSave } = useSave();
  const action = useAction();
  const [outletForm] = Form.useForm<OutletFields>();
  const [pointForm] = Form.useForm<PointForm>();

  const openOutlet = (outlet: Outlet | 'new') => {
    setEditing({ kind: 'outlet', outlet });
    setSaveError(undefined);
    outletForm.resetFields();
    if (outlet !== 'new')
      outletForm.setFieldsValue({
        kind: outlet.kind,
        code: outlet.code,
        name: outlet.name,
        standardId: outlet.standardId,
        referenceO2: outlet.referenceO2,
        stackHeightM: outlet.stackHeightM,
        status: outlet.status as OutletFields['status'],
      });
  };

  const openPoint = async (outletId: number, pointId: number | 'new') => {
    setSaveError(undefined);
    pointForm.resetFields();
    if (pointId !== 'new') {
      try {
        const p = await registryAdminApi.point(pointId);
        pointForm.setFieldsValue({
          name: p.name,
          mn: p.mn,
          protocolVersion: p.protocolVersion as PointFields['protocolVersion'],
          realtimeIntervalS: p.realtimeIntervalS,
          minuteIntervalMin: p.minuteIntervalMin,
          inServiceOn: p.inServiceOn,
        });
      } catch (e) {
        message.error(errorText(e));
        return;
      }
    }
    setEditing({ kind: 'point', outletId, pointId });
  };

  const openStatus = (point: PointRow) => {
    setSaveError(undefined);
    pointForm.resetFields();
    pointForm.setFieldsValue({ status: point.status as PointForm['status'] });
    setEditing({ kind: 'status', point });
  };

  const run = (write: () => Promise<unknown>) =>
    runSave(write, () => {
      setEditing(undefined);
      reload();
    });

  const save = async () => {
    if (editing === undefined) return;
    if (editing.kind === 'outlet') {
      const v = await validated(outletForm);
      if (v === undefined) return;
      const body: OutletFields = {
        kind: v.kind,
        code: v.code?.trim(),
        name: v.name?.trim(),
        standardId: numberOrNull(v.standardId),
        referenceO2: numberOrNull(v.referenceO2),
        stackHeightM: numberOrNull(v.stackHeightM),
        ...(v.status === undefined ? {} : { status: v.status }),
      };
      const { outlet } = editing;
      await run(() =>
        outlet === 'new'
          ? registryAdminApi.createOutlet(enterprise.id, body)
          : registryAdminApi.updateOutlet(outlet.id, body),
      );
    } else if (editing.kind === 'point') {
      const v = await validated(pointForm);
      if (v === undefined) return;
      const body: PointFields = {
        name: v.name?.trim(),
        mn: v.mn?.trim(),
        protocolVersion: v.protocolVersion,
        realtimeIntervalS: v.realtimeIntervalS,
        minuteIntervalMin: v.minuteIntervalMin,
        inServiceOn: textOrNull(v.inServiceOn),
        // A password is sent only when typed (never read back).
        ...(v.password ? { password: v.password } : {}),
      };
      const { outletId, pointId } = editing;
      await run(() =>
        pointId === 'new'
          ? registryAdminApi.createPoint(outletId, body)
          : registryAdminApi.updatePoint(pointId, body),
      );
    } else {
      const v = await validated(pointForm);
      if (v === undefined) return;
      const { point } = editing;
      await run(() =>
        registryAdminApi.setPointStatus(point.id, v.status ?? 'stopped', (v.reason ?? '').trim()),
      );
    }
  };

  const deactivateOutlet = (outlet: Outlet) =>
    action(() => registryAdminApi.updateOutlet(outlet.id, { status: 'stopped' }), reload);

  const pointsOf = (outletId: number) => (points.data ?? []).filter((p) => p.outletId === outletId);
  const standardName = (id: number | null) => {
    const s = standards.data?.find((x) => x.id === id);
    return s === undefined ? t('adminPage.none') : `${s.code} ${s.name}`;
  };

  const pointTable = (outlet: Outlet) => (
    <div>
      {canWrite && (
        <Button
          size="small"
          icon={<PlusOutlined />}
          style={{ marginBottom: 6 }}
          onClick={() => void openPoint(outlet.id, 'new')}
          data-testid={`point-new-${outlet.id}`}
        >
          {t('adminPage.newPoint')}
        </Button>
      )}
      <Table<PointRow>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={pointsOf(outlet.id)}
        data-testid={`registry-points-${outlet.id}`}
        columns={[
          {
            title: `${t('adminPage.point.name')} / MN`,
            dataIndex: 'name',
            render: (name: string, p: PointRow) => (
              <>
                {name}
                <br />
                <code>{p.mn}</code>
              </>
            ),
          },
          { title: t('adminPage.point.protocolVersion'), dataIndex: 'protocolVersion', width: 70 },
          {
            title: t('adminPage.point.status'),
            dataIndex: 'status',
            width: 80,
            render: (s: string) => <StatusTag status={s} />,
          },
          {
            title: t('archivePage.factors'),
            key: 'factors',
            width: 80,
            render: (_: unknown, p: PointRow) => (
              <Button
                type="link"
                size="small"
                onClick={() => setFactorsOf(p.id)}
                data-testid={`point-factors-${p.id}`}
              >
                {t('registryAdmin.factors.open')}
              </Button>
            ),
          },
          ...(canWrite
            ? [
                {
                  title: t('adminPage.actions'),
                  key: 'actions',
                  width: 150,
                  render: (_: unknown, p: PointRow) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => void openPoint(outlet.id, p.id)}>
                        {t('adminPage.edit')}
                      </Button>
                      <Button
                        type="link"
                        size="small"
                        onClick={() => openStatus(p)}
                        data-testid={`point-status-${p.id}`}
                      >
                        {t('adminPage.point.changeStatus')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
    </div>
  );

  const error = outlets.error ?? points.error;
  return (
    <Card
      size="small"
      title={`${enterprise.name} · ${t('adminPage.outlets')}`}
      data-testid="registry-outlets"
      extra={
        canWrite && (
          <NewButton small onClick={() => openOutlet('new')} testId="outlet-new">
            {t('adminPage.newOutlet')}
          </NewButton>
        )
      }
    >
      {error && <Alert type="error" title={error} showIcon />}
      <Table<Outlet>
        size="small"
        rowKey="id"
        loading={outlets.data === undefined && !error}
        dataSource={outlets.data ?? []}
        pagination={false}
        expandable={{
          expandedRowRender: pointTable,
          expandedRowKeys: (outlets.data ?? []).map((o) => o.id).filter((id) => !folded.has(id)),
          onExpand: (open, o) =>
            setFolded((held) => {
              const next = new Set(held);
              if (open) next.delete(o.id);
              else next.add(o.id);
              return next;
            }),
        }}
        columns={[
          { title: t('adminPage.outlet.code'), dataIndex: 'code', width: 90 },
          { title: t('adminPage.outlet.name'), dataIndex: 'name' },
          {
            title: t('adminPage.outlet.kind'),
            dataIndex: 'kind',
            width: 60,
            render: (k: string) => t(`archivePage.kinds.${k}`, { defaultValue: k }),
          },
          {
            title: t('adminPage.outlet.standard'),
            dataIndex: 'standardId',
            render: (id: number | null) => standardName(id),
          },
          {
            title: t('adminPage.outlet.status'),
            dataIndex: 'status',
            width: 70,
            render: (s: string) => <StatusTag status={s} />,
          },
          ...(canWrite
            ? [
                {
                  title: t('adminPage.actions'),
                  key: 'actions',
                  width: 130,
                  render: (_: unknown, o: Outlet) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => openOutlet(o)}>
                        {t('adminPage.edit')}
                      </Button>
                      {o.status === 'active' && (
                        <DeactivateButton name={o.name} onConfirm={() => deactivateOutlet(o)} />
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <FormModal
        open={editing?.kind === 'outlet'}
        title={
          editing?.kind === 'outlet' && editing.outlet !== 'new'
            ? `${t('adminPage.edit')} ${editing.outlet.code}`
            : t('adminPage.newOutlet')
        }
        onCancel={() => setEditing(undefined)}
        onSave={save}
        saving={saving}
      >
        <Form form={outletForm} layout="vertical" initialValues={{ kind: 'gas', status: 'active' }}>
          <Space wrap>
            <Form.Item name="kind" label={t('adminPage.outlet.kind')} rules={[{ required: true }]}>
              <Select
                style={{ width: 100 }}
                options={MEDIA.map((m) => ({ value: m, label: t(`archivePage.kinds.${m}`) }))}
              />
            </Form.Item>
            <Form.Item name="code" label={t('adminPage.outlet.code')} rules={[{ required: true, max: 20 }]}>
              <Input style={{ width: 140 }} placeholder="DA001" />
            </Form.Item>
            <Form.Item name="status" label={t('adminPage.outlet.status')}>
              <Select
                style={{ width: 100 }}
                options={OUTLET_STATUSES.map((s) => ({ value: s, label: t(`archivePage.statuses.${s}`) }))}
              />
            </Form.Item>
          </Space>
          <Form.Item name="name" label={t('adminPage.outlet.name')} rules={[{ required: true, max: 100 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="standardId" label={t('adminPage.outlet.standard')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={(standards.data ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
            />
          </Form.Item>
          <Space wrap>
            <Form.Item name="referenceO2" label={t('adminPage.outlet.referenceO2')}>
              <InputNumber min={0} max={21} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="stackHeightM" label={t('adminPage.outlet.stackHeightM')}>
              <InputNumber min={0} max={1000} style={{ width: 140 }} />
            </Form.Item>
          </Space>
          <SaveError error={saveError} />
        </Form>
      </FormModal>
      <FormModal
        open={editing?.kind === 'point' || editing?.kind === 'status'}
        title={
          editing?.kind === 'status'
            ? `${t('adminPage.point.changeStatus')} ${editing.point.name}`
            : editing?.kind === 'point' && editing.pointId !== 'new'
              ? t('adminPage.edit')
              : t('adminPage.newPoint')
        }
        onCancel={() => setEditing(undefined)}
        onSave={save}
        saving={saving}
        saveTestId="point-save"
      >
        <Form
          form={pointForm}
          layout="vertical"
          initialValues={{ protocolVersion: '2017', realtimeIntervalS: 30, minuteIntervalMin: 10 }}
        >
          {editing?.kind === 'status' ? (
            <>
              <Form.Item name="status" label={t('adminPage.point.status')} rules={[{ required: true }]}>
                <Select
                  options={POINT_STATUSES.map((s) => ({ value: s, label: t(`archivePage.statuses.${s}`) }))}
                  data-testid="point-status-select"
                />
              </Form.Item>
              <Form.Item
                name="reason"
                label={t('adminPage.point.reason')}
                rules={[{ required: true, whitespace: true, max: 500 }]}
              >
                <Input.TextArea rows={2} data-testid="point-status-reason" />
              </Form.Item>
            </>
          ) : (
            <>
              <Form.Item name="name" label={t('adminPage.point.name')} rules={[{ required: true, max: 100 }]}>
                <Input />
              </Form.Item>
              <Space wrap>
                <Form.Item name="mn" label={t('adminPage.point.mn')} rules={[{ required: true, max: 24 }]}>
                  <Input style={{ width: 240 }} />
                </Form.Item>
                <Form.Item
                  name="password"
                  label={t('adminPage.point.password')}
                  rules={[{ required: editing?.kind === 'point' && editing.pointId === 'new', max: 20 }]}
                >
                  <Input.Password
                    style={{ width: 160 }}
                    autoComplete="new-password"
                    placeholder={
                      editing?.kind === 'point' && editing.pointId !== 'new'
                        ? t('adminPage.point.passwordKeep')
                        : ''
                    }
                  />
                </Form.Item>
              </Space>
              <Space wrap>
                <Form.Item name="protocolVersion" label={t('adminPage.point.protocolVersion')}>
                  <Select
                    style={{ width: 110 }}
                    options={PROTOCOL_VERSIONS.map((v) => ({ value: v, label: `HJ 212-${v}` }))}
                  />
                </Form.Item>
                <Form.Item name="realtimeIntervalS" label={t('adminPage.point.realtimeIntervalS')}>
                  <InputNumber min={1} max={86_400} precision={0} style={{ width: 130 }} />
                </Form.Item>
                <Form.Item name="minuteIntervalMin" label={t('adminPage.point.minuteIntervalMin')}>
                  <InputNumber min={1} max={60} precision={0} style={{ width: 130 }} />
                </Form.Item>
                <Form.Item
                  name="inServiceOn"
                  label={t('adminPage.point.inServiceOn')}
                  rules={[{ pattern: /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/ }]}
                >
                  <Input style={{ width: 130 }} placeholder="2026-01-01" />
                </Form.Item>
              </Space>
            </>
          )}
          <SaveError error={saveError} />
        </Form>
      </FormModal>
      <PointFactors pointId={factorsOf} canWrite={canWrite} onClose={() => setFactorsOf(undefined)} />
    </Card>
  );
}
