// Names of the common HJ 212-2017 factor codes (附录 B); other codes are shown as they are.
const NAMES: Record<string, readonly [string, string]> = {
  w00000: ['污水流量', 'Effluent flow'],
  w01001: ['pH 值', 'pH'],
  w01018: ['化学需氧量', 'COD'],
  w21001: ['总氮', 'Total nitrogen'],
  w21003: ['氨氮', 'Ammonia nitrogen'],
  w21011: ['总磷', 'Total phosphorus'],
  a00000: ['废气流量', 'Flue gas flow'],
  a01011: ['烟气流速', 'Flue gas velocity'],
  a01012: ['烟气温度', 'Flue gas temperature'],
  a01013: ['烟气压力', 'Flue gas pressure'],
  a01014: ['烟气湿度', 'Flue gas humidity'],
  a19001: ['氧含量', 'Oxygen'],
  a21002: ['氮氧化物', 'NOx'],
  a21026: ['二氧化硫', 'SO₂'],
  a34013: ['颗粒物', 'Particulates'],
};

/** The factor codes named here (HJ 212-2017 附录 B), for pickers. */
export const FACTOR_CODES: readonly string[] = Object.keys(NAMES);

export function factorName(code: string, language: string): string {
  const names = NAMES[code];
  if (names === undefined) return code;
  return `${language === 'en' ? names[1] : names[0]} (${code})`;
}
