/** A GB/T 2260 administrative division. */
export interface RegionSeed {
  readonly code: string;
  readonly name: string;
  readonly level: 'province' | 'city' | 'county';
  readonly parent: string | null;
}

/** An emission standard with its limits, as shipped (editable afterwards). */
export interface StandardSeed {
  readonly code: string;
  readonly name: string;
  readonly kind: 'water' | 'gas';
  /** 基准氧含量 (%) that applies to all the standard's gas sources, or null (per-limit values, or none). */
  readonly referenceO2: number | null;
  readonly notes?: string;
  readonly limits: readonly {
    /** HJ 212-2017 factor code. */
    readonly factor: string;
    readonly period: 'hour' | 'day' | 'instant';
    readonly value: number;
    readonly unit: string;
    /** The source category, e.g. 燃煤锅炉 / 新建, when the standard has several; omitted for all. */
    readonly appliesTo?: string;
    readonly referenceO2?: number;
  }[];
}
