import type { ProtocolVersion } from '../versions.js';

export interface ReplyCode {
  readonly code: number;
  readonly nameZh: string;
  readonly nameEn: string;
  /** Versions that define the code (HJ/T 212-2005 knows QnRtn 1–3 and ExeRtn 1, 2, 100 only). */
  readonly versions: readonly ProtocolVersion[];
}

const ALL: readonly ProtocolVersion[] = ['2005', '2017', '2025'];
const SINCE_2017: readonly ProtocolVersion[] = ['2017', '2025'];

/** HJ 212-2017 表 7 请求命令返回 (QnRtn, CN 9011). "可扩充". */
export const QN_RTN_CODES: readonly ReplyCode[] = [
  { code: 1, nameZh: '准备执行请求', nameEn: 'Ready to execute', versions: ALL },
  { code: 2, nameZh: '请求被拒绝', nameEn: 'Request rejected', versions: ALL },
  { code: 3, nameZh: 'PW 错误', nameEn: 'Wrong password (PW)', versions: ALL },
  { code: 4, nameZh: 'MN 错误', nameEn: 'Wrong device identifier (MN)', versions: SINCE_2017 },
  { code: 5, nameZh: 'ST 错误', nameEn: 'Wrong system code (ST)', versions: SINCE_2017 },
  { code: 6, nameZh: 'Flag 错误', nameEn: 'Wrong Flag', versions: SINCE_2017 },
  { code: 7, nameZh: 'QN 错误', nameEn: 'Wrong request number (QN)', versions: SINCE_2017 },
  { code: 8, nameZh: 'CN 错误', nameEn: 'Wrong command code (CN)', versions: SINCE_2017 },
  { code: 9, nameZh: 'CRC 校验错误', nameEn: 'CRC error', versions: SINCE_2017 },
  { code: 100, nameZh: '未知错误', nameEn: 'Unknown error', versions: SINCE_2017 },
];

/** HJ 212-2017 表 6 执行结果 (ExeRtn, CN 9012). "可扩充". */
export const EXE_RTN_CODES: readonly ReplyCode[] = [
  { code: 1, nameZh: '执行成功', nameEn: 'Executed successfully', versions: ALL },
  { code: 2, nameZh: '执行失败，但不知道原因', nameEn: 'Failed, reason unknown', versions: ALL },
  { code: 3, nameZh: '命令请求条件错误', nameEn: 'Request conditions wrong', versions: SINCE_2017 },
  { code: 4, nameZh: '通讯超时', nameEn: 'Communication timeout', versions: SINCE_2017 },
  { code: 5, nameZh: '系统繁忙不能执行', nameEn: 'System busy', versions: SINCE_2017 },
  { code: 6, nameZh: '系统故障', nameEn: 'System fault', versions: SINCE_2017 },
  { code: 100, nameZh: '没有数据', nameEn: 'No data', versions: ALL },
];

/** Named QnRtn / ExeRtn values for code that answers requests. */
export const QnRtn = {
  READY: 1,
  REJECTED: 2,
  WRONG_PW: 3,
  WRONG_MN: 4,
  WRONG_ST: 5,
  WRONG_FLAG: 6,
  WRONG_QN: 7,
  WRONG_CN: 8,
  CRC_ERROR: 9,
  UNKNOWN_ERROR: 100,
} as const;

export const ExeRtn = {
  SUCCESS: 1,
  FAILED: 2,
  BAD_CONDITIONS: 3,
  TIMEOUT: 4,
  BUSY: 5,
  SYSTEM_FAULT: 6,
  NO_DATA: 100,
} as const;
