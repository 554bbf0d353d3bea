import { REGION_LEVELS } from '@qingyuan/store';
import { Type } from 'typebox';
import { tableOf } from '../export.js';
import { route } from '../route.js';
import {
  CodeParams,
  ContractCancellation,
  ContractorKind,
  ContractorPatch,
  ContractPatch,
  exampleSerial,
  exampleUscc,
  FilingStatus,
  NewContract,
  NewContractor,
  NewStandard,
  RegionCode,
  StandardKind,
  StandardPatch,
} from './registry-schemas.js';
import { Format, IdParams } from './schemas.js';

const tags = ['registry 登记'];

/** Regions, the emission-standard library, contractors and contracts, permits. */
export const REGISTRY_REFERENCE_ROUTES = [
  route({
    method: 'GET',
    url: '/regions',
    permission: 'registry.read',
    summary: 'Administrative divisions (GB/T 2260) as a list or, with tree=true, a tree',
    tags,
    query: Type.Object({
      level: Type.Optional(Type.Enum([...REGION_LEVELS])),
      parent: Type.Optional(RegionCode),
      tree: Type.Optional(Type.Boolean()),
    }),
    handler: async ({ principal, services, query }) => services.registry.regions.list(principal, query),
  }),
  route({
    method: 'GET',
    url: '/regions/:code',
    permission: 'registry.read',
    resource: 'region',
    summary: 'One region with its path, children and the number of enterprises the caller sees in it',
    tags,
    params: CodeParams,
    handler: async ({ principal, services, params }) => services.registry.regions.get(principal, params.code),
  }),
  route({
    method: 'GET',
    url: '/standards',
    permission: 'registry.read',
    summary: 'The emission-standard library (without limits)',
    tags,
    query: Type.Object({ kind: Type.Optional(StandardKind), format: Format }),
    handler: async ({ principal, services, query }) => {
      const { format: _format, ...filter } = query;
      return services.registry.standards.list(principal, filter);
    },
    export: (rows) => tableOf('standards', rows),
  }),
  route({
    method: 'GET',
    url: '/standards/:id',
    permission: 'registry.read',
    resource: 'standard',
    summary: 'One emission standard with its limits',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) => services.registry.standards.get(principal, params.id),
  }),
  route({
    method: 'POST',
    url: '/standards',
    permission: 'reference.write',
    summary: 'Add a local emission standard with its limits',
    tags,
    status: 201,
    body: NewStandard,
    example: () => ({
      code: `DB42/T ${exampleSerial(8)}`,
      name: '示例地方排放标准',
      kind: 'gas' as const,
      limits: [{ factorCode: 'a21026', period: 'hour' as const, limitValue: 35, unit: 'mg/m3' }],
    }),
    handler: async ({ principal, services, body }) => services.registry.standards.create(principal, body),
  }),
  route({
    method: 'PATCH',
    url: '/standards/:id',
    permission: 'reference.write',
    resource: 'standard',
    summary: 'Change an emission standard; `limits`, when given, replaces all its limits',
    tags,
    params: IdParams,
    body: StandardPatch,
    example: () => ({ notes: '示例备注' }),
    handler: async ({ principal, services, params, body }) =>
      services.registry.standards.update(principal, params.id, body),
  }),
  route({
    method: 'GET',
    url: '/permits/:id',
    permission: 'registry.read',
    resource: 'permit',
    summary: 'One discharge permit with its annual allowances',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) => services.registry.permits.get(principal, params.id),
  }),
  route({
    method: 'GET',
    url: '/contractors',
    permission: 'registry.read',
    summary: 'Contractors (承建、运维、巡查、智能监控运维单位), filtered by kind, filing or region served',
    tags,
    query: Type.Object({
      kind: Type.Optional(ContractorKind),
      filingStatus: Type.Optional(FilingStatus),
      serviceRegion: Type.Optional(RegionCode),
      format: Format,
    }),
    handler: async ({ principal, services, query }) => {
      const { format: _format, ...filter } = query;
      return services.registry.contractors.list(principal, filter);
    },
    export: (rows) => tableOf('contractors', rows),
  }),
  route({
    method: 'GET',
    url: '/contractors/:id',
    permission: 'registry.read',
    resource: 'contractor',
    summary: 'One contractor with its contracts for enterprises in the caller’s scope',
    tags,
    params: IdParams,
    handler: async ({ principal, services, params }) =>
      services.registry.contractors.get(principal, params.id),
  }),
  route({
    method: 'POST',
    url: '/contractors',
    permission: 'reference.write',
    summary: 'Register a contractor (USCC checked under GB 32100-2015)',
    tags,
    status: 201,
    body: NewContractor,
    example: (ids) => ({
      uscc: exampleUscc(String(ids.region)),
      name: '示例运维单位',
      kind: 'om' as const,
    }),
    handler: async ({ principal, services, body }) => services.registry.contractors.create(principal, body),
  }),
  route({
    method: 'PATCH',
    url: '/contractors/:id',
    permission: 'reference.write',
    resource: 'contractor',
    summary: 'Change a contractor (qualifications, regions served, filing status, …)',
    tags,
    params: IdParams,
    body: ContractorPatch,
    example: () => ({ filingStatus: 'filed' as const }),
    handler: async ({ principal, services, params, body }) =>
      services.registry.contractors.update(principal, params.id, body),
  }),
  route({
    method: 'POST',
    url: '/contractors/:id/contracts',
    permission: 'reference.write',
    resource: 'contractor',
    summary: 'Record a contract of the contractor with an enterprise (or one of its points)',
    tags,
    status: 201,
    params: IdParams,
    body: NewContract,
    example: (ids) => ({
      enterpriseId: Number(ids.enterprise),
      scope: '自动监控设施运维',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
    }),
    handler: async ({ principal, services, params, body }) =>
      services.registry.contractors.createContract(principal, params.id, body),
  }),
  route({
    method: 'PATCH',
    url: '/contracts/:id',
    permission: 'reference.write',
    resource: 'contract',
    summary:
      'End a contract early (`endsOn`, its last day) or, before it starts, correct its enterprise, point, scope',
    tags,
    params: IdParams,
    body: ContractPatch,
    example: () => ({ endsOn: '2026-12-31' }),
    handler: async ({ principal, services, params, body }) =>
      services.registry.contractors.updateContract(principal, params.id, body),
  }),
  route({
    method: 'POST',
    url: '/contracts/:id/cancellation',
    permission: 'reference.write',
    resource: 'contract',
    summary:
      'Cancel a contract that has not started, with a reason (audited); it is then never in force. A started contract is ended early instead',
    tags,
    params: IdParams,
    body: ContractCancellation,
    example: () => ({ reason: '企业另选运维单位，合同未履行即解除' }),
    handler: async ({ principal, services, params, body }) =>
      services.registry.contractors.cancelContract(principal, params.id, body),
  }),
];
