import type { Cp, CpField, CpGroup } from './message.js';

/** Deviations found while splitting CP text; the caller turns them into diagnostics. */
export interface CpSplitNotes {
  emptyItems: number;
  whitespace: number;
  noValue: number;
  /** "=//" logs with no closing "//": read as plain text instead, so nothing after them is swallowed. */
  openLogs?: number;
}

const SPACE = 0x20;
const TAB = 0x09;
const isBlankCode = (code: number): boolean => code === SPACE || code === TAB;

/**
 * Splits the CP data area into items (`;`) and sub-fields (`,`), each `key=value` on the first "="
 * (HJ 212-2017 §6.3.3.1). Keys and values are trimmed. Log texts between `//…//` (表 B.10) are taken
 * whole, so a `;` or `,` inside a log does not split it.
 */
export function splitCp(text: string, start: number, end: number, notes: CpSplitNotes): Cp {
  if (start >= end) return [];
  const content = text.slice(start, end);
  if (content.indexOf('//') >= 0) return splitQuoted(content, notes);
  const groups: CpGroup[] = [];
  const items = content.split(';');
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string;
    if (item.length === 0 || (isBlankCode(item.charCodeAt(0)) && item.trim().length === 0)) {
      if (item.length === 0) notes.emptyItems++;
      else notes.whitespace++;
      continue;
    }
    const group: CpField[] = [];
    if (item.indexOf(',') < 0) {
      group.push(field(item, notes));
    } else {
      const parts = item.split(',');
      for (let j = 0; j < parts.length; j++) {
        const part = parts[j] as string;
        if (part.length === 0 || part.trim().length === 0) {
          notes.emptyItems++;
          continue;
        }
        group.push(field(part, notes));
      }
    }
    if (group.length > 0) groups.push(group);
  }
  return groups;
}

function field(text: string, notes: CpSplitNotes): CpField {
  const eq = text.indexOf('=');
  if (eq < 0) {
    notes.noValue++;
    return { key: trimmed(text, notes), value: null };
  }
  return { key: trimmed(text.slice(0, eq), notes), value: trimmed(text.slice(eq + 1), notes) };
}

function trimmed(text: string, notes: CpSplitNotes): string {
  if (text.length === 0) return text;
  if (isBlankCode(text.charCodeAt(0)) || isBlankCode(text.charCodeAt(text.length - 1))) {
    notes.whitespace++;
    return text.trim();
  }
  return text;
}

/** The slow path: a character scan that keeps `//…//` log texts whole. */
function splitQuoted(content: string, notes: CpSplitNotes): Cp {
  const groups: CpGroup[] = [];
  let group: CpField[] = [];
  let fieldStart = 0;
  const closeField = (at: number, endsGroup: boolean): void => {
    const text = content.slice(fieldStart, at);
    if (text.trim().length === 0) {
      if (text.length === 0) notes.emptyItems++;
      else notes.whitespace++;
    } else {
      group.push(field(text, notes));
    }
    fieldStart = at + 1;
    if (endsGroup) {
      if (group.length > 0) groups.push(group);
      group = [];
    }
  };
  let i = 0;
  while (i < content.length) {
    const ch = content.charCodeAt(i);
    if (ch === 0x2f && content.charCodeAt(i + 1) === 0x2f && content.charCodeAt(i - 1) === 0x3d) {
      // "=//": a log value; skip to its closing "//".
      const close = content.indexOf('//', i + 2);
      if (close >= 0) {
        i = close + 2;
        continue;
      }
      notes.openLogs = (notes.openLogs ?? 0) + 1;
    }
    if (ch === 0x3b) closeField(i, true);
    else if (ch === 0x2c) closeField(i, false);
    i++;
  }
  closeField(content.length, true);
  return groups;
}

/** A CP value that cannot be written without breaking the frame, or undefined when it is fine. */
export function unsafeCpText(text: string): string | undefined {
  if (/[\r\n]/.test(text)) return 'CR or LF';
  // A value opening with "//" is read as a log up to the next "//" (表 B.10, see `splitQuoted`): it must be
  // one whole log whose text holds no "//", or the reader would cut it there and swallow what follows.
  if (text.startsWith('//')) {
    const whole = text.length >= 4 && text.endsWith('//') && !text.slice(2, -2).includes('//');
    return whole ? undefined : 'a "//" log that is unclosed or contains "//"';
  }
  if (/[;,=]/.test(text)) return 'a separator (";", "," or "=")';
  if (/^[ \t]|[ \t]$/.test(text)) return 'spaces at the start or end (a reader trims them)';
  if (text.includes('&&')) return '"&&"';
  return undefined;
}

/** CP groups → the text between `CP=&&` and `&&`. */
export function joinCp(cp: Cp): string {
  let out = '';
  for (let g = 0; g < cp.length; g++) {
    if (g > 0) out += ';';
    const group = cp[g] as CpGroup;
    for (let f = 0; f < group.length; f++) {
      if (f > 0) out += ',';
      const { key, value } = group[f] as CpField;
      out += value === null ? key : `${key}=${value}`;
    }
  }
  return out;
}
