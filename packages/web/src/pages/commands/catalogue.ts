// The downlink commands an operator may send and the names of their replies, from the codec's tables
// (@qingyuan/hj212: COMMANDS and OPERATOR_COMMANDS, HJ 212 附录 C; COMMAND_CODES for the names; QnRtn and
// ExeRtn of HJ 212-2017 表 7 and 表 6) — the same definitions the server validates against.
import {
  COMMAND_CODES,
  COMMANDS,
  type CommandDefinition,
  DEVICE_INFO_CODES,
  EXE_RTN_CODES,
  OPERATOR_COMMANDS,
  QN_RTN_CODES,
  type ReplyCode,
} from '@qingyuan/hj212';

export type ParamType = CommandDefinition['params'][number]['type'];
export type ParamSpec = CommandDefinition['params'][number];

export interface CommandSpec {
  readonly name: string;
  readonly cn: string;
  readonly zh: string;
  readonly en: string;
  readonly params: readonly ParamSpec[];
  /** Only some protocol versions know it (the server refuses it for others). */
  readonly versions?: string;
}

/** The 2017 definition where there is one (2005 has older ranges for a few), else the only one. */
function definitionOf(name: string): CommandDefinition {
  const all = COMMANDS.filter((c) => c.name === name);
  return (all.find((c) => c.versions.includes('2017')) ?? all[0]) as CommandDefinition;
}

function versionsLabel(name: string): string | undefined {
  const versions = new Set(COMMANDS.filter((c) => c.name === name).flatMap((c) => c.versions));
  if (versions.has('2005')) return undefined;
  return versions.has('2017') ? '2017+' : [...versions].join(', ');
}

export const COMMAND_SPECS: readonly CommandSpec[] = OPERATOR_COMMANDS.map((name) => {
  const definition = definitionOf(name);
  const code = COMMAND_CODES.find((c) => c.cn === definition.cn);
  const versions = versionsLabel(name);
  return {
    name,
    cn: definition.cn,
    zh: code?.nameZh['2017'] ?? code?.nameZh['2025'] ?? code?.nameZh['2005'] ?? name,
    en: code?.nameEn ?? name,
    params: definition.params,
    ...(versions === undefined ? {} : { versions }),
  };
});

export const commandSpec = (name: string) => COMMAND_SPECS.find((c) => c.name === name);

export function commandLabel(name: string, language: string): string {
  const spec = commandSpec(name);
  if (spec === undefined) return name;
  return language === 'en' ? spec.en : spec.zh;
}

const names = (codes: readonly ReplyCode[]) =>
  Object.fromEntries(codes.map((c) => [c.code, [c.nameZh, c.nameEn] as const]));

/** HJ 212-2017 表 7 (QnRtn, CN 9011) and 表 6 (ExeRtn, CN 9012). */
export const QN_RTN: Readonly<Record<number, readonly [string, string]>> = names(QN_RTN_CODES);
export const EXE_RTN: Readonly<Record<number, readonly [string, string]>> = names(EXE_RTN_CODES);

/** Device-information codes offered for InfoId: the instrument's state and parameters (HJ 212-2017 表 B.10,
 * device class 1); any other i-code may be typed. */
export const INFO_IDS: readonly (readonly [string, string])[] = DEVICE_INFO_CODES.filter((c) =>
  /^i1[23]\d{3}$/.test(c.code),
).map((c) => [c.code, c.nameZh] as const);
