// One raw frame beside its decoded view (header, data area, full JSON) and its place in the hash chain.
import { Alert, Card, Col, Collapse, Descriptions, Row, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FrameDetail } from '../../api/operations';
import { beijing } from '../../components/beijingTime';
import { factorName } from '../../factors';
import { cnName } from './cn';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const TIME = 'YYYY-MM-DD HH:mm:ss';

/** A decoded value as text: ISO instants in Beijing time, objects as compact JSON. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' && ISO.test(value)) return beijing(Date.parse(value), TIME);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

interface Factor {
  readonly code: string;
  readonly originalCode?: string;
  readonly values?: Record<string, unknown>;
  readonly dataFlag?: string | null;
  readonly [key: string]: unknown;
}

export function FrameView({ frame }: { frame: FrameDetail }) {
  const { t, i18n } = useTranslation();
  const d = frame.decoded;
  const crc = (d.crc ?? {}) as { ok?: boolean; received?: string; expected?: string; variant?: string };
  const length = (d.length ?? {}) as { declared?: number; bytes?: number };
  const body = (d.body ?? null) as Record<string, unknown> | null;
  const factors = Array.isArray(body?.factors) ? (body.factors as Factor[]) : undefined;
  const rest = body === null ? [] : Object.entries(body).filter(([k]) => k !== 'factors');
  const errors = (d.errors ?? []) as string[];
  const diagnostics = (d.diagnostics ?? []) as string[];
  const chainOk = frame.chain.recordIntact && frame.chain.linkIntact;
  const intact = (ok: boolean) => (
    <Tag color={ok ? 'green' : 'red'}>{ok ? t('framesPage.intact') : t('framesPage.mismatch')}</Tag>
  );
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Row gutter={12}>
        <Col xs={24} xl={10}>
          <Card
            size="small"
            title={
              <Space>
                {t('framesPage.raw')}
                <Tag color={chainOk ? 'green' : 'red'} data-testid="frame-chain">
                  {t('framesPage.chain')} {chainOk ? t('framesPage.chainOk') : t('framesPage.chainBroken')}
                </Tag>
              </Space>
            }
            extra={
              <Typography.Text type="secondary">
                {frame.peer} · {frame.length} B
              </Typography.Text>
            }
          >
            <Typography.Paragraph
              copyable={{ text: frame.text }}
              data-testid="frame-raw"
              style={{
                fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
                fontSize: 12,
                whiteSpace: 'pre-wrap',
                wordBreak: 'break-all',
                background: '#fafafa',
                padding: 8,
                margin: 0,
              }}
            >
              {frame.text.replace(/\r?\n$/, '')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card
            size="small"
            title={t('framesPage.decoded')}
            data-testid="frame-decoded"
            extra={
              <Tag color={d.ok === true ? 'green' : 'red'}>
                {d.ok === true ? t('framesPage.okFrame') : t('framesPage.badFrame')}
              </Tag>
            }
          >
            {(errors.length > 0 || diagnostics.length > 0) && (
              <Alert
                type={errors.length > 0 ? 'error' : 'warning'}
                showIcon
                style={{ marginBottom: 8 }}
                title={[
                  errors.length > 0 ? `${t('framesPage.errors')}: ${errors.join(', ')}` : '',
                  diagnostics.length > 0 ? `${t('framesPage.diagnostics')}: ${diagnostics.join(', ')}` : '',
                ]
                  .filter((s) => s !== '')
                  .join('；')}
              />
            )}
            <Descriptions size="small" bordered column={{ xs: 1, lg: 2 }} title={t('framesPage.header')}>
              <Descriptions.Item label="CN">
                {show(d.cn)} {cnName((d.cn as string | null) ?? null, i18n.language)}
              </Descriptions.Item>
              <Descriptions.Item label={t('framesPage.version')}>{show(d.version)}</Descriptions.Item>
              <Descriptions.Item label="QN">{show(d.qn)}</Descriptions.Item>
              <Descriptions.Item label={t('framesPage.st')}>{show(d.st)}</Descriptions.Item>
              <Descriptions.Item label="MN" span={2}>
                {show(d.mn)}
              </Descriptions.Item>
              <Descriptions.Item label={t('framesPage.flagField')}>{show(d.flag)}</Descriptions.Item>
              <Descriptions.Item label={t('framesPage.ack')}>
                {d.ackRequested === true ? t('framesPage.yes') : t('framesPage.no')}
              </Descriptions.Item>
              {d.pnum !== null && d.pnum !== undefined && (
                <Descriptions.Item label={t('framesPage.packets')}>
                  {show(d.pno)} / {show(d.pnum)}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('framesPage.direction')}>
                {d.direction === 'up'
                  ? t('framesPage.up')
                  : d.direction === 'down'
                    ? t('framesPage.down')
                    : show(d.direction)}
              </Descriptions.Item>
              <Descriptions.Item label={t('framesPage.dataTime')}>{show(d.dataTime)}</Descriptions.Item>
              <Descriptions.Item label={t('framesPage.crc')}>
                <Tag color={crc.ok ? 'green' : 'red'}>
                  {crc.ok ? t('framesPage.crcOk') : t('framesPage.crcBad')}
                </Tag>
                {crc.received ?? '—'}
                {crc.ok ? '' : ` ≠ ${crc.expected ?? '—'}`}
              </Descriptions.Item>
              <Descriptions.Item label={t('framesPage.lengthCheck')}>
                {show(length.declared)} / {show(length.bytes)}
              </Descriptions.Item>
            </Descriptions>
            {body !== null && (
              <>
                <Typography.Title level={5} style={{ marginTop: 12 }}>
                  {t('framesPage.body')}{' '}
                  <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
                    {show(body.type)}
                  </Typography.Text>
                </Typography.Title>
                {rest.filter(([k]) => k !== 'type').length > 0 && (
                  <Descriptions size="small" bordered column={{ xs: 1, lg: 2 }} style={{ marginBottom: 8 }}>
                    {rest
                      .filter(([k]) => k !== 'type')
                      .map(([k, v]) => (
                        <Descriptions.Item key={k} label={k}>
                          <span style={{ wordBreak: 'break-all' }}>{show(v)}</span>
                        </Descriptions.Item>
                      ))}
                  </Descriptions>
                )}
                {factors && (
                  <Table<Factor>
                    data-testid="frame-factors"
                    size="small"
                    pagination={false}
                    rowKey={(f, i) => `${f.code}-${i}`}
                    dataSource={factors}
                    columns={[
                      {
                        title: t('framesPage.factor'),
                        key: 'code',
                        render: (_, f) => factorName(f.code, i18n.language),
                      },
                      {
                        title: t('framesPage.values'),
                        key: 'values',
                        render: (_, f) => {
                          const values =
                            f.values ??
                            Object.fromEntries(
                              Object.entries(f).filter(
                                ([k]) => !['code', 'originalCode', 'dataFlag'].includes(k),
                              ),
                            );
                          return Object.entries(values)
                            .map(([k, v]) => `${k}=${show(v)}`)
                            .join('  ');
                        },
                      },
                      {
                        title: t('framesPage.flag'),
                        key: 'flag',
                        render: (_, f) =>
                          f.dataFlag ? (
                            <Tag color={f.dataFlag === 'N' ? 'green' : 'orange'}>{f.dataFlag}</Tag>
                          ) : (
                            '—'
                          ),
                      },
                    ]}
                  />
                )}
              </>
            )}
            <Collapse
              size="small"
              style={{ marginTop: 12 }}
              items={[
                {
                  key: 'json',
                  label: t('framesPage.json'),
                  children: (
                    <pre style={{ fontSize: 12, maxHeight: 400, overflow: 'auto', margin: 0 }}>
                      {JSON.stringify(d, null, 2)}
                    </pre>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title={
          <Space>
            {t('framesPage.chain')}
            <Tag color={chainOk ? 'green' : 'red'}>
              {chainOk ? t('framesPage.chainOk') : t('framesPage.chainBroken')}
            </Tag>
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, lg: 2 }}>
          <Descriptions.Item label={t('framesPage.recordIntact')}>
            {intact(frame.chain.recordIntact)}
          </Descriptions.Item>
          <Descriptions.Item label={t('framesPage.linkIntact')}>
            {intact(frame.chain.linkIntact)}
          </Descriptions.Item>
          <Descriptions.Item label={t('framesPage.day')}>{frame.chain.day}</Descriptions.Item>
          <Descriptions.Item label={t('framesPage.time')}>
            {beijing(frame.receivedAt, `${TIME}.SSS`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('framesPage.sha256')} span={2}>
            <Typography.Text code copyable style={{ fontSize: 12 }}>
              {frame.chain.sha256}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('framesPage.prevHash')} span={2}>
            <Typography.Text code style={{ fontSize: 12 }}>
              {frame.chain.prevHash}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      </Card>
    </Space>
  );
}
