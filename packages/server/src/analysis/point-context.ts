import { beijingInstant, type FactorLimit, type Interval, type Medium } from '@qingyuan/domain';
import type { Store } from '@qingyuan/store';

/** What the rules need to know about a monitoring point from the registry. */
export interface PointContext {
  readonly pointId: number;
  readonly mn: string;
  readonly medium: Medium;
  readonly protocol: '2005' | '2017' | '2025';
  /** 基准氧含量 (%): the outlet's, else its standard's; null = limits apply to measured values. */
  readonly referenceO2: number | null;
  /** 考核因子. */
  readonly assessedFactors: readonly string[];
  readonly limits: readonly FactorLimit[];
  /** MinInterval (min) of the device's minute data (CN 2051). */
  readonly minuteInterval: number;
  /** [投运 (in service on), ∞): hours before it are not expected. */
  readonly inService: Interval;
}

/** pH has a lower and an upper bound (6–9 in GB 8978); the registry holds the upper as its limit. */
const PH = 'w01001';

export async function loadPointContext(store: Store, pointId: number): Promise<PointContext | undefined> {
  const point = await store.db
    .selectFrom('monitoring_point as p')
    .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
    .leftJoin('emission_standard as s', 's.id', 'o.standard_id')
    .select([
      'p.id',
      'p.mn',
      'p.protocol_version',
      'p.in_service_on',
      'p.minute_interval_min',
      'o.kind',
      'o.reference_o2 as outletO2',
      's.reference_o2 as standardO2',
    ])
    .where('p.id', '=', pointId)
    .executeTakeFirst();
  if (point === undefined) return undefined;
  const factors = await store.db
    .selectFrom('point_factor')
    .select(['factor_code', 'assessed', 'hour_limit', 'day_limit', 'alarm_low'])
    .where('point_id', '=', pointId)
    .orderBy('factor_code')
    .execute();
  const inServiceFrom =
    point.in_service_on === null
      ? Number.NEGATIVE_INFINITY
      : beijingInstant(...(point.in_service_on.split('-').map(Number) as [number, number, number]));
  return {
    pointId: Number(point.id),
    mn: point.mn,
    medium: point.kind,
    protocol: point.protocol_version as PointContext['protocol'],
    referenceO2: point.outletO2 ?? point.standardO2 ?? null,
    minuteInterval: point.minute_interval_min,
    assessedFactors: factors.filter((f) => f.assessed === 1).map((f) => f.factor_code),
    limits: factors
      .filter((f) => f.hour_limit !== null || f.day_limit !== null)
      .map((f) => ({
        factor: f.factor_code,
        ...(f.hour_limit === null ? {} : { hourly: f.hour_limit }),
        ...(f.day_limit === null ? {} : { daily: f.day_limit }),
        ...(f.factor_code === PH && f.alarm_low !== null ? { lower: f.alarm_low } : {}),
      })),
    inService: { from: inServiceFrom, to: Number.POSITIVE_INFINITY },
  };
}
