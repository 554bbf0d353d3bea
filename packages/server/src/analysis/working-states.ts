import {
  contradictingState,
  DAY_MS,
  type HourValidity,
  type RuleConfig,
  type Validity,
  validityOf,
  type WorkingState,
} from '@qingyuan/domain';
import { DeviceInfoRepository, type Store } from '@qingyuan/store';

/** Working states per factor (PolId), sorted by time. */
export type WorkingStates = ReadonlyMap<string, readonly WorkingState[]>;

/**
 * The i12001 working states (CN 3020) a point reported up to `upTo`, over the look-back window (the one
 * in force at the window's start included, as far as the window reaches), per factor.
 */
export async function loadWorkingStates(
  store: Store,
  pointId: number,
  upTo: number,
  lookBackMs = 90 * DAY_MS,
): Promise<WorkingStates> {
  const rows = await new DeviceInfoRepository(store).history(pointId, {
    infoCode: 'i12001',
    from: upTo - lookBackMs,
    to: upTo,
  });
  const out = new Map<string, WorkingState[]>();
  for (const r of rows) {
    const state = Number(r.value);
    if (!Number.isInteger(state)) continue;
    const list = out.get(r.pol_id) ?? [];
    list.push({ at: Number(r.observed_at ?? r.received_at), state });
    out.set(r.pol_id, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.at - b.at);
  return out;
}

/** Hourly validity with each factor's own working states (validity.ts step c). */
export function validityWithStates(rules: RuleConfig, states: WorkingStates): HourValidity {
  return (reading, marks): Validity =>
    validityOf(reading, {
      marks,
      config: rules,
      period: 'hour',
      workingStates: states.get(reading.factor) ?? [],
    }).validity;
}

/** Whether a working state that contradicts flag N is in force at some time of the day, for any factor. */
export function statesContradictDay(states: WorkingStates, factors: readonly string[], day: number): boolean {
  return factors.some((f) => {
    const list = states.get(f);
    return list !== undefined && contradictingState(list, day, DAY_MS) !== undefined;
  });
}
