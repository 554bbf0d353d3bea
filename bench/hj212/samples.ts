import { encodeDataSegment, encodeFrame, type MessageInput } from '@qingyuan/hj212';

/**
 * Benchmark inputs: a typical flue-gas hourly upload (CN 2061, ST 31) and a water real-time upload
 * (CN 2011, ST 32), each also as a JSON document carrying the same information (the reference: V8's
 * native JSON.parse).
 */

const flueGasFactors: Array<[string, Record<string, string>]> = [
  ['a00000', { Cou: '1935482.3', Min: '498.2', Avg: '537.6', Max: '571.9', Flag: 'N' }],
  [
    'a21026',
    {
      Cou: '33.87',
      Min: '14.2',
      Avg: '17.5',
      Max: '21.3',
      ZsMin: '15.9',
      ZsAvg: '19.6',
      ZsMax: '23.8',
      Flag: 'N',
    },
  ],
  [
    'a21002',
    {
      Cou: '72.41',
      Min: '32.8',
      Avg: '37.4',
      Max: '44.0',
      ZsMin: '36.7',
      ZsAvg: '41.9',
      ZsMax: '49.3',
      Flag: 'N',
    },
  ],
  [
    'a34013',
    { Cou: '3.29', Min: '1.2', Avg: '1.7', Max: '2.4', ZsMin: '1.3', ZsAvg: '1.9', ZsMax: '2.7', Flag: 'N' },
  ],
  ['a19001', { Min: '6.1', Avg: '6.6', Max: '7.2', Flag: 'N' }],
  ['a01011', { Min: '11.8', Avg: '12.7', Max: '13.5', Flag: 'N' }],
  ['a01012', { Min: '48.2', Avg: '51.3', Max: '53.9', Flag: 'N' }],
  ['a01013', { Min: '-0.412', Avg: '-0.387', Max: '-0.351', Flag: 'N' }],
  ['a01014', { Min: '8.9', Avg: '9.4', Max: '10.1', Flag: 'N' }],
];

const waterFactors: Array<[string, Record<string, string>]> = [
  ['w00000', { Rtd: '36.91', Flag: 'N' }],
  ['w01018', { Rtd: '41.3', Flag: 'N', SampleTime: '20260115100000' }],
  ['w21003', { Rtd: '1.803', Flag: 'N', SampleTime: '20260115100000' }],
  ['w21011', { Rtd: '0.215', Flag: 'N', SampleTime: '20260115100000' }],
  ['w21001', { Rtd: '9.87', Flag: 'N', SampleTime: '20260115100000' }],
  ['w01001', { Rtd: '7.32', Flag: 'N' }],
];

const header = { pw: '123456', mn: '010000A8900016F000169DC0', flag: 5 };

function message(
  qn: string,
  st: string,
  cn: string,
  dataTime: string,
  factors: Array<[string, Record<string, string>]>,
): MessageInput {
  return {
    qn,
    st,
    cn,
    ...header,
    cp: [
      [{ key: 'DataTime', value: dataTime }],
      ...factors.map(([code, values]) =>
        Object.entries(values).map(([kind, value]) => ({ key: `${code}-${kind}`, value })),
      ),
    ],
  };
}

function json(
  qn: string,
  st: string,
  cn: string,
  dataTime: string,
  factors: Array<[string, Record<string, string>]>,
): string {
  // The same information; numbers as JSON numbers, as a JSON API would carry them.
  const cp: Record<string, unknown> = { DataTime: dataTime };
  for (const [code, values] of factors) {
    cp[code] = Object.fromEntries(
      Object.entries(values).map(([kind, value]) => [
        kind,
        kind === 'Flag' || kind === 'SampleTime' ? value : Number(value),
      ]),
    );
  }
  return JSON.stringify({ QN: qn, ST: st, CN: cn, PW: header.pw, MN: header.mn, Flag: header.flag, CP: cp });
}

export interface BenchSample {
  readonly name: string;
  readonly frame: Uint8Array;
  readonly json: string;
}

export const SAMPLES: readonly BenchSample[] = [
  {
    name: '2061 flue-gas hourly',
    frame: encodeFrame(
      encodeDataSegment(message('20260115110000123', '31', '2061', '20260115100000', flueGasFactors)),
    ),
    json: json('20260115110000123', '31', '2061', '20260115100000', flueGasFactors),
  },
  {
    name: '2011 water real-time',
    frame: encodeFrame(
      encodeDataSegment(message('20260115100030456', '32', '2011', '20260115100030', waterFactors)),
    ),
    json: json('20260115100030456', '32', '2011', '20260115100030', waterFactors),
  },
];
