import { Type } from 'typebox';
import type { EmissionReport, TransmissionReport } from '../../services/report-service.js';
import type { ExportTable } from '../route.js';
import { route } from '../route.js';
import { Format } from './schemas.js';

const tags = ['reports 报表'];

const Period = {
  period: Type.Enum(['month', 'quarter', 'year']),
  at: Type.String({ pattern: '^[0-9]{4}(-[0-9]{2}|-?[Qq][1-4])?$', description: 'YYYY-MM, YYYY-Qn or YYYY' }),
  subject: Type.Optional(Type.Enum(['point', 'enterprise', 'region'])),
  format: Format,
};

const SUBJECT_HEADER = { point: '监测点 MN', enterprise: '企业', region: '行政区划' } as const;

/** The month the matrix and the documentation ask for. */
const exampleQuery = () => ({ period: 'month', at: '2026-11' });

const pct = (r: number | null) => (r === null ? '' : Math.round(r * 10_000) / 100);

/** Transmission-rate and emission reports. */
export const REPORT_ROUTES = [
  route({
    method: 'GET',
    url: '/reports/transmission',
    permission: 'data.read',
    summary: '应传/实传/有效 hours and the three rates (传输率, 有效率, 有效传输率) per subject in scope',
    tags,
    query: Type.Object({ ...Period, view: Type.Optional(Type.Enum(['first', 'amended'])) }),
    exampleQuery,
    handler: async ({ principal, services, query }) =>
      services.reports.transmission(principal, {
        period: query.period,
        at: query.at,
        subject: query.subject ?? 'enterprise',
        view: query.view ?? 'amended',
      }),
    export: (report: TransmissionReport): ExportTable => ({
      filename: `transmission-${report.at}-${report.view}`,
      columns: [
        { key: 'key', header: report.subject },
        { key: 'label', header: SUBJECT_HEADER[report.subject] },
        { key: 'expected', header: '应传' },
        { key: 'received', header: '实传' },
        { key: 'valid', header: '有效' },
        { key: 'transmissionRate', header: '传输率 %' },
        { key: 'validityRate', header: '有效率 %' },
        { key: 'effectiveTransmissionRate', header: '有效传输率 %' },
        { key: 'belowTarget', header: `低于 ${report.target * 100}%` },
      ],
      rows: report.rows.map((r) => ({
        ...r,
        ...r.subject,
        transmissionRate: pct(r.transmissionRate),
        validityRate: pct(r.validityRate),
        effectiveTransmissionRate: pct(r.effectiveTransmissionRate),
        belowTarget: r.belowTarget ? '是' : '',
      })),
    }),
  }),
  route({
    method: 'GET',
    url: '/reports/emissions',
    permission: 'data.read',
    summary: 'Emitted kg per subject in scope and pollutant, summed from the hourly emissions',
    tags,
    query: Type.Object(Period),
    exampleQuery,
    handler: async ({ principal, services, query }) =>
      services.reports.emissions(principal, {
        period: query.period,
        at: query.at,
        subject: query.subject ?? 'enterprise',
      }),
    export: (report: EmissionReport): ExportTable => ({
      filename: `emissions-${report.at}`,
      columns: [
        { key: 'key', header: report.subject },
        { key: 'label', header: SUBJECT_HEADER[report.subject] },
        { key: 'factor', header: '因子' },
        { key: 'kg', header: '排放量 kg' },
        { key: 'hours', header: '小时数' },
        { key: 'invalidHours', header: '无效小时' },
      ],
      rows: report.rows.map((r) => ({ ...r, ...r.subject })),
    }),
  }),
];
