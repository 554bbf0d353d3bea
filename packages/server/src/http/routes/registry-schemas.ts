import { CRC_VARIANTS } from '@qingyuan/hj212';
import {
  CONTRACTOR_KINDS,
  ENTERPRISE_STATUSES,
  FILING_STATUSES,
  KEY_UNIT_CATEGORIES,
  LIMIT_PERIODS,
  OUTLET_KINDS,
  OUTLET_STATUSES,
  POINT_STATUSES,
  PROTOCOL_VERSIONS,
  STANDARD_KINDS,
  usccCheckCharacter,
} from '@qingyuan/store';
import { Type } from 'typebox';

/** Request schemas of the registry routes. The store validates the rest (USCC check, references). */

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
// Null comes first in these unions: the HTTP layer coerces types (ajv coerceTypes), and a null tried
// against a number first would be taken as 0 (no limit would become a limit of 0, no coordinate 0°).
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Optional(Type.Union([Type.Null(), schema]));
const NullableNumber = Type.Optional(Type.Union([Type.Null(), Type.Number()]));
export const RegionCode = Type.String({ pattern: '^[0-9]{6}$' });
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
/** Not pattern-checked here: the store answers STORE_E_USCC_INVALID with what is wrong (GB 32100-2015). */
const Uscc = Type.String({ minLength: 1, maxLength: 32 });

export const CodeParams = Type.Object({ code: RegionCode });
export const PointStatus = Type.Enum([...POINT_STATUSES]);
export const StandardKind = Type.Enum([...STANDARD_KINDS]);
export const ContractorKind = Type.Enum([...CONTRACTOR_KINDS]);
export const FilingStatus = Type.Enum([...FILING_STATUSES]);

const KeyUnits = Type.Array(
  Type.Object({
    year: Type.Integer({ minimum: 1900, maximum: 9999 }),
    categories: Type.Array(Type.Enum([...KEY_UNIT_CATEGORIES]), { maxItems: 6 }),
  }),
  { maxItems: 50 },
);

const enterpriseFields = {
  industryCode: Nullable(Type.String({ maxLength: 20 })),
  address: Nullable(Type.String({ maxLength: 200 })),
  longitude: NullableNumber,
  latitude: NullableNumber,
  contactName: Nullable(Type.String({ maxLength: 100 })),
  contactPhone: Nullable(Type.String({ maxLength: 50 })),
  status: Type.Optional(Type.Enum([...ENTERPRISE_STATUSES])),
  keyUnits: Type.Optional(KeyUnits),
};
export const NewEnterprise = Type.Object({
  uscc: Uscc,
  name: Text(200),
  regionCode: RegionCode,
  ...enterpriseFields,
});
export const EnterprisePatch = Type.Object({
  uscc: Type.Optional(Uscc),
  name: Type.Optional(Text(200)),
  regionCode: Type.Optional(RegionCode),
  ...enterpriseFields,
});

const outletFields = {
  longitude: NullableNumber,
  latitude: NullableNumber,
  standardId: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1 })])),
  referenceO2: NullableNumber,
  stackHeightM: NullableNumber,
  keyUnitCategory: Nullable(Type.String({ maxLength: 50 })),
  status: Type.Optional(Type.Enum([...OUTLET_STATUSES])),
};
export const NewOutlet = Type.Object({
  kind: Type.Enum([...OUTLET_KINDS]),
  code: Text(20),
  name: Text(100),
  ...outletFields,
});
export const OutletPatch = Type.Object({
  kind: Type.Optional(Type.Enum([...OUTLET_KINDS])),
  code: Type.Optional(Text(20)),
  name: Type.Optional(Text(100)),
  ...outletFields,
});

const pointFields = {
  crcVariants: Type.Optional(Type.Array(Type.Enum([...CRC_VARIANTS]), { minItems: 1, maxItems: 3 })),
  realtimeIntervalS: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  minuteIntervalMin: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  inServiceOn: Nullable(Day),
  acceptedOn: Nullable(Day),
  filedOn: Nullable(Day),
  allowedPeers: Type.Optional(
    Type.Union([Type.Null(), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 })]),
  ),
};
/** HJ 212 MN: 24 characters in HJ 212-2017 (EPC-96), 14 in HJ 212-2005. */
const Mn = Type.String({ minLength: 1, maxLength: 24 });
/** HJ 212 PW (访问密码): 6 characters by the standard; a little room for loggers that use more. Never read back. */
const Password = Type.String({ minLength: 1, maxLength: 20 });
export const NewPoint = Type.Object({
  name: Text(100),
  mn: Mn,
  password: Password,
  protocolVersion: Type.Enum([...PROTOCOL_VERSIONS]),
  status: Type.Optional(PointStatus),
  ...pointFields,
});
export const PointPatch = Type.Object({
  name: Type.Optional(Text(100)),
  mn: Type.Optional(Mn),
  password: Type.Optional(Password),
  protocolVersion: Type.Optional(Type.Enum([...PROTOCOL_VERSIONS])),
  outletId: Type.Optional(Type.Integer({ minimum: 1 })),
  ...pointFields,
});

export const PointFactors = Type.Object({
  factors: Type.Array(
    Type.Object({
      factorCode: Text(20),
      code2005: Nullable(Type.String({ maxLength: 20 })),
      unit: Text(20),
      rangeLow: NullableNumber,
      rangeHigh: NullableNumber,
      hourLimit: NullableNumber,
      dayLimit: NullableNumber,
      assessed: Type.Boolean(),
      alarmLow: NullableNumber,
      alarmHigh: NullableNumber,
    }),
    { maxItems: 100 },
  ),
});

export const StatusChange = Type.Object({ status: PointStatus, reason: Text(500) });

const Limits = Type.Array(
  Type.Object({
    factorCode: Text(20),
    period: Type.Enum([...LIMIT_PERIODS]),
    limitValue: Type.Number({ minimum: 0 }),
    unit: Text(20),
    appliesTo: Nullable(Type.String({ maxLength: 200 })),
    referenceO2: NullableNumber,
  }),
  { maxItems: 500 },
);
export const NewStandard = Type.Object({
  code: Text(50),
  name: Text(200),
  kind: StandardKind,
  referenceO2: NullableNumber,
  notes: Nullable(Type.String({ maxLength: 1000 })),
  limits: Limits,
});
export const StandardPatch = Type.Object({
  code: Type.Optional(Text(50)),
  name: Type.Optional(Text(200)),
  kind: Type.Optional(StandardKind),
  referenceO2: NullableNumber,
  notes: Nullable(Type.String({ maxLength: 1000 })),
  limits: Type.Optional(Limits),
});

const contractorFields = {
  qualifications: Type.Optional(Type.Array(Text(200), { maxItems: 50 })),
  serviceRegions: Type.Optional(Type.Array(RegionCode, { maxItems: 200 })),
  filingStatus: Type.Optional(FilingStatus),
};
export const NewContractor = Type.Object({
  uscc: Uscc,
  name: Text(200),
  kind: ContractorKind,
  ...contractorFields,
});
export const ContractorPatch = Type.Object({
  uscc: Type.Optional(Uscc),
  name: Type.Optional(Text(200)),
  kind: Type.Optional(ContractorKind),
  ...contractorFields,
});
export const NewContract = Type.Object({
  enterpriseId: Type.Integer({ minimum: 1 }),
  pointId: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1 })])),
  scope: Text(500),
  startsOn: Day,
  endsOn: Day,
});
/** A correction of a contract, or its early end (`endsOn`); the service says which changes are allowed when. */
export const ContractPatch = Type.Object({
  enterpriseId: Type.Optional(Type.Integer({ minimum: 1 })),
  pointId: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1 })])),
  scope: Type.Optional(Text(500)),
  endsOn: Type.Optional(Day),
});
/** Why a contract that has not started is cancelled (kept on the contract and in the audit log). */
export const ContractCancellation = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
});

let seq = 0;

/** A fresh suffix for example bodies (unique codes, MNs, USCCs), digits only. */
export function exampleSerial(width: number): string {
  seq += 1;
  return `${Date.now() % 10 ** (width - 3)}${String(seq % 1000).padStart(3, '0')}`.padStart(width, '0');
}

/** A valid, fresh USCC for examples: 9 (工商) 1 (企业), the region, a serial, the check character. */
export function exampleUscc(regionCode: string): string {
  const first17 = `91${regionCode}${exampleSerial(9)}`;
  return first17 + usccCheckCharacter(first17);
}
