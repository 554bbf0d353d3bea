// What 登记管理 shows of the enterprise picked: its outlets and points (with their factors), its discharge
// permits, its 名录 years and the contracts in force for it (contracts are recorded under 运维单位).
import { Card, Tabs } from 'antd';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { archiveApi, type EnterpriseFull } from '../../api/archive';
import { ContractorsTab } from '../archive/RecordTabs';
import { useLoad } from '../archive/useLoad';
import { RegistryKeyUnits } from './RegistryKeyUnits';
import { RegistryOutlets } from './RegistryOutlets';
import { RegistryPermits } from './RegistryPermits';

/** The contracts in force for the enterprise, with its points' names. */
function Contracts({ enterpriseId }: { enterpriseId: number }) {
  const points = useLoad(() => archiveApi.points(enterpriseId), [enterpriseId]);
  const names = useMemo(() => new Map((points.data ?? []).map((p) => [p.id, p.name])), [points.data]);
  return <ContractorsTab enterpriseId={enterpriseId} pointNames={names} />;
}

export function RegistryEnterprise({
  enterprise,
  canWrite,
}: {
  enterprise: EnterpriseFull;
  canWrite: boolean;
}) {
  const { t } = useTranslation();
  const card = (children: ReactNode) => (
    <Card size="small" title={enterprise.name}>
      {children}
    </Card>
  );
  return (
    <Tabs
      data-testid="registry-enterprise-tabs"
      size="small"
      destroyOnHidden
      items={[
        {
          key: 'outlets',
          label: t('archivePage.outlets'),
          children: <RegistryOutlets enterprise={enterprise} canWrite={canWrite} />,
        },
        {
          key: 'permits',
          label: t('archivePage.permits'),
          children: card(<RegistryPermits enterprise={enterprise} canWrite={canWrite} />),
        },
        {
          key: 'key-units',
          label: t('archivePage.keyUnits'),
          children: card(<RegistryKeyUnits enterprise={enterprise} canWrite={canWrite} />),
        },
        {
          key: 'contracts',
          label: t('registryAdmin.contractsInForce'),
          children: card(<Contracts enterpriseId={enterprise.id} />),
        },
      ]}
    />
  );
}
