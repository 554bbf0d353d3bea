import { type Message, VALUE_KINDS, type ValueKind } from '@qingyuan/hj212';
import type { IngestBatch, IngestResult } from '@qingyuan/store';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GatewayOptions, MAX_TIMER_MS, resolveOptions } from '../src/config.js';
import { CredentialCache, passwordMatches, peerAllowed } from '../src/credentials.js';
import { DuplicateFilter, RecentUploads } from '../src/duplicates.js';
import type { GatewayError } from '../src/errors.js';
import { IngestQueue } from '../src/ingest-queue.js';
import { interpret, type UnitRecords } from '../src/interpret.js';
import { AuthThrottle } from '../src/throttle.js';

const frame = (n: number) => ({
  receivedAt: n,
  peer: 'p',
  bytes: new Uint8Array([n]),
  verdict: 'accepted' as const,
});

/** A fake writer that records commits (the units of each) and numbers frames in commit order. */
function recordingWriter(failWhen: (unit: IngestBatch) => boolean = () => false) {
  const batches: IngestBatch[][] = [];
  let nextId = 1;
  return {
    batches,
    async commitAll(units: readonly IngestBatch[]): Promise<IngestResult[]> {
      await Promise.resolve();
      if (units.some(failWhen)) throw new Error('boom');
      batches.push([...units]);
      return units.map((unit) => ({
        frames: unit.frames.map(() => ({ id: nextId++, sha256: '', chainDay: '' })),
        observations: (unit.observations ?? []).map(() => 'inserted' as const),
        realtime: (unit.realtime ?? []).map((u) => u.factors.map(() => 'inserted' as const)),
      }));
    },
  };
}

describe('group commit', () => {
  it('batches what arrives while a commit runs, in order, one commit at a time', async () => {
    const writer = recordingWriter();
    const queue = new IngestQueue(writer, 100);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => queue.submit({ frames: [frame(i)] })),
    );
    expect(results.map((r) => r.frames[0]?.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(writer.batches.length).toBeLessThan(50);
    expect(queue.stats()).toMatchObject({ framesCommitted: 50, queuedFrames: 0, failures: 0 });
  });

  it('waits for frames still arriving turn after turn of the event loop, then commits them as one batch', async () => {
    const writer = recordingWriter();
    const queue = new IngestQueue(writer, 100);
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
    const submitted: Promise<IngestResult>[] = [];
    // Three units, each in a later turn of the loop (as a busy gateway's sockets bring frames in).
    for (let i = 0; i < 3; i++) {
      submitted.push(queue.submit({ frames: [frame(i)] }));
      await turn();
    }
    await Promise.all(submitted);
    expect(writer.batches.map((b) => b.length)).toEqual([3]);
  });

  it('commits a lone unit within a few turns, and stops waiting once a batch is full', async () => {
    const lone = recordingWriter();
    const quiet = new IngestQueue(lone, 100);
    const done = quiet.submit({ frames: [frame(1)] });
    let turns = 0;
    while (lone.batches.length === 0 && turns < 50) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      turns++;
    }
    await done;
    // The first turn runs the drain, then one turn finds nothing new; the fake writer needs one more.
    expect(turns).toBeLessThanOrEqual(4);

    const writer = recordingWriter();
    const queue = new IngestQueue(writer, 2);
    const all = [queue.submit({ frames: [frame(1)] }), queue.submit({ frames: [frame(2)] })];
    await new Promise<void>((resolve) => setImmediate(resolve));
    // Full at two frames: this one, a turn later, waits for the next commit.
    all.push(queue.submit({ frames: [frame(3)] }));
    await Promise.all(all);
    expect(writer.batches.map((b) => b.length)).toEqual([2, 1]);
  });

  it('a unit that cannot be committed fails alone; its batch neighbours are committed', async () => {
    const writer = recordingWriter((batch) => batch.frames.some((f) => f.receivedAt === 3));
    const queue = new IngestQueue(writer, 100);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => queue.submit({ frames: [frame(i)] })),
    );
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(queue.stats()).toMatchObject({ failures: 1, queuedFrames: 0, framesCommitted: 5 });
  });

  it('reports pressure as frames queue up and drain', async () => {
    const seen: number[] = [];
    const queue = new IngestQueue(recordingWriter(), 2, (n) => seen.push(n));
    await Promise.all([1, 2, 3].map((i) => queue.submit({ frames: [frame(i)] })));
    expect(Math.max(...seen)).toBe(3);
    expect(seen.at(-1)).toBe(0);
  });
});

describe('authentication helpers', () => {
  it('compares passwords exactly and allows listed peers only (IPv4-mapped addresses too)', async () => {
    let lookups = 0;
    const cache = new CredentialCache(
      {
        credentials: async (mn: string) => {
          lookups++;
          return mn === 'MN1'
            ? {
                pointId: 1,
                mn,
                password: 'secret',
                protocolVersion: '2017',
                crcVariants: ['hj212', 'bogus'],
                allowedPeers: ['10.0.0.5'],
                status: 'running',
              }
            : mn === 'STOPPED'
              ? {
                  pointId: 2,
                  mn,
                  password: 'x',
                  protocolVersion: '2017',
                  crcVariants: ['hj212'],
                  allowedPeers: null,
                  status: 'stopped',
                }
              : undefined;
        },
      } as never,
      1000,
      () => 0,
    );
    const device = await cache.lookup('MN1');
    expect(device?.crcVariants).toEqual(['hj212']);
    expect(passwordMatches(device as never, 'secret')).toBe(true);
    expect(passwordMatches(device as never, 'secreT')).toBe(false);
    expect(passwordMatches(device as never, undefined)).toBe(false);
    expect(peerAllowed(device as never, '::ffff:10.0.0.5')).toBe(true);
    expect(peerAllowed(device as never, '10.0.0.6')).toBe(false);
    expect(await cache.lookup('STOPPED')).toBeUndefined();
    expect(await cache.lookup('NOPE')).toBeUndefined();
    await Promise.all([cache.lookup('MN1'), cache.lookup('NOPE')]);
    expect(lookups).toBe(3);
  });

  it('throttles an address after `limit` failures within the window, for the throttle time', () => {
    const throttle = new AuthThrottle(3, 1000, 5000);
    expect(throttle.fail('a', 0)).toBe(false);
    expect(throttle.fail('a', 10)).toBe(false);
    expect(throttle.fail('a', 2000)).toBe(false); // the first two are out of the window
    expect(throttle.fail('a', 2100)).toBe(false);
    expect(throttle.fail('a', 2200)).toBe(true);
    expect(throttle.blockedUntil('a', 3000)).toBe(7200);
    expect(throttle.blockedUntil('b', 3000)).toBeUndefined();
    expect(throttle.blockedUntil('a', 7200)).toBeUndefined();
  });
});

describe('duplicate filter', () => {
  const upload = (mn: string, qn: string) =>
    ({ mn, qn, cn: '2011', pno: undefined, body: { type: 'observations', dataTime: 0 } }) as never;

  it('tells uploads with one QN apart by CN, DataTime and PNO; a reused QN remembers the later upload', () => {
    const filter = new DuplicateFilter(4);
    const at = (cn: string, dataTime: number, pno?: number) =>
      ({ mn: 'A', qn: 'Q1', cn, pno, body: { type: 'observations', dataTime } }) as never;
    expect(filter.seen(at('2011', 1))).toBe(false);
    expect(filter.seen(at('2011', 1))).toBe(true);
    expect(filter.seen(at('2051', 1))).toBe(false);
    expect(filter.seen(at('2051', 1))).toBe(true);
    expect(filter.seen(at('2051', 2))).toBe(false);
    expect(filter.seen(at('2051', 2, 1))).toBe(false);
    expect(filter.seen(at('2051', 2, 1))).toBe(true);
    // The earlier uploads under Q1 were replaced: seen again, they count as new (the writer still stores once).
    expect(filter.seen(at('2011', 1))).toBe(false);
    // Other devices keep their own.
    expect(
      filter.seen({ mn: 'B', qn: 'Q1', cn: '2011', body: { type: 'observations', dataTime: 1 } } as never),
    ).toBe(false);
  });

  /** A model of one device's filter: its last `perDevice` QNs, oldest first, each with its latest upload. */
  type Upload = { cn: string; dataTime: number | undefined; pno: number | undefined };
  const uploadArb = fc.record({
    mn: fc.constantFrom('A', 'B', 'C'),
    n: fc.integer({ min: 0, max: 60 }),
    // Skewed towards one content, so that a QN often comes back with what it was held with (a re-send).
    cn: fc.constantFrom('2011', '2011', '2011', '2051'),
    dataTime: fc.constantFrom(0, 0, 0, 1, undefined),
    pno: fc.constantFrom(undefined, undefined, undefined, 1),
  });

  it('finds every QN it holds, whatever order QNs come in: rising, going back, repeated, not digits', () => {
    // QNs of a logger rise; re-sends, clocks set back and loggers that invent QNs do not. Digit QNs are held
    // as numbers ("007" and "7" must stay apart), any other as a string.
    const qnArb = fc.oneof(
      fc.integer({ min: 0, max: 40 }).map((n) => `20260101000000${String(n).padStart(3, '0')}`),
      fc.constantFrom('7', '007', '07', '9'.repeat(24), '1'.repeat(25), 'QN-A', 'qn-a', ''),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(qnArb, fc.boolean()), { maxLength: 300, size: 'max' }),
        (perDevice, steps) => {
          const recent = new RecentUploads(perDevice);
          const held: string[] = [];
          let clock = 0;
          for (const [drawn, rising] of steps) {
            // Half the steps follow a rising clock, as a logger's QNs do; the rest are drawn freely.
            const qn = rising ? `2026010100${String(100_000 + clock++).padStart(7, '0')}` : drawn;
            const expected = held.includes(qn);
            if (!expected) {
              held.push(qn);
              if (held.length > perDevice) held.shift();
            }
            expect(recent.seen(qn, '2011', 0, undefined)).toBe(expected);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('against a model: per device the last perDevice QNs, each with its latest CN, DataTime and PNO', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(uploadArb, { maxLength: 400, size: 'max' }),
        (perDevice, uploads) => {
          const filter = new DuplicateFilter(perDevice);
          // The model: per device, QNs oldest first and what each was last seen with.
          const order = new Map<string, string[]>();
          const held = new Map<string, Map<string, Upload>>();
          for (const { mn, n, cn, dataTime, pno } of uploads) {
            const qn = `2026010100000${String(n).padStart(4, '0')}`;
            const qns = order.get(mn) ?? [];
            const by = held.get(mn) ?? new Map<string, Upload>();
            order.set(mn, qns);
            held.set(mn, by);
            const before = by.get(qn);
            const expected =
              before !== undefined && before.cn === cn && before.dataTime === dataTime && before.pno === pno;
            if (before === undefined) {
              qns.push(qn);
              if (qns.length > perDevice) by.delete(qns.shift() as string);
            }
            by.set(qn, { cn, dataTime, pno });
            const message = { mn, qn, cn, pno, body: { type: 'observations', dataTime } } as never;
            expect(filter.seen(message)).toBe(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('remembers the last perDevice uploads of each device, forgetting the oldest first (any sequence)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.constantFrom('A', 'B'), fc.integer({ min: 0, max: 9 })), {
          maxLength: 200,
          size: 'max',
        }),
        (perDevice, uploads) => {
          const filter = new DuplicateFilter(perDevice);
          // The model: per device, the keys remembered, oldest first.
          const model = new Map<string, string[]>();
          for (const [mn, n] of uploads) {
            const qn = `2026010100000${String(n).padStart(4, '0')}`;
            const held = model.get(mn) ?? [];
            model.set(mn, held);
            const expected = held.includes(qn);
            if (!expected) {
              held.push(qn);
              if (held.length > perDevice) held.shift();
            }
            expect(filter.seen(upload(mn, qn))).toBe(expected);
          }
        },
      ),
    );
  });
});

describe('interpreting an upload', () => {
  /** HJ 212 value kinds and the store column each is kept in (none for noise and 2005 Ala). */
  const COLUMNS: Record<ValueKind, string | undefined> = {
    Rtd: 'rtd',
    Min: 'min',
    Avg: 'avg',
    Max: 'max',
    Cou: 'cou',
    ZsRtd: 'zs_rtd',
    ZsMin: 'zs_min',
    ZsAvg: 'zs_avg',
    ZsMax: 'zs_max',
    Data: undefined,
    DayData: undefined,
    NightData: undefined,
    Ala: undefined,
  };

  it('keeps every value kind that has a column, under it, and nothing else', () => {
    const factor = fc.record(
      {
        values: fc.dictionary(fc.constantFrom(...VALUE_KINDS), fc.double({ noNaN: true }), { maxKeys: 13 }),
        dataFlag: fc.constantFrom('N', 'D', 'M'),
      },
      { requiredKeys: ['values'] },
    );
    fc.assert(
      fc.property(
        fc.array(factor, { maxLength: 8 }),
        fc.constantFrom('realtime', 'minute', 'hour'),
        (factors, period) => {
          const message = {
            body: {
              type: 'observations',
              period,
              dataTime: 1_000,
              factors: factors.map((f, i) => ({ code: `w0${i}`, originalCode: `w0${i}`, ...f })),
            },
          } as unknown as Message;
          const unit: UnitRecords = {};
          interpret(message, { pointId: 7, mn: 'MN', receivedAt: 2_000, source: 'das', frame: 0 }, unit);
          // A factor with neither a kept value nor a flag adds nothing.
          const expected = factors.flatMap((f, i) => {
            const values = Object.fromEntries(
              Object.entries(f.values).flatMap(([kind, v]) => {
                const column = COLUMNS[kind as ValueKind];
                return column === undefined ? [] : [[column, v]];
              }),
            );
            if (Object.keys(values).length === 0 && f.dataFlag === undefined) return [];
            return [{ factorCode: `w0${i}`, values, dataFlag: f.dataFlag ?? null }];
          });
          // Real-time uploads become one pack each (the upload's factors); other periods rows.
          const kept =
            period === 'realtime'
              ? (unit.realtime ?? []).flatMap((u) => {
                  expect(u).toMatchObject({
                    pointId: 7,
                    periodStart: 1_000,
                    receivedAt: 2_000,
                    source: 'das',
                    frame: 0,
                  });
                  return u.factors;
                })
              : (unit.observations ?? []).map((o) => o.row);
          expect(period === 'realtime' ? unit.observations : unit.realtime).toBeUndefined();
          expect(
            kept.map((f) => ({ factorCode: f.factorCode, values: f.values, dataFlag: f.dataFlag })),
          ).toEqual(expected);
        },
      ),
    );
  });
});

describe('gateway options', () => {
  const resolve = (options: GatewayOptions) => resolveOptions(options, 'host');
  const code = (options: GatewayOptions) => {
    try {
      resolve(options);
      return 'ok';
    } catch (error) {
      return (error as GatewayError).code;
    }
  };

  it('refuses a number out of range with GATEWAY_E_OPTION naming the option and its range', () => {
    expect(() => resolve({ idleTimeoutMs: Number.NaN })).toThrow(/"option":"idleTimeoutMs"/);
    expect(code({ port: 70_000 })).toBe('GATEWAY_E_OPTION');
    expect(code({ maxConnections: 0 })).toBe('GATEWAY_E_OPTION');
    expect(code({ maxBatchFrames: 2.5 })).toBe('GATEWAY_E_OPTION');
    expect(code({ partialFrameTimeoutMs: -1 })).toBe('GATEWAY_E_OPTION');
    expect(code({ backfill: { maxInFlight: -3 } })).toBe('GATEWAY_E_OPTION');
    expect(code({ backfill: { periods: ['week' as 'hour'] } })).toBe('GATEWAY_E_OPTION');
    expect(resolve({ walCheckpointMs: 0, backfill: false })).toMatchObject({
      walCheckpointMs: 0,
      backfill: false,
    });
  });

  it('holds what runs on a timer to the longest delay Node keeps (a longer one would fire at once)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 * MAX_TIMER_MS }), (ms) => {
        const expected = ms <= MAX_TIMER_MS ? 'ok' : 'GATEWAY_E_OPTION';
        expect(code({ presenceFlushMs: ms })).toBe(expected);
        expect(code({ backfill: { intervalMs: ms } })).toBe(expected);
        // A duration only compared with, never waited for, may be longer.
        expect(code({ idleTimeoutMs: ms })).toBe('ok');
      }),
    );
  });
});
