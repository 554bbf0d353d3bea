import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ObservationInput, WriteOutcome } from '../src/repositories/observations.js';
import {
  entryJson,
  entryOf,
  type HeldPack,
  mergeIntoPacks,
  type PackEntries,
  type PackRow,
  sameEntry,
  unpack,
} from '../src/repositories/realtime-packs.js';
import { VALUE_COLUMNS } from '../src/repositories/value-columns.js';

const T0 = Date.UTC(2026, 10, 1, 2);
const SECOND = 1000;
const _MINUTE = 60_000;

const row = (
  factorCode: string,
  values: ObservationInput['values'],
  extra: Partial<ObservationInput> = {},
): ObservationInput => ({
  pointId: 1,
  factorCode,
  periodStart: T0,
  values,
  source: 'das',
  receivedAt: T0 + SECOND,
  ...extra,
});

const packRow = (pack: HeldPack): PackRow => ({
  point_id: 1,
  period_start: T0,
  seq: pack.seq,
  entries: JSON.stringify(pack.entries),
  source: 'das',
  received_at: T0 + SECOND,
  frame_id: null,
});

/** Packs as stored: through JSON, as the repository reads them back. */
const stored = (packs: readonly HeldPack[]): HeldPack[] =>
  packs.map((p) => ({ seq: p.seq, entries: JSON.parse(JSON.stringify(p.entries)) as PackEntries }));

describe('realtime packs, pure', () => {
  it('keeps a factor code `__proto__` a plain key (no prototype touched)', () => {
    const first = mergeIntoPacks([], [row('__proto__', { rtd: 1 }), row('a21026', { rtd: 2 })]);
    expect(first.outcomes).toEqual(['inserted', 'inserted']);
    expect(first.added).toHaveLength(1);
    const entries = (first.added[0] as HeldPack).entries;
    expect(Object.hasOwn(entries, '__proto__')).toBe(true);
    expect(Object.keys(entries).sort()).toEqual(['__proto__', 'a21026']);
    expect(JSON.parse(JSON.stringify(entries))).toEqual(
      JSON.parse('{"__proto__":{"rtd":1},"a21026":{"rtd":2}}'),
    );
    expect(unpack(packRow(first.added[0] as HeldPack)).map((r) => [r.factor_code, r.rtd])).toEqual([
      ['__proto__', 1],
      ['a21026', 2],
    ]);

    // Held (parsed from JSON): the same again is a duplicate, another value a revision into a new pack.
    const held = stored(first.added);
    expect(mergeIntoPacks(held, [row('__proto__', { rtd: 1 })]).outcomes).toEqual(['duplicate']);
    const again = mergeIntoPacks(held, [row('__proto__', { rtd: 3 }, { receivedAt: T0 + 9 * SECOND })]);
    expect(again.outcomes).toEqual(['revision']);
    expect(again.added.map((p) => p.seq)).toEqual([1]);
    expect(Object.hasOwn((again.added[0] as HeldPack).entries, '__proto__')).toBe(true);
    expect(again.changed.map((p) => p.seq)).toEqual([0]);
    const rows = [...again.changed, ...again.added].flatMap((p) =>
      unpack(packRow(stored([p])[0] as HeldPack)),
    );
    expect(rows.map((r) => [r.factor_code, r.revision, r.rtd, r.superseded_at])).toEqual([
      ['__proto__', 0, 1, T0 + 9 * SECOND],
      ['a21026', 0, 2, null],
      ['__proto__', 1, 3, null],
    ]);
    // Nothing leaked onto Object.prototype.
    expect(({} as Record<string, unknown>).rtd).toBeUndefined();
    expect(({} as Record<string, unknown>).s).toBeUndefined();
  });

  it('a factor twice in one upload: inserted then revision, in two packs', () => {
    const merge = mergeIntoPacks(
      [],
      [row('a21026', { rtd: 1 }), row('a21002', { rtd: 5 }), row('a21026', { rtd: 2 })],
    );
    expect(merge.outcomes).toEqual(['inserted', 'inserted', 'revision']);
    expect(merge.changed).toEqual([]);
    expect(merge.added.map((p) => [p.seq, Object.keys(p.entries).sort()])).toEqual([
      [0, ['a21002', 'a21026']],
      [1, ['a21026']],
    ]);
    expect({ ...(merge.added[0] as HeldPack).entries.a21026 }).toEqual({ rtd: 1, s: T0 + SECOND });
    expect({ ...(merge.added[1] as HeldPack).entries.a21026 }).toEqual({ rtd: 2, r: 1 });

    // The same value twice: one entry, a duplicate.
    const dup = mergeIntoPacks([], [row('a21026', { rtd: 1 }), row('a21026', { rtd: 1 })]);
    expect(dup.outcomes).toEqual(['inserted', 'duplicate']);
    expect(dup.added).toHaveLength(1);

    // After held packs 0..2, new packs continue the sequence; a held superseded entry is not current.
    const held: HeldPack[] = [
      { seq: 0, entries: { a21026: { rtd: 1, s: T0 + 2 * SECOND } } },
      { seq: 1, entries: { a21026: { rtd: 2, r: 1 }, a21002: { rtd: 7 } } },
      { seq: 2, entries: { a34013: { rtd: 3 } } },
    ];
    const next = mergeIntoPacks(stored(held), [
      row('a21026', { rtd: 1 }), // equal to the superseded revision 0, not to the current one
      row('a21002', { rtd: 7 }),
      row('a21026', { rtd: 2 }),
    ]);
    expect(next.outcomes).toEqual(['revision', 'duplicate', 'revision']);
    expect(next.added.map((p) => p.seq)).toEqual([3, 4]);
    expect(next.changed.map((p) => p.seq)).toEqual([1]);
    expect({ ...(next.added[0] as HeldPack).entries.a21026 }).toEqual({ rtd: 1, r: 2, s: T0 + SECOND });
    expect({ ...(next.added[1] as HeldPack).entries.a21026 }).toEqual({ rtd: 2, r: 3 });
  });

  it('stores non-finite values as null (absent), and compares them as null', () => {
    const input = row('a21026', { rtd: Number.NaN, avg: Number.POSITIVE_INFINITY, min: -Infinity, max: 4 });
    const entry = entryOf(input, 0);
    expect({ ...entry }).toEqual({ max: 4 });
    const [record] = unpack(packRow({ seq: 0, entries: { a21026: entry } }));
    expect(record).toMatchObject({
      rtd: null,
      avg: null,
      min: null,
      max: 4,
      revision: 0,
      superseded_at: null,
    });
    expect(sameEntry(entry, row('a21026', { max: 4 }))).toBe(true);
    expect(sameEntry(entry, row('a21026', { max: 4, rtd: null }))).toBe(true);
    expect(sameEntry(entry, row('a21026', { max: 4, rtd: 0 }))).toBe(false);
  });

  it('keeps floats exactly through the JSON round trip', () => {
    const values = [
      0.1 + 0.2,
      1 / 3,
      -2 / 3,
      5e-324,
      Number.MAX_VALUE,
      -1e-300,
      2 ** 53 + 2,
      123456789.12345679,
      1e21,
      0,
    ];
    const packs = mergeIntoPacks(
      [],
      values.map((v, i) => row(`f${String(i).padStart(2, '0')}`, { rtd: v, zs_rtd: v, cou: v })),
    ).added;
    const records = stored(packs).flatMap((p) => unpack(packRow(p)));
    expect(records.map((r) => [r.rtd, r.zs_rtd, r.cou])).toEqual(values.map((v) => [v, v, v]));
    expect(records.every((r, i) => Object.is(r.rtd, values[i]))).toBe(true);
  });

  it('keeps flags and sample time, and leaves out only what is null', () => {
    const input = row(
      'a21026',
      { rtd: 0, avg: null },
      { dataFlag: 'N', eFlag: 'E1', sampleTime: T0 - 5 * SECOND },
    );
    expect({ ...entryOf(input, 2) }).toEqual({ r: 2, rtd: 0, flag: 'N', eflag: 'E1', st: T0 - 5 * SECOND });
    expect(sameEntry(entryOf(input, 2), input)).toBe(true);
    expect(sameEntry(entryOf(input, 0), { ...input, dataFlag: 'T' })).toBe(false);
    expect(sameEntry(entryOf(input, 0), { ...input, eFlag: null })).toBe(false);
    expect(sameEntry(entryOf(input, 0), { ...input, sampleTime: undefined })).toBe(false);
    expect(sameEntry(entryOf(input, 0), { ...input, receivedAt: 1, frameId: 7 })).toBe(true);
  });

  it('property: merging uploads one after another is the one-row-per-factor model', () => {
    const factor = fc.constantFrom('a21026', 'a21002', '__proto__', 'w01018');
    const value = fc.constantFrom(null, 0, 1, 0.1 + 0.2, -1.5, 1 / 3);
    const upload = fc.array(fc.record({ factor, rtd: value, flag: fc.constantFrom(undefined, 'N', 'T') }), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(fc.array(upload, { minLength: 1, maxLength: 8 }), (uploads) => {
        let packs: HeldPack[] = [];
        const model = new Map<string, { rtd: number | null; flag: string | null; s: number | null }[]>();
        uploads.forEach((u, k) => {
          const receivedAt = T0 + (k + 1) * SECOND;
          const rows = u.map((r) => row(r.factor, { rtd: r.rtd }, { dataFlag: r.flag, receivedAt }));
          const expected: WriteOutcome[] = rows.map((r) => {
            const revisions = model.get(r.factorCode) ?? [];
            model.set(r.factorCode, revisions);
            const held = revisions.at(-1);
            const fresh = { rtd: r.values.rtd ?? null, flag: r.dataFlag ?? null, s: null };
            if (held === undefined) {
              revisions.push(fresh);
              return 'inserted';
            }
            if (held.rtd === fresh.rtd && held.flag === fresh.flag) return 'duplicate';
            held.s = receivedAt;
            revisions.push(fresh);
            return 'revision';
          });
          const merge = mergeIntoPacks(stored(packs), rows);
          expect(merge.outcomes).toEqual(expected);
          // What the repository writes back: changed packs replaced, new packs added (seq unique).
          const bySeq = new Map(stored(packs).map((p) => [p.seq, p]));
          for (const p of [...merge.changed, ...merge.added]) bySeq.set(p.seq, stored([p])[0] as HeldPack);
          expect(merge.added.every((p) => !packs.some((h) => h.seq === p.seq))).toBe(true);
          packs = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
        });
        const records = packs.flatMap((p) => unpack(packRow(p)));
        const actual = [...model.keys()].sort().flatMap((f) =>
          records
            .filter((r) => r.factor_code === f)
            .sort((a, b) => a.revision - b.revision)
            .map((r) => [f, r.revision, r.rtd, r.data_flag, r.superseded_at]),
        );
        const wanted = [...model.keys()]
          .sort()
          .flatMap((f) => (model.get(f) ?? []).map((m, i) => [f, i, m.rtd, m.flag, m.s]));
        expect(actual).toEqual(wanted);
        // No pack holds one factor twice, and every factor has exactly one current entry.
        for (const f of model.keys())
          expect(records.filter((r) => r.factor_code === f && r.superseded_at === null)).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });

  it('property: entryJson writes exactly JSON.stringify(entryOf(row)), whatever the values', () => {
    const number = fc.oneof(
      fc.double(),
      fc.constantFrom(0, -0, 1e21, 5e-324, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY, 0.1 + 0.2),
      fc.integer(),
    );
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    // Every value column there is (entryJson names them one by one: a column it misses fails here).
    const values = fc.record(Object.fromEntries(VALUE_COLUMNS.map((key) => [key, fc.option(number)])), {
      requiredKeys: [],
    });
    fc.assert(
      fc.property(
        values,
        fc.option(fc.string()),
        fc.option(fc.string()),
        fc.option(fc.oneof(fc.integer(), fc.constant(Number.NaN))),
        maybe(fc.nat(3)),
        (v, dataFlag, eFlag, sampleTime, revision) => {
          const input = row('a21026', v, { dataFlag, eFlag, sampleTime });
          const json = entryJson(input, revision ?? 0);
          expect(json).toBe(JSON.stringify(entryOf(input, revision ?? 0)));
          // And it is JSON (-0 is written 0, as JSON.stringify writes it).
          expect(() => JSON.parse(json)).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });
});
