import {
  type AnomalyConfig,
  DAY_MS,
  DEFAULT_ANOMALY_CONFIG,
  type DeviceParameter,
  detectParameterChange,
  type Evaluation,
  foldEpisodes,
  parameterKey,
  type RuleConfig,
  WATCHED_PARAMETERS,
} from '@qingyuan/domain';
import { AlarmRepository, DeviceInfoRepository, type Store } from '@qingyuan/store';

const TYPE = 'parameter-change';

/**
 * A point's watched parameter reports since `from` (up to `to`), its filed baselines, and what the domain
 * rule finds in them — shared by the alarm judgement below and the API's parameter-change view.
 */
export async function parameterFindings(
  info: DeviceInfoRepository,
  pointId: number,
  from: number,
  to?: number,
  config: AnomalyConfig = DEFAULT_ANOMALY_CONFIG,
) {
  const history = await info.history(pointId, to === undefined ? { from } : { from, to });
  const values: DeviceParameter[] = history
    .filter((h) => Object.hasOwn(WATCHED_PARAMETERS, h.info_code))
    .map((h) => ({
      factor: h.pol_id,
      code: h.info_code,
      at: Number(h.observed_at ?? h.received_at),
      value: h.value,
    }));
  const baselines = (await info.baseline(pointId)).map((b) => ({
    factor: b.pol_id,
    code: b.info_code,
    value: b.value,
  }));
  return { values, baselines, findings: detectParameterChange(values, baselines, config) };
}

/**
 * 参数变更 (smart monitoring): every watched instrument parameter a point reported (CN 3020: range i13001,
 * digestion i13004/i13005, intercept i13007, slope i13008) over the look-back window, judged against the
 * filed baseline (备案值) and the previous value. One episode per parameter (factor#code): open while the
 * value is off its baseline (or, without a baseline, from a change), closed when it returns. Re-judged
 * whole, so the result does not depend on arrival order.
 */
export async function judgeParameters(
  store: Store,
  pointId: number,
  rules: RuleConfig,
  now: number,
  config: AnomalyConfig = DEFAULT_ANOMALY_CONFIG,
  lookBackMs = 90 * DAY_MS,
): Promise<number> {
  const { values, baselines, findings } = await parameterFindings(
    new DeviceInfoRepository(store),
    pointId,
    now - lookBackMs,
    undefined,
    config,
  );
  const alarms = new AlarmRepository(store);
  let saved = 0;
  const keys = new Map<string, DeviceParameter[]>();
  for (const v of values)
    keys.set(parameterKey(v.factor, v.code), [...(keys.get(parameterKey(v.factor, v.code)) ?? []), v]);
  for (const [key, reports] of keys) {
    const hasBaseline = baselines.some((b) => parameterKey(b.factor, b.code) === key);
    const evaluations: Evaluation<Record<string, unknown>>[] = reports.map((v) => {
      const hit = findings.find(
        (f) => f.start === v.at && parameterKey(f.factor, String(f.detail.code)) === key,
      );
      const active = hit !== undefined && (hasBaseline ? hit.detail.offBaseline === true : true);
      return active ? { at: v.at, active, detail: { ...hit?.detail } } : { at: v.at, active };
    });
    const episodes = foldEpisodes(TYPE, key, dedupeByTime(evaluations));
    for (const e of episodes) {
      await alarms.save(
        {
          pointId,
          factorCode: key,
          type: TYPE,
          openedAt: e.openedAt,
          closedAt: e.closedAt,
          peakValue: null,
          limitValue: null,
          detail: { ...(e.detail ?? {}) },
          ruleVersion: rules.version,
        },
        now,
      );
      saved += 1;
    }
  }
  return saved;
}

/** One evaluation per instant (several 3020 items of one upload share it): active wins. */
function dedupeByTime<D>(evaluations: readonly Evaluation<D>[]): Evaluation<D>[] {
  const byAt = new Map<number, Evaluation<D>>();
  for (const e of evaluations) {
    const held = byAt.get(e.at);
    if (held === undefined || (!held.active && e.active)) byAt.set(e.at, e);
  }
  return [...byAt.values()];
}
