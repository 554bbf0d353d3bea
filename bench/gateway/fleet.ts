import { readdirSync, readFileSync } from 'node:fs';
import { type Store, usccCheckCharacter } from '@qingyuan/store';

// bench/gateway's registered loggers, and the CPU readings its runs take.

const PW = '123456';

/** `count` registered, running data loggers (MN BENCH…, PW 123456) under one enterprise and outlet. */
export async function seedDevices(store: Store, count: number): Promise<{ mn: string; pw: string }[]> {
  const now = Date.now();
  const first17 = '91420100BENCH0001';
  const enterprise = await store.db
    .insertInto('enterprise')
    .values({
      uscc: first17 + usccCheckCharacter(first17),
      name: '基准企业',
      region_code: '420100',
      status: 'active',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const outlet = await store.db
    .insertInto('outlet')
    .values({ enterprise_id: enterprise.id, kind: 'gas', code: 'DA001', name: '排口', status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const devices = Array.from({ length: count }, (_, i) => ({
    mn: `BENCH${String(i).padStart(19, '0')}`,
    pw: PW,
  }));
  for (let from = 0; from < count; from += 1000)
    await store.db
      .insertInto('monitoring_point')
      .values(
        devices.slice(from, from + 1000).map((d, i) => ({
          outlet_id: outlet.id,
          name: `点位 ${from + i}`,
          mn: d.mn,
          password: d.pw,
          protocol_version: '2017',
          crc_variants: 'hj212',
          realtime_interval_s: 30,
          minute_interval_min: 10,
          status: 'running',
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  return devices;
}

/** User + system CPU of a /proc `stat` line, µs (clock ticks of 10 ms). */
function statCpuUs(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** CPU time of this process's main thread, µs (Linux /proc; NaN elsewhere). */
export function mainThreadCpuUs(): number {
  try {
    return statCpuUs(readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8'));
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time of each of this process's threads, µs, by thread id (Linux /proc; empty elsewhere). Over a window,
 * the threads other than the main one show what the store's workers (device index, WAL checkpoints), libuv's
 * pool and V8's helpers cost; Node does not name them, so they are told apart by their share.
 */
export function threadCpuUs(): Map<number, number> {
  const threads = new Map<number, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        threads.set(Number(tid), statCpuUs(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')));
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // not Linux
  }
  return threads;
}

/**
 * The CPU per frame of the threads other than the main one over a window (`before` and `after` from
 * `threadCpuUs`), µs, largest first, those under 0.05 µs left out.
 */
export function otherThreadsCpuUsPerFrame(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
  frames: number,
): number[] {
  const shares: number[] = [];
  for (const [tid, us] of after) {
    if (tid === process.pid) continue;
    const share = (us - (before.get(tid) ?? 0)) / frames;
    if (share >= 0.05) shares.push(Number(share.toFixed(1)));
  }
  return shares.sort((a, b) => b - a);
}

/**
 * How long this process's main thread has waited, runnable, for a CPU, ns: the second field of its
 * `schedstat` (Linux with scheduler statistics; NaN elsewhere). Over a window, against the window's length,
 * it tells how much of the time other threads and processes (the load, the store's workers) held the CPU
 * the main thread wanted.
 */
export function mainThreadCpuWaitNs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').trim().split(' ');
    return Number(fields[1]);
  } catch {
    return Number.NaN;
  }
}

/**
 * The machine's CPU time so far, and how much of it the hypervisor gave to other guests ("steal"), in clock
 * ticks (the first line of Linux's /proc/stat; NaN elsewhere). Over a window, steal ÷ total is the share of
 * this machine's CPU time its vCPUs were ready to run but not running: a stall the code did not cause.
 */
export function hostCpuTicks(): { readonly steal: number; readonly total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').slice(0, 256).split('\n')[0] ?? '';
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return { steal: ticks[7] ?? Number.NaN, total: ticks.reduce((a, b) => a + b, 0) };
  } catch {
    return { steal: Number.NaN, total: Number.NaN };
  }
}

/** CPU time of every `postgres` process on this machine, µs (Linux /proc; NaN elsewhere). */
export function postgresCpuUs(): number {
  try {
    let total = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'postgres') total += statCpuUs(stat);
    }
    return total;
  } catch {
    return Number.NaN;
  }
}
