import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceInfoRepository } from '../src/repositories/device-info.js';
import { ObservationRepository } from '../src/repositories/observations.js';
import {
  beijingDay,
  type FrameArrival,
  frameHash,
  GENESIS_HASH,
  RawFrameRepository,
} from '../src/repositories/raw-frames.js';
import { RetentionRepository } from '../src/repositories/retention.js';
import { createTestStore, describeEachDialect, TEST_DIALECTS } from './dialects.js';
import { insertPoint } from './fixtures.js';

const DAY = 86_400_000;
// 2026-03-01 08:00 Beijing = 2026-03-01T00:00Z.
const T0 = Date.UTC(2026, 2, 1);

const arrival = (
  n: number,
  at = T0 + n * 1000,
  verdict: FrameArrival['verdict'] = 'accepted',
): FrameArrival => ({
  receivedAt: at,
  peer: '10.0.0.7:50312',
  mn: 'TESTMN',
  cn: '2011',
  qn: `2026030108000${String(n).padStart(4, '0')}`,
  bytes: new TextEncoder().encode(`##0010frame ${n}\r\n`),
  verdict,
  errorCode: verdict === 'accepted' ? null : 'HJ212_E_CRC_MISMATCH',
});

describe('beijingDay', () => {
  it('gives the Beijing calendar day of any instant, in any order (its memo of the last day never leaks)', () => {
    const plain = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
    // Runs of instants around one Beijing midnight (16:00 UTC), any day (before 1970 too), and far ones.
    const aroundMidnight = fc
      .tuple(
        fc.integer({ min: -20_000, max: 40_000 }),
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 8 }),
      )
      .map(([day, offsets]) => offsets.map((ms) => day * DAY - 8 * 3_600_000 + ms));
    const far = fc.integer({ min: -5e12, max: 5e12 }).map((t) => [t]);
    fc.assert(
      fc.property(fc.array(fc.oneof(aroundMidnight, far), { minLength: 1, maxLength: 6 }), (runs) => {
        for (const t of runs.flat()) expect(beijingDay(t)).toBe(plain(t));
      }),
      { numRuns: 500 },
    );
  });
});

describeEachDialect('raw frame archive', (store) => {
  it('chains every frame of a Beijing day and verifies the chain', async () => {
    const repo = new RawFrameRepository(store());
    const first = await repo.append([arrival(1), arrival(2, undefined, 'crc_error')]);
    const second = await repo.append([arrival(3)]);
    expect(first.map((f) => f.chainDay)).toEqual(['2026-03-01', '2026-03-01']);
    // The chain: genesis → 1 → 2 → 3, each hash over the previous one and the record.
    expect(first[0]?.sha256).toBe(frameHash(GENESIS_HASH, arrival(1)));
    expect(first[1]?.sha256).toBe(frameHash(first[0]?.sha256 as string, arrival(2, undefined, 'crc_error')));
    expect(second[0]?.sha256).toBe(frameHash(first[1]?.sha256 as string, arrival(3)));
    expect(await repo.verifyDay('2026-03-01')).toEqual({ day: '2026-03-01', ok: true, frames: 3 });
    const stored = await repo.get(first[1]?.id as number);
    expect(stored?.verdict).toBe('crc_error');
    expect(new TextDecoder().decode(stored?.bytes)).toBe('##0010frame 2\r\n');
  });

  it('stores exactly the bytes of a frame cut from a larger buffer (a view at an offset, as the gateway reads them)', async () => {
    const repo = new RawFrameRepository(store());
    const chunk = new TextEncoder().encode('garbage##0010frame X\r\n##0010frame Y\r\n');
    const x = { ...arrival(41, Date.UTC(2026, 4, 11, 2)), bytes: chunk.subarray(7, 22) };
    const y = { ...arrival(42, Date.UTC(2026, 4, 11, 2) + 1), bytes: Buffer.from(chunk.buffer, 22, 15) };
    const [ax, ay] = await repo.append([x, y]);
    for (const [archived, text] of [
      [ax, '##0010frame X\r\n'],
      [ay, '##0010frame Y\r\n'],
    ] as const) {
      const stored = await repo.get(archived?.id as number);
      expect(new TextDecoder().decode(stored?.bytes)).toBe(text);
    }
    expect(await repo.verifyDay('2026-05-11')).toEqual({ day: '2026-05-11', ok: true, frames: 2 });
  });

  it('gives each frame of a large batch its own id, in order', async () => {
    const repo = new RawFrameRepository(store());
    const day = Date.UTC(2026, 4, 10, 2); // 2026-05-10 Beijing: a day no other test writes
    for (const size of [31, 32, 33, 70]) {
      const frames = Array.from({ length: size }, (_, i) => arrival(size * 1000 + i, day + size * 1000 + i));
      const appended = await repo.append(frames);
      const ids = appended.map((f) => f.id);
      expect(new Set(ids).size).toBe(size);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      for (const [i, f] of appended.entries()) {
        const stored = await repo.get(f.id);
        expect(stored?.qn).toBe(frames[i]?.qn);
        expect(stored?.sha256).toBe(f.sha256);
      }
    }
    expect(await repo.verifyDay('2026-05-10')).toEqual({
      day: '2026-05-10',
      ok: true,
      frames: 31 + 32 + 33 + 70,
    });
  });

  it('days are separate chains, cut at Beijing midnight', async () => {
    const repo = new RawFrameRepository(store());
    const lateUtc = Date.UTC(2026, 3, 1, 15, 59, 59); // 23:59:59 Beijing
    const nextDay = Date.UTC(2026, 3, 1, 16, 0, 0); // 00:00:00 Beijing, next day
    const out = await repo.append([arrival(10, lateUtc), arrival(11, nextDay)]);
    expect(out.map((f) => f.chainDay)).toEqual(['2026-04-01', '2026-04-02']);
    expect(beijingDay(nextDay)).toBe('2026-04-02');
    const stored = await repo.get(out[1]?.id as number);
    expect(stored?.prev_hash).toBe(GENESIS_HASH);
    expect((await repo.verifyDay('2026-04-01')).ok).toBe(true);
    expect((await repo.verifyDay('2026-04-02')).ok).toBe(true);
  });

  it('concurrent appends to one day (several gateways) queue on the chain head instead of forking it', async () => {
    const t = Date.UTC(2026, 6, 1);
    const writers = Array.from({ length: 4 }, () => new RawFrameRepository(store()));
    await Promise.all(
      writers.map((repo, w) =>
        repo.append(Array.from({ length: 25 }, (_, i) => arrival(w * 100 + i, t + w * 100 + i))),
      ),
    );
    expect(await writers[0]?.verifyDay(beijingDay(t))).toEqual({ day: beijingDay(t), ok: true, frames: 100 });
  });

  it('detects a changed frame, a removed frame and a removed last frame', async () => {
    const repo = new RawFrameRepository(store());
    const t = Date.UTC(2026, 4, 1);
    const ids = (
      await repo.append([arrival(1, t), arrival(2, t + 1), arrival(3, t + 2), arrival(4, t + 3)])
    ).map((f) => f.id);
    const day = beijingDay(t);
    const db = store().db;
    // Change the verdict of frame 2 in place.
    await db
      .updateTable('raw_frame')
      .set({ verdict: 'accepted', error_code: 'X' })
      .where('id', '=', ids[1] as number)
      .execute();
    expect(await repo.verifyDay(day)).toMatchObject({ ok: false, brokenAt: ids[1], reason: 'hash' });
    await db
      .updateTable('raw_frame')
      .set({ error_code: null })
      .where('id', '=', ids[1] as number)
      .execute();
    expect((await repo.verifyDay(day)).ok).toBe(true);
    // Remove frame 3: frame 4's link no longer matches.
    await db
      .deleteFrom('raw_frame')
      .where('id', '=', ids[2] as number)
      .execute();
    expect(await repo.verifyDay(day)).toMatchObject({ ok: false, brokenAt: ids[3], reason: 'link' });
    // Remove the last frame only: the stored head catches it.
    const t2 = Date.UTC(2026, 5, 1);
    const tail = (await repo.append([arrival(1, t2), arrival(2, t2 + 1)])).map((f) => f.id);
    await db
      .deleteFrom('raw_frame')
      .where('id', '=', tail[1] as number)
      .execute();
    expect(await repo.verifyDay(beijingDay(t2))).toMatchObject({ ok: false, reason: 'head' });
  });
});

// PostgreSQL only: SQLite has one writer, and its appends run synchronously inside one transaction.
for (const dialect of TEST_DIALECTS.filter((d) => d === 'postgres'))
  describe(`two writers archiving frames of different days at once [${dialect}]`, () => {
    it('queue: the second takes its ids after the first committed, so ids follow commit order', async () => {
      const { store, dispose } = await createTestStore(dialect);
      const pool = store.pool as NonNullable<typeof store.pool>;
      const first = await pool.connect();
      const second = await pool.connect();
      try {
        // Just before and just after Beijing midnight: two days, two chain heads.
        const midnight = Date.UTC(2026, 6, 1, 16);
        const repo = new RawFrameRepository(store);
        await first.query('BEGIN');
        const early = await repo.appendOn(first, [arrival(1, midnight - 1000), arrival(2, midnight - 500)]);
        await second.query('BEGIN');
        let settled = false;
        const late = repo.appendOn(second, [arrival(3, midnight + 500)]).then((archived) => {
          settled = true;
          return archived;
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        // Without the archive-wide lock the second append would have taken its id already.
        expect(settled).toBe(false);
        await first.query('COMMIT');
        const [after] = await late;
        await second.query('COMMIT');
        expect(after?.id).toBeGreaterThan(Math.max(...early.map((f) => f.id)));
        expect(after?.chainDay).not.toBe(early[0]?.chainDay);
        for (const day of [early[0]?.chainDay, after?.chainDay])
          expect((await repo.verifyDay(day as string)).ok).toBe(true);
      } finally {
        first.release();
        second.release();
        await dispose();
      }
    });
  });

describeEachDialect('device information and baselines', (store) => {
  it('keeps the history per PolId and code, and reports differences from the filed baseline', async () => {
    const { pointId } = await insertPoint(store(), { kind: 'water' });
    const repo = new DeviceInfoRepository(store());
    await repo.record([
      { pointId, polId: 'w01018', infoCode: 'i13008', value: '1.000', receivedAt: T0 },
      { pointId, polId: 'w01018', infoCode: 'i13007', value: '0.00', receivedAt: T0 },
      { pointId, polId: '', infoCode: 'i22001', value: '0', receivedAt: T0 },
    ]);
    await repo.record([
      { pointId, polId: 'w01018', infoCode: 'i13008', value: '0.850', receivedAt: T0 + 1000 },
    ]);
    const slope = await repo.history(pointId, { polId: 'w01018', infoCode: 'i13008' });
    expect(slope.map((r) => r.value)).toEqual(['1.000', '0.850']);
    const current = await repo.current(pointId);
    expect(current.map((r) => [r.pol_id, r.info_code, r.value])).toEqual([
      ['', 'i22001', '0'],
      ['w01018', 'i13007', '0.00'],
      ['w01018', 'i13008', '0.850'],
    ]);
    await repo.fileBaseline(
      pointId,
      [
        { polId: 'w01018', infoCode: 'i13008', value: '1.000' },
        { polId: 'w01018', infoCode: 'i13007', value: '0.00' },
        { polId: 'w01018', infoCode: 'i13001', value: '0-500' },
      ],
      T0 - DAY,
      'city-bureau',
    );
    expect(await repo.differences(pointId)).toEqual([
      { polId: 'w01018', infoCode: 'i13001', filed: '0-500', current: null, currentSince: null },
      { polId: 'w01018', infoCode: 'i13008', filed: '1.000', current: '0.850', currentSince: T0 + 1000 },
    ]);
    // Re-filing replaces the value.
    await repo.fileBaseline(
      pointId,
      [{ polId: 'w01018', infoCode: 'i13008', value: '0.850' }],
      T0,
      'city-bureau',
    );
    expect((await repo.differences(pointId)).map((d) => d.infoCode)).toEqual(['i13001']);
  });
});

describeEachDialect('retention', (store) => {
  it('ships the default policies and enforces them: real-time 30 days, raw frames by whole days', async () => {
    const repo = new RetentionRepository(store());
    expect(await repo.policies()).toEqual([
      { table: 'device_event', keepDays: null },
      { table: 'device_info', keepDays: 1098 },
      { table: 'downlink_command', keepDays: null },
      { table: 'facility_run_state', keepDays: 1098 },
      { table: 'facility_run_time', keepDays: null },
      { table: 'obs_day', keepDays: null },
      { table: 'obs_hour', keepDays: null },
      { table: 'obs_minute', keepDays: 1098 },
      { table: 'obs_realtime', keepDays: 30 },
      { table: 'raw_frame', keepDays: 1098 },
    ]);
    const { pointId } = await insertPoint(store());
    const observations = new ObservationRepository(store());
    const now = Date.UTC(2026, 6, 1);
    const obs = (at: number) => ({
      pointId,
      factorCode: 'a21026',
      periodStart: at,
      values: { rtd: 1 },
      source: 'das' as const,
      receivedAt: at,
    });
    await observations.write('realtime', [obs(now - 40 * DAY), obs(now - 31 * DAY), obs(now - 29 * DAY)]);
    await observations.write('hour', [obs(now - 4000 * DAY)]);
    const frames = new RawFrameRepository(store());
    await frames.append([arrival(1, now - 1200 * DAY), arrival(2, now - 10 * DAY)]);
    const runState = (at: number) => ({
      point_id: pointId,
      facility: 'SB1',
      data_time: at,
      state: 1,
      received_at: at,
      frame_id: null,
    });
    await store()
      .db.insertInto('facility_run_state')
      .values([runState(now - 1100 * DAY), runState(now - DAY)])
      .execute();
    const deleted = await repo.enforce(now);
    expect(deleted.facility_run_state).toBe(1);
    expect(deleted.device_event).toBeUndefined(); // kept for ever by default
    expect(deleted.obs_realtime).toBe(2);
    expect(deleted.raw_frame).toBeGreaterThanOrEqual(1);
    expect(await observations.count('realtime', pointId)).toBe(1);
    expect(await observations.count('hour', pointId)).toBe(1);
    expect((await frames.verifyDay(beijingDay(now - 10 * DAY))).ok).toBe(true);
    await repo.setPolicy('obs_hour', 365);
    await repo.enforce(now);
    expect(await observations.count('hour', pointId)).toBe(0);
    await expect(repo.setPolicy('obs_hour', -1)).rejects.toMatchObject({ code: 'STORE_E_INVALID' });
  });
});

describe('frame hash', () => {
  // Known answers, computed when the chain was first defined: a change to how a record is hashed would
  // break every stored chain, so these must never change.
  const utf8 = (text: string) => new TextEncoder().encode(text);
  it('hashes the previous hash, every stored field and the bytes as it always has', () => {
    expect(
      frameHash('0'.repeat(64), {
        receivedAt: 1795000000123,
        peer: '10.0.0.7:40123',
        mn: '88888880000001',
        cn: '2011',
        qn: '20261129120000000',
        bytes: utf8(
          '##0101QN=20261129120000000;ST=32;CN=2011;PW=123456;MN=88888880000001;Flag=5;CP=&&DataTime=20261129120000;a21026-Rtd=12.5,a21026-Flag=N&&1C80\r\n',
        ),
        verdict: 'accepted',
        errorCode: null,
      }),
    ).toBe('5c3b25ae5e73b3f4981fbe896246e59cbbea30895d94330bf51e6285f84e4e1f');
    expect(
      frameHash('ab'.repeat(32), {
        receivedAt: 1795000000456,
        peer: '::ffff:10.0.0.8',
        mn: null,
        cn: null,
        qn: null,
        bytes: new Uint8Array([0, 255, 10, 13]),
        verdict: 'malformed',
        errorCode: 'HJ212_E_HEADER',
      }),
    ).toBe('388a812b72c804fb314778e01e33fa5904df28e8ce7e62646e63b0d451c59c1c');
    expect(
      frameHash('cd'.repeat(32), {
        receivedAt: 1,
        peer: '监测点',
        mn: 'MN中文',
        bytes: new Uint8Array(),
        verdict: 'crc_error',
      }),
    ).toBe('8e0e5c896f5907473e3b5f9ba1762637e5cd5c310eeb1ac113d89d031f4eee5c');
  });

  it('is SHA-256 over the field lines and the bytes, for any fields and frames of any size', () => {
    // Independently: the fields, one per line, then the bytes, fed to a Hash object.
    const reference = (prev: string, f: Parameters<typeof frameHash>[1]) =>
      createHash('sha256')
        .update(
          `${prev}\n${f.receivedAt}\n${f.peer}\n${f.mn ?? ''}\n${f.cn ?? ''}\n${f.qn ?? ''}\n${f.verdict}\n${f.errorCode ?? ''}\n${f.bytes.length}\n`,
        )
        .update(f.bytes)
        .digest('hex');
    const arrivalArb = fc.record({
      receivedAt: fc.integer({ min: 0, max: 2 ** 42 }),
      peer: fc.string({ maxLength: 40 }),
      mn: fc.option(fc.string({ unit: 'grapheme', maxLength: 30 })),
      cn: fc.option(fc.string({ maxLength: 4 })),
      qn: fc.option(fc.string({ maxLength: 20 })),
      // Frames as short as a heartbeat, and long ones (a byte buffer larger than Node's 8 KiB pool).
      bytes: fc.oneof(
        fc.uint8Array({ maxLength: 600 }),
        fc.uint8Array({ minLength: 16_000, maxLength: 40_000 }),
      ),
      verdict: fc.constantFrom('accepted' as const, 'malformed' as const, 'crc_error' as const),
      errorCode: fc.option(fc.constantFrom('HJ212_E_CRC', 'GATEWAY_E_AUTH')),
    });
    fc.assert(
      fc.property(fc.array(arrivalArb, { minLength: 1, maxLength: 6 }), (frames) => {
        let prev = '0'.repeat(64);
        for (const f of frames) {
          const sha = frameHash(prev, f);
          expect(sha).toBe(reference(prev, f));
          prev = sha;
        }
      }),
      { numRuns: 60 },
    );
  });
});
