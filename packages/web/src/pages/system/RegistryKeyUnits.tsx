// An enterprise's 重点排污单位名录 membership by year (the categories it is listed under: water, gas, soil,
// noise, environmental risk, other), read by every registry reader; with registry.write the years are
// edited and saved together (PATCH /enterprises/:id replaces the years given; a year taken off is sent
// with no category, which removes it).
import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Form, InputNumber, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { archiveApi, type EnterpriseFull } from '../../api/archive';
import { KEY_UNIT_CATEGORIES, type KeyUnitYear, registryRefApi } from '../../api/registry';
import { useLoad } from '../archive/useLoad';
import { RemoveRowButton, SaveError, useSave, validated } from './shared';

export function RegistryKeyUnits({
  enterprise,
  canWrite,
}: {
  enterprise: EnterpriseFull;
  canWrite: boolean;
}) {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const { data, error } = useLoad(() => archiveApi.enterprise(enterprise.id), [enterprise.id, version]);
  /** The years the form starts from while editing. */
  const [editing, setEditing] = useState<{ years: KeyUnitYear[] }>();
  const { saving, saveError, setSaveError, run } = useSave();
  const [form] = Form.useForm<{ years: KeyUnitYear[] }>();
  const years = [...(data?.keyUnits ?? [])].sort((a, b) => b.year - a.year);
  const category = (c: string) => t(`archivePage.keyUnitCategories.${c}`, { defaultValue: c });

  const edit = () => {
    setSaveError(undefined);
    setEditing({
      years: years.map((y) => ({ year: y.year, categories: [...y.categories] as KeyUnitYear['categories'] })),
    });
  };

  const save = async () => {
    const v = await validated(form);
    if (v === undefined) return;
    const kept = (v.years ?? []).map((y) => ({ year: y.year, categories: y.categories ?? [] }));
    const given = new Set(kept.map((y) => y.year));
    const removed = years.filter((y) => !given.has(y.year)).map((y) => ({ year: y.year, categories: [] }));
    await run(
      () => registryRefApi.setKeyUnits(enterprise.id, [...kept, ...removed]),
      () => {
        setEditing(undefined);
        setVersion((n) => n + 1);
      },
    );
  };

  if (error) return <Alert type="error" title={error} showIcon />;
  if (editing === undefined)
    return (
      <div data-testid="registry-key-units">
        {canWrite && (
          <Button
            size="small"
            style={{ marginBottom: 8 }}
            onClick={edit}
            disabled={data === undefined}
            data-testid="key-units-edit"
          >
            {t('adminPage.edit')}
          </Button>
        )}
        <Table
          size="small"
          rowKey="year"
          pagination={false}
          loading={data === undefined}
          dataSource={years}
          locale={{ emptyText: t('registryAdmin.keyUnits.none') }}
          columns={[
            { title: t('registryAdmin.keyUnits.year'), dataIndex: 'year', width: 100 },
            {
              title: t('registryAdmin.keyUnits.categories'),
              dataIndex: 'categories',
              render: (cs: readonly string[]) =>
                cs.map((c) => (
                  <Tag key={c} color="blue">
                    {category(c)}
                  </Tag>
                )),
            },
          ]}
        />
      </div>
    );

  const thisYear = new Date().getFullYear();
  return (
    <Form form={form} initialValues={editing} data-testid="registry-key-units">
      <Form.List name="years">
        {(fields, { add, remove }) => (
          <>
            {fields.map(({ key, name }) => (
              <Space key={key} align="baseline" style={{ display: 'flex' }}>
                <Form.Item
                  name={[name, 'year']}
                  rules={[
                    { required: true },
                    ({ getFieldValue }) => ({
                      validator: (_, year: number) =>
                        (getFieldValue('years') as KeyUnitYear[]).filter((y) => y?.year === year).length > 1
                          ? Promise.reject(new Error(t('registryAdmin.keyUnits.repeated')))
                          : Promise.resolve(),
                    }),
                  ]}
                >
                  <InputNumber
                    min={1900}
                    max={9999}
                    precision={0}
                    style={{ width: 100 }}
                    data-testid={`key-unit-year-${name}`}
                  />
                </Form.Item>
                <Form.Item name={[name, 'categories']}>
                  <Checkbox.Group
                    options={KEY_UNIT_CATEGORIES.map((c) => ({ value: c, label: category(c) }))}
                    data-testid={`key-unit-categories-${name}`}
                  />
                </Form.Item>
                <RemoveRowButton onClick={() => remove(name)} />
              </Space>
            ))}
            <Button
              icon={<PlusOutlined />}
              onClick={() => add({ year: thisYear, categories: [] })}
              data-testid="key-unit-add"
            >
              {t('registryAdmin.keyUnits.add')}
            </Button>
          </>
        )}
      </Form.List>
      <p style={{ color: 'rgba(0,0,0,0.45)', margin: '8px 0' }}>{t('registryAdmin.keyUnits.hint')}</p>
      <SaveError error={saveError} style={{ marginBottom: 8 }} testId="key-units-error" />
      <Space>
        <Button onClick={() => setEditing(undefined)}>{t('adminPage.cancel')}</Button>
        <Button type="primary" loading={saving} onClick={() => void save()} data-testid="key-units-save">
          {t('adminPage.save')}
        </Button>
      </Space>
    </Form>
  );
}
