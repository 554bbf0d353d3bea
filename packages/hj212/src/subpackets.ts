import { type Diagnostic, diagnostic } from './errors.js';
import type { Cp, CpGroup, Message } from './message.js';
import { rereadBody } from './parse.js';

export interface SubPacketAssemblerOptions {
  /** How long the parts of a split message may take to arrive (ms). Default 120 s. */
  readonly timeoutMs?: number;
  /** Most split messages held at once; the oldest is closed when exceeded. Default 10 000. */
  readonly maxPending?: number;
}

/** A message whose parts were put back together (or a message that was never split). */
export interface AssembledMessage {
  /** The merged message: the first part's header, every part's CP in PNO order, the body re-read. */
  readonly message: Message;
  /** The parts that arrived, in PNO order. */
  readonly parts: readonly { readonly pno: number; readonly qn?: string }[];
  /** PNOs that never arrived (empty when complete). */
  readonly missing: readonly number[];
  readonly complete: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

interface Pending {
  readonly key: string;
  readonly pnum: number;
  readonly firstSeen: number;
  readonly parts: Map<number, Message>;
  readonly diagnostics: Diagnostic[];
}

const sameCp = (a: Cp, b: Cp): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Reassembles split messages (HJ 212-2017 表 3 PNUM/PNO; 表 C.50). Parts are keyed by MN + CN + PNUM, may
 * arrive in any order, and every item of every part is kept: parts are joined as whole CP groups (none of
 * the fixed-width cuts or missing separators of other implementations), and a DataTime repeated at the
 * head of each part is kept once. Time is a parameter, so the caller's clock drives the timeout.
 */
export class SubPacketAssembler {
  readonly #timeoutMs: number;
  readonly #maxPending: number;
  readonly #pending = new Map<string, Pending>();
  /**
   * Parts of recently completed messages: a data logger whose 9014 got lost re-sends a part, which must
   * not open a phantom message that later expires as incomplete.
   */
  readonly #completed = new Map<
    string,
    { readonly parts: ReadonlyMap<number, Message>; readonly at: number }
  >();

  constructor(options: SubPacketAssemblerOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 120_000;
    this.#maxPending = options.maxPending ?? 10_000;
  }

  get pending(): number {
    return this.#pending.size;
  }

  /** Adds a message; returns the messages this completes or closes (in the order they close). */
  push(message: Message, now: number): AssembledMessage[] {
    // Nearly every frame is a whole message and nothing is held: then there is nothing to expire.
    const out = this.#pending.size === 0 && this.#completed.size === 0 ? [] : this.expire(now);
    const { pnum, pno } = message;
    if (pnum === undefined || pno === undefined || pnum <= 1) {
      out.push({
        message,
        parts: [partOf(pno ?? 1, message)],
        missing: NONE,
        complete: true,
        diagnostics: NONE,
      });
      return out;
    }
    const key = `${message.mn ?? ''}\u0000${message.cn ?? ''}\u0000${pnum}`;
    let pending = this.#pending.get(key);
    const held = pending?.parts.get(pno);
    if (pending !== undefined && held !== undefined) {
      if (sameCp(held.cp, message.cp)) {
        pending.diagnostics.push(diagnostic('HJ212_E_SUBPACKET_DUPLICATE', { pno, qn: message.qn }));
        return out;
      }
      // The same PNO with other content: a new message began before the old one completed.
      this.#pending.delete(key);
      out.push(close(pending, [diagnostic('HJ212_E_SUBPACKET_CONFLICT', { pno, qn: message.qn })]));
      pending = undefined;
    }
    if (pending === undefined) {
      const done = this.#completed.get(key)?.parts.get(pno);
      if (done !== undefined && done.qn === message.qn && sameCp(done.cp, message.cp)) return out;
      if (this.#pending.size >= this.#maxPending) out.push(...this.#closeOldest());
      pending = { key, pnum, firstSeen: now, parts: new Map(), diagnostics: [] };
      this.#pending.set(key, pending);
    }
    pending.parts.set(pno, message);
    if (pending.parts.size === pnum) {
      this.#pending.delete(key);
      this.#completed.delete(key);
      this.#completed.set(key, { parts: pending.parts, at: now });
      if (this.#completed.size > this.#maxPending)
        this.#completed.delete(this.#completed.keys().next().value as string);
      out.push(close(pending, []));
    }
    return out;
  }

  /** Closes split messages whose parts did not all arrive within the timeout. */
  expire(now: number): AssembledMessage[] {
    const out: AssembledMessage[] = [];
    for (const [key, done] of this.#completed)
      if (now - done.at >= this.#timeoutMs) this.#completed.delete(key);
    for (const [key, pending] of this.#pending) {
      if (now - pending.firstSeen < this.#timeoutMs) continue;
      this.#pending.delete(key);
      out.push(close(pending, []));
    }
    return out;
  }

  /** Closes everything held (e.g. when the connection ends). */
  flush(): AssembledMessage[] {
    const out = [...this.#pending.values()].map((pending) => close(pending, []));
    this.#pending.clear();
    return out;
  }

  #closeOldest(): AssembledMessage[] {
    const oldest = this.#pending.values().next().value;
    if (oldest === undefined) return [];
    this.#pending.delete(oldest.key);
    return [close(oldest, [])];
  }
}

/** A part as `AssembledMessage.parts` lists it: its PNO, and its QN when it has one. */
function partOf(pno: number, message: Message): { readonly pno: number; readonly qn?: string } {
  return message.qn === undefined ? { pno } : { pno, qn: message.qn };
}

/** The empty list an unsplit message's `missing` and `diagnostics` share (read-only: never pushed to). */
const NONE: readonly never[] = Object.freeze([]);

function close(pending: Pending, extra: Diagnostic[]): AssembledMessage {
  const numbers = [...pending.parts.keys()].sort((a, b) => a - b);
  const missing: number[] = [];
  for (let pno = 1; pno <= pending.pnum; pno++) if (!pending.parts.has(pno)) missing.push(pno);
  const ordered = numbers.map((pno) => pending.parts.get(pno) as Message);
  const first = ordered[0] as Message;
  const cp: CpGroup[] = [];
  const seen = new Set<string>();
  for (const part of ordered) {
    for (const group of part.cp) {
      // Each part repeats DataTime (表 C.50); keep one copy of each identical DataTime item.
      if (group.length === 1 && group[0]?.key === 'DataTime') {
        const text = `${group[0].value}`;
        if (seen.has(text)) continue;
        seen.add(text);
      }
      cp.push(group);
    }
  }
  const { body, diagnostics } = rereadBody(first, cp);
  const all = [...pending.diagnostics, ...extra, ...diagnostics];
  if (missing.length > 0) all.push(diagnostic('HJ212_E_SUBPACKET_GAP', { pnum: pending.pnum, missing }));
  return {
    message: { ...first, cp, body },
    parts: numbers.map((pno) => partOf(pno, pending.parts.get(pno) as Message)),
    missing,
    complete: missing.length === 0,
    diagnostics: all,
  };
}
