import { encodeMessage, formatQn } from '@qingyuan/hj212';
import { expect, it } from 'vitest';
import {
  ackRequested,
  ForwardingRepository,
  type FrameArrival,
  type FrameVerdict,
  RawFrameRepository,
  type Store,
} from '../src/index.js';
import { describeEachDialect } from './dialects.js';
import { insertPoint } from './fixtures.js';
import { expectStoreError } from './registry-helpers.js';

const T0 = Date.UTC(2026, 4, 10, 1, 0, 0);
let qnSerial = 0;

/** A realistic minute-data upload (CN 2051) of `mn`, with Flag A as asked. */
function upload(mn: string, at: number, options: { ack?: boolean; cn?: string } = {}): Uint8Array {
  qnSerial++;
  return encodeMessage({
    qn: formatQn(at + qnSerial),
    st: '31',
    cn: options.cn ?? '2051',
    pw: '123456',
    mn,
    flag: options.ack === true ? 5 : 4,
    cp: [[{ key: 'DataTime', value: '20260510090000' }], [{ key: 'a21026-Avg', value: '12.5' }]],
  });
}

function arrival(
  mn: string,
  at: number,
  options: { ack?: boolean; cn?: string; verdict?: FrameVerdict } = {},
): FrameArrival {
  const bytes = upload(mn, at, options);
  const qn = /QN=(\d+)/.exec(new TextDecoder().decode(bytes))?.[1] ?? null;
  return {
    receivedAt: at,
    peer: '10.0.0.9:40000',
    mn,
    cn: options.cn ?? '2051',
    qn,
    bytes,
    verdict: options.verdict ?? 'accepted',
  };
}

/** A point of an enterprise in `region`. */
async function pointIn(store: Store, region: string): Promise<string> {
  const point = await insertPoint(store);
  await store.db
    .updateTable('enterprise')
    .set({ region_code: region })
    .where('id', '=', point.enterpriseId)
    .execute();
  return point.mn;
}

describeEachDialect('forwarding repository', (store, dialect) => {
  it('creates, lists, updates and deletes targets; unknown MNs and regions are named', async () => {
    const repo = new ForwardingRepository(store());
    const a = await pointIn(store(), '420106');
    const b = await pointIn(store(), '420202');
    const created = await repo.createTarget(
      { name: 'wuhan-city', host: '127.0.0.1', port: 9100, waitAck: true, mns: [b], regions: ['420100'] },
      T0,
    );
    expect(created).toMatchObject({
      name: 'wuhan-city',
      host: '127.0.0.1',
      port: 9100,
      waitAck: true,
      enabled: true,
      mns: [b],
      regions: ['420100'],
      createdAt: T0,
    });
    await expectStoreError(
      repo.createTarget({ name: 'x', host: 'h', port: 1, mns: ['NOSUCHMN'] }, T0),
      'STORE_E_FORWARD_UNKNOWN_MN',
      { mn: 'NOSUCHMN' },
    );
    await expectStoreError(
      repo.createTarget({ name: 'x', host: 'h', port: 1, regions: ['429999'] }, T0),
      'STORE_E_FORWARD_UNKNOWN_REGION',
      { region: '429999' },
    );
    await expectStoreError(
      repo.createTarget({ name: 'wuhan-city', host: 'h', port: 1, mns: [a] }, T0),
      'STORE_E_DUPLICATE',
      { field: 'name' },
    );
    await expectStoreError(repo.createTarget({ name: 'y', host: 'h', port: 1 }, T0), 'STORE_E_INVALID');
    await expectStoreError(
      repo.createTarget({ name: 'y', host: 'h', port: 70000, mns: [a] }, T0),
      'STORE_E_INVALID',
      { field: 'port' },
    );
    expect(await repo.getTarget('y')).toBeUndefined();

    const updated = await repo.updateTarget(
      'wuhan-city',
      { mns: [a, b], enabled: false, port: 9101 },
      T0 + 1,
    );
    expect(updated).toMatchObject({ mns: [a, b].sort(), regions: ['420100'], enabled: false, port: 9101 });
    expect(updated.updatedAt).toBe(T0 + 1);
    await expectStoreError(repo.updateTarget('nope', { port: 1 }, T0), 'STORE_E_FORWARD_TARGET_UNKNOWN');
    expect((await repo.listTargets()).map((t) => t.name)).toContain('wuhan-city');
    expect((await repo.listTargets({ enabledOnly: true })).map((t) => t.name)).not.toContain('wuhan-city');
    await repo.deleteTarget(created.id);
    expect(await repo.getTarget('wuhan-city')).toBeUndefined();
    await expectStoreError(repo.deleteTarget('wuhan-city'), 'STORE_E_FORWARD_TARGET_UNKNOWN');
  });

  it('reads the next frames of the target in id order: its points and regions, accepted data only', async () => {
    const repo = new ForwardingRepository(store());
    const frames = new RawFrameRepository(store());
    const wuhan = await pointIn(store(), '420111'); // 洪山区, under 武汉市 420100
    const direct = await pointIn(store(), '420602'); // 襄阳, named by MN
    const other = await pointIn(store(), '420202'); // 黄石: not forwarded
    const before = await frames.append([arrival(wuhan, T0)]);
    const target = await repo.createTarget(
      { name: 'city-a', host: 'h', port: 1, mns: [direct], regions: ['420100'] },
      T0,
    );
    // A new target starts from now: the frame archived before it is not forwarded.
    expect(await repo.cursor(target.id)).toBeGreaterThanOrEqual(before[0]?.id as number);
    const ids = await frames.append([
      arrival(wuhan, T0 + 1, { ack: true }),
      arrival(other, T0 + 2),
      arrival(direct, T0 + 3),
      arrival(wuhan, T0 + 4, { verdict: 'crc_error' }),
      arrival(wuhan, T0 + 5, { verdict: 'duplicate' }),
      arrival(wuhan, T0 + 6, { cn: '9014' }),
      arrival(direct, T0 + 7, { cn: '2061', ack: true }),
    ]);
    const batch = await repo.nextFrames(target.id, 10);
    expect(batch.frames.map((f) => f.id)).toEqual([ids[0]?.id, ids[2]?.id, ids[6]?.id]);
    expect(batch.frames.map((f) => f.wantsAck)).toEqual([true, false, true]);
    expect(batch.frames[0]).toMatchObject({ mn: wuhan, cn: '2051', receivedAt: T0 + 1 });
    expect(new TextDecoder().decode(batch.frames[0]?.bytes)).toMatch(/^##\d{4}QN=\d{17};ST=31;CN=2051;/);
    expect(batch.through).toBe(ids[6]?.id);

    // A limit stops at the last frame returned; `after` reads on from an in-memory position.
    const first = await repo.nextFrames(target.id, 1);
    expect(first).toEqual({ frames: [batch.frames[0]], through: ids[0]?.id });
    const rest = await repo.nextFrames(target.id, 10, { after: first.through });
    expect(rest.frames.map((f) => f.id)).toEqual([ids[2]?.id, ids[6]?.id]);

    // The scan window bounds the work when the target's devices are rare among all frames.
    const windowed = await repo.nextFrames(target.id, 10, { scanLimit: 1 });
    expect(windowed.frames.map((f) => f.id)).toEqual([ids[0]?.id]);
    const skipping = await repo.nextFrames(target.id, 10, { after: ids[0]?.id, scanLimit: 1 });
    expect(skipping).toEqual({ frames: [], through: ids[1]?.id });

    expect(await repo.lag(target.id, T0 + 10_001)).toEqual({
      frames: 3,
      oldestReceivedAt: T0 + 1,
      seconds: 10,
    });
    await repo.advance(target.id, ids[2]?.id as number, T0 + 20);
    await repo.advance(target.id, ids[0]?.id as number, T0 + 21); // never backwards
    expect(await repo.cursor(target.id)).toBe(ids[2]?.id);
    expect(await repo.lag(target.id, T0 + 10_001)).toMatchObject({ frames: 1, oldestReceivedAt: T0 + 7 });
    expect((await repo.nextFrames(target.id, 10)).frames.map((f) => f.id)).toEqual([ids[6]?.id]);
    await repo.advance(target.id, ids[6]?.id as number, T0 + 22);
    expect(await repo.nextFrames(target.id, 10)).toEqual({ frames: [], through: ids[6]?.id });
    expect(await repo.lag(target.id, T0)).toEqual({ frames: 0, oldestReceivedAt: null, seconds: 0 });
  });

  it('a target may replay from a time or a frame id; given-up frames are recorded', async () => {
    const repo = new ForwardingRepository(store());
    const frames = new RawFrameRepository(store());
    const mn = await pointIn(store(), '420500');
    const t = T0 + 3_600_000;
    const ids = (
      await frames.append([arrival(mn, t), arrival(mn, t + 60_000), arrival(mn, t + 120_000)])
    ).map((f) => f.id);
    const since = await repo.createTarget(
      { name: 'replay-since', host: 'h', port: 1, mns: [mn], since: t + 60_000 },
      t,
    );
    expect((await repo.nextFrames(since.id, 10)).frames.map((f) => f.id)).toEqual(ids.slice(1));
    const from = await repo.createTarget(
      { name: 'replay-from', host: 'h', port: 1, mns: [mn], fromFrameId: ids[0] as number },
      t,
    );
    expect((await repo.nextFrames(from.id, 10)).frames.map((f) => f.id)).toEqual(ids);
    const now = await repo.createTarget({ name: 'from-now', host: 'h', port: 1, mns: [mn] }, t);
    expect((await repo.nextFrames(now.id, 10)).frames).toEqual([]);

    await repo.giveUp(from.id, ids[0] as number, 3, 'GATEWAY_E_FORWARD_NO_ACK', t);
    await repo.giveUp(from.id, ids[0] as number, 4, 'GATEWAY_E_FORWARD_NO_ACK again', t + 1);
    expect(await repo.givenUp(from.id)).toEqual([
      { frameId: ids[0], attempts: 4, lastError: 'GATEWAY_E_FORWARD_NO_ACK again', at: t + 1 },
    ]);
    expect(await repo.givenUpCount(from.id)).toBe(1);
  });

  it('reads Flag A from the header, not from CP', () => {
    const frame = (segment: string) =>
      new TextEncoder().encode(`##${String(segment.length).padStart(4, '0')}${segment}ABCD\r\n`);
    expect(ackRequested(frame('QN=1;ST=31;CN=2011;PW=1;MN=M;Flag=5;CP=&&a=1&&'))).toBe(true);
    expect(ackRequested(frame('QN=1;ST=31;CN=2011;PW=1;MN=M;Flag=4;CP=&&Flag=5&&'))).toBe(false);
    expect(ackRequested(frame('ST=31;CN=2011;Flag=7;PW=1;CP=&&&&'))).toBe(true);
    expect(ackRequested(frame('ST=31;CN=2011;PW=1;MN=M;CP=&&&&'))).toBe(false);
  });

  it('the forward index covers the same frames as before, and on SQLite tests them without an IN list', async () => {
    const frames = new RawFrameRepository(store());
    const mn = await pointIn(store(), '420100');
    const cns = ['2011', '2051', '3020', '9014', '2081', '1013', '2061'];
    await frames.append([
      ...cns.map((cn, i) => arrival(mn, T0 + i, { cn })),
      arrival(mn, T0 + 10, { cn: '2011', verdict: 'auth_failed' }),
    ]);
    const repo = new ForwardingRepository(store());
    const target = await repo.createTarget({ name: 'covered', host: 'h', port: 1, mns: [mn] }, T0);
    const next = await repo.nextFrames(target.id, 100, { after: 0 });
    // Accepted uploads of the forwarded CNs only: not the 9014 reply, the 1013 request or a refused frame.
    expect(next.frames.map((f) => f.cn)).toEqual(['2011', '2051', '3020', '2081', '2061']);
    if (dialect === 'sqlite') {
      // An IN list in a partial index's WHERE costs SQLite a temporary table on every insert (migration 0017).
      const index = store()
        .sqlite?.prepare("SELECT sql FROM sqlite_master WHERE name = 'raw_frame_forward'")
        .get() as { sql: string };
      expect(index.sql).not.toMatch(/\bin\s*\(/i);
    }
  });

  it('the next-frames query can use the raw_frame_forward partial index', async () => {
    const repo = new ForwardingRepository(store());
    const mn = await pointIn(store(), '420100');
    const target = await repo.createTarget({ name: 'plan', host: 'h', port: 1, mns: [mn] }, T0);
    const query = repo.compileNextFrames(target.id, 0, 1_000_000, 100);
    let plan: string;
    if (dialect === 'sqlite') {
      const rows = store()
        .sqlite?.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
        .all(...(query.parameters as unknown[])) as { detail: string }[];
      plan = rows.map((row) => row.detail).join('\n');
    } else {
      // On a near-empty table a sequential scan is cheaper; what matters is that the index applies at all
      // (its predicate is implied by the query's), which is what disabling sequential scans shows.
      const client = await store().pool?.connect();
      try {
        await client?.query('BEGIN');
        await client?.query('SET LOCAL enable_seqscan = off');
        const result = await client?.query(`EXPLAIN ${query.sql}`, query.parameters as unknown[]);
        plan = (result?.rows ?? []).map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
        await client?.query('ROLLBACK');
      } finally {
        client?.release();
      }
    }
    expect(plan).toContain('raw_frame_forward');
  });
});
