// Names of the HJ 212 command codes (CN: HJ 212-2017 表 9 and 附录 C, HJ/T 212-2005 命令列表), from the codec.
import { COMMAND_CODES } from '@qingyuan/hj212';

const NAMES = new Map(
  COMMAND_CODES.map((c) => [
    c.cn,
    [c.nameZh['2017'] ?? c.nameZh['2025'] ?? c.nameZh['2005'] ?? '', c.nameEn],
  ]),
);

export const KNOWN_CNS = [...NAMES.keys()].sort();

export function cnName(cn: string | null, language: string): string {
  if (cn === null) return '—';
  const names = NAMES.get(cn);
  return names === undefined ? '' : language === 'en' ? (names[1] ?? '') : (names[0] ?? '');
}
