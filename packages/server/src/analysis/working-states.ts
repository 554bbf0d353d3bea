import {
  contradictingState,
  DAY_MS,
  type DeviceParameter,
  type HourValidity,
  type ManualRecordLookup,
  type RuleConfig,
  type Validity,
  validityOf,
  type WorkingState,
} from '@qingyuan/domain';
import { DeviceInfoRepository, type Store } from '@qingyuan/store';

/** Working states per factor (PolId), sorted by time. */
export type WorkingStates = ReadonlyMap<string, readonly WorkingState[]>;

/** What a point's instruments reported by CN 3020 that the rules use. */
export interface InstrumentFacts {
  /** i12001 working states per factor (PolId), sorted by time. */
  readonly states: WorkingStates;
  /** i13001 measuring ranges (for over-range). */
  readonly ranges: readonly DeviceParameter[];
}

/**
 * A point's working states and measuring ranges reported up to `upTo`, over the look-back window, in one
 * read of its device information.
 */
export async function loadInstrumentFacts(
  store: Store,
  pointId: number,
  upTo: number,
  lookBackMs = 90 * DAY_MS,
): Promise<InstrumentFacts> {
  const rows = await new DeviceInfoRepository(store).history(pointId, { from: upTo - lookBackMs, to: upTo });
  const states = new Map<string, WorkingState[]>();
  const ranges: DeviceParameter[] = [];
  for (const r of rows) {
    const at = Number(r.observed_at ?? r.received_at);
    if (r.info_code === 'i13001') ranges.push({ factor: r.pol_id, code: r.info_code, at, value: r.value });
    if (r.info_code !== 'i12001') continue;
    const state = Number(r.value);
    if (!Number.isInteger(state)) continue;
    const list = states.get(r.pol_id) ?? [];
    list.push({ at, state });
    states.set(r.pol_id, list);
  }
  for (const list of states.values()) list.sort((a, b) => a.at - b.at);
  return { states, ranges };
}

/** The i12001 working states (CN 3020) a point reported up to `upTo`, per factor. */
export async function loadWorkingStates(
  store: Store,
  pointId: number,
  upTo: number,
  lookBackMs = 90 * DAY_MS,
): Promise<WorkingStates> {
  return (await loadInstrumentFacts(store, pointId, upTo, lookBackMs)).states;
}

/**
 * Hourly validity with each factor's own working states (validity.ts step c) and, in the amended view, the
 * approved manual-monitoring records that back S values (step b).
 */
export function validityWithStates(
  rules: RuleConfig,
  states: WorkingStates,
  manualRecords?: ManualRecordLookup,
): HourValidity {
  return (reading, marks): Validity =>
    validityOf(reading, {
      marks,
      config: rules,
      period: 'hour',
      workingStates: states.get(reading.factor) ?? [],
      ...(manualRecords === undefined ? {} : { manualRecords }),
    }).validity;
}

/** Whether a working state that contradicts flag N is in force at some time of the day, for any factor. */
export function statesContradictDay(states: WorkingStates, factors: readonly string[], day: number): boolean {
  return factors.some((f) => {
    const list = states.get(f);
    return list !== undefined && contradictingState(list, day, DAY_MS) !== undefined;
  });
}
