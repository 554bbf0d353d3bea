export const REGISTRY_USAGE = `  qingyuan registry import <file.xlsx|file.csv> [--dry-run] [--db URL]
      Load enterprises, outlets, monitoring points and factors (one row per factor, as provinces keep
      them; first worksheet of an .xlsx, UTF-8 .csv). Headers in Chinese or English: 统一社会信用代码/uscc,
      企业名称/enterprise, 行政区划代码/region, 排口编号/outlet_code, 排口类型/kind, 执行标准/standard,
      MN/mn, 访问密码/password, 协议版本/protocol, 监测因子/factor (2017 or 2005 code), 单位/unit, 量程上限/
      range_high, 小时限值/hour_limit, 日限值/day_limit, 考核因子/assessed, … Every row is validated first;
      any error lists the rows at fault and nothing is imported. Re-importing a file changes nothing;
      a blank cell keeps the stored value. --dry-run checks and counts without writing.`;
