import { TIP_OFF_CATEGORIES, TIP_OFF_STATES } from '@qingyuan/store';
import { Type } from 'typebox';
import { beijingText } from '../../services/monitoring/points.js';
import type { PublicEnterprise } from '../../services/public/published.js';
import type { TipOffView } from '../../services/public/tip-off-service.js';
import { TIP_ATTACHMENT_TYPES } from '../../services/public/tip-off-service.js';
import type { PublicTransmission } from '../../services/public-service.js';
import { route } from '../route.js';
import { Format, IdParams, Instant, Limit, Offset } from './schemas.js';

const tags = ['public 信息公开与举报'];
const authorityTags = ['tip-offs 举报处理'];

/** A tiny PNG (1×1), the documentation's and the matrix test's attachment. */
const EXAMPLE_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/**
 * The public portal (湖北省办法 第四条 信息公开: published enterprises, their hourly values and 有效传输率;
 * 第十条 公众举报: tip-offs) and the authorities' handling of the tip-offs.
 */
export const PUBLIC_ROUTES = [
  route({
    method: 'GET',
    url: '/public/enterprises',
    permission: 'public.read',
    summary:
      'Published enterprises (active, with running points) and their state: normal, exceeding, offline',
    tags,
    query: Type.Object({ format: Format }),
    handler: async ({ principal, services }) => services.public.enterprises(principal),
    export: (rows: PublicEnterprise[]) => ({
      filename: 'public-enterprises',
      columns: [
        { key: 'id', header: 'id' },
        { key: 'name', header: '企业' },
        { key: 'regionCode', header: '行政区划' },
        { key: 'industryCode', header: '行业' },
        { key: 'longitude', header: '经度' },
        { key: 'latitude', header: '纬度' },
        { key: 'points', header: '监测点' },
        { key: 'state', header: '状态' },
      ],
      rows: rows.map((r) => ({ ...r })),
    }),
  }),
  route({
    method: 'GET',
    url: '/public/enterprises/:id',
    permission: 'public.read',
    resource: 'enterprise',
    summary:
      'One published enterprise: the last 24 hourly values of its running points, its open exceedances',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) => services.public.enterprise(principal, params.id),
  }),
  route({
    method: 'GET',
    url: '/public/transmission',
    permission: 'public.read',
    summary: '有效传输率 per published enterprise over a month, quarter or year (办法 第八条(二): > 95 %)',
    tags,
    query: Type.Object({
      period: Type.Enum(['month', 'quarter', 'year']),
      at: Type.String({
        pattern: '^[0-9]{4}(-[0-9]{2}|-?[Qq][1-4])?$',
        description: 'YYYY-MM, YYYY-Qn or YYYY',
      }),
      format: Format,
    }),
    exampleQuery: () => ({ period: 'month', at: '2026-11' }),
    handler: async ({ principal, services, query }) =>
      services.public.transmission(principal, { period: query.period, at: query.at }),
    export: (report: PublicTransmission) => ({
      filename: `public-transmission-${report.at}`,
      columns: [
        { key: 'enterpriseId', header: 'id' },
        { key: 'name', header: '企业' },
        { key: 'expected', header: '应传' },
        { key: 'valid', header: '有效' },
        { key: 'rate', header: '有效传输率 %' },
        { key: 'meets', header: `高于 ${report.target * 100}%` },
      ],
      rows: report.rows.map((r) => ({
        ...r,
        rate:
          r.effectiveTransmissionRate === null ? '' : Math.round(r.effectiveTransmissionRate * 10_000) / 100,
        meets: r.meetsTarget === null ? '' : r.meetsTarget ? '是' : '否',
      })),
    }),
  }),
  route({
    method: 'POST',
    url: '/public/tip-offs',
    permission: 'public.read',
    // Three attachments of 300 KB are ~1.2 MB as base64, over the app's 1 MiB default.
    bodyLimit: 2 * 1024 * 1024,
    summary:
      'File a tip-off (公众举报) about an enterprise or a place; answers the receipt code (5 per hour per address)',
    tags,
    status: 201,
    body: Type.Object({
      enterpriseId: Type.Optional(Type.Integer({ minimum: 1 })),
      regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
      category: Type.Enum([...TIP_OFF_CATEGORIES]),
      description: Type.String({ minLength: 10, maxLength: 2000, pattern: '\\S' }),
      contact: Type.Optional(Type.String({ maxLength: 100 })),
      attachments: Type.Optional(
        Type.Array(
          Type.Object({
            name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
            type: Type.Enum([...TIP_ATTACHMENT_TYPES]),
            // ≤ 300 KB decoded (checked after decoding); base64 is 4/3 of that.
            dataBase64: Type.String({ maxLength: 409_600, pattern: '^[A-Za-z0-9+/]*={0,2}$' }),
          }),
          { maxItems: 3 },
        ),
      ),
    }),
    example: (ids) => ({
      enterpriseId: Number(ids.enterprise),
      category: '超标排放' as const,
      description: '夜间排放口冒黑烟，气味刺鼻，持续约两小时。',
      attachments: [{ name: 'photo.png', type: 'image/png' as const, dataBase64: EXAMPLE_PNG }],
    }),
    response: Type.Object({ receipt: Type.String() }),
    handler: async ({ principal, services, body }) => services.public.tipOffs.file(principal, body),
  }),
  route({
    method: 'POST',
    url: '/public/tip-offs/lookup',
    permission: 'public.read',
    summary:
      'A tip-off’s state and handling note by its receipt code (30 look-ups per hour per address; the code travels in the body, not the URL)',
    tags,
    body: Type.Object({ receipt: Type.String({ minLength: 1, maxLength: 40 }) }),
    example: (ids) => ({ receipt: String(ids.tipReceipt) }),
    response: Type.Object({
      receipt: Type.String(),
      category: Type.Enum([...TIP_OFF_CATEGORIES]),
      receivedAt: Type.Integer(),
      enterpriseName: Type.Union([Type.String(), Type.Null()]),
      regionName: Type.Union([Type.String(), Type.Null()]),
      state: Type.Enum([...TIP_OFF_STATES]),
      handledAt: Type.Union([Type.Integer(), Type.Null()]),
      note: Type.Union([Type.String(), Type.Null()]),
    }),
    handler: async ({ principal, services, body }) => services.public.tipOffs.lookup(principal, body.receipt),
  }),
  route({
    method: 'GET',
    url: '/tip-offs',
    permission: 'marks.decide',
    summary:
      'Tip-offs routed to the caller’s region (the responsible city), newest first; received in [from, to)',
    tags: authorityTags,
    query: Type.Object({
      state: Type.Optional(Type.Enum([...TIP_OFF_STATES])),
      from: Type.Optional(Instant),
      to: Type.Optional(Instant),
      limit: Limit,
      offset: Offset,
      format: Format,
    }),
    handler: async ({ principal, services, query }) => {
      const { format: _format, ...filter } = query;
      return services.public.tipOffs.list(principal, filter);
    },
    export: (rows: TipOffView[]) => ({
      filename: 'tip-offs',
      columns: [
        { key: 'id', header: 'id' },
        { key: 'receivedText', header: '收到时间' },
        { key: 'receipt', header: '回执码' },
        { key: 'region_code', header: '责任市' },
        { key: 'region_name', header: '责任市名称' },
        { key: 'enterprise_id', header: '企业 id' },
        { key: 'enterprise_name', header: '企业' },
        { key: 'category', header: '类别' },
        { key: 'description', header: '内容' },
        { key: 'contact', header: '联系方式' },
        { key: 'attachmentCount', header: '附件' },
        { key: 'state', header: '状态' },
        { key: 'handled_by', header: '处理人' },
        { key: 'handledText', header: '处理时间' },
        { key: 'note', header: '处理说明' },
        { key: 'internal_note', header: '内部备注' },
      ],
      rows: rows.map((r) => ({
        ...r,
        receivedText: beijingText(Number(r.received_at)),
        handledText: beijingText(r.handled_at === null ? null : Number(r.handled_at)),
        attachmentCount: r.attachments.length,
      })),
    }),
  }),
  route({
    method: 'POST',
    url: '/tip-offs/:id/handling',
    permission: 'marks.decide',
    resource: 'tipOff',
    summary:
      'Record how a tip-off is handled: assigned or handled, with a note the filer sees and an internal note only authorities see (audited)',
    tags: authorityTags,
    params: IdParams,
    body: Type.Object({
      state: Type.Enum([...TIP_OFF_STATES]),
      note: Type.Optional(
        Type.String({
          maxLength: 2000,
          description: 'Shown to the filer with the receipt code; omitted: cleared',
        }),
      ),
      internalNote: Type.Optional(
        Type.Union([Type.Null(), Type.String({ maxLength: 2000 })], {
          description:
            'Only authorities see it, never the filer; omitted: left as it is; null or blank: cleared',
        }),
      ),
    }),
    example: () => ({
      state: 'handled' as const,
      note: '已现场核查，责令整改。',
      internalNote: '企业负责人态度配合，下月复查。',
    }),
    handler: async ({ principal, services, params, body }) =>
      services.public.tipOffs.handle(principal, params.id, body),
  }),
  route({
    method: 'GET',
    url: '/tip-offs/:id/attachments/:n',
    permission: 'marks.decide',
    resource: 'tipOff',
    summary: 'The n-th attachment (from 0) of a tip-off, with its content type',
    tags: authorityTags,
    params: Type.Object({ id: Type.Integer({ minimum: 1 }), n: Type.Integer({ minimum: 0, maximum: 2 }) }),
    handler: async ({ principal, services, params, reply }) => {
      const file = await services.public.tipOffs.attachment(principal, params.id, params.n);
      reply
        .header('content-type', file.type)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
      return Buffer.from(file.bytes);
    },
  }),
];
