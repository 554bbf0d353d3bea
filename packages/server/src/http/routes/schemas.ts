import { ROLES } from '@qingyuan/store';
import { Type } from 'typebox';

/** `/:id` with a positive integer id. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** `?format=csv|xlsx` on exportable queries (JSON otherwise). */
export const Format = Type.Optional(
  Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')]),
);

export const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 }));
export const Offset = Type.Optional(Type.Integer({ minimum: 0 }));

/** Epoch milliseconds (UTC). */
export const Instant = Type.Integer({ minimum: 0, maximum: 32_503_680_000_000 });

export const Ok = Type.Object({ ok: Type.Boolean() });

export const Role = Type.Enum([...ROLES]);
