/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters — 登记管理部门代码 (1), 机构类别代码
 * (1), 登记管理机关行政区划码 (6), 主体标识码 (9, the organisation code), 校验码 (1). Characters are from the
 * 31-character set 0-9 A-H J-N P-R T U W-Y (no I O Z S V). The check character (GB 32100-2015 §5, 附录 B)
 * makes Σ(value_i × weight_i) + value_check ≡ 0 (mod 31), with weights 3^(i) mod 31 for positions 1–17.
 */

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type UsccProblem = 'length' | 'character' | 'check';

/** Undefined when valid, else what is wrong. Letters are compared upper-case. */
export function usccProblem(code: string): UsccProblem | undefined {
  const text = code.trim().toUpperCase();
  if (text.length !== 18) return 'length';
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CHARSET.indexOf(text[i] as string);
    if (value < 0) return 'character';
    sum += value * (WEIGHTS[i] as number);
  }
  const check = CHARSET.indexOf(text[17] as string);
  if (check < 0) return 'character';
  return (31 - (sum % 31)) % 31 === check ? undefined : 'check';
}

export function isValidUscc(code: string): boolean {
  return usccProblem(code) === undefined;
}

/** The check character for the first 17 characters (for generating test and demo codes). */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CHARSET.indexOf(first17.toUpperCase()[i] as string);
    if (value < 0) throw new RangeError(`not a USCC character: ${first17[i]}`);
    sum += value * (WEIGHTS[i] as number);
  }
  return CHARSET[(31 - (sum % 31)) % 31] as string;
}
