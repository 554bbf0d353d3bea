import type { ProtocolVersion } from '../versions.js';

/** Water, air (flue gas and ambient), noise. */
export type Medium = 'water' | 'air' | 'noise';

/** HJ 212-2017 附录 B 表 B.1 (water) / 表 B.2 (air) / 表 B.3 (noise): one monitoring factor. */
export interface FactorCode {
  /** HJ 212-2017 code, e.g. `w01018`, `a21026`, `LA`. */
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly medium: Medium;
  /** 缺省计量单位（浓度）as printed in the standard, e.g. `毫克/升`; '' when none. Applies to Rtd/Min/Avg/Max/Zs*. */
  readonly unit: string;
  /** 缺省计量单位（排放量）as printed, e.g. `千克`; '' when the factor has no emission amount. Applies to Cou. */
  readonly emissionUnit: string;
  /** 数据类型 as printed, e.g. `N5.1`; '' when none. */
  readonly dataType: string;
  /** 原编码: the HJ/T 212-2005 (or older) code the 2017 table names, e.g. `011`; undefined for "—". */
  readonly code2005?: string;
}

/** HJ/T 212-2005 附录 B: one factor code of the 2005 standard. */
export interface FactorCode2005 {
  /** The 2005 code, e.g. `011`, `02`, `S01`, `B01`, `Leq`. */
  readonly code: string;
  readonly nameZh: string;
  readonly medium: Medium;
  /** 计量单位 as printed in 2005 ('' when none). */
  readonly unit: string;
  readonly dataType: string;
  /** The HJ 212-2017 code whose 原编码 column names this code; undefined when there is none. */
  readonly code2017?: string;
}

/** HJ 212-2017 附录 B 表 B.10: one 现场端信息 (site information) i-code. */
export interface DeviceInfoCode {
  /** e.g. `i12001`; pattern rows keep their pattern text, e.g. `i3331x`. */
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  /** 表 B.8 设备分类: 1 instrument, 2 data logger, 3 auxiliary equipment. */
  readonly deviceClass: 1 | 2 | 3;
  /** 表 B.9 信息分类: 1 log, 2 state, 3 parameter. */
  readonly infoClass: 1 | 2 | 3;
  /** Unit as printed ('' for "--" or 无量纲). */
  readonly unit: string;
  readonly dataType: string;
  /** Enumerated values for state codes, e.g. i12001 0 运行 … 10 运维. */
  readonly values?: readonly { readonly value: number; readonly nameZh: string; readonly nameEn: string }[];
  readonly note?: string;
}

/** HJ 212-2017 表 5 / HJ/T 212-2005 系统编码表: one ST system code. */
export interface SystemCode {
  readonly code: string;
  /** Name in each version that defines it. */
  readonly nameZh: Partial<Record<ProtocolVersion, string>>;
  readonly nameEn: string;
}
