import type { Medium } from '@qingyuan/domain';
import type { Database, PointFactorTable } from '@qingyuan/store';
import type { Kysely } from 'kysely';

/** Where a point sits, and what its limits are compared with. */
export interface PointMeta {
  readonly pointId: number;
  readonly pointName: string;
  readonly mn: string;
  readonly status: string;
  readonly outletId: number;
  readonly outletCode: string;
  readonly medium: Medium;
  readonly enterpriseId: number;
  readonly enterpriseName: string;
  readonly regionCode: string;
  /** 基准氧含量 (%): the outlet's, else its standard's (as analysis/point-context.ts); null = none. */
  readonly referenceO2: number | null;
  readonly crcVariants: string;
}

/** The limit shown beside a factor's values, and which value it is compared with. */
export interface LimitView {
  /** Upper limit: the hourly one; water without one: the daily (exceedance.ts waterHourlyAgainstDaily). */
  readonly upper: number | null;
  /** Lower bound (pH: the lower end of its 6–9 band). */
  readonly lower: number | null;
  /** Gas with a reference O₂: limits apply to the 折算 value (HJ 75-2017; exceedance.ts limitsOnCorrected). */
  readonly onCorrected: boolean;
}

export interface FactorMeta {
  readonly factorCode: string;
  readonly unit: string;
  readonly limit: LimitView;
}

const PH = 'w01001';

/** The query of points with their outlet, enterprise and reference O₂; callers add the WHERE. */
export function pointMetaQuery(db: Kysely<Database>) {
  return db
    .selectFrom('monitoring_point as p')
    .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
    .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
    .leftJoin('emission_standard as s', 's.id', 'o.standard_id')
    .select([
      'p.id',
      'p.name',
      'p.mn',
      'p.status',
      'p.crc_variants',
      'o.id as outlet_id',
      'o.code as outlet_code',
      'o.kind',
      'o.reference_o2 as outlet_o2',
      's.reference_o2 as standard_o2',
      'e.id as enterprise_id',
      'e.name as enterprise_name',
      'e.region_code',
    ]);
}

type PointMetaRow = Awaited<ReturnType<ReturnType<typeof pointMetaQuery>['execute']>>[number];

export function pointMeta(row: PointMetaRow): PointMeta {
  return {
    pointId: Number(row.id),
    pointName: row.name,
    mn: row.mn,
    status: row.status,
    outletId: Number(row.outlet_id),
    outletCode: row.outlet_code,
    medium: row.kind,
    enterpriseId: Number(row.enterprise_id),
    enterpriseName: row.enterprise_name,
    regionCode: row.region_code,
    referenceO2: row.outlet_o2 ?? row.standard_o2 ?? null,
    crcVariants: row.crc_variants,
  };
}

export function limitView(
  row: Pick<PointFactorTable, 'factor_code' | 'hour_limit' | 'day_limit' | 'alarm_low' | 'alarm_high'>,
  point: Pick<PointMeta, 'medium' | 'referenceO2'>,
): LimitView {
  const ph = row.factor_code === PH;
  // pH has no hourly limit: its band is registered as the alarm thresholds (GB 8978 6–9).
  const upper =
    row.hour_limit ?? (point.medium === 'water' ? row.day_limit : null) ?? (ph ? row.alarm_high : null);
  return {
    upper,
    lower: ph ? row.alarm_low : null,
    onCorrected: point.medium === 'gas' && point.referenceO2 !== null,
  };
}

/**
 * Whether a value is outside its limit: null when it cannot be told (no limit, no value, or a gas value
 * without its 折算 value where the limit applies to that — exceedance.ts leaves such records unjudged).
 */
export function exceeding(limit: LimitView, value: number | null, corrected: number | null): boolean | null {
  if (limit.upper === null && limit.lower === null) return null;
  const judged = limit.onCorrected ? corrected : value;
  if (judged === null || !Number.isFinite(judged)) return null;
  return (limit.upper !== null && judged > limit.upper) || (limit.lower !== null && judged < limit.lower);
}

/** Registered factors of the given points with their limits, by point. */
export async function pointFactors(
  db: Kysely<Database>,
  points: readonly PointMeta[],
): Promise<Map<number, FactorMeta[]>> {
  const byId = new Map(points.map((p) => [p.pointId, p]));
  const out = new Map<number, FactorMeta[]>();
  for (const ids of chunks([...byId.keys()])) {
    const rows = await db
      .selectFrom('point_factor')
      .selectAll()
      .where('point_id', 'in', ids)
      .orderBy('point_id')
      .orderBy('factor_code')
      .execute();
    for (const row of rows) {
      const point = byId.get(Number(row.point_id)) as PointMeta;
      const list = out.get(point.pointId) ?? [];
      list.push({ factorCode: row.factor_code, unit: row.unit, limit: limitView(row, point) });
      out.set(point.pointId, list);
    }
  }
  return out;
}

/** Id lists cut to a size every driver accepts as bound parameters. */
export function chunks<T>(list: readonly T[], size = 5000): T[][] {
  if (list.length === 0) return [];
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** A Beijing wall-clock time, "YYYY-MM-DD HH:mm:ss" (exports). */
export function beijingText(epochMs: number | null | undefined): string | null {
  if (epochMs === null || epochMs === undefined) return null;
  return new Date(epochMs + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
