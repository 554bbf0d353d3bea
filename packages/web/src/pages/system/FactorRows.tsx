// The editable rows of a point's factors (inside PointFactors' form): code (typed or picked), HJ 212-2005
// code, unit, range, hour/day limits, alarm thresholds and the 考核因子 switch; rows are added and removed.
import { PlusOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Form, Input, InputNumber, Space, Switch, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { FACTOR_CODES, factorName } from '../../factors';
import { RemoveRowButton } from './shared';

type NumberKey = 'rangeLow' | 'rangeHigh' | 'hourLimit' | 'dayLimit' | 'alarmLow' | 'alarmHigh';

/** A factor code, typed or picked among the named ones (by code or name). */
export function FactorInput({
  width,
  testId,
  ...field
}: {
  width: number;
  testId: string;
  value?: string;
  onChange?: (v: string) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <AutoComplete
      {...field}
      style={{ width }}
      placeholder={t('archivePage.factor')}
      options={FACTOR_CODES.map((c) => ({ value: c, label: factorName(c, i18n.language) }))}
      showSearch={{
        filterOption: (input, o) =>
          `${o?.value ?? ''} ${o?.label ?? ''}`.toLowerCase().includes(input.trim().toLowerCase()),
      }}
      data-testid={testId}
    />
  );
}

/** The `factors` list of the enclosing form, one table row per factor; a new row has `defaultUnit`. */
export function FactorRows({ defaultUnit }: { defaultUnit: string }) {
  const { t } = useTranslation();
  const num = (name: number, key: NumberKey) => (
    <Form.Item name={[name, key]} style={{ marginBottom: 0 }}>
      <InputNumber style={{ width: 84 }} data-testid={`factor-${key}-${name}`} />
    </Form.Item>
  );
  return (
    <Form.List name="factors">
      {(fields, { add, remove }) => (
        <>
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={fields}
            data-testid="factors-editor"
            scroll={{ x: 1000 }}
            columns={[
              {
                title: t('archivePage.factor'),
                key: 'code',
                render: (_, { name }) => (
                  <Form.Item
                    name={[name, 'factorCode']}
                    rules={[{ required: true, whitespace: true, max: 20 }]}
                    style={{ marginBottom: 0 }}
                  >
                    <FactorInput width={170} testId={`factor-code-${name}`} />
                  </Form.Item>
                ),
              },
              {
                title: t('registryAdmin.factors.code2005'),
                key: 'code2005',
                render: (_, { name }) => (
                  <Form.Item name={[name, 'code2005']} rules={[{ max: 20 }]} style={{ marginBottom: 0 }}>
                    <Input style={{ width: 70 }} />
                  </Form.Item>
                ),
              },
              {
                title: t('archivePage.unit'),
                key: 'unit',
                render: (_, { name }) => (
                  <Form.Item
                    name={[name, 'unit']}
                    rules={[{ required: true, whitespace: true, max: 20 }]}
                    style={{ marginBottom: 0 }}
                  >
                    <Input style={{ width: 76 }} data-testid={`factor-unit-${name}`} />
                  </Form.Item>
                ),
              },
              {
                title: t('archivePage.range'),
                key: 'range',
                render: (_, { name }) => (
                  <Space size={2}>
                    {num(name, 'rangeLow')}~{num(name, 'rangeHigh')}
                  </Space>
                ),
              },
              {
                title: t('archivePage.hourLimit'),
                key: 'h',
                render: (_, { name }) => num(name, 'hourLimit'),
              },
              {
                title: t('archivePage.dayLimit'),
                key: 'd',
                render: (_, { name }) => num(name, 'dayLimit'),
              },
              {
                title: t('archivePage.alarm'),
                key: 'alarm',
                render: (_, { name }) => (
                  <Space size={2}>
                    {num(name, 'alarmLow')}~{num(name, 'alarmHigh')}
                  </Space>
                ),
              },
              {
                title: t('archivePage.assessed'),
                key: 'assessed',
                render: (_, { name }) => (
                  <Form.Item name={[name, 'assessed']} valuePropName="checked" style={{ marginBottom: 0 }}>
                    <Switch size="small" data-testid={`factor-assessed-${name}`} />
                  </Form.Item>
                ),
              },
              {
                key: 'remove',
                width: 40,
                render: (_, { name }) => (
                  <RemoveRowButton onClick={() => remove(name)} testId={`factor-remove-${name}`} />
                ),
              },
            ]}
          />
          <Button
            icon={<PlusOutlined />}
            style={{ marginTop: 8 }}
            onClick={() => add({ unit: defaultUnit, assessed: true })}
            data-testid="factor-add"
          >
            {t('registryAdmin.factors.add')}
          </Button>
        </>
      )}
    </Form.List>
  );
}
