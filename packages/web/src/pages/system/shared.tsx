// What the registry and reference tabs of 系统管理 share: saving a form (the API's error shown as text,
// '已保存' on success) or a table action, a record edited in a modal form and the modal itself, the list a
// record is picked from beside what is picked, and the small parts their forms and tables repeat (new,
// remove-row and deactivate buttons, the save error, a typed calendar day).
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  type FormInstance,
  Input,
  Modal,
  Popconfirm,
  Row,
  Table,
  type TableColumnsType,
} from 'antd';
import { type CSSProperties, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/admin';

/**
 * A form's values once its rules pass, or undefined: antd shows each failed rule at its field, so the
 * rejection of `validateFields` goes no further (unhandled, it was logged by the browser on every bad save).
 */
export const validated = <F,>(form: FormInstance<F>): Promise<F | undefined> =>
  form.validateFields().catch(() => undefined);

/** Empty text → null (the API clears the field), otherwise trimmed. */
export const textOrNull = (v: string | null | undefined) =>
  v === undefined || v === null || v.trim() === '' ? null : v.trim();
export const numberOrNull = (v: number | null | undefined) => (v === undefined || v === null ? null : v);

/**
 * Saving a form: `run(write, done)` shows the save in progress, then '已保存' and calls `done` with what
 * the write answered, or keeps the API's error (with its code) in `saveError` for the form to show.
 */
export function useSave() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const run = async <T,>(write: () => Promise<T>, done: (saved: T) => void): Promise<void> => {
    setSaving(true);
    setSaveError(undefined);
    try {
      const saved = await write();
      message.success(t('adminPage.saved'));
      done(saved);
    } catch (e) {
      setSaveError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return { saving, saveError, setSaveError, run };
}

/** A write from a table's action (no form): '已保存' and `done`, or the API's error as a message. */
export function useAction() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return async (write: () => Promise<unknown>, done: () => void): Promise<void> => {
    try {
      await write();
      message.success(t('adminPage.saved'));
      done();
    } catch (e) {
      message.error(errorText(e));
    }
  };
}

/**
 * A record (or 'new') edited in a modal form: `open` clears the last error and the form, then fills it
 * with the record's fields; `close` ends the editing; `run` saves (useSave).
 */
export function useEditor<E, F>(fieldsOf: (record: E) => Parameters<FormInstance<F>['setFieldsValue']>[0]) {
  const [form] = Form.useForm<F>();
  const [editing, setEditing] = useState<E | 'new'>();
  const save = useSave();
  const open = (record: E | 'new') => {
    setEditing(record);
    save.setSaveError(undefined);
    form.resetFields();
    if (record !== 'new') form.setFieldsValue(fieldsOf(record));
  };
  const close = () => setEditing(undefined);
  return { form, editing, open, close, ...save };
}

/** The modal a form is edited in: 保存 (confirming while `saving`) and 取消; rendered while closed. */
export function FormModal({
  open,
  title,
  onCancel,
  onSave,
  saving,
  saveTestId,
  width,
  children,
}: {
  open: boolean;
  title: ReactNode;
  onCancel: () => void;
  onSave: () => Promise<void>;
  saving: boolean;
  /** The data-testid of the save button. */
  saveTestId?: string;
  width?: number;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      onOk={() => void onSave()}
      okText={t('adminPage.save')}
      cancelText={t('adminPage.cancel')}
      okButtonProps={saveTestId === undefined ? undefined : { 'data-testid': saveTestId }}
      confirmLoading={saving}
      forceRender
      width={width}
    >
      {children}
    </Modal>
  );
}

/**
 * A card listing records (15 a page) to pick one from, the one picked highlighted; a reader who may not
 * write is told so above the list.
 */
export function PickList<T extends { id: number }>({
  title,
  extra,
  canWrite,
  data,
  error,
  pickedId,
  onPick,
  testId,
  columns,
}: {
  title: ReactNode;
  extra: ReactNode;
  canWrite: boolean;
  data: readonly T[] | undefined;
  error: string | undefined;
  pickedId: number | undefined;
  onPick: (record: T) => void;
  /** The data-testid of the table. */
  testId: string;
  columns: TableColumnsType<T>;
}) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={title} extra={extra}>
      {!canWrite && <Alert type="info" title={t('adminPage.readOnly')} style={{ marginBottom: 8 }} />}
      {error && <Alert type="error" title={error} showIcon />}
      <Table<T>
        data-testid={testId}
        size="small"
        rowKey="id"
        loading={data === undefined && !error}
        dataSource={data ?? []}
        pagination={{ pageSize: 15, showSizeChanger: false, hideOnSinglePage: true }}
        rowClassName={(r) => (r.id === pickedId ? 'ant-table-row-selected' : '')}
        onRow={(r) => ({ onClick: () => onPick(r), style: { cursor: 'pointer' } })}
        columns={columns}
      />
    </Card>
  );
}

/** The button that takes a row off a form list (Form.List's `remove`). */
export function RemoveRowButton({ onClick, testId }: { onClick: () => void; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Button
      type="text"
      danger
      icon={<DeleteOutlined />}
      onClick={onClick}
      aria-label={t('registryAdmin.remove')}
      data-testid={testId}
    />
  );
}

/** A registry tab's layout: the list (left), what is picked in it (right), and the edit modal. */
export function ListAndDetail({
  testId,
  list,
  detail,
  children,
}: {
  testId: string;
  list: ReactNode;
  detail: ReactNode;
  children: ReactNode;
}) {
  return (
    <Row gutter={12} data-testid={testId}>
      <Col xs={24} xl={11}>
        {list}
      </Col>
      <Col xs={24} xl={13}>
        {detail}
      </Col>
      {children}
    </Row>
  );
}

/** What the detail side shows until a record is picked. */
export function PickHint({ title }: { title: string }) {
  return (
    <Card size="small">
      <Alert type="info" title={title} />
    </Card>
  );
}

/** The button that starts a new record: primary in a list's header, small inside a detail. */
export function NewButton({
  onClick,
  testId,
  small = false,
  children,
}: {
  onClick: () => void;
  testId: string;
  small?: boolean;
  children: ReactNode;
}) {
  return (
    <Button
      {...(small ? { size: 'small' } : { type: 'primary' })}
      icon={<PlusOutlined />}
      onClick={onClick}
      data-testid={testId}
    >
      {children}
    </Button>
  );
}

/** Why the last save failed (the API's message and code), while it did. */
export function SaveError({
  error,
  testId,
  style,
}: {
  error: string | undefined;
  testId?: string;
  style?: CSSProperties;
}) {
  return error ? <Alert type="error" title={error} showIcon style={style} data-testid={testId} /> : null;
}

/** A table action that deactivates the record named `name` once confirmed (its status, not a deletion). */
export function DeactivateButton({ name, onConfirm }: { name: string; onConfirm: () => Promise<void> }) {
  const { t } = useTranslation();
  return (
    <Popconfirm
      title={t('adminPage.deactivateConfirm', { name })}
      onConfirm={onConfirm}
      okText={t('adminPage.deactivate')}
      cancelText={t('adminPage.cancel')}
    >
      <Button type="link" size="small" danger>
        {t('adminPage.deactivate')}
      </Button>
    </Popconfirm>
  );
}

const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** A form's required calendar day, typed as the API takes it (YYYY-MM-DD). */
export function DayField({
  name,
  label,
  placeholder,
  testId,
}: {
  name: string;
  label: string;
  placeholder: string;
  testId: string;
}) {
  return (
    <Form.Item name={name} label={label} rules={[{ required: true }, { pattern: DAY }]}>
      <Input style={{ width: 140 }} placeholder={placeholder} data-testid={testId} />
    </Form.Item>
  );
}
