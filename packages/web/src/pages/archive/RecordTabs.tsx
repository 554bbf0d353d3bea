import { Alert, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type AlarmRow, archiveApi, type ContractInForce, type PermitDetail } from '../../api/archive';
import { factorName } from '../../factors';
import { beijingTime, beijingToday, orDash } from './format';
import { useLoad } from './useLoad';

const ALARM_LIMIT = 100;

/** The enterprise's discharge permits (newest first) with their annual allowances. */
export function PermitsTab({ enterpriseId }: { enterpriseId: number }) {
  const { t, i18n } = useTranslation();
  const { data, error } = useLoad(async () => {
    const permits = await archiveApi.permits(enterpriseId);
    return Promise.all(permits.map((p) => archiveApi.permit(p.id)));
  }, [enterpriseId]);
  if (error) return <Alert type="error" title={error} showIcon />;
  const today = beijingToday();
  return (
    <Table<PermitDetail>
      data-testid="archive-permits"
      size="small"
      rowKey="id"
      loading={data === undefined}
      dataSource={data ?? []}
      pagination={false}
      locale={{ emptyText: t('archivePage.empty') }}
      columns={[
        {
          title: t('archivePage.permitNumber'),
          dataIndex: 'number',
          render: (n: string) => <Typography.Text copyable>{n}</Typography.Text>,
        },
        { title: t('archivePage.validFrom'), dataIndex: 'validFrom' },
        { title: t('archivePage.validTo'), dataIndex: 'validTo' },
        {
          title: t('archivePage.status'),
          key: 'state',
          render: (_, p) =>
            p.validTo < today ? (
              <Tag>{t('archivePage.expired')}</Tag>
            ) : p.validFrom > today ? (
              <Tag color="orange">{t('archivePage.notYet')}</Tag>
            ) : (
              <Tag color="green">{t('archivePage.valid')}</Tag>
            ),
        },
        {
          title: t('archivePage.annualKg'),
          key: 'allowances',
          render: (_, p) =>
            p.allowances.length === 0
              ? '—'
              : p.allowances.map((a) => (
                  <div key={a.factorCode}>
                    {factorName(a.factorCode, i18n.language)}:{' '}
                    <Typography.Text strong>{a.annualKg.toLocaleString()}</Typography.Text> kg
                  </div>
                )),
        },
      ]}
    />
  );
}

/** The contracts in force today for the enterprise or its points, with their contractors. */
export function ContractorsTab({
  enterpriseId,
  pointNames,
}: {
  enterpriseId: number;
  pointNames: Map<number, string>;
}) {
  const { t } = useTranslation();
  const { data, error } = useLoad(() => archiveApi.contractors(enterpriseId), [enterpriseId]);
  if (error) return <Alert type="error" title={error} showIcon />;
  return (
    <Table<ContractInForce>
      data-testid="archive-contractors"
      size="small"
      rowKey="id"
      loading={data === undefined}
      dataSource={data ?? []}
      pagination={false}
      locale={{ emptyText: t('archivePage.empty') }}
      columns={[
        {
          title: t('archivePage.contractor'),
          key: 'name',
          render: (_, c) => (
            <span>
              {c.contractor.name}
              <br />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {c.contractor.uscc}
              </Typography.Text>
            </span>
          ),
        },
        {
          title: t('archivePage.contractorKind'),
          key: 'kind',
          render: (_, c) => (
            <Tag color="blue">
              {t(`archivePage.contractorKinds.${c.contractor.kind}`, { defaultValue: c.contractor.kind })}
            </Tag>
          ),
        },
        { title: t('archivePage.contractScope'), dataIndex: 'scope' },
        {
          title: t('archivePage.contractPoint'),
          dataIndex: 'pointId',
          render: (id: number | null) =>
            id === null ? t('archivePage.wholeEnterprise') : (pointNames.get(id) ?? `#${id}`),
        },
        { title: t('archivePage.term'), key: 'term', render: (_, c) => `${c.startsOn} ~ ${c.endsOn}` },
        {
          title: t('archivePage.filing'),
          key: 'filing',
          render: (_, c) => (
            <Tag color={c.contractor.filingStatus === 'filed' ? 'green' : 'orange'}>
              {t(`archivePage.filingStatuses.${c.contractor.filingStatus}`, {
                defaultValue: c.contractor.filingStatus,
              })}
            </Tag>
          ),
        },
        {
          title: t('archivePage.qualifications'),
          key: 'qualifications',
          render: (_, c) => orDash(c.contractor.qualifications.join('、')),
        },
      ]}
    />
  );
}

/** The enterprise's latest alarm episodes, newest first. */
export function AlarmsTab({ enterpriseId }: { enterpriseId: number }) {
  const { t, i18n } = useTranslation();
  const { data, error } = useLoad(() => archiveApi.alarms(enterpriseId, ALARM_LIMIT), [enterpriseId]);
  if (error) return <Alert type="error" title={error} showIcon />;
  return (
    <Table<AlarmRow>
      data-testid="archive-alarms"
      size="small"
      rowKey="id"
      loading={data === undefined}
      dataSource={data ?? []}
      pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
      locale={{ emptyText: t('archivePage.empty') }}
      title={() => (
        <Typography.Text type="secondary">{t('archivePage.recent', { n: ALARM_LIMIT })}</Typography.Text>
      )}
      columns={[
        {
          title: t('archivePage.alarmType'),
          dataIndex: 'type',
          render: (type: string) => <Tag color="red">{t(`alarmType.${type}`, { defaultValue: type })}</Tag>,
        },
        {
          title: t('archivePage.points'),
          key: 'point',
          render: (_, a) => (
            <span>
              {a.pointName}{' '}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {a.mn}
              </Typography.Text>
            </span>
          ),
        },
        {
          title: t('archivePage.factor'),
          dataIndex: 'factorCode',
          render: (c: string | null) => (c === null ? '—' : factorName(c, i18n.language)),
        },
        { title: t('archivePage.opened'), dataIndex: 'openedAt', render: (ms: number) => beijingTime(ms) },
        {
          title: t('archivePage.closed'),
          dataIndex: 'closedAt',
          render: (ms: number | null) =>
            ms === null ? <Tag color="orange">{t('archivePage.open')}</Tag> : beijingTime(ms),
        },
        { title: t('archivePage.peak'), dataIndex: 'peakValue', align: 'right', render: orDash },
        { title: t('archivePage.limit'), dataIndex: 'limitValue', align: 'right', render: orDash },
      ]}
    />
  );
}
