/**
 * Error catalogue of @qingyuan/server (codes `QY_E_…`): stable codes, an HTTP status where one applies,
 * and a message a person can act on, in English and Chinese (the API answers in the caller's language).
 */

interface CatalogueEntry {
  readonly status: number;
  readonly message: string;
  readonly zh: string;
}

export const QY_ERRORS = {
  QY_E_CLI_USAGE: {
    status: 400,
    message: 'The command line is not valid; run "qingyuan --help" for the usage.',
    zh: '命令行参数无效；运行 "qingyuan --help" 查看用法。',
  },
  QY_E_CLI_INPUT: {
    status: 400,
    message: 'The input could not be read or is not in the expected form.',
    zh: '输入无法读取或格式不符合要求。',
  },
  QY_E_UNAUTHENTICATED: {
    status: 401,
    message: 'Log in first (or send a valid API token as "Authorization: Bearer …").',
    zh: '请先登录（或以 "Authorization: Bearer …" 提供有效的 API 令牌）。',
  },
  QY_E_FORBIDDEN: {
    status: 403,
    message: 'Your role may not do this. Ask your administrator for the role that may.',
    zh: '您的角色无权执行此操作，请联系管理员。',
  },
  QY_E_NOT_FOUND: {
    status: 404,
    message: 'No such record, or it is outside what you may see.',
    zh: '记录不存在，或不在您的权限范围内。',
  },
  QY_E_VALIDATION: {
    status: 400,
    message: 'The request is not valid: check the named field against the API documentation (/api/docs).',
    zh: '请求参数无效：请对照 API 文档（/api/docs）检查所指字段。',
  },
  QY_E_MALFORMED_JSON: {
    status: 400,
    message: 'The request body is not valid JSON.',
    zh: '请求体不是有效的 JSON。',
  },
  QY_E_PAYLOAD_TOO_LARGE: {
    status: 413,
    message: 'The request body is too large.',
    zh: '请求体过大。',
  },
  QY_E_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Send the request body as application/json.',
    zh: '请求体须为 application/json。',
  },
  QY_E_CSRF: {
    status: 403,
    message:
      'The CSRF token is missing or wrong: send the token from login or /api/v1/auth/me as X-CSRF-Token.',
    zh: 'CSRF 令牌缺失或错误：请在 X-CSRF-Token 头中提供登录或 /api/v1/auth/me 返回的令牌。',
  },
  QY_E_LOGIN_FAILED: {
    status: 401,
    message: 'The user name or password is wrong.',
    zh: '用户名或密码错误。',
  },
  QY_E_ACCOUNT_LOCKED: {
    status: 423,
    message: 'The account is locked after repeated failed logins; try again later or ask an administrator.',
    zh: '连续登录失败，账户已锁定；请稍后再试或联系管理员。',
  },
  QY_E_ACCOUNT_DISABLED: {
    status: 403,
    message: 'The account is disabled; ask an administrator.',
    zh: '账户已停用，请联系管理员。',
  },
  QY_E_RATE_LIMITED: {
    status: 429,
    message: 'Too many requests; wait a minute and try again.',
    zh: '请求过于频繁，请稍后再试。',
  },
  QY_E_PASSWORD_POLICY: {
    status: 400,
    message:
      'The password is too weak: at least 10 characters with three of upper case, lower case, digits and symbols, not containing the user name, and different from the current one.',
    zh: '密码强度不足：至少 10 位，包含大写字母、小写字母、数字、符号中的三类，不得包含用户名，且不得与当前密码相同。',
  },
  QY_E_PASSWORD_WRONG: {
    status: 400,
    message: 'The current password is wrong.',
    zh: '当前密码错误。',
  },
  QY_E_RULE_RANGE: {
    status: 400,
    message:
      'A rule threshold is outside its allowed range, or not a whole number where one is needed (see detail: field, factor, min, max).',
    zh: '规则阈值超出允许范围，或应为整数却不是（见 detail：字段、因子、最小值、最大值）。',
  },
  QY_E_RULE_INCONSISTENT: {
    status: 400,
    message:
      "Rule thresholds contradict each other, e.g. the near-limit band's low end not below its high end, or more hours needed than the window holds (see detail).",
    zh: '规则阈值相互矛盾，例如临限区间下限不小于上限，或所需小时数超过窗口长度（见 detail）。',
  },
  QY_E_RULE_UNKNOWN: {
    status: 400,
    message: 'No such rule threshold, alarm type or factor code (see detail).',
    zh: '不存在该规则阈值、报警类型或因子编码（见 detail）。',
  },
  QY_E_CONTRACT_DATES: {
    status: 400,
    message:
      "The contract's new last day is not allowed: it may not be before the start day, and once the contract has started it may only be brought forward (to extend, record a new contract). See detail: startsOn, endsOn.",
    zh: '合同的新截止日期不允许：不得早于开始日期；合同开始履行后只能提前，不能延后（续签请另行登记新合同）。见 detail：startsOn、endsOn。',
  },
  QY_E_CONTRACT_STARTED: {
    status: 409,
    message:
      'The contract has already started: it can no longer be cancelled, nor its enterprise, point and scope corrected. End it early (endsOn) and, if needed, record a new contract instead.',
    zh: '合同已开始履行，不能再取消，也不能更正其企业、监控点位和运维范围；请提前终止该合同（endsOn），如需要另行登记新合同。',
  },
  QY_E_CONTRACT_CANCELLED: {
    status: 409,
    message:
      'The contract was cancelled before it started: it is never in force and can no longer be changed. Record a new contract instead.',
    zh: '该合同已在开始履行前取消，不会生效，也不能再修改；如需要请另行登记新合同。',
  },
  QY_E_CONFLICT: {
    status: 409,
    message: 'The record conflicts with an existing one or with its current state.',
    zh: '与已有记录或其当前状态冲突。',
  },
  QY_E_DEVICE_OFFLINE: {
    status: 409,
    message: 'The data logger is not connected now; commands can be sent only to online devices.',
    zh: '数采仪当前不在线，反控命令只能发送给在线设备。',
  },
  QY_E_UNAVAILABLE: {
    status: 503,
    message:
      'This function needs a part of the platform that is not running in this process (e.g. the gateway).',
    zh: '该功能所需的平台组件（如接入网关）未在本进程中运行。',
  },
  QY_E_INTERNAL: {
    status: 500,
    message: 'An internal error occurred; it has been logged. Try again, and report it if it persists.',
    zh: '内部错误，已记录。请重试，如持续出现请报告。',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type QyCode = keyof typeof QY_ERRORS;

export class QyError extends Error {
  readonly code: QyCode;
  readonly status: number;
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: QyCode, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    const suffix = detail === undefined ? '' : ` ${JSON.stringify(detail)}`;
    super(`${code}: ${QY_ERRORS[code].message}${suffix}`, options);
    this.name = 'QyError';
    this.code = code;
    this.status = QY_ERRORS[code].status;
    this.detail = detail;
  }
}
