/** Kept apart from the commands so the help text loads without their dependencies. */
export const ANALYSIS_USAGE = `  qingyuan analyse --from ISO --to ISO [--mn MN] [--db URL]
      Re-judge stored hourly data: validity per hour (both views), daily transmission counts, hourly
      emissions, exceedance and anomaly alarm episodes, for every point (or one MN) and every Beijing day
      the range touches.
  qingyuan report transmission --month YYYY-MM | --quarter YYYY-Qn | --year YYYY [--region CODE]
                               [--by point|enterprise|region]
                               [--view first|amended] [--format json|csv] [--now ISO] [--db URL]
      应传/实传/有效 and the rates (传输率, 有效率, 有效传输率) per point, enterprise or region for a period,
      a period still running counted through yesterday (before --now, default the present),
      counted from the hourly data with approved marks applied (amended view, the default) or as first
      received (--view first); rates from summed counts, never averaged; whether each meets the 95 %
      target (JSON adds the HJ 75 有效数据捕集率 captureRate).
  qingyuan report emissions --month YYYY-MM | --quarter YYYY-Qn | --year YYYY [--region CODE]
                            [--by point|enterprise|region] [--format json|csv] [--db URL]
      排放量: kg per subject and pollutant, summed from the hourly emissions the analysis computed, with
      the hours counted and the invalid hours still without an amount.`;
