import { Card, Tabs } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Permission } from '../api/types';
import { useAuth } from '../auth';
import '../i18n/frames';
import '../i18n/system';
import { Audit } from './system/Audit';
import { Status } from './system/Status';
import { Users } from './system/Users';

const TABS: readonly { key: string; permission: Permission; render: () => ReactNode }[] = [
  { key: 'users', permission: 'users.manage', render: () => <Users /> },
  { key: 'status', permission: 'system.read', render: () => <Status /> },
  { key: 'audit', permission: 'audit.read', render: () => <Audit /> },
];

/** 系统管理: users (users.manage), platform status (system.read), audit log (audit.read), by permission. */
export default function System() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const tabs = TABS.filter((tab) => can(tab.permission));
  return (
    <Card size="small">
      <Tabs
        data-testid="system-tabs"
        destroyOnHidden
        items={tabs.map((tab) => ({
          key: tab.key,
          label: t(`systemPage.${tab.key}`),
          children: tab.render(),
        }))}
      />
    </Card>
  );
}
