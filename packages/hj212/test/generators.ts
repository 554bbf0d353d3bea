/**
 * fast-check generators for valid HJ 212 messages, with the typed body each one must decode to. The
 * expected bodies are built from the generated parts and the code tables, never by the code under test.
 */
import fc from 'fast-check';
import {
  type Body,
  type CpField,
  DATA_FLAGS,
  DEVICE_INFO_CODES,
  FACTOR_CODES,
  FACTOR_CODES_2005,
  type MessageInput,
  type ProtocolVersion,
} from '../src/index.js';

export const BEIJING_MS = 8 * 3600 * 1000;

/** `YYYYMMDDhhmmss` (+ `zzz`) of an instant in Beijing time, via Date's ISO form (not src/time.ts). */
export function beijingText(epochMs: number, millis = false): string {
  const iso = new Date(epochMs + BEIJING_MS).toISOString(); // 2016-08-01T08:58:57.223Z
  const digits = iso.replace(/[-:TZ.]/g, '');
  return millis ? digits.slice(0, 17) : digits.slice(0, 14);
}

const Y2000 = Date.UTC(2000, 0, 1) - BEIJING_MS;
const Y2100 = Date.UTC(2100, 0, 1) - BEIJING_MS;

/** Whole-second instants 2000–2099 (HJ 212 times carry no milliseconds). */
export const instant = fc.integer({ min: Y2000 / 1000, max: Y2100 / 1000 - 1 }).map((s) => s * 1000);
/** Instants with milliseconds (QN). */
export const instantMs = fc.integer({ min: Y2000, max: Y2100 - 1 });

export const versionArb = fc.constantFrom<ProtocolVersion>('2005', '2017', '2025');
export const FLAG_VERSION_BITS: Readonly<Record<ProtocolVersion, number>> = {
  '2005': 0,
  '2017': 1,
  '2025': 2,
};

const HEX = '0123456789ABCDEF';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const mnArb = fc.oneof(
  fc.string({ unit: fc.constantFrom(...HEX), minLength: 24, maxLength: 24 }),
  fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 14, maxLength: 14 }),
);
export const pwArb = fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 6, maxLength: 6 });
export const stArb = fc.constantFrom('21', '22', '31', '32', '51', '52');

/** An HJ 212 decimal as text ("N14.2"-like: sign, digits, optional fraction) and its value. */
export const decimalArb = fc
  .tuple(
    fc.boolean(),
    fc.integer({ min: 0, max: 99_999_999 }),
    fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 4 }), {
      nil: undefined,
    }),
  )
  .map(([negative, whole, fraction]) => {
    const text = `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`;
    return { text, value: Number(text) };
  });

export interface Generated {
  readonly input: MessageInput;
  readonly body: Body;
  readonly version: ProtocolVersion;
}

interface HeaderParts {
  readonly qn: string;
  readonly st: string;
  readonly pw: string;
  readonly mn: string;
  readonly ack: boolean;
}

const headerArb: fc.Arbitrary<HeaderParts> = fc.record({
  qn: instantMs.map((t) => beijingText(t, true)),
  st: stArb,
  pw: pwArb,
  mn: mnArb,
  ack: fc.boolean(),
});

function header(parts: HeaderParts, cn: string, version: ProtocolVersion): Omit<MessageInput, 'cp'> {
  return {
    qn: parts.qn,
    st: parts.st,
    cn,
    pw: parts.pw,
    mn: parts.mn,
    flag: (FLAG_VERSION_BITS[version] << 2) | (parts.ack ? 1 : 0),
  };
}

const f = (key: string, value: string): CpField => ({ key, value });

/** The 2017 code a 2005 code is read as: the table's mapping, or Ld/Ln swapped (2005 附录 B, digest §7.3). */
export function expectedCode2005(code: string): string {
  const swapped: Record<string, string> = { Ld: 'Ln', Ln: 'Ld' };
  return FACTOR_CODES_2005.find((row) => row.code === code)?.code2017 ?? swapped[code] ?? code;
}

const VALUE_KINDS_ALL = ['Rtd', 'Min', 'Avg', 'Max', 'Cou', 'ZsRtd', 'ZsMin', 'ZsAvg', 'ZsMax'] as const;

const PERIOD_CN = { realtime: '2011', minute: '2051', hour: '2061', day: '2031' } as const;

/** CN 2011/2051/2061/2031 uploads with random factors, value kinds, flags, EFlag and SampleTime. */
export const observationsArb: fc.Arbitrary<Generated> = fc
  .tuple(
    versionArb,
    fc.constantFrom(...(Object.keys(PERIOD_CN) as (keyof typeof PERIOD_CN)[])),
    headerArb,
    instant,
  )
  .chain(([version, period, parts, dataTime]) => {
    const codes = version === '2005' ? FACTOR_CODES_2005.map((r) => r.code) : FACTOR_CODES.map((r) => r.code);
    const flags = DATA_FLAGS[version].map((row) => row.flag);
    const factor = fc.record({
      code: fc.constantFrom(...codes),
      values: fc.uniqueArray(fc.tuple(fc.constantFrom(...VALUE_KINDS_ALL), decimalArb), {
        minLength: 1,
        maxLength: 5,
        selector: ([kind]) => kind,
      }),
      flag: fc.option(fc.constantFrom(...flags), { nil: undefined }),
      eFlag: fc.option(fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 1, maxLength: 4 }), {
        nil: undefined,
      }),
      sampleTime: fc.option(instant, { nil: undefined }),
      shuffle: fc.infiniteStream(fc.nat()),
    });
    return fc
      .uniqueArray(factor, { minLength: 1, maxLength: 25, selector: (x) => x.code })
      .map((factors): Generated => {
        const cp: CpField[][] = [[f('DataTime', beijingText(dataTime))]];
        const expected = factors.map((x) => {
          const fields: CpField[] = x.values.map(([kind, n]) => f(`${x.code}-${kind}`, n.text));
          if (x.flag !== undefined) fields.push(f(`${x.code}-Flag`, x.flag));
          if (version !== '2005' && x.eFlag !== undefined) fields.push(f(`${x.code}-EFlag`, x.eFlag));
          if (version !== '2005' && x.sampleTime !== undefined)
            fields.push(f(`${x.code}-SampleTime`, beijingText(x.sampleTime)));
          // Sub-fields of one factor in any order.
          const order = fields.map((field) => ({ field, key: x.shuffle.next().value }));
          order.sort((a, b) => a.key - b.key);
          cp.push(order.map((o) => o.field));
          return {
            code: version === '2005' ? expectedCode2005(x.code) : x.code,
            originalCode: x.code,
            values: Object.fromEntries(x.values.map(([kind, n]) => [kind, n.value])),
            ...(x.flag === undefined ? {} : { dataFlag: x.flag }),
            ...(version === '2005' || x.eFlag === undefined ? {} : { eFlag: x.eFlag }),
            ...(version === '2005' || x.sampleTime === undefined ? {} : { sampleTime: x.sampleTime }),
          };
        });
        return {
          version,
          input: { ...header(parts, PERIOD_CN[period], version), cp },
          body: { type: 'observations', period, dataTime, factors: expected, extras: [] },
        };
      });
  });

/** CN 2021 (SBn-RS 0–5) and 2041 (SBn-RT hours). */
export const facilitiesArb: fc.Arbitrary<Generated> = fc
  .tuple(
    versionArb,
    fc.boolean(),
    headerArb,
    instant,
    fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 12 }),
    fc.infiniteStream(fc.nat()),
  )
  .map(([version, runState, parts, dataTime, ids, numbers]): Generated => {
    const treatmentFacilities = ids.map((n) => {
      const value = runState ? numbers.next().value % 6 : (numbers.next().value % 2401) / 100;
      return { id: `SB${n}`, value };
    });
    const cp: CpField[][] = [
      [f('DataTime', beijingText(dataTime))],
      ...treatmentFacilities.map((x) => [f(`${x.id}-${runState ? 'RS' : 'RT'}`, String(x.value))]),
    ];
    const input = { ...header(parts, runState ? '2021' : '2041', version), cp };
    return runState
      ? {
          version,
          input,
          body: {
            type: 'run-state',
            dataTime,
            treatmentFacilities: treatmentFacilities.map((x) => ({ id: x.id, state: x.value })),
            extras: [],
          },
        }
      : {
          version,
          input,
          body: {
            type: 'run-time',
            dataTime,
            treatmentFacilities: treatmentFacilities.map((x) => ({ id: x.id, hours: x.value })),
            extras: [],
          },
        };
  });

/** A log text for `//…//`: any characters but CR, LF and "//" (the log's own delimiter). */
export const logTextArb = fc
  .string({ unit: fc.constantFrom(...'清洗管路阀门泵故障 abcXYZ0123;,=&-_/.:'.split('')), maxLength: 40 })
  .filter((text) => !text.includes('//'));

const I_CODES = DEVICE_INFO_CODES.filter((row) => !row.code.endsWith('x'));

/** CN 3020 uploads (2017/2025) in both PolId grouping styles, with logs, states and parameters. */
export const deviceInfoArb: fc.Arbitrary<Generated> = fc
  .tuple(
    fc.constantFrom<ProtocolVersion>('2017', '2025'),
    headerArb,
    instant,
    fc.boolean(),
    fc.boolean(),
    fc.uniqueArray(fc.constantFrom(...FACTOR_CODES.filter((r) => r.medium !== 'noise').map((r) => r.code)), {
      minLength: 1,
      maxLength: 4,
    }),
    fc.infiniteStream(fc.tuple(fc.constantFrom(...I_CODES), logTextArb, decimalArb, fc.nat({ max: 3 }))),
  )
  .map(([version, parts, dataTime, firmwareStyle, leadingWithoutPolId, polIds, stream]): Generated => {
    const cp: CpField[][] = [[f('DataTime', beijingText(dataTime))]];
    const entries: { polId?: string; items: { code: string; value: string; text?: string }[] }[] = [];
    const owners: (string | undefined)[] = leadingWithoutPolId ? [undefined, ...polIds] : polIds;
    for (const polId of owners) {
      const count = stream.next().value[3] + 1;
      const items: { code: string; value: string; text?: string }[] = [];
      for (let i = 0; i < count; i++) {
        const [row, log, number] = stream.next().value;
        const item =
          row.infoClass === 1
            ? { code: row.code, value: `//${log}//`, text: log }
            : { code: row.code, value: number.text };
        items.push(item);
      }
      const fields = items.map((item) => f(`${item.code}-Info`, item.value));
      if (polId === undefined) cp.push(...fields.map((x) => [x]));
      else if (firmwareStyle) cp.push([f('PolId', polId), ...fields]);
      else cp.push([f('PolId', polId)], ...fields.map((x) => [x]));
      entries.push(polId === undefined ? { items } : { polId, items });
    }
    return {
      version,
      input: { ...header(parts, '3020', version), cp },
      body: { type: 'device-info', dataTime, entries, extras: [] },
    };
  });

/** 2081 restart, 1011 clock, 1013 calibration request, 1061/3019 parameters. */
export const smallUploadsArb: fc.Arbitrary<Generated> = fc
  .tuple(
    fc.constantFrom<ProtocolVersion>('2017', '2025'),
    headerArb,
    instant,
    instant,
    fc.option(fc.constantFrom('w01018', 'a21026', 'w21003'), { nil: undefined }),
    fc.integer({ min: 30, max: 3600 }),
    fc.constantFrom('restart', 'system-time', 'time-calibration-request', 'rtd-interval', 'instrument-sn'),
  )
  .map(([version, parts, t1, t2, polId, interval, kind]): Generated => {
    const h = (cn: string) => header(parts, cn, version);
    const pol: CpField[][] = polId === undefined ? [] : [[f('PolId', polId)]];
    switch (kind) {
      case 'restart':
        return {
          version,
          input: {
            ...h('2081'),
            cp: [[f('DataTime', beijingText(t1))], [f('RestartTime', beijingText(t2))]],
          },
          body: { type: 'restart', dataTime: t1, restartTime: t2 },
        };
      case 'system-time':
        return {
          version,
          input: { ...h('1011'), cp: [...pol, [f('SystemTime', beijingText(t1))]] },
          body: { type: 'system-time', ...(polId === undefined ? {} : { polId }), systemTime: t1 },
        };
      case 'time-calibration-request':
        return {
          version,
          input: { ...h('1013'), cp: pol },
          body: { type: 'time-calibration-request', ...(polId === undefined ? {} : { polId }) },
        };
      case 'rtd-interval':
        return {
          version,
          input: { ...h('1061'), cp: [[f('RtdInterval', String(interval))]] },
          body: { type: 'parameters', params: { RtdInterval: String(interval) } },
        };
      default: {
        const p = polId ?? 'w01018';
        const sn = parts.mn.padEnd(24, '0').slice(0, 24);
        return {
          version,
          input: { ...h('3019'), cp: [[f('PolId', p)], [f(`${p}-SN`, sn)]] },
          body: { type: 'parameters', polId: p, params: { [`${p}-SN`]: sn } },
        };
      }
    }
  });

/** HJ/T 212-2005 CN 2072 alarm events (2005 factor codes with -Ala). */
export const alarmArb: fc.Arbitrary<Generated> = fc
  .tuple(
    headerArb,
    instant,
    fc.constantFrom(0, 1),
    fc.uniqueArray(fc.tuple(fc.constantFrom(...FACTOR_CODES_2005.map((r) => r.code)), decimalArb), {
      minLength: 1,
      maxLength: 4,
      selector: ([code]) => code,
    }),
  )
  .map(
    ([parts, alarmTime, alarmType, factors]): Generated => ({
      version: '2005',
      input: {
        ...header({ ...parts, ack: false }, '2072', '2005'),
        cp: [
          [f('AlarmTime', beijingText(alarmTime))],
          ...factors.map(([code, n]) => [f(`${code}-Ala`, n.text)]),
          [f('AlarmType', String(alarmType))],
        ],
      },
      body: {
        type: 'alarm',
        alarmTime,
        alarmType,
        factors: factors.map(([code, n]) => ({
          code: expectedCode2005(code),
          originalCode: code,
          values: { Ala: n.value },
        })),
      },
    }),
  );

export const uploadArb = fc.oneof(observationsArb, facilitiesArb, deviceInfoArb, smallUploadsArb, alarmArb);
