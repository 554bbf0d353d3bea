import type { FactorObservation, Message, ValueKind } from '@qingyuan/hj212';
import type {
  DeviceEventKind,
  DeviceInfoInput,
  ObservationInput,
  ObservationPeriod,
  ObservationSource,
  ValueColumn,
} from '@qingyuan/store';

/** What a trusted upload means for the store (HJ 212-2017 附录 C, per CN family). Pure. */
export interface Interpretation {
  readonly observations: {
    readonly period: ObservationPeriod;
    readonly row: Omit<ObservationInput, 'frameId'>;
  }[];
  readonly deviceInfo: Omit<DeviceInfoInput, 'frameId'>[];
  readonly runStates: FacilityValue[];
  readonly runTimes: FacilityValue[];
  readonly events: {
    readonly kind: DeviceEventKind;
    readonly at: number;
    readonly detail: Record<string, unknown>;
  }[];
}

export interface FacilityValue {
  readonly facility: string;
  readonly dataTime: number;
  readonly value: number;
}

export interface InterpretContext {
  readonly pointId: number;
  readonly receivedAt: number;
  /** `backfill` when the message answers one of our history requests. */
  readonly source: ObservationSource;
}

/** HJ 212 value kinds → store columns. Noise (Data/DayData/NightData) and 2005 Ala have no column. */
const COLUMN_OF: Partial<Record<ValueKind, ValueColumn>> = {
  Rtd: 'rtd',
  Min: 'min',
  Avg: 'avg',
  Max: 'max',
  Cou: 'cou',
  ZsRtd: 'zs_rtd',
  ZsMin: 'zs_min',
  ZsAvg: 'zs_avg',
  ZsMax: 'zs_max',
};

function values(factor: FactorObservation): Partial<Record<ValueColumn, number>> | undefined {
  let out: Partial<Record<ValueColumn, number>> | undefined;
  for (const kind in factor.values) {
    const column = COLUMN_OF[kind as ValueKind];
    const value = factor.values[kind as ValueKind];
    if (column === undefined || value === undefined) continue;
    out ??= {};
    out[column] = value;
  }
  return out;
}

const empty = (): Interpretation => ({
  observations: [],
  deviceInfo: [],
  runStates: [],
  runTimes: [],
  events: [],
});

export function interpret(message: Message, context: InterpretContext): Interpretation {
  const out = empty();
  const body = message.body;
  switch (body.type) {
    case 'observations': {
      if (body.dataTime === undefined) return out;
      for (const factor of body.factors) {
        const v = values(factor);
        // A factor without a value still carries evidence when it has a flag (e.g. D: no data).
        if (v === undefined && factor.dataFlag === undefined) continue;
        out.observations.push({
          period: body.period,
          row: {
            pointId: context.pointId,
            factorCode: factor.code,
            periodStart: body.dataTime,
            values: v ?? {},
            dataFlag: factor.dataFlag ?? null,
            eFlag: factor.eFlag ?? null,
            sampleTime: factor.sampleTime ?? null,
            source: context.source,
            receivedAt: context.receivedAt,
          },
        });
      }
      return out;
    }
    case 'run-state':
      if (body.dataTime !== undefined)
        for (const f of body.treatmentFacilities)
          out.runStates.push({ facility: f.id, dataTime: body.dataTime, value: f.state });
      return out;
    case 'run-time':
      if (body.dataTime !== undefined)
        for (const f of body.treatmentFacilities)
          out.runTimes.push({ facility: f.id, dataTime: body.dataTime, value: f.hours });
      return out;
    case 'device-info':
      for (const entry of body.entries)
        for (const item of entry.items)
          out.deviceInfo.push({
            pointId: context.pointId,
            polId: entry.polId ?? '',
            infoCode: item.code,
            value: item.text ?? item.value,
            observedAt: body.dataTime ?? null,
            receivedAt: context.receivedAt,
          });
      return out;
    case 'restart':
      out.events.push({
        kind: 'restart',
        at: context.receivedAt,
        detail: { restartTime: body.restartTime ?? body.dataTime ?? null },
      });
      return out;
    case 'alarm':
      out.events.push({
        kind: 'alarm',
        at: context.receivedAt,
        detail: {
          alarmTime: body.alarmTime ?? null,
          alarmType: body.alarmType ?? null,
          factors: body.factors.map((f) => ({ code: f.code, values: f.values })),
        },
      });
      return out;
    default:
      return out;
  }
}

/** The DataTime a message carries, if any (for clock-skew checks and duplicate keys). */
export function dataTimeOf(message: Message): number | undefined {
  const body = message.body as { readonly dataTime?: number };
  return body.dataTime;
}
