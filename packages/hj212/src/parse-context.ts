import { type Diagnostic, diagnostic, type Hj212Code } from './errors.js';
import { parseBeijingTime } from './time.js';
import type { DetectedVersion } from './versions.js';

/** Collects diagnostics while a data segment is read; repeated per-field remarks are reported once. */
export class ParseContext {
  version: DetectedVersion = 'unknown';
  /** Made on the first diagnostic: most packets have none. */
  #diagnostics: Diagnostic[] | undefined;
  #grouped: Map<Hj212Code, Set<string>> | undefined;

  add(code: Hj212Code, detail?: Record<string, unknown>): void {
    if (this.#diagnostics === undefined) this.#diagnostics = [];
    this.#diagnostics.push(diagnostic(code, detail));
  }

  /** Remember `item` under `code`; one diagnostic per code lists all items (see `finish`). */
  note(code: Hj212Code, item: string): void {
    this.#grouped ??= new Map();
    let items = this.#grouped.get(code);
    if (items === undefined) {
      items = new Set();
      this.#grouped.set(code, items);
    }
    items.add(item);
  }

  /** Forget everything, to read another packet with the same context. */
  reset(version: DetectedVersion): void {
    this.version = version;
    this.#diagnostics = undefined;
    this.#grouped = undefined;
  }

  /** Nothing reported yet (no diagnostic, no pending remark). */
  isEmpty(): boolean {
    return this.#diagnostics === undefined && this.#grouped === undefined;
  }

  /** A timestamp field: UTC epoch ms, with diagnostics for 17 digits or an invalid time. */
  time(value: string | null, field: string): number | undefined {
    if (value === null) return undefined;
    const epochMs = parseBeijingTime(value);
    if (epochMs === undefined) {
      this.note('HJ212_E_TIME_INVALID', `${field}=${value}`);
      return undefined;
    }
    if (value.length === 17) this.note('HJ212_E_TIME_MILLISECONDS', field);
    return epochMs;
  }

  /** Everything reported, remarks grouped per code; a fresh array the caller may keep. */
  finish(): Diagnostic[] {
    if (this.#grouped !== undefined) {
      for (const [code, items] of this.#grouped) this.add(code, { items: [...items] });
      this.#grouped = undefined;
    }
    const all = this.#diagnostics ?? [];
    this.#diagnostics = undefined;
    return all;
  }
}

/** HJ 212 numbers (表 3 "N14.2": digits, optional sign and decimal point); no exponents, hex or spaces. */
export function parseDecimal(text: string): number | undefined {
  const length = text.length;
  if (length === 0) return undefined;
  let i = 0;
  const first = text.charCodeAt(0);
  if (first === 0x2d || first === 0x2b) i = 1;
  let digits = 0;
  let dots = 0;
  for (; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) digits++;
    else if (code === 0x2e && dots === 0) dots++;
    else return undefined;
  }
  return digits === 0 ? undefined : Number(text);
}

/** Decimal text for a number, never in exponent form (HJ 212 numbers have no exponent). */
export function formatDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const text = String(value);
  if (!text.includes('e')) return text;
  if (Math.abs(value) >= 1) return BigInt(Math.round(value)).toString();
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}
