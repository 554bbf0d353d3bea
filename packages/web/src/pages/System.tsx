import { Card, Tabs } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Permission } from '../api/types';
import { useAuth } from '../auth';
import '../i18n/admin';
import '../i18n/archive';
import '../i18n/frames';
import '../i18n/registry';
import '../i18n/system';
import { Audit } from './system/Audit';
import { Contractors } from './system/Contractors';
import { Registry } from './system/Registry';
import { Rules } from './system/Rules';
import { Standards } from './system/Standards';
import { Status } from './system/Status';
import { Users } from './system/Users';

const TABS: readonly { key: string; label: string; permission: Permission; render: () => ReactNode }[] = [
  { key: 'users', label: 'systemPage.users', permission: 'users.manage', render: () => <Users /> },
  { key: 'status', label: 'systemPage.status', permission: 'system.read', render: () => <Status /> },
  { key: 'audit', label: 'systemPage.audit', permission: 'audit.read', render: () => <Audit /> },
  // Read by the authorities who reach this page; the edit controls follow registry.write, reference.write
  // (standards, contractors and contracts) and rules.write inside each tab.
  {
    key: 'registry',
    label: 'adminPage.tabs.registry',
    permission: 'registry.read',
    render: () => <Registry />,
  },
  {
    key: 'contractors',
    label: 'registryAdmin.tab',
    permission: 'registry.read',
    render: () => <Contractors />,
  },
  {
    key: 'standards',
    label: 'adminPage.tabs.standards',
    permission: 'registry.read',
    render: () => <Standards />,
  },
  { key: 'rules', label: 'adminPage.tabs.rules', permission: 'rules.read', render: () => <Rules /> },
];

/**
 * 系统管理: users (users.manage), platform status (system.read), audit log (audit.read), the registry, the
 * contractors and the emission standards (registry.read; changed with registry.write / reference.write)
 * and the rule thresholds (rules.read; changed with rules.write), by permission.
 */
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
          label: t(tab.label),
          children: tab.render(),
        }))}
      />
    </Card>
  );
}
