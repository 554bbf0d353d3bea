// One downlink command's progress: pending → sent → accepted (9011) → succeeded/failed (9012), with the
// device's answers and the values it returned.
import { Descriptions, Spin, Steps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type CommandView, FINAL_COMMAND_STATES } from '../../api/operations';
import { beijing } from '../../components/beijingTime';
import { commandLabel, EXE_RTN, QN_RTN } from './catalogue';

const TIME = 'YYYY-MM-DD HH:mm:ss';

export const stateColour = (state: string) =>
  state === 'succeeded'
    ? 'green'
    : state === 'accepted' || state === 'sent'
      ? 'blue'
      : state === 'pending'
        ? 'default'
        : state === 'offline'
          ? 'orange'
          : 'red';

/** Returned values as JSON, numbers under time-like keys (SystemTime, systemTime…) in Beijing time. */
export function resultText(result: Record<string, unknown> | null): string {
  if (result === null || Object.keys(result).length === 0) return '';
  return JSON.stringify(
    result,
    (key, value) =>
      typeof value === 'number' && /time$/i.test(key) ? `${beijing(value, TIME)} (UTC+8)` : value,
    2,
  );
}

export function replyName(table: typeof QN_RTN, code: number | null, language: string): string {
  if (code === null) return '—';
  const names = table[code];
  return `${code}${names === undefined ? '' : ` ${language === 'en' ? names[1] : names[0]}`}`;
}

function stepOf(c: CommandView): { current: number; status: 'process' | 'finish' | 'error' | 'wait' } {
  switch (c.state) {
    case 'pending':
      return { current: 0, status: 'process' };
    case 'sent':
      return { current: 1, status: 'process' };
    case 'accepted':
      return { current: 2, status: 'process' };
    case 'rejected':
      return { current: 2, status: 'error' };
    case 'succeeded':
      return { current: 3, status: 'finish' };
    case 'offline':
      return { current: c.attempts > 0 ? 1 : 0, status: 'error' };
    case 'timed-out':
      return { current: c.qnRtn === null ? 2 : 3, status: 'error' };
    default:
      return { current: 3, status: 'error' };
  }
}

export function CommandProgress({ command }: { command: CommandView }) {
  const { t, i18n } = useTranslation();
  const step = stepOf(command);
  const final = FINAL_COMMAND_STATES.includes(command.state);
  const result = resultText(command.result);
  return (
    <div data-testid="command-progress">
      <Steps
        size="small"
        current={step.current}
        status={step.status}
        style={{ marginBottom: 16 }}
        items={[
          { title: t('commandsPage.stepPending') },
          { title: t('commandsPage.stepSent') },
          { title: t('commandsPage.stepAccepted') },
          {
            title: final ? t(`commandState.${command.state}`) : t('commandsPage.stepResult'),
          },
        ]}
      />
      <Descriptions size="small" bordered column={{ xs: 1, lg: 2 }}>
        <Descriptions.Item label={t('commandsPage.command')}>
          {commandLabel(command.command, i18n.language)}{' '}
          <Typography.Text type="secondary">
            {command.command} · CN {command.cn}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('commandsPage.state')}>
          <Tag color={stateColour(command.state)} data-testid="command-state">
            {t(`commandState.${command.state}`, { defaultValue: command.state })}
          </Tag>
          {!final && <Spin size="small" />}
        </Descriptions.Item>
        <Descriptions.Item label="MN">{command.mn}</Descriptions.Item>
        <Descriptions.Item label="QN">{command.qn}</Descriptions.Item>
        <Descriptions.Item label={t('commandsPage.params')} span={2}>
          {Object.keys(command.params).length === 0 ? '—' : resultText(command.params).replace(/\s+/g, ' ')}
        </Descriptions.Item>
        <Descriptions.Item label={t('commandsPage.requestedAt')}>
          {beijing(command.requestedAt, TIME)}
        </Descriptions.Item>
        <Descriptions.Item label={t('commandsPage.requestedBy')}>{command.requestedBy}</Descriptions.Item>
        <Descriptions.Item label={t('commandsPage.qnRtn')}>
          <span data-testid="command-qnrtn">{replyName(QN_RTN, command.qnRtn, i18n.language)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('commandsPage.exeRtn')}>
          <span data-testid="command-exertn">{replyName(EXE_RTN, command.exeRtn, i18n.language)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('commandsPage.attempts')}>{command.attempts}</Descriptions.Item>
        <Descriptions.Item label={t('commandsPage.finishedAt')}>
          {command.finishedAt === null ? '—' : beijing(command.finishedAt, TIME)}
        </Descriptions.Item>
        {command.errorCode && (
          <Descriptions.Item label={t('commandsPage.errorCode')} span={2}>
            <Typography.Text type="danger">{command.errorCode}</Typography.Text>
          </Descriptions.Item>
        )}
        {result && (
          <Descriptions.Item label={t('commandsPage.result')} span={2}>
            <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap' }} data-testid="command-result">
              {result}
            </pre>
          </Descriptions.Item>
        )}
      </Descriptions>
    </div>
  );
}
