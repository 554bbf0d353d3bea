import {
  type AnomalyConfig,
  type AnomalySettings,
  DEFAULT_ANOMALY_CONFIG,
  EMPTY_ANOMALY_SETTINGS,
  resolveAnomalySettings,
} from '@qingyuan/domain';
import { RuleSettingRepository, type RuleSettingView, type Store } from '@qingyuan/store';

/** The stored name of the province's anomaly settings (store migration 0012, `rule_setting`). */
export const ANOMALY_SETTING = 'anomaly';

/** The province's anomaly settings as stored: revision 0 when never saved (built-in defaults). */
export interface StoredAnomalySettings {
  readonly settings: AnomalySettings;
  readonly revision: number;
  readonly updatedAt: number | null;
  readonly updatedBy: string | null;
  readonly updatedByName: string | null;
}

/** The stored settings, or the empty ones (every threshold built-in) when none were saved. */
export async function readAnomalySettings(store: Store): Promise<StoredAnomalySettings> {
  const row = await new RuleSettingRepository(store).get<AnomalySettings>(ANOMALY_SETTING);
  return row === undefined
    ? { settings: EMPTY_ANOMALY_SETTINGS, revision: 0, updatedAt: null, updatedBy: null, updatedByName: null }
    : storedOf(row);
}

export const storedOf = (row: RuleSettingView<AnomalySettings>): StoredAnomalySettings => ({
  settings: {
    defaults: row.value.defaults ?? {},
    factors: row.value.factors ?? {},
    disabled: row.value.disabled ?? {},
  },
  revision: row.revision,
  updatedAt: row.updatedAt,
  updatedBy: row.updatedBy,
  updatedByName: row.updatedByName,
});

/**
 * The anomaly configuration the analysis runs with: the province's stored settings, loaded at start
 * (`load`), replaced at once when changed through the rule service (`apply`), and re-read by `load` from
 * time to time so that a change made by another process (a second API instance) arrives too. Until
 * loaded, the built-in defaults; stored settings the detectors refuse (only a hand-edited row can hold
 * them: the rule service checks every change) make `load` reject and leave the configuration unchanged.
 */
export class AnomalyConfigSource {
  readonly #store: Store;
  #config: AnomalyConfig = DEFAULT_ANOMALY_CONFIG;
  #revision = -1;
  #loading: Promise<AnomalyConfig> | undefined;

  constructor(store: Store) {
    this.#store = store;
  }

  /** The configuration in force now (the built-in defaults until first loaded). */
  get config(): AnomalyConfig {
    return this.#config;
  }

  /** The stored revision in force (-1: not loaded yet; 0: nothing stored, built-in defaults). */
  get revision(): number {
    return this.#revision;
  }

  /** Reads the stored settings and puts them in force (a newer revision applied meanwhile wins). */
  load(): Promise<AnomalyConfig> {
    this.#loading ??= readAnomalySettings(this.#store)
      .then((stored) => {
        if (stored.revision >= this.#revision) this.apply(stored.settings, stored.revision);
        return this.#config;
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }

  /** The configuration in force, loading it first if that was never done. */
  async current(): Promise<AnomalyConfig> {
    return this.#revision < 0 ? this.load() : this.#config;
  }

  /** Puts settings just saved (at `revision`) in force. */
  apply(settings: AnomalySettings, revision: number): void {
    this.#config = resolveAnomalySettings(settings);
    this.#revision = revision;
  }
}
