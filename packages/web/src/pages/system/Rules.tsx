// 规则阈值 (rules.read; changes with rules.write, the province administrator): the anomaly thresholds in
// force — each default with its built-in value, range and [Proposal] tag — overrides per factor and
// alarms switched off per factor, saved whole from the revision read (GET/PUT /rules/anomaly-config),
// optionally re-judging the last 7 or 31 days of the province in the background (its progress shown).
import { DeleteOutlined, PlusOutlined, ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Input,
  InputNumber,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AnomalyConfigView,
  errorText,
  type RejudgeProgress,
  rulesApi,
  type ThresholdDescription,
} from '../../api/admin';
import { ApiError } from '../../api/client';
import { useAuth } from '../../auth';
import { beijing } from '../../components/beijingTime';
import { factorName } from '../../factors';
import { alarmTypeName } from '../../i18n/alarmTypes';
import { SaveError } from './shared';

interface Draft {
  defaults: Record<string, number>;
  factors: Record<string, Record<string, number>>;
  disabled: Record<string, string[]>;
}

const draftOf = (view: AnomalyConfigView): Draft => ({
  defaults: { ...view.settings.defaults },
  factors: Object.fromEntries(Object.entries(view.settings.factors).map(([f, v]) => [f, { ...v }])),
  disabled: Object.fromEntries(Object.entries(view.settings.disabled).map(([f, v]) => [f, [...v]])),
});

/** Milliseconds are shown and typed as minutes; everything else as the API has it. */
const SCALE = (s: ThresholdDescription) => (s.unit === 'ms' ? 60_000 : 1);
const shown = (s: ThresholdDescription, v: number) => v / SCALE(s);
const stored = (s: ThresholdDescription, v: number) => (s.unit === 'ms' ? Math.round(v * 60_000) : v);
const FACTOR = /^(\*|[A-Za-z0-9]{1,20})$/;
/** The past days a save may re-judge (the API takes 0–31). */
const REJUDGE_CHOICES = [0, 7, 31] as const;
/** How often the progress of a running re-judgement is read. */
const REJUDGE_POLL_MS = 2000;

/** The re-judgement of past days running or last run: days, points done of the total, when, and why it failed. */
function RejudgeStatus({ run }: { run: RejudgeProgress }) {
  const { t } = useTranslation();
  const percent = run.pointsTotal === 0 ? 0 : Math.floor((run.pointsDone / run.pointsTotal) * 100);
  const type = run.state === 'running' ? 'info' : run.state === 'finished' ? 'success' : 'error';
  return (
    <Alert
      type={type}
      showIcon
      style={{ marginBottom: 8 }}
      data-testid="rules-rejudge-status"
      title={t(`adminPage.rules.rejudgeState.${run.state}`, {
        days: run.days,
        from: beijing(run.from, 'YYYY-MM-DD'),
      })}
      description={
        <Space orientation="vertical" size={0} style={{ width: '100%' }}>
          <Progress
            percent={percent}
            size="small"
            status={run.state === 'running' ? 'active' : run.state === 'finished' ? 'success' : 'exception'}
          />
          <Typography.Text type="secondary" data-testid="rules-rejudge-points">
            {t('adminPage.rules.rejudgePoints', {
              done: run.pointsDone,
              total: run.pointsTotal,
              days: run.daysAnalysed,
              who: run.requestedBy,
              started: beijing(run.startedAt, 'YYYY-MM-DD HH:mm:ss'),
            })}
            {run.finishedAt !== null &&
              t('adminPage.rules.rejudgeFinished', { time: beijing(run.finishedAt, 'YYYY-MM-DD HH:mm:ss') })}
          </Typography.Text>
          {run.error !== null && <Typography.Text type="danger">{run.error}</Typography.Text>}
        </Space>
      }
    />
  );
}

function ThresholdInput({
  spec,
  value,
  onChange,
  testId,
}: {
  spec: ThresholdDescription;
  value: number;
  onChange: (v: number | undefined) => void;
  testId: string;
}) {
  return (
    <InputNumber
      size="small"
      style={{ width: 130 }}
      value={shown(spec, value)}
      min={shown(spec, spec.min)}
      max={shown(spec, spec.max)}
      precision={spec.integer && spec.unit !== 'ms' ? 0 : undefined}
      // The step also sets the decimals shown: shares in hundredths, everything else as typed.
      step={spec.unit === 'share' && !spec.integer ? 0.01 : 1}
      onChange={(v) => onChange(v === null ? undefined : stored(spec, Number(v)))}
      data-testid={testId}
    />
  );
}

export function Rules() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const canWrite = useAuth().can('rules.write');
  const [view, setView] = useState<AnomalyConfigView>();
  const [draft, setDraft] = useState<Draft>();
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [newFactor, setNewFactor] = useState('');
  const [rejudgeDays, setRejudgeDays] = useState<number>(0);

  const load = useCallback(async () => {
    try {
      const answer = await rulesApi.anomalyConfig();
      setView(answer);
      setDraft(draftOf(answer));
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => void load(), [load]);
  // While a re-judgement runs, its progress is read again (only `rejudge`: the draft being edited stays).
  const running = view?.rejudge?.state === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      void rulesApi
        .anomalyConfig()
        .then((answer) => {
          setView((held) => (held === undefined ? held : { ...held, rejudge: answer.rejudge }));
        })
        .catch(() => undefined);
    }, REJUDGE_POLL_MS);
    return () => clearInterval(timer);
  }, [running]);

  if (error) return <Alert type="error" title={error} showIcon />;
  if (view === undefined || draft === undefined) return <Card size="small" loading />;
  const specs = new Map(view.thresholds.map((s) => [s.name, s]));
  const label = (name: string) => t(`adminPage.thresholds.${name}`, { defaultValue: name });
  const unit = (s: ThresholdDescription) => t(`adminPage.units.${s.unit}`);
  const change = (next: (d: Draft) => void) =>
    setDraft((held) => {
      if (held === undefined) return held;
      const copy = draftOf({ ...view, settings: held });
      next(copy);
      return copy;
    });
  const factors = [...new Set([...Object.keys(draft.factors), ...Object.keys(draft.disabled)])].sort();

  const save = async () => {
    setSaving(true);
    setSaveError(undefined);
    try {
      const answer = await rulesApi.setAnomalyConfig({
        revision: view.revision,
        // Only what differs from the built-in defaults is stored.
        defaults: Object.fromEntries(
          Object.entries(draft.defaults).filter(([name, v]) => v !== specs.get(name)?.builtIn),
        ),
        factors: draft.factors,
        disabled: draft.disabled,
        ...(rejudgeDays > 0 ? { rejudgeDays } : {}),
      });
      setView(answer);
      setDraft(draftOf(answer));
      setRejudgeDays(0);
      message.success(
        rejudgeDays > 0 ? t('adminPage.rules.savedRejudge', { days: rejudgeDays }) : t('adminPage.saved'),
      );
    } catch (e) {
      if (e instanceof ApiError && e.code === 'QY_E_CONFLICT' && e.detail?.rejudge !== undefined) {
        // A re-judgement is still running: nothing was saved, the draft stays.
        setSaveError(t('adminPage.rules.rejudgeBusy'));
        const current = e.detail.rejudge as RejudgeProgress | null;
        setView((held) => (held === undefined ? held : { ...held, rejudge: current }));
      } else if (e instanceof ApiError && e.code === 'QY_E_CONFLICT') {
        message.warning(t('adminPage.rules.conflict'));
        await load();
      } else setSaveError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const addFactor = () => {
    const code = newFactor.trim();
    if (!FACTOR.test(code)) return;
    change((d) => {
      d.factors[code] ??= {};
    });
    setNewFactor('');
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="rules-admin">
      <Card
        size="small"
        title={t('adminPage.rules.title')}
        extra={
          <Space>
            <Tag data-testid="rules-revision">
              {t('adminPage.rules.revision', { revision: view.revision })}
            </Tag>
            <Typography.Text type="secondary">
              {view.updatedAt === null
                ? t('adminPage.rules.never')
                : t('adminPage.rules.updated', {
                    who: view.updatedBy ?? '',
                    time: beijing(view.updatedAt, 'YYYY-MM-DD HH:mm'),
                  })}
            </Typography.Text>
            <Button size="small" icon={<ReloadOutlined />} onClick={() => void load()} />
            {canWrite && (
              <Tooltip title={t('adminPage.rules.rejudgeHint')}>
                <Select
                  size="small"
                  style={{ width: 190 }}
                  value={rejudgeDays}
                  onChange={(days: number) => setRejudgeDays(days)}
                  options={REJUDGE_CHOICES.map((days) => ({
                    value: days,
                    label:
                      days === 0
                        ? t('adminPage.rules.rejudgeNone')
                        : t('adminPage.rules.rejudgeLast', { days }),
                  }))}
                  data-testid="rules-rejudge-days"
                />
              </Tooltip>
            )}
            {canWrite && (
              <Button
                type="primary"
                size="small"
                icon={<SaveOutlined />}
                loading={saving}
                onClick={() => void save()}
                data-testid="rules-save"
              >
                {t('adminPage.save')}
              </Button>
            )}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('adminPage.rules.intro')}
        </Typography.Paragraph>
        {!canWrite && <Alert type="info" title={t('adminPage.readOnly')} style={{ marginBottom: 8 }} />}
        <SaveError error={saveError} style={{ marginBottom: 8 }} testId="rules-error" />
        {view.rejudge !== null && <RejudgeStatus run={view.rejudge} />}
        <Table<ThresholdDescription>
          data-testid="rules-defaults"
          size="small"
          rowKey="name"
          pagination={false}
          dataSource={view.thresholds}
          columns={[
            {
              title: t('adminPage.rules.threshold'),
              key: 'name',
              render: (_, s) => (
                <Space orientation="vertical" size={0}>
                  <span>{label(s.name)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {s.name}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('adminPage.rules.detectors'),
              key: 'detectors',
              render: (_, s) => (
                <Space size={2} wrap>
                  {s.detectors.map((d) => (
                    <Tag key={d}>{alarmTypeName(d, t)}</Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: t('adminPage.rules.builtIn'),
              key: 'builtIn',
              render: (_, s) => (
                <Space size={4}>
                  <span>
                    {shown(s, s.builtIn)} {unit(s)}
                  </span>
                  {s.proposal && (
                    <Tooltip title={`${t('adminPage.rules.proposalHint')} — ${s.source}`}>
                      <Tag color="gold" data-testid={`proposal-${s.name}`}>
                        {t('adminPage.rules.proposal')}
                      </Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            {
              title: t('adminPage.rules.value'),
              key: 'value',
              render: (_, s) => {
                const value = draft.defaults[s.name] ?? s.builtIn;
                const changed = value !== s.builtIn;
                return (
                  <Space size={4}>
                    {canWrite ? (
                      <ThresholdInput
                        spec={s}
                        value={value}
                        testId={`threshold-${s.name}`}
                        onChange={(v) =>
                          change((d) => {
                            if (v === undefined) delete d.defaults[s.name];
                            else d.defaults[s.name] = v;
                          })
                        }
                      />
                    ) : (
                      <span data-testid={`threshold-${s.name}`}>{shown(s, value)}</span>
                    )}
                    {changed && <Tag color="blue">{t('adminPage.rules.changed')}</Tag>}
                    {changed && canWrite && (
                      <Button
                        type="link"
                        size="small"
                        onClick={() =>
                          change((d) => {
                            delete d.defaults[s.name];
                          })
                        }
                      >
                        {t('adminPage.rules.reset')}
                      </Button>
                    )}
                  </Space>
                );
              },
            },
            {
              title: t('adminPage.rules.range'),
              key: 'range',
              render: (_, s) => (
                <Typography.Text type="secondary">
                  {shown(s, s.min)} – {shown(s, s.max)} {unit(s)}
                </Typography.Text>
              ),
            },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={t('adminPage.rules.factors')}
        data-testid="rules-factors"
        extra={
          canWrite && (
            <Space.Compact size="small">
              <Input
                style={{ width: 240 }}
                placeholder={t('adminPage.rules.factorCode')}
                value={newFactor}
                status={newFactor === '' || FACTOR.test(newFactor.trim()) ? undefined : 'error'}
                onChange={(e) => setNewFactor(e.target.value)}
                onPressEnter={addFactor}
                data-testid="rules-factor-code"
              />
              <Button icon={<PlusOutlined />} onClick={addFactor} data-testid="rules-factor-add">
                {t('adminPage.rules.addFactor')}
              </Button>
            </Space.Compact>
          )
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('adminPage.rules.factorsIntro')}
        </Typography.Paragraph>
        {factors.length === 0 && <Typography.Text type="secondary">{t('adminPage.none')}</Typography.Text>}
        <Space orientation="vertical" style={{ width: '100%' }}>
          {factors.map((code) => {
            const overrides = draft.factors[code] ?? {};
            const unused = view.thresholds.filter((s) => !(s.name in overrides));
            return (
              <Card
                key={code}
                size="small"
                type="inner"
                data-testid={`rules-factor-${code}`}
                title={code === '*' ? `* (${t('adminPage.rules.factor')})` : factorName(code, i18n.language)}
                extra={
                  canWrite && (
                    <Button
                      type="text"
                      danger
                      size="small"
                      icon={<DeleteOutlined />}
                      onClick={() =>
                        change((d) => {
                          delete d.factors[code];
                          delete d.disabled[code];
                        })
                      }
                    >
                      {t('adminPage.rules.remove')}
                    </Button>
                  )
                }
              >
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <div>
                    <Typography.Text strong>{t('adminPage.rules.overrides')}: </Typography.Text>
                    {Object.keys(overrides).length === 0 && t('adminPage.none')}
                  </div>
                  {Object.entries(overrides).map(([name, value]) => {
                    const spec = specs.get(name);
                    if (spec === undefined) return null;
                    return (
                      <Space key={name} size={6}>
                        <span style={{ display: 'inline-block', minWidth: 260 }}>{label(name)}</span>
                        {canWrite ? (
                          <ThresholdInput
                            spec={spec}
                            value={value}
                            testId={`override-${code}-${name}`}
                            onChange={(v) =>
                              change((d) => {
                                if (v !== undefined) d.factors[code] = { ...d.factors[code], [name]: v };
                              })
                            }
                          />
                        ) : (
                          <span>{shown(spec, value)}</span>
                        )}
                        <Typography.Text type="secondary">{unit(spec)}</Typography.Text>
                        {canWrite && (
                          <Button
                            type="text"
                            size="small"
                            icon={<DeleteOutlined />}
                            onClick={() =>
                              change((d) => {
                                delete d.factors[code]?.[name];
                              })
                            }
                          />
                        )}
                      </Space>
                    );
                  })}
                  {canWrite && unused.length > 0 && (
                    <Select
                      size="small"
                      style={{ width: 320 }}
                      placeholder={t('adminPage.rules.addOverride')}
                      value={null}
                      showSearch={{ optionFilterProp: 'label' }}
                      options={unused.map((s) => ({ value: s.name, label: label(s.name) }))}
                      onChange={(name: string) =>
                        change((d) => {
                          d.factors[code] = {
                            ...d.factors[code],
                            [name]: d.defaults[name] ?? (specs.get(name) as ThresholdDescription).builtIn,
                          };
                        })
                      }
                      data-testid={`override-add-${code}`}
                    />
                  )}
                  <Space wrap>
                    <Typography.Text strong>{t('adminPage.rules.disabled')}: </Typography.Text>
                    {canWrite ? (
                      <Select
                        mode="multiple"
                        size="small"
                        style={{ minWidth: 320 }}
                        value={draft.disabled[code] ?? []}
                        options={view.types.map((type) => ({ value: type, label: alarmTypeName(type, t) }))}
                        onChange={(types: string[]) =>
                          change((d) => {
                            d.disabled[code] = types;
                          })
                        }
                        data-testid={`disabled-${code}`}
                      />
                    ) : (draft.disabled[code] ?? []).length === 0 ? (
                      t('adminPage.none')
                    ) : (
                      (draft.disabled[code] ?? []).map((type) => (
                        <Tag key={type} color="red">
                          {alarmTypeName(type, t)}
                        </Tag>
                      ))
                    )}
                  </Space>
                </Space>
              </Card>
            );
          })}
        </Space>
      </Card>
    </Space>
  );
}
