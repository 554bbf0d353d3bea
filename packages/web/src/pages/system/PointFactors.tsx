// A monitoring point's factors (监测因子): unit, range (量程), hour/day limits, alarm thresholds and
// 考核因子 (counted in the effective transmission rate), read by every registry reader; with registry.write
// the whole list is edited (FactorRows) and saved at once (PUT /points/:id/factors replaces it).
import { Alert, Button, Form, Modal, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { registryAdminApi } from '../../api/admin';
import type { PointDetail, PointFactor } from '../../api/archive';
import { type FactorFields, registryRefApi } from '../../api/registry';
import { factorName } from '../../factors';
import { orDash, rangeText } from '../archive/format';
import { useLoad } from '../archive/useLoad';
import { FactorRows } from './FactorRows';
import { numberOrNull, SaveError, textOrNull, useSave, validated } from './shared';

/** The standard's limits of a factor, as 'hour 35 mg/m3 · day 30 mg/m3'. */
function standardLimits(point: PointDetail, code: string, period: (p: string) => string): string {
  const limits = point.standard?.limits.filter((l) => l.factorCode === code) ?? [];
  return limits.map((l) => `${period(l.period)} ${l.limitValue} ${l.unit}`).join(' · ');
}

export function PointFactors({
  pointId,
  canWrite,
  onClose,
}: {
  pointId: number | undefined;
  canWrite: boolean;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [version, setVersion] = useState(0);
  const { data: point, error } = useLoad(
    () => (pointId === undefined ? Promise.resolve(undefined) : registryAdminApi.point(pointId)),
    [pointId, version],
  );
  /** The factors the form starts from while editing. */
  const [editing, setEditing] = useState<{ factors: FactorFields[] }>();
  const { saving, saveError, setSaveError, run } = useSave();
  const [form] = Form.useForm<{ factors: FactorFields[] }>();
  const period = (p: string) => t(`archivePage.periods.${p}`, { defaultValue: p });

  const close = () => {
    setEditing(undefined);
    setSaveError(undefined);
    onClose();
  };

  const edit = (p: PointDetail) => {
    setSaveError(undefined);
    setEditing({ factors: p.factors.map((f) => ({ ...f })) });
  };

  const save = async () => {
    if (point === undefined) return;
    const v = await validated(form);
    if (v === undefined) return;
    const factors = (v.factors ?? []).map(
      (f): FactorFields => ({
        factorCode: f.factorCode.trim(),
        code2005: textOrNull(f.code2005),
        unit: f.unit.trim(),
        rangeLow: numberOrNull(f.rangeLow),
        rangeHigh: numberOrNull(f.rangeHigh),
        hourLimit: numberOrNull(f.hourLimit),
        dayLimit: numberOrNull(f.dayLimit),
        assessed: f.assessed === true,
        alarmLow: numberOrNull(f.alarmLow),
        alarmHigh: numberOrNull(f.alarmHigh),
      }),
    );
    await run(
      () => registryRefApi.setFactors(point.id, factors),
      () => {
        setEditing(undefined);
        setVersion((n) => n + 1);
      },
    );
  };

  const editor = (
    <Form form={form} component={false} initialValues={editing}>
      <FactorRows defaultUnit={point?.outlet.kind === 'water' ? 'mg/L' : 'mg/m3'} />
    </Form>
  );

  const reader = (
    <Table<PointFactor>
      size="small"
      rowKey="factorCode"
      pagination={false}
      loading={point === undefined && !error}
      dataSource={point?.factors ?? []}
      data-testid="factors-table"
      locale={{ emptyText: t('archivePage.empty') }}
      columns={[
        {
          title: t('archivePage.factor'),
          dataIndex: 'factorCode',
          render: (c: string) => factorName(c, i18n.language),
        },
        { title: t('registryAdmin.factors.code2005'), dataIndex: 'code2005', render: orDash },
        { title: t('archivePage.unit'), dataIndex: 'unit' },
        { title: t('archivePage.range'), key: 'range', render: (_, f) => rangeText(f.rangeLow, f.rangeHigh) },
        { title: t('archivePage.hourLimit'), dataIndex: 'hourLimit', render: orDash },
        { title: t('archivePage.dayLimit'), dataIndex: 'dayLimit', render: orDash },
        { title: t('archivePage.alarm'), key: 'alarm', render: (_, f) => rangeText(f.alarmLow, f.alarmHigh) },
        {
          title: t('archivePage.standardLimit'),
          key: 'standard',
          render: (_, f) => (point === undefined ? '—' : orDash(standardLimits(point, f.factorCode, period))),
        },
        {
          title: t('archivePage.assessed'),
          dataIndex: 'assessed',
          render: (a: boolean) => (a ? <Tag color="blue">{t('archivePage.yes')}</Tag> : '—'),
        },
      ]}
    />
  );

  return (
    <Modal
      open={pointId !== undefined}
      title={
        point === undefined
          ? t('archivePage.factors')
          : `${t('archivePage.factors')} · ${point.name} (${point.mn})`
      }
      onCancel={close}
      width={1160}
      forceRender
      data-testid="factors-modal"
      footer={
        editing !== undefined ? (
          <Space>
            <Button onClick={() => setEditing(undefined)}>{t('adminPage.cancel')}</Button>
            <Button type="primary" loading={saving} onClick={() => void save()} data-testid="factors-save">
              {t('adminPage.save')}
            </Button>
          </Space>
        ) : (
          <Space>
            {canWrite && point !== undefined && (
              <Button onClick={() => edit(point)} data-testid="factors-edit">
                {t('adminPage.edit')}
              </Button>
            )}
            <Button type="primary" onClick={close}>
              {t('registryAdmin.close')}
            </Button>
          </Space>
        )
      }
    >
      {error && <Alert type="error" title={error} showIcon />}
      {point !== undefined && (
        <p style={{ marginTop: 0 }} data-testid="factors-standard">
          {t('archivePage.standard')}:{' '}
          {point.standard === null
            ? t('archivePage.noStandard')
            : `${point.standard.code} ${point.standard.name}`}
        </p>
      )}
      {editing !== undefined ? editor : reader}
      <SaveError error={saveError} style={{ marginTop: 8 }} testId="factors-error" />
    </Modal>
  );
}
