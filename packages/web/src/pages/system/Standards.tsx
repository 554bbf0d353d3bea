// 排放标准 (registry.read; edits with reference.write): the emission-standard library and the limits of
// the one picked; a standard's fields and its whole list of limits are changed together (PATCH
// /standards/:id replaces the limits), and local standards (地方标准) are added with theirs.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  LIMIT_PERIODS,
  type LimitFields,
  MEDIA,
  registryAdminApi,
  type StandardDetail,
  type StandardFields,
} from '../../api/admin';
import { type StandardLimit, type StandardSummary, standardsApi } from '../../api/archive';
import { useAuth } from '../../auth';
import { factorName } from '../../factors';
import { useLoad } from '../archive/useLoad';
import {
  FormModal,
  ListAndDetail,
  NewButton,
  numberOrNull,
  PickList,
  SaveError,
  textOrNull,
  useEditor,
  validated,
} from './shared';

export function Standards() {
  const { t, i18n } = useTranslation();
  const canWrite = useAuth().can('reference.write');
  const [version, setVersion] = useState(0);
  const list = useLoad(() => standardsApi.list(), [version]);
  const [pickedId, setPickedId] = useState<number>();
  const detail = useLoad(
    () => (pickedId === undefined ? Promise.resolve(undefined) : registryAdminApi.standard(pickedId)),
    [pickedId, version],
  );
  const editor = useEditor<StandardDetail, StandardFields>((s) => ({
    code: s.code,
    name: s.name,
    kind: s.kind as StandardFields['kind'],
    referenceO2: s.referenceO2,
    notes: s.notes,
    limits: s.limits.map((l) => ({
      factorCode: l.factorCode,
      period: l.period,
      limitValue: l.limitValue,
      unit: l.unit,
      appliesTo: l.appliesTo,
      referenceO2: l.referenceO2,
    })),
  }));
  const { form, editing, open } = editor;

  const save = async () => {
    const v = await validated(form);
    if (v === undefined) return;
    const body: StandardFields = {
      code: v.code?.trim(),
      name: v.name?.trim(),
      kind: v.kind,
      referenceO2: numberOrNull(v.referenceO2),
      notes: textOrNull(v.notes),
      limits: (v.limits ?? []).map(
        (l): LimitFields => ({
          factorCode: l.factorCode.trim(),
          period: l.period,
          limitValue: l.limitValue,
          unit: l.unit.trim(),
          appliesTo: textOrNull(l.appliesTo),
          referenceO2: numberOrNull(l.referenceO2),
        }),
      ),
    };
    await editor.run(
      () =>
        editing === 'new'
          ? registryAdminApi.createStandard(body)
          : editing === undefined
            ? Promise.resolve(undefined)
            : registryAdminApi.updateStandard(editing.id, body),
      (saved) => {
        editor.close();
        if (saved !== undefined) setPickedId(saved.id);
        setVersion((n) => n + 1);
      },
    );
  };

  const standard = detail.data;
  return (
    <ListAndDetail
      testId="standards-admin"
      list={
        <PickList<StandardSummary>
          title={t('adminPage.standards')}
          extra={
            canWrite && (
              <NewButton onClick={() => open('new')} testId="standard-new">
                {t('adminPage.newStandard')}
              </NewButton>
            )
          }
          canWrite={canWrite}
          data={list.data}
          error={list.error}
          pickedId={pickedId}
          onPick={(s) => setPickedId(s.id)}
          testId="standards-table"
          columns={[
            { title: t('adminPage.standard.code'), dataIndex: 'code', width: 150 },
            { title: t('adminPage.standard.name'), dataIndex: 'name' },
            {
              title: t('adminPage.standard.kind'),
              dataIndex: 'kind',
              width: 60,
              render: (k: string) => t(`archivePage.kinds.${k}`, { defaultValue: k }),
            },
            {
              title: t('adminPage.standard.referenceO2'),
              dataIndex: 'referenceO2',
              width: 110,
              render: (v: number | null) => v ?? t('adminPage.none'),
            },
          ]}
        />
      }
      detail={
        <Card
          size="small"
          data-testid="standard-detail"
          title={
            standard === undefined ? (
              t('adminPage.standard.limits')
            ) : (
              <Space>
                <span>
                  {standard.code} {standard.name}
                </span>
                {standard.local && <Tag color="blue">{t('adminPage.standard.local')}</Tag>}
              </Space>
            )
          }
          extra={
            canWrite &&
            standard !== undefined && (
              <Button size="small" onClick={() => open(standard)} data-testid="standard-edit">
                {t('adminPage.edit')}
              </Button>
            )
          }
        >
          {detail.error && <Alert type="error" title={detail.error} showIcon />}
          {pickedId === undefined ? (
            <Alert type="info" title={t('adminPage.standard.pick')} />
          ) : (
            <>
              {standard?.notes && <p style={{ marginTop: 0 }}>{standard.notes}</p>}
              <Table<StandardLimit>
                data-testid="standard-limits"
                size="small"
                rowKey="id"
                loading={standard === undefined && !detail.error}
                dataSource={standard?.limits ?? []}
                pagination={false}
                columns={[
                  {
                    title: t('adminPage.standard.factorCode'),
                    dataIndex: 'factorCode',
                    render: (code: string) => factorName(code, i18n.language),
                  },
                  {
                    title: t('adminPage.standard.period'),
                    dataIndex: 'period',
                    width: 70,
                    render: (p: string) => t(`archivePage.periods.${p}`, { defaultValue: p }),
                  },
                  {
                    title: t('adminPage.standard.limitValue'),
                    key: 'limit',
                    render: (_, l) => (
                      <span data-testid="standard-limit-value">
                        {l.limitValue} {l.unit}
                      </span>
                    ),
                  },
                  {
                    title: t('adminPage.standard.appliesTo'),
                    dataIndex: 'appliesTo',
                    render: (v: string | null) => v ?? t('adminPage.none'),
                  },
                  {
                    title: t('adminPage.standard.referenceO2'),
                    dataIndex: 'referenceO2',
                    width: 110,
                    render: (v: number | null) => v ?? t('adminPage.none'),
                  },
                ]}
              />
            </>
          )}
        </Card>
      }
    >
      <FormModal
        open={editing !== undefined}
        title={
          editing === 'new' ? t('adminPage.newStandard') : `${t('adminPage.edit')} ${editing?.code ?? ''}`
        }
        onCancel={editor.close}
        onSave={save}
        saving={editor.saving}
        saveTestId="standard-save"
        width={900}
      >
        <Form form={form} layout="vertical" initialValues={{ kind: 'gas', limits: [] }}>
          <Space wrap>
            <Form.Item name="code" label={t('adminPage.standard.code')} rules={[{ required: true, max: 50 }]}>
              <Input style={{ width: 200 }} placeholder="DB42/ …" />
            </Form.Item>
            <Form.Item name="kind" label={t('adminPage.standard.kind')} rules={[{ required: true }]}>
              <Select
                style={{ width: 100 }}
                options={MEDIA.map((m) => ({ value: m, label: t(`archivePage.kinds.${m}`) }))}
              />
            </Form.Item>
            <Form.Item name="referenceO2" label={t('adminPage.standard.referenceO2')}>
              <InputNumber min={0} max={21} style={{ width: 130 }} />
            </Form.Item>
          </Space>
          <Form.Item name="name" label={t('adminPage.standard.name')} rules={[{ required: true, max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="notes" label={t('adminPage.standard.notes')} rules={[{ max: 1000 }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.List name="limits">
            {(fields, { add, remove }) => (
              <div data-testid="standard-limit-rows">
                {fields.map(({ key, name }) => (
                  <Space key={key} align="baseline" wrap style={{ display: 'flex' }}>
                    <Form.Item name={[name, 'factorCode']} rules={[{ required: true, max: 20 }]}>
                      <Input style={{ width: 110 }} placeholder={t('adminPage.standard.factorCode')} />
                    </Form.Item>
                    <Form.Item name={[name, 'period']} rules={[{ required: true }]}>
                      <Select
                        style={{ width: 90 }}
                        options={LIMIT_PERIODS.map((p) => ({
                          value: p,
                          label: t(`archivePage.periods.${p}`),
                        }))}
                      />
                    </Form.Item>
                    <Form.Item name={[name, 'limitValue']} rules={[{ required: true }]}>
                      <InputNumber
                        min={0}
                        style={{ width: 110 }}
                        placeholder={t('adminPage.standard.limitValue')}
                        data-testid={`limit-value-${name}`}
                      />
                    </Form.Item>
                    <Form.Item name={[name, 'unit']} rules={[{ required: true, max: 20 }]}>
                      <Input style={{ width: 90 }} placeholder={t('adminPage.standard.unit')} />
                    </Form.Item>
                    <Form.Item name={[name, 'appliesTo']} rules={[{ max: 200 }]}>
                      <Input style={{ width: 180 }} placeholder={t('adminPage.standard.appliesTo')} />
                    </Form.Item>
                    <Form.Item name={[name, 'referenceO2']}>
                      <InputNumber min={0} max={21} style={{ width: 90 }} placeholder="O₂ %" />
                    </Form.Item>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(name)} />
                  </Space>
                ))}
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => add({ period: 'hour', unit: 'mg/m3' })}
                  style={{ marginBottom: 12 }}
                >
                  {t('adminPage.standard.addLimit')}
                </Button>
              </div>
            )}
          </Form.List>
          <SaveError error={editor.saveError} testId="standard-error" />
        </Form>
      </FormModal>
    </ListAndDetail>
  );
}
