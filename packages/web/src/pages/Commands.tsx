import { ReloadOutlined, SendOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  AutoComplete,
  Badge,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { type CommandView, FINAL_COMMAND_STATES } from '../api/operations';
import type { LivePoint } from '../api/types';
import { beijing, fromPicker, toPicker } from '../components/beijingTime';
import { PointPicker } from '../components/PointPicker';
import { factorName } from '../factors';
import '../i18n/commands';
import { CommandProgress, replyName, stateColour } from './commands/CommandProgress';
import {
  COMMAND_SPECS,
  type CommandSpec,
  commandLabel,
  commandSpec,
  EXE_RTN,
  INFO_IDS,
  QN_RTN,
} from './commands/catalogue';

const HOUR = 3_600_000;
type FieldValue = string | number | Dayjs | null | undefined;

/** Initial values of a command's fields: the last hour for time ranges, now for SystemTime. */
function initialParams(spec: CommandSpec | undefined): Record<string, FieldValue> {
  const now = Date.now();
  const out: Record<string, FieldValue> = {};
  for (const p of spec?.params ?? []) {
    if (p.type !== 'time' || !p.required) continue;
    out[p.key] = toPicker(p.key === 'BeginTime' ? now - HOUR : now);
  }
  return out;
}

/** The body's params: times as UTC epoch ms, integers as numbers, empty optional fields left out. */
function bodyParams(spec: CommandSpec, values: Record<string, FieldValue>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const p of spec.params) {
    const v = values[p.key];
    if (v === undefined || v === null || v === '') continue;
    if (p.type === 'time') out[p.key] = fromPicker(v as Dayjs);
    else if (p.type === 'integer') out[p.key] = Number(v);
    else out[p.key] = String(v).trim();
  }
  return out;
}

/** 反控: send a downlink command to a point's online data logger and follow it; the recent commands. */
export default function Commands() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ command: string; params: Record<string, FieldValue> }>();
  const [pointId, setPointId] = useState<number>();
  const [point, setPoint] = useState<LivePoint>();
  const [commandName, setCommandName] = useState('get-system-time');
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string>();
  const [current, setCurrent] = useState<CommandView>();
  const [list, setList] = useState<CommandView[]>();
  const [listError, setListError] = useState<string>();
  const [onlyPoint, setOnlyPoint] = useState(false);
  const spec = commandSpec(commandName);
  const pick = useCallback((id: number | undefined, p: LivePoint | undefined) => {
    setPointId(id);
    setPoint(p);
  }, []);

  const loadList = useCallback(() => {
    api
      .get<CommandView[]>('/commands', { limit: 100, pointId: onlyPoint ? pointId : undefined })
      .then((rows) => {
        setList(rows);
        setListError(undefined);
      })
      .catch((e: unknown) => setListError(e instanceof Error ? e.message : String(e)));
  }, [onlyPoint, pointId]);
  useEffect(() => {
    loadList();
    const timer = setInterval(loadList, 5000);
    return () => clearInterval(timer);
  }, [loadList]);

  // Follow the shown command until it is final (at most 3 minutes).
  const currentId = current?.id;
  const currentFinal = current === undefined || FINAL_COMMAND_STATES.includes(current.state);
  useEffect(() => {
    if (currentId === undefined || currentFinal) return;
    const until = Date.now() + 180_000;
    const timer = setInterval(() => {
      if (Date.now() > until) {
        clearInterval(timer);
        return;
      }
      api
        .get<CommandView>(`/commands/${currentId}`)
        .then((c) => {
          setCurrent((shown) => (shown?.id === c.id ? c : shown));
          if (FINAL_COMMAND_STATES.includes(c.state)) loadList();
        })
        .catch(() => undefined);
    }, 1000);
    return () => clearInterval(timer);
  }, [currentId, currentFinal, loadList]);

  const chooseCommand = (name: string) => {
    setCommandName(name);
    form.setFieldsValue({ params: initialParams(commandSpec(name)) });
  };

  const send = async () => {
    if (pointId === undefined || spec === undefined) return;
    const values = await form.validateFields();
    setSending(true);
    setSendError(undefined);
    try {
      const params = bodyParams(spec, values.params ?? {});
      const record = await api.post<CommandView>(`/points/${pointId}/commands`, {
        command: spec.name,
        ...(Object.keys(params).length > 0 ? { params } : {}),
      });
      setCurrent(record);
      message.success(t('commandsPage.sent', { id: record.id }));
      loadList();
    } catch (e) {
      setSendError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  };

  const polIds = useMemo(
    () =>
      (point?.factors ?? []).map((f) => ({
        value: f.factorCode,
        label: factorName(f.factorCode, i18n.language),
      })),
    [point, i18n.language],
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('commandsPage.send')}>
            <Form
              form={form}
              layout="vertical"
              initialValues={{
                command: 'get-system-time',
                params: initialParams(commandSpec('get-system-time')),
              }}
              onFinish={() => void send()}
            >
              <Form.Item label={t('commandsPage.point')} required>
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <PointPicker value={pointId} onChange={pick} width={520} testId="command-point" />
                  {point && !point.online && (
                    <Typography.Text type="warning">{t('commandsPage.offlineHint')}</Typography.Text>
                  )}
                </Space>
              </Form.Item>
              <Form.Item name="command" label={t('commandsPage.command')} rules={[{ required: true }]}>
                <Select
                  data-testid="command-select"
                  showSearch={{ optionFilterProp: 'search' }}
                  onChange={chooseCommand}
                  options={COMMAND_SPECS.map((c) => ({
                    value: c.name,
                    search: `${c.cn} ${c.zh} ${c.en} ${c.name}`,
                    label: (
                      <span>
                        {c.cn} {i18n.language === 'en' ? c.en : c.zh}{' '}
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {c.name}
                        </Typography.Text>
                        {c.versions && (
                          <Tag style={{ marginLeft: 4 }}>
                            {t('commandsPage.versions', { versions: c.versions })}
                          </Tag>
                        )}
                      </span>
                    ),
                  }))}
                />
              </Form.Item>
              {spec?.params.map((p) => {
                const rules = p.required ? [{ required: true }] : [];
                const label = `${p.key}${p.type === 'time' ? ` (${t('commandsPage.timeHint')})` : ''}`;
                const name = ['params', p.key];
                if (p.type === 'time')
                  return (
                    <Form.Item key={p.key} name={name} label={label} rules={rules}>
                      <DatePicker showTime format="YYYY-MM-DD HH:mm:ss" style={{ width: 240 }} />
                    </Form.Item>
                  );
                if (p.type === 'integer')
                  return (
                    <Form.Item key={p.key} name={name} label={label} rules={rules}>
                      {p.oneOf ? (
                        <Select
                          style={{ width: 160 }}
                          options={p.oneOf.map((v) => ({ value: v, label: v }))}
                        />
                      ) : (
                        <InputNumber
                          min={p.range?.[0]}
                          max={p.range?.[1]}
                          precision={0}
                          style={{ width: 160 }}
                        />
                      )}
                    </Form.Item>
                  );
                if (p.type === 'hhmmss')
                  return (
                    <Form.Item
                      key={p.key}
                      name={name}
                      label={label}
                      rules={[...rules, { pattern: /^\d{6}$/, message: t('commandsPage.hhmmssHint') }]}
                    >
                      <Input placeholder={t('commandsPage.hhmmssHint')} style={{ width: 200 }} />
                    </Form.Item>
                  );
                return (
                  <Form.Item key={p.key} name={name} label={label} rules={rules}>
                    {p.key === 'PolId' ? (
                      <AutoComplete
                        allowClear
                        options={polIds}
                        placeholder={t('commandsPage.polIdHint')}
                        style={{ width: 280 }}
                      />
                    ) : p.key === 'InfoId' ? (
                      <AutoComplete
                        allowClear
                        options={INFO_IDS.map(([code, name]) => ({ value: code, label: `${code} ${name}` }))}
                        placeholder={t('commandsPage.infoIdHint')}
                        style={{ width: 280 }}
                      />
                    ) : (
                      <Input style={{ width: 280 }} />
                    )}
                  </Form.Item>
                );
              })}
              {sendError && <Alert type="error" title={sendError} showIcon style={{ marginBottom: 12 }} />}
              <Button
                type="primary"
                htmlType="submit"
                icon={<SendOutlined />}
                loading={sending}
                disabled={pointId === undefined}
                data-testid="command-send"
              >
                {t('commandsPage.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card
            size="small"
            title={
              <span>
                {t('commandsPage.progress')}
                {current && <Typography.Text type="secondary"> #{current.id}</Typography.Text>}
              </span>
            }
          >
            {current ? (
              <CommandProgress command={current} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('commandsPage.none')} />
            )}
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title={t('commandsPage.recent')}
        extra={
          <Space>
            <Checkbox checked={onlyPoint} onChange={(e) => setOnlyPoint(e.target.checked)}>
              {t('commandsPage.onlyPoint')}
            </Checkbox>
            <Button size="small" icon={<ReloadOutlined />} onClick={loadList}>
              {t('commandsPage.refresh')}
            </Button>
          </Space>
        }
      >
        {listError && <Alert type="error" title={listError} showIcon style={{ marginBottom: 8 }} />}
        <Table<CommandView>
          data-testid="commands-table"
          size="small"
          rowKey="id"
          loading={list === undefined && listError === undefined}
          dataSource={list ?? []}
          pagination={{ pageSize: 15, showSizeChanger: false }}
          scroll={{ x: 1100 }}
          rowClassName={(r) => (r.id === current?.id ? 'ant-table-row-selected' : '')}
          onRow={(r) => ({ onClick: () => setCurrent(r), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('commandsPage.id'), dataIndex: 'id', width: 70 },
            {
              title: t('commandsPage.requestedAt'),
              key: 'at',
              width: 170,
              render: (_, r) => beijing(r.requestedAt, 'YYYY-MM-DD HH:mm:ss'),
            },
            { title: 'MN', dataIndex: 'mn' },
            {
              title: t('commandsPage.command'),
              key: 'command',
              render: (_, r) => (
                <span>
                  {r.cn} {commandLabel(r.command, i18n.language)}
                </span>
              ),
            },
            {
              title: t('commandsPage.state'),
              key: 'state',
              render: (_, r) => (
                <Badge
                  color={stateColour(r.state) === 'default' ? '#bfbfbf' : stateColour(r.state)}
                  text={t(`commandState.${r.state}`, { defaultValue: r.state })}
                />
              ),
            },
            {
              title: t('commandsPage.qnRtnShort'),
              key: 'qnRtn',
              render: (_, r) => replyName(QN_RTN, r.qnRtn, i18n.language),
            },
            {
              title: t('commandsPage.exeRtnShort'),
              key: 'exeRtn',
              render: (_, r) => replyName(EXE_RTN, r.exeRtn, i18n.language),
            },
            {
              title: t('commandsPage.purpose'),
              key: 'purpose',
              render: (_, r) => t(`commandPurpose.${r.purpose}`, { defaultValue: r.purpose }),
            },
            { title: t('commandsPage.requestedBy'), dataIndex: 'requestedBy' },
          ]}
        />
      </Card>
    </Space>
  );
}
