import { composeFlag, encodeMessage, formatBeijingTime, formatQn } from '@qingyuan/hj212';

// What bench/gateway's simulated loggers send (the load process imports this alone, not the store).

const FACTORS = ['a21026', 'a21002', 'a34013', 'a19001', 'a01012', 'a00000'];

/** The `n`-th real-time upload (CN 2011, 6 factors, ack requested, ≈ 420 bytes) of a device, with QN `qn`. */
export function realtimeUpload(device: { mn: string; pw: string }, n: number, qn: number): Uint8Array {
  return encodeMessage({
    qn: formatQn(qn),
    st: '22',
    cn: '2011',
    pw: device.pw,
    mn: device.mn,
    flag: composeFlag('2017', { ack: true }),
    cp: [
      [{ key: 'DataTime', value: formatBeijingTime(Date.UTC(2026, 0, 1) + n * 30_000) }],
      ...FACTORS.map((code, i) => [
        { key: `${code}-Rtd`, value: (10 + i + (n % 7)).toFixed(2) },
        { key: `${code}-Flag`, value: 'N' },
      ]),
    ],
  });
}
