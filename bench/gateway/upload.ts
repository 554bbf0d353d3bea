import { composeFlag, encodeMessage, formatBeijingTime, formatQn } from '@qingyuan/hj212';

// What bench/gateway's simulated loggers send (the load process imports this alone, not the store).

const FACTORS = ['a21026', 'a21002', 'a34013', 'a19001', 'a01012', 'a00000'];

/**
 * A real-time upload (CN 2011, 6 factors, ack requested, ≈ 420 bytes) of a device: its `n`-th, with QN
 * `qn` and DataTime `dataTime` (epoch ms, a whole second).
 */
export function realtimeUpload(
  device: { mn: string; pw: string },
  n: number,
  qn: number,
  dataTime: number,
): Uint8Array {
  return encodeMessage({
    qn: formatQn(qn),
    st: '22',
    cn: '2011',
    pw: device.pw,
    mn: device.mn,
    flag: composeFlag('2017', { ack: true }),
    cp: [
      [{ key: 'DataTime', value: formatBeijingTime(dataTime) }],
      ...FACTORS.map((code, i) => [
        { key: `${code}-Rtd`, value: (10 + i + (n % 7)).toFixed(2) },
        { key: `${code}-Flag`, value: 'N' },
      ]),
    ],
  });
}

/** Where a fleet's clock starts: `beforeMs` (ten minutes) before now, on a whole second. */
export function fleetClockStart(beforeMs = 10 * 60_000, now = Date.now()): number {
  return Math.floor(now / 1000) * 1000 - beforeMs;
}

/**
 * The DataTimes of a bench fleet. A real fleet's loggers keep their clocks right (the platform sets them,
 * CN 1012), so the uploads of one moment carry about the same DataTime, close to when they arrive. The
 * bench's few hundred loggers each send dozens of uploads a second, each with a DataTime of its own (a
 * point has one real-time value per instant), so their shared clock runs compressed: it moves on one
 * second each time the fleet has sent one upload per logger (a round), and a logger's next DataTime is the
 * clock's, or one second after its own last if it is ahead.
 *
 * Until 2026-11-30 each logger counted its own uploads, 30 s apart from 2026-01-01: every clock eleven
 * months wrong (a clock-skew event every 20 uploads) and, as loggers drifted apart, one commit's packs
 * spread over an hour of DataTimes, which made each commit rewrite ≈ 85 pages of the packs' time-first key
 * that a synchronised fleet never touches (docs/benchmarks.md, bench/gateway, thirteenth look).
 */
export class FleetClock {
  #sent = 0;

  constructor(
    private readonly loggers: number,
    private readonly start: number = fleetClockStart(),
  ) {}

  /** The DataTime of a logger's next upload, after its last (`last`; 0 before its first). */
  next(last: number): number {
    const round = Math.floor(this.#sent++ / this.loggers);
    return Math.max(last + 1000, this.start + round * 1000);
  }
}
