// 用户管理 (users.manage): the accounts, creating one, changing one, resetting a password. A one-time
// password is shown once, in a modal, and never kept.
import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Badge,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ROLES, type Role, type UserInput, type UserView } from '../../api/operations';
import { beijing } from '../../components/beijingTime';
import { useApi } from '../../useApi';
import { validated } from './shared';

const TIME = 'YYYY-MM-DD HH:mm';

interface FormValues {
  username?: string;
  displayName: string;
  role: Role;
  status?: 'active' | 'disabled';
  regionCode?: string | null;
  enterpriseId?: number | null;
  contractorId?: number | null;
}

const orNull = <T,>(v: T | undefined | null | ''): T | null => (v === undefined || v === '' ? null : v);

export function Users() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { data, error, reload } = useApi(() => api.get<UserView[]>('/users'));
  const [editing, setEditing] = useState<UserView | 'new'>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [oneTime, setOneTime] = useState<{ username: string; password: string }>();
  const [form] = Form.useForm<FormValues>();

  const open = (user: UserView | 'new') => {
    setEditing(user);
    setSaveError(undefined);
    form.resetFields();
    if (user !== 'new')
      form.setFieldsValue({
        displayName: user.displayName,
        role: user.role,
        status: user.status,
        regionCode: user.regionCode,
        enterpriseId: user.enterpriseId,
        contractorId: user.contractorId,
      });
  };

  const save = async () => {
    const values = await validated(form);
    if (values === undefined) return;
    const binding: UserInput = {
      regionCode: orNull(values.regionCode),
      enterpriseId: orNull(values.enterpriseId),
      contractorId: orNull(values.contractorId),
    };
    setSaving(true);
    setSaveError(undefined);
    try {
      if (editing === 'new') {
        const answer = await api.post<{ user: UserView; password: string }>('/users', {
          username: values.username,
          displayName: values.displayName,
          role: values.role,
          ...binding,
        });
        setOneTime({ username: answer.user.username, password: answer.password });
      } else if (editing !== undefined) {
        await api.patch<UserView>(`/users/${editing.id}`, {
          displayName: values.displayName,
          role: values.role,
          status: values.status,
          ...binding,
        });
        message.success(t('systemPage.saved'));
      }
      setEditing(undefined);
      reload();
    } catch (e) {
      setSaveError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  const reset = async (user: UserView) => {
    try {
      const answer = await api.post<{ password: string }>(`/users/${user.id}/password-reset`);
      setOneTime({ username: user.username, password: answer.password });
      reload();
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    }
  };

  if (error) return <Alert type="error" title={error} showIcon />;
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="user-new">
          {t('systemPage.newUser')}
        </Button>
      </Space>
      <Table<UserView>
        data-testid="users-table"
        size="small"
        rowKey="id"
        loading={data === undefined}
        dataSource={data ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        scroll={{ x: 1100 }}
        columns={[
          { title: 'ID', dataIndex: 'id', width: 60 },
          { title: t('systemPage.username'), dataIndex: 'username' },
          { title: t('systemPage.displayName'), dataIndex: 'displayName' },
          {
            title: t('systemPage.role'),
            key: 'role',
            render: (_, u) => <Tag>{t(`userRole.${u.role}`, { defaultValue: u.role })}</Tag>,
          },
          {
            title: t('systemPage.binding'),
            key: 'binding',
            render: (_, u) =>
              [
                u.regionCode,
                u.enterpriseId === null ? null : `E${u.enterpriseId}`,
                u.contractorId === null ? null : `C${u.contractorId}`,
              ]
                .filter((x) => x !== null)
                .join(' · ') || '—',
          },
          {
            title: t('systemPage.accountStatus'),
            key: 'status',
            render: (_, u) => (
              <Space size={4} wrap>
                <Badge
                  status={u.status === 'active' ? 'success' : 'default'}
                  text={u.status === 'active' ? t('systemPage.active') : t('systemPage.disabled')}
                />
                {u.mustChangePassword && <Tag color="orange">{t('systemPage.mustChange')}</Tag>}
                {u.lockedUntil !== null && u.lockedUntil > Date.now() && (
                  <Tag color="red">{t('systemPage.locked', { time: beijing(u.lockedUntil, TIME) })}</Tag>
                )}
              </Space>
            ),
          },
          {
            title: t('systemPage.lastLogin'),
            key: 'lastLogin',
            render: (_, u) => (u.lastLoginAt === null ? '—' : beijing(u.lastLoginAt, TIME)),
          },
          { title: t('systemPage.created'), key: 'created', render: (_, u) => beijing(u.createdAt, TIME) },
          {
            title: t('systemPage.actions'),
            key: 'actions',
            render: (_, u) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => open(u)}>
                  {t('systemPage.edit')}
                </Button>
                <Popconfirm
                  title={t('systemPage.resetConfirm', { name: u.username })}
                  onConfirm={() => reset(u)}
                  okText={t('systemPage.resetPassword')}
                  cancelText={t('systemPage.cancel')}
                >
                  <Button type="link" size="small" danger data-testid={`reset-${u.username}`}>
                    {t('systemPage.resetPassword')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== undefined}
        title={
          editing === 'new' ? t('systemPage.newUser') : `${t('systemPage.edit')} ${editing?.username ?? ''}`
        }
        onCancel={() => setEditing(undefined)}
        onOk={() => void save()}
        okText={t('systemPage.save')}
        cancelText={t('systemPage.cancel')}
        confirmLoading={saving}
        forceRender
      >
        <Form form={form} layout="vertical" initialValues={{ role: 'city', status: 'active' }}>
          {editing === 'new' && (
            <Form.Item
              name="username"
              label={t('systemPage.username')}
              rules={[{ required: true }, { pattern: /^[A-Za-z0-9_.@-]{3,64}$/ }]}
            >
              <Input data-testid="user-username" />
            </Form.Item>
          )}
          <Form.Item
            name="displayName"
            label={t('systemPage.displayName')}
            rules={[{ required: true, max: 100 }]}
          >
            <Input data-testid="user-display-name" />
          </Form.Item>
          <Form.Item name="role" label={t('systemPage.role')} rules={[{ required: true }]}>
            <Select options={ROLES.map((r) => ({ value: r, label: t(`userRole.${r}`) }))} />
          </Form.Item>
          {editing !== 'new' && (
            <Form.Item name="status" label={t('systemPage.accountStatus')}>
              <Select
                options={[
                  { value: 'active', label: t('systemPage.active') },
                  { value: 'disabled', label: t('systemPage.disabled') },
                ]}
              />
            </Form.Item>
          )}
          <Space wrap>
            <Form.Item name="regionCode" label={t('systemPage.region')} rules={[{ pattern: /^[0-9]{6}$/ }]}>
              <Input style={{ width: 140 }} placeholder="420100" data-testid="user-region" />
            </Form.Item>
            <Form.Item name="enterpriseId" label={t('systemPage.enterprise')}>
              <InputNumber min={1} precision={0} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="contractorId" label={t('systemPage.contractor')}>
              <InputNumber min={1} precision={0} style={{ width: 140 }} />
            </Form.Item>
          </Space>
          {saveError && <Alert type="error" title={saveError} showIcon />}
        </Form>
      </Modal>
      <Modal
        open={oneTime !== undefined}
        title={t('systemPage.oneTimeTitle')}
        closable={false}
        mask={{ closable: false }}
        footer={
          <Button type="primary" onClick={() => setOneTime(undefined)} data-testid="one-time-close">
            {t('systemPage.close')}
          </Button>
        }
      >
        <Typography.Paragraph>
          {t('systemPage.oneTimeText', { username: oneTime?.username ?? '' })}
        </Typography.Paragraph>
        <Typography.Text code copyable style={{ fontSize: 18 }} data-testid="one-time-password">
          {oneTime?.password}
        </Typography.Text>
      </Modal>
    </>
  );
}
