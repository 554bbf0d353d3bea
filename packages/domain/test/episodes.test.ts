import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  advance,
  diffEpisodes,
  type Episode,
  type Evaluation,
  foldAllEpisodes,
  foldEpisodes,
  HOUR_MS,
  initialEpisodeState,
  periodsAffectedBy,
  refoldWindow,
  spliceEpisodes,
} from '../src/index.js';

const T0 = Date.UTC(2026, 2, 1, 16); // 2026-03-02 00:00 Beijing
const at = (h: number) => T0 + h * HOUR_MS;
const ev = (h: number, active: boolean, value?: number): Evaluation<{ h: number }> => ({
  at: at(h),
  active,
  ...(value === undefined ? {} : { value, severity: value / 100 }),
  detail: { h },
});

describe('foldEpisodes (hand-computed)', () => {
  it('opens at the first active evaluation, closes at the first inactive one, keeps the worst', () => {
    const episodes = foldEpisodes('hourly-exceedance', 'a21026', [
      ev(0, false, 50),
      ev(1, true, 120),
      ev(2, true, 180),
      ev(3, true, 130),
      ev(4, false, 60),
      ev(6, true, 110),
    ]);
    expect(episodes).toEqual([
      {
        type: 'hourly-exceedance',
        factor: 'a21026',
        openedAt: at(1),
        closedAt: at(4),
        lastActiveAt: at(3),
        activeCount: 3,
        peakAt: at(2),
        peakValue: 180,
        peakSeverity: 1.8,
        detail: { h: 2 },
      },
      {
        type: 'hourly-exceedance',
        factor: 'a21026',
        openedAt: at(6),
        closedAt: null,
        lastActiveAt: at(6),
        activeCount: 1,
        peakAt: at(6),
        peakValue: 110,
        peakSeverity: 1.1,
        detail: { h: 6 },
      },
    ]);
  });

  it('does not close across periods without an evaluation (no data is not "condition ended")', () => {
    const episodes = foldEpisodes('t', 'f', [ev(1, true, 120), ev(5, true, 150), ev(6, false, 10)]);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ openedAt: at(1), closedAt: at(6), activeCount: 2, peakAt: at(5) });
  });

  it('of two evaluations of one instant keeps the active one, whatever the order', () => {
    const a = foldEpisodes('t', 'f', [ev(1, false, 10), ev(1, true, 120), ev(2, false, 10)]);
    const b = foldEpisodes('t', 'f', [ev(2, false, 10), ev(1, true, 120), ev(1, false, 10)]);
    expect(a).toEqual(b);
    expect(a).toHaveLength(1);
  });

  it('an equal peak later does not move the peak (earliest worst kept)', () => {
    const [e] = foldEpisodes('t', 'f', [ev(1, true, 120), ev(2, true, 120)]);
    expect(e?.peakAt).toBe(at(1));
  });

  it('groups by (type, factor)', () => {
    const all = foldAllEpisodes([
      { ...ev(1, true, 120), type: 'b', factor: 'x' },
      { ...ev(1, true, 120), type: 'a', factor: 'x' },
      { ...ev(2, false), type: 'a', factor: 'x' },
    ]);
    expect(all.map((e) => [e.type, e.closedAt])).toEqual([
      ['a', at(2)],
      ['b', null],
    ]);
  });

  it('rejects a non-finite instant', () => {
    expect(() => foldEpisodes('t', 'f', [{ at: Number.NaN, active: true }])).toThrow(/DOMAIN_E_INPUT/);
  });
});

describe('advance (incremental, for workers on arrival)', () => {
  it('reports opened, updated and closed, and refuses an evaluation out of order', () => {
    let s = initialEpisodeState<{ h: number }>('t', 'f');
    const r1 = advance(s, ev(1, true, 120));
    expect(r1.opened).toMatchObject({ openedAt: at(1), closedAt: null });
    s = r1.state;
    const r2 = advance(s, ev(2, true, 150));
    expect(r2.updated).toMatchObject({ peakValue: 150, activeCount: 2 });
    s = r2.state;
    expect(advance(s, ev(1, false))).toEqual({ state: s, outOfOrder: true });
    expect(advance(s, ev(2, false)).outOfOrder).toBe(true);
    const r3 = advance(s, ev(3, false));
    expect(r3.closed).toMatchObject({ openedAt: at(1), closedAt: at(3), peakValue: 150 });
    expect(r3.state.open).toBeNull();
    expect(advance(r3.state, ev(4, false))).toEqual({ state: { ...r3.state, lastAt: at(4) } });
  });
});

describe('late facts', () => {
  it('periodsAffectedBy cuts at Beijing hours and days (a day is 16:00 to 16:00 UTC)', () => {
    const changed = { from: Date.UTC(2026, 2, 1, 15, 30), to: Date.UTC(2026, 2, 1, 16, 30) };
    expect(periodsAffectedBy(changed, 'hour')).toEqual([Date.UTC(2026, 2, 1, 15), Date.UTC(2026, 2, 1, 16)]);
    expect(periodsAffectedBy(changed, 'day')).toEqual([Date.UTC(2026, 1, 28, 16), Date.UTC(2026, 2, 1, 16)]);
    expect(periodsAffectedBy({ from: at(2), to: at(2) }, 'hour')).toEqual([]);
  });

  it('refoldWindow widens to touched episodes; splice gives the full fold (hand case)', () => {
    const before = [
      ev(0, true, 120),
      ev(1, true, 130),
      ev(2, false),
      ev(3, false),
      ev(4, true, 110),
      ev(5, false),
    ];
    const existing = foldEpisodes('t', 'f', before);
    // A late invalid mark removes hour 1's exceedance, and hour 3 becomes active (re-evaluated).
    const after = [
      ev(0, true, 120),
      ev(1, false),
      ev(2, false),
      ev(3, true, 140),
      ev(4, true, 110),
      ev(5, false),
    ];
    const w = refoldWindow(existing, { from: at(1), to: at(4) });
    expect(w).toEqual({ from: at(0), to: at(5) });
    const refolded = foldEpisodes(
      't',
      'f',
      after.filter((e) => e.at >= w.from && (w.to === null || e.at <= w.to)),
    );
    const spliced = spliceEpisodes(existing, w, refolded);
    expect(spliced).toEqual(foldEpisodes('t', 'f', after));
    expect(diffEpisodes(existing, spliced)).toMatchObject({
      added: [{ openedAt: at(3) }],
      removed: [{ openedAt: at(4) }],
      changed: [{ openedAt: at(0), closedAt: at(1) }],
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

const evaluationsArb = fc
  .array(
    fc.record({
      h: fc.integer({ min: 0, max: 60 }),
      active: fc.boolean(),
      value: fc.integer({ min: 0, max: 300 }),
    }),
    { maxLength: 60 },
  )
  .map((xs) => xs.map((x) => ev(x.h, x.active, x.value)));

/** Stored facts: one evaluation per hour (the store keeps the latest evaluation of each period). */
const storedArb = fc
  .uniqueArray(
    fc.record({
      h: fc.integer({ min: 0, max: 60 }),
      active: fc.boolean(),
      value: fc.integer({ min: 0, max: 300 }),
    }),
    {
      selector: (x) => x.h,
      maxLength: 60,
    },
  )
  .map((xs) => xs.map((x) => ev(x.h, x.active, x.value)));

describe('episodes: order independence and idempotence (properties)', () => {
  it('the same evaluations in any order give the same episodes', () => {
    fc.assert(
      fc.property(
        evaluationsArb.chain((xs) =>
          fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length })),
        ),
        ([xs, shuffled]) => {
          expect(foldEpisodes('t', 'f', shuffled)).toEqual(foldEpisodes('t', 'f', xs));
        },
      ),
    );
  });

  it('replaying facts twice (duplicates) changes nothing', () => {
    fc.assert(
      fc.property(evaluationsArb, (xs) => {
        expect(foldEpisodes('t', 'f', [...xs, ...xs])).toEqual(foldEpisodes('t', 'f', xs));
      }),
    );
  });

  it('the incremental fold over time-ordered evaluations equals the batch fold', () => {
    fc.assert(
      fc.property(storedArb, (xs) => {
        const sorted = [...xs].sort((a, b) => a.at - b.at);
        let s = initialEpisodeState<{ h: number }>('t', 'f');
        const records = new Map<number, Episode<{ h: number }>>();
        for (const e of sorted) {
          const step = advance(s, e);
          s = step.state;
          for (const x of [step.opened, step.updated, step.closed])
            if (x !== undefined) records.set(x.openedAt, x);
        }
        expect([...records.values()]).toEqual(foldEpisodes('t', 'f', xs));
      }),
    );
  });

  it('a late change over [a, b): refolding only the window and splicing equals a full refold', () => {
    fc.assert(
      fc.property(
        storedArb,
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        (xs, a, len, flips) => {
          const existing = foldEpisodes('t', 'f', xs);
          const changed = { from: at(a), to: at(a + len) };
          // Re-evaluation: inside the interval each stored evaluation may change its outcome.
          const after = xs.map((e) => {
            if (e.at < changed.from || e.at >= changed.to) return e;
            const i = Math.round((e.at - changed.from) / HOUR_MS);
            return flips[i] ? { ...e, active: !e.active } : e;
          });
          const w = refoldWindow(existing, changed);
          const inWindow = after.filter((e) => e.at >= w.from && (w.to === null || e.at <= w.to));
          const spliced = spliceEpisodes(existing, w, foldEpisodes('t', 'f', inWindow));
          expect(spliced).toEqual(foldEpisodes('t', 'f', after));
        },
      ),
    );
  });
});
