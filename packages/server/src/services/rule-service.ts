import {
  ANOMALY_THRESHOLD_SPECS,
  ANOMALY_TYPES,
  type AnomalySettings,
  type AnomalySettingsProblem,
  type AnomalyThresholds,
  type AnomalyType,
  anomalySettingsProblems,
  DEFAULT_ANOMALY_THRESHOLDS,
  DEFAULT_RULES,
  type RuleConfig,
  type ThresholdSpec,
} from '@qingyuan/domain';
import type { RuleSettingView } from '@qingyuan/store';
import { actorOf, type Principal } from '../access/principal.js';
import {
  ANOMALY_SETTING,
  readAnomalySettings,
  type StoredAnomalySettings,
  storedOf,
} from '../analysis/anomaly-config-source.js';
import { MAX_REJUDGE_DAYS, type RejudgeProgress, ThresholdRejudge } from '../analysis/threshold-rejudge.js';
import { QyError } from '../errors.js';
import type { ServiceContext } from './context.js';

/** A threshold as the API describes it: its spec and its built-in default. */
export interface ThresholdDescription extends ThresholdSpec {
  /** The built-in default (recomputeTolerance: the rules' value, which applies while it is unset). */
  readonly builtIn: number;
}

/** GET /rules/anomaly-config: the province's settings, what they resolve to, and how to read them. */
export interface AnomalyConfigView {
  /** 0 when never saved (every threshold built-in); send it back with a change. */
  readonly revision: number;
  readonly updatedAt: number | null;
  readonly updatedBy: string | null;
  readonly settings: AnomalySettings;
  /** The defaults in force: built-in, changed by `settings.defaults`. */
  readonly effective: AnomalyThresholds;
  readonly thresholds: readonly ThresholdDescription[];
  /** The detectors that can be switched off per factor. */
  readonly types: readonly AnomalyType[];
  /**
   * The re-judgement of past days a change scheduled (`rejudgeDays`): the one running, or the last one
   * this process ran; null when none since it started.
   */
  readonly rejudge: RejudgeProgress | null;
}

export interface AnomalyConfigChange extends AnomalySettings {
  /** The revision the change was made from; refused (QY_E_CONFLICT) when someone changed it meanwhile. */
  readonly revision?: number;
  /**
   * Re-judge the last N whole Beijing days (and today so far) of every point with the new thresholds, in
   * the background (0–31, default 0: only days judged from now on).
   */
  readonly rejudgeDays?: number;
}

const BUILT_IN: Readonly<Record<string, number>> = {
  ...DEFAULT_ANOMALY_THRESHOLDS,
  recomputeTolerance: DEFAULT_RULES.recomputeTolerance,
};

/** The first problem as the API's error (the catalogue's stable codes). */
function problemError(problem: AnomalySettingsProblem): QyError {
  switch (problem.kind) {
    case 'range':
      return new QyError('QY_E_RULE_RANGE', {
        field: problem.field,
        factor: problem.factor,
        value: problem.value,
        min: problem.min,
        max: problem.max,
        integer: problem.integer,
      });
    case 'inconsistent':
      return new QyError('QY_E_RULE_INCONSISTENT', {
        field: problem.field,
        other: problem.other,
        factor: problem.factor,
        reason: problem.reason,
      });
    case 'unknown-threshold':
      return new QyError('QY_E_RULE_UNKNOWN', { field: problem.field, factor: problem.factor });
    case 'unknown-type':
      return new QyError('QY_E_RULE_UNKNOWN', { type: problem.type, factor: problem.factor });
    case 'factor':
      return new QyError('QY_E_RULE_UNKNOWN', { factor: problem.factor });
  }
}

/** Keeps only what matters: factors with an override, factors with a detector off (each type once, sorted). */
function normalised(settings: AnomalySettings): AnomalySettings {
  const factors = Object.fromEntries(
    Object.entries(settings.factors)
      .filter(([, values]) => Object.keys(values).length > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const disabled = Object.fromEntries(
    Object.entries(settings.disabled)
      .map(([factor, types]) => [factor, [...new Set(types)].sort()] as const)
      .filter(([, types]) => types.length > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return { defaults: { ...settings.defaults }, factors, disabled };
}

/**
 * The province's rule thresholds (anomaly detectors): read by the authorities (rules.read), changed by the
 * province administrator (rules.write). A change is checked against each threshold's range and for
 * consistency, saved with its revision (no lost updates), audited with before and after, and put in force
 * for the analysis of this process at once.
 */
export class RuleService {
  readonly #ctx: ServiceContext;
  readonly #rejudge: ThresholdRejudge;

  constructor(ctx: ServiceContext, rules: RuleConfig = DEFAULT_RULES) {
    this.#ctx = ctx;
    this.#rejudge = new ThresholdRejudge({
      store: ctx.store,
      rules,
      now: ctx.now,
      anomalies: () => ctx.anomalies.current(),
    });
  }

  /** Resolves when the re-judgement of past days in progress (if any) has ended (tests). */
  rejudgeSettled(): Promise<void> {
    return this.#rejudge.settled();
  }

  /** Stops the re-judgement in progress after the point in hand (the server shuts down). */
  stop(): Promise<void> {
    return this.#rejudge.stop();
  }

  async anomalyConfig(principal: Principal): Promise<AnomalyConfigView> {
    this.#ctx.access.require(principal, 'rules.read');
    const stored = await readAnomalySettings(this.#ctx.store);
    return this.#view(stored);
  }

  async setAnomalyConfig(principal: Principal, change: AnomalyConfigChange): Promise<AnomalyConfigView> {
    this.#ctx.access.require(principal, 'rules.write');
    const { revision, rejudgeDays = 0, ...given } = change;
    if (!Number.isInteger(rejudgeDays) || rejudgeDays < 0 || rejudgeDays > MAX_REJUDGE_DAYS)
      throw new QyError('QY_E_VALIDATION', {
        field: 'rejudgeDays',
        reason: `a whole number of days from 0 to ${MAX_REJUDGE_DAYS}`,
      });
    const settings = normalised({
      defaults: given.defaults ?? {},
      factors: given.factors ?? {},
      disabled: given.disabled ?? {},
    });
    const problem = anomalySettingsProblems(settings)[0];
    if (problem !== undefined) throw problemError(problem);
    // One re-judgement at a time: held before the change is saved, so a refused one saves nothing.
    const reservation = rejudgeDays > 0 ? this.#rejudge.reserve() : undefined;
    if (rejudgeDays > 0 && reservation === undefined)
      throw new QyError('QY_E_CONFLICT', {
        reason: 'a re-judgement of past days is running; wait for it to finish, or save without rejudgeDays',
        rejudge: this.#rejudge.progress ?? null,
      });
    let saved: RuleSettingView<AnomalySettings> | undefined;
    let before: StoredAnomalySettings;
    try {
      before = await readAnomalySettings(this.#ctx.store);
      saved = await this.#ctx.repos.ruleSettings.save<AnomalySettings>(ANOMALY_SETTING, settings, {
        at: this.#ctx.now(),
        actor: actorOf(principal),
        actorName: principal.username,
        ...(revision === undefined ? {} : { expectedRevision: revision }),
      });
    } catch (error) {
      reservation?.release();
      throw error;
    }
    if (saved === undefined) {
      reservation?.release();
      const now = await readAnomalySettings(this.#ctx.store);
      throw new QyError('QY_E_CONFLICT', {
        reason: 'the thresholds were changed meanwhile; reload them',
        revision: now.revision,
      });
    }
    const after = storedOf(saved);
    this.#ctx.anomalies.apply(after.settings, after.revision);
    // In force first, then the past days in the background: the answer does not wait for the province.
    const run = reservation?.start({
      days: rejudgeDays,
      revision: after.revision,
      requestedBy: principal.username,
    });
    await this.#ctx.audit.record(principal, 'rules.anomaly.update', 'rule_setting', ANOMALY_SETTING, {
      before: { revision: before.revision, ...before.settings },
      after: {
        revision: after.revision,
        ...after.settings,
        rejudgeDays,
        ...(run === undefined ? {} : { rejudge: { from: run.from, to: run.to } }),
      },
    });
    return this.#view(after);
  }

  #view(stored: StoredAnomalySettings): AnomalyConfigView {
    const effective = { ...BUILT_IN, ...stored.settings.defaults } as unknown as AnomalyThresholds;
    return {
      revision: stored.revision,
      updatedAt: stored.updatedAt,
      updatedBy: stored.updatedByName,
      settings: stored.settings,
      effective,
      thresholds: ANOMALY_THRESHOLD_SPECS.map((s) => ({ ...s, builtIn: BUILT_IN[s.name] as number })),
      types: ANOMALY_TYPES,
      rejudge: this.#rejudge.progress ?? null,
    };
  }
}
