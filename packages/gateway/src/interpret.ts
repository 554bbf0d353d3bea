import type { FactorObservation, Message } from '@qingyuan/hj212';
import type {
  IngestDeviceInfo,
  IngestEvent,
  IngestFacilityRun,
  IngestObservation,
  IngestRealtimeUpload,
  ObservationSource,
  PackEntrySource,
  ValueColumn,
} from '@qingyuan/store';

/**
 * What a trusted upload adds to its ingest unit, per table (HJ 212-2017 附录 C, per CN family). A record
 * list is created only when the upload has something for it (the store writes none for an absent one).
 */
export interface UnitRecords {
  observations?: IngestObservation[];
  realtime?: IngestRealtimeUpload[];
  deviceInfo?: IngestDeviceInfo[];
  runStates?: IngestFacilityRun[];
  runTimes?: IngestFacilityRun[];
  events?: IngestEvent[];
}

export interface InterpretContext {
  readonly pointId: number;
  readonly mn: string;
  readonly receivedAt: number;
  /** `backfill` when the message answers one of our history requests. */
  readonly source: ObservationSource;
  /** The unit's frame the records point at (0), or null for a split message whose parts stopped coming. */
  readonly frame: number | null;
}

/**
 * A factor's values under their store columns (HJ 212 value kinds → columns); undefined when it has none.
 * Noise (Data/DayData/NightData) and 2005 Ala have no column. Each kind is read by name: every factor of
 * every accepted upload passes here, and a `for … in` over the values with a table lookup per key took
 * ≈ 480–580 ns for a six-factor upload against ≈ 140–240 (docs/benchmarks.md, "Fourteenth look"). A
 * helper that set a column by name gave most of that back (its store saw many keys).
 */
function values(factor: FactorObservation): Partial<Record<ValueColumn, number>> | undefined {
  const { Rtd, Min, Avg, Max, Cou, ZsRtd, ZsMin, ZsAvg, ZsMax } = factor.values;
  const none =
    Rtd === undefined &&
    Min === undefined &&
    Avg === undefined &&
    Max === undefined &&
    Cou === undefined &&
    ZsRtd === undefined &&
    ZsMin === undefined &&
    ZsAvg === undefined &&
    ZsMax === undefined;
  if (none) return undefined;
  const out: Partial<Record<ValueColumn, number>> = {};
  if (Rtd !== undefined) out.rtd = Rtd;
  if (Min !== undefined) out.min = Min;
  if (Avg !== undefined) out.avg = Avg;
  if (Max !== undefined) out.max = Max;
  if (Cou !== undefined) out.cou = Cou;
  if (ZsRtd !== undefined) out.zs_rtd = ZsRtd;
  if (ZsMin !== undefined) out.zs_min = ZsMin;
  if (ZsAvg !== undefined) out.zs_avg = ZsAvg;
  if (ZsMax !== undefined) out.zs_max = ZsMax;
  return out;
}

/** An upload's factors with their values and flags: those that carry a value or a flag. */
function factorEntries(factors: readonly FactorObservation[]): PackEntrySource[] {
  const entries: PackEntrySource[] = [];
  for (const factor of factors) {
    const v = values(factor);
    // A factor without a value still carries evidence when it has a flag (e.g. D: no data).
    if (v === undefined && factor.dataFlag === undefined) continue;
    entries.push({
      factorCode: factor.code,
      values: v ?? {},
      dataFlag: factor.dataFlag ?? null,
      eFlag: factor.eFlag ?? null,
      sampleTime: factor.sampleTime ?? null,
    });
  }
  return entries;
}

/**
 * Adds what `message` means to `unit` (pure but for that: the gateway calls it for every accepted frame,
 * so it writes the records where they go instead of returning lists to be copied).
 */
export function interpret(message: Message, context: InterpretContext, unit: UnitRecords): void {
  const { frame, pointId, receivedAt } = context;
  const body = message.body;
  switch (body.type) {
    case 'observations': {
      const periodStart = body.dataTime;
      if (periodStart === undefined) return;
      const factors = factorEntries(body.factors);
      if (factors.length === 0) return;
      const { source } = context;
      if (body.period === 'realtime') {
        // CN 2011: one pack of the point and instant, handed over as such (no row per factor first).
        unit.realtime ??= [];
        unit.realtime.push({
          frame,
          pointId,
          periodStart,
          source,
          receivedAt,
          factors,
        });
        return;
      }
      unit.observations ??= [];
      for (const factor of factors)
        unit.observations.push({
          period: body.period,
          frame,
          row: { ...factor, pointId, periodStart, source, receivedAt },
        });
      return;
    }
    case 'run-state':
    case 'run-time': {
      const dataTime = body.dataTime;
      if (dataTime === undefined) return;
      if (body.type === 'run-state') unit.runStates ??= [];
      else unit.runTimes ??= [];
      const runs = (body.type === 'run-state' ? unit.runStates : unit.runTimes) as IngestFacilityRun[];
      for (const f of body.treatmentFacilities) {
        const value = 'state' in f ? f.state : f.hours;
        runs.push({ frame, pointId, facility: f.id, dataTime, value, receivedAt });
      }
      return;
    }
    case 'device-info':
      for (const entry of body.entries)
        for (const item of entry.items) {
          unit.deviceInfo ??= [];
          unit.deviceInfo.push({
            frame,
            item: {
              pointId,
              polId: entry.polId ?? '',
              infoCode: item.code,
              value: item.text ?? item.value,
              observedAt: body.dataTime ?? null,
              receivedAt,
            },
          });
        }
      return;
    case 'restart':
      unit.events ??= [];
      unit.events.push({
        frame,
        pointId,
        mn: context.mn,
        kind: 'restart',
        at: receivedAt,
        detail: { restartTime: body.restartTime ?? body.dataTime ?? null },
      });
      return;
    case 'alarm':
      unit.events ??= [];
      unit.events.push({
        frame,
        pointId,
        mn: context.mn,
        kind: 'alarm',
        at: receivedAt,
        detail: {
          alarmTime: body.alarmTime ?? null,
          alarmType: body.alarmType ?? null,
          factors: body.factors.map((f) => ({ code: f.code, values: f.values })),
        },
      });
      return;
    default:
      return;
  }
}

/** The DataTime a message carries, if any (for clock-skew checks and duplicate keys). */
export function dataTimeOf(message: Message): number | undefined {
  const body = message.body as { readonly dataTime?: number };
  return body.dataTime;
}
