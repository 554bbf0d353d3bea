import { FACTOR_CODES, FACTOR_CODES_2005 } from './tables/factor-codes.js';
import type { FactorCode, FactorCode2005 } from './tables/types.js';
import type { DetectedVersion } from './versions.js';

const BY_CODE = new Map<string, FactorCode>(FACTOR_CODES.map((row) => [row.code, row]));
const BY_CODE_2005 = new Map<string, FactorCode2005>(FACTOR_CODES_2005.map((row) => [row.code, row]));

/** Noise codes are spelled the same in both versions (HJ 212-2017 表 B.3, HJ/T 212-2005 附录 B). */
const NOISE_CODES = new Set(['LA', 'L5', 'L10', 'L50', 'L90', 'L95', 'Leq', 'Ldn', 'Ld', 'Ln', 'LMx', 'LMn']);

/**
 * HJ/T 212-2005 附录 B prints "Ld 夜间等效声级" and "Ln 昼间等效声级", the reverse of 2017 表 B.3; a 2005
 * packet's Ld is therefore the 2017 Ln and vice versa (hj212-protocol.md §7.3, §9.10).
 */
const NOISE_2005_TO_2017: Readonly<Record<string, string>> = { Ld: 'Ln', Ln: 'Ld' };

/**
 * 2005 codes whose 2017 successor has another unit: S02 烟气流速 m3/h → a01011 m/s, S04/S08 MPa → kPa,
 * 污水排放量 吨 → w00000-Cou m³ (hj212-protocol.md §9.2). Values are kept as sent; the analysis decides.
 */
const UNIT_CHANGED_2005 = new Set(['S02', 'S04', 'S08', 'B01']);

/** 2017 code shapes: w/a + 5 digits (HJ 525/524), e/g work-condition codes (表 B.4–B.7), i-codes (表 B.10). */
const CODE_2017 = /^(?:[wa]\d{5}|[eg]\d{5}|[iI]\d{5}|[iI]\d{4}x)$/;

export type CodeSystem = '2017' | '2005' | 'noise' | 'unknown';

export interface ResolvedFactor {
  /** The HJ 212-2017 code (the code as sent when it has no known 2017 equivalent). */
  readonly code: string;
  readonly system: CodeSystem;
  /** A 2005 code was replaced by its 2017 equivalent. */
  readonly mapped: boolean;
  /** The 2005 unit differs from the 2017 unit. */
  readonly unitChanged: boolean;
  /** Noise Ld/Ln read with the 2005 meaning. */
  readonly noiseSwapped: boolean;
}

const cache2005 = new Map<string, ResolvedFactor>();
const cacheOther = new Map<string, ResolvedFactor>();

/**
 * Decides per field whether a factor code is a 2005 or a 2017 code (real packets mix them) and maps 2005
 * codes to 2017 ones using the 原编码 column of HJ 212-2017 表 B.1/B.2.
 */
export function resolveFactorCode(code: string, packetVersion: DetectedVersion): ResolvedFactor {
  const cache = packetVersion === '2005' ? cache2005 : cacheOther;
  const hit = cache.get(code);
  if (hit !== undefined) return hit;
  const resolved = resolveUncached(code, packetVersion);
  if (cache.size < 4096) cache.set(code, resolved);
  return resolved;
}

function resolveUncached(code: string, packetVersion: DetectedVersion): ResolvedFactor {
  const plain = { code, mapped: false, unitChanged: false, noiseSwapped: false };
  if (NOISE_CODES.has(code)) {
    const swapped = packetVersion === '2005' ? NOISE_2005_TO_2017[code] : undefined;
    return swapped === undefined
      ? { ...plain, system: 'noise' }
      : { ...plain, code: swapped, system: 'noise', noiseSwapped: true };
  }
  if (CODE_2017.test(code) || BY_CODE.has(code)) return { ...plain, system: '2017' };
  const old = BY_CODE_2005.get(code);
  if (old !== undefined) {
    return old.code2017 === undefined
      ? { ...plain, system: '2005' }
      : {
          ...plain,
          code: old.code2017,
          system: '2005',
          mapped: true,
          unitChanged: UNIT_CHANGED_2005.has(code),
        };
  }
  return { ...plain, system: 'unknown' };
}

export function factorCode(code: string): FactorCode | undefined {
  return BY_CODE.get(code);
}

export function factorCode2005(code: string): FactorCode2005 | undefined {
  return BY_CODE_2005.get(code);
}
